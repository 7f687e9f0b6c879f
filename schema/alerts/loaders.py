"""DataLoaders of the alerts domain (registered in ``schema.core.loaders.Loaders``)."""

from __future__ import annotations

from collections import defaultdict

from strawberry.dataloader import DataLoader

from resolvers.alerts.views import AlertView, alerts_pages
from schema.core.loader_context import LoaderContext

# (account id, dossier id, after id, page size) -> (alerts, has next page)
PageKey = tuple[int, int, int | None, int]
Page = tuple[list[AlertView], bool]


class AlertPageByDossierLoader(DataLoader[PageKey, Page]):
    """A page of each dossier's alerts: one statement for all the dossiers of a request
    that ask for the same page (``viewer.dossiers { alerts }`` is not N+1)."""

    def __init__(self, context: LoaderContext) -> None:
        async def load(keys: list[PageKey]) -> list[Page]:
            batches: dict[tuple[int, int | None, int], list[int]] = defaultdict(list)
            for account_id, dossier_id, after_id, limit in keys:
                batches[(account_id, after_id, limit)].append(dossier_id)
            found: dict[PageKey, Page] = {}
            for (account_id, after_id, limit), dossiers in batches.items():
                pages = await alerts_pages(
                    context.read_session(), account_id, dossiers, after_id, limit
                )
                for dossier_id, page in pages.items():
                    found[(account_id, dossier_id, after_id, limit)] = page
            return [found[k] for k in keys]

        super().__init__(load_fn=load)
