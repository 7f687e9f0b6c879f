"""DataLoaders of the candidat's home lists (registered in ``schema.core.loaders.Loaders``): the
dossiers page, each dossier's CVs page, the CVs' item counts and the applications page.

Each loads one page per distinct key, nested lists in one statement for all their parents
(no N+1); ``schema.viewer.prefetch`` primes them all from a single statement when it can.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Protocol

from strawberry.dataloader import DataLoader

from models.applications import Application
from models.dossiers import Dossier
from resolvers.applications.reads import candidate_applications_page
from resolvers.cvs.reads import CvRow, cvs_pages, item_counts_by_cv_ids
from resolvers.dossiers.manage import list_dossiers
from schema.core.loader_context import LoaderContext

# (account id, after id, page size) -> (rows, has next page)
AccountPageKey = tuple[int, int | None, int]
DossierPage = tuple[list[Dossier], bool]
ApplicationPage = tuple[list[Application], bool]
# (account id, dossier id, after id, page size) -> (CVs with their counts, has next page)
CvPageKey = tuple[int, int, int | None, int]
CvPage = tuple[list[CvRow], bool]


class DossierPageByAccountLoader(DataLoader[AccountPageKey, DossierPage]):
    """A page of an account's dossiers, oldest first."""

    def __init__(self, context: LoaderContext) -> None:
        async def load(keys: list[AccountPageKey]) -> list[DossierPage]:
            pages = []
            for account_id, after_id, limit in keys:
                rows, more = await list_dossiers(
                    context.read_session(), account_id, after_id, limit
                )
                pages.append((list(rows), more))
            return pages

        super().__init__(load_fn=load)


class ApplicationPageByAccountLoader(DataLoader[AccountPageKey, ApplicationPage]):
    """A page of a candidat's applications, newest first (``after`` is a "before" id)."""

    def __init__(self, context: LoaderContext) -> None:
        async def load(keys: list[AccountPageKey]) -> list[ApplicationPage]:
            pages = []
            for account_id, before_id, limit in keys:
                rows, more = await candidate_applications_page(
                    context.read_session(), account_id, before_id, limit
                )
                pages.append((list(rows), more))
            return pages

        super().__init__(load_fn=load)


class _PrimedLoaders(Protocol):
    @property
    def cv_counts_by_cv_id(self) -> CvCountsByCvIdLoader: ...


class _PrimingContext(LoaderContext, Protocol):
    @property
    def loaders(self) -> _PrimedLoaders: ...


class CvPageByDossierLoader(DataLoader[CvPageKey, CvPage]):
    """A page of each dossier's CVs, oldest first: one statement for all the dossiers of a
    request that ask for the same page. Primes the CVs' item counts."""

    def __init__(self, context: _PrimingContext) -> None:
        async def load(keys: list[CvPageKey]) -> list[CvPage]:
            batches: dict[tuple[int, int | None, int], list[int]] = defaultdict(list)
            for account_id, dossier_id, after_id, limit in keys:
                batches[(account_id, after_id, limit)].append(dossier_id)
            found: dict[CvPageKey, CvPage] = {}
            counts = context.loaders.cv_counts_by_cv_id
            for (account_id, after_id, limit), dossiers in batches.items():
                pages = await cvs_pages(
                    context.read_session(), account_id, dossiers, after_id, limit
                )
                for dossier_id, page in pages.items():
                    found[(account_id, dossier_id, after_id, limit)] = page
                    counts.prime_many({cv.id: (e, d) for cv, e, d in page[0]})
            return [found[k] for k in keys]

        super().__init__(load_fn=load)


class CvCountsByCvIdLoader(DataLoader[int, tuple[int, int]]):
    """How many experiences and formations each CV has, one query per batch."""

    def __init__(self, context: LoaderContext) -> None:
        async def load(ids: list[int]) -> list[tuple[int, int]]:
            found = await item_counts_by_cv_ids(context.read_session(), ids)
            return [found.get(i, (0, 0)) for i in ids]

        super().__init__(load_fn=load)
