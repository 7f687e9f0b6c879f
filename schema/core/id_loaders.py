"""The DataLoaders by id (one statement per batch of ids), registered in
schema.core.loaders.Loaders."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from models.applications import ApplicationChange
from models.cvs import Cv, CvEducation, CvExperience
from models.dashboard import Announcement, Event
from models.dossiers import Agency, Dossier
from models.offers import Company, Offer
from resolvers.agencies.directory import agencies_by_ids
from resolvers.applications.reads import changes_by_application_ids
from resolvers.applications.reads import dossiers_by_ids as any_dossiers_by_ids
from resolvers.classeur.saved_offers import saved_offer_ids
from resolvers.cvs.reads import cvs_by_ids, educations_by_cv_ids, experiences_by_cv_ids
from resolvers.dashboard.events import announcements_by_ids, events_by_ids
from resolvers.offers.companies import companies_by_ids
from resolvers.offers.manage import offers_by_ids
from schema.core.loader_context import LoaderContext


class AgencyByIdLoader(DataLoader[int, Agency | None]):
    """Agencies by id, one query per batch (None for an unknown id)."""

    def __init__(self, context: LoaderContext) -> None:
        async def load(ids: list[int]) -> list[Agency | None]:
            found = await agencies_by_ids(context.read_session(), ids)
            return [found.get(i) for i in ids]

        super().__init__(load_fn=load)


class EventByIdLoader(DataLoader[int, Event | None]):
    """Dashboard events by id, one query per batch."""

    def __init__(self, context: LoaderContext) -> None:
        async def load(ids: list[int]) -> list[Event | None]:
            found = await events_by_ids(context.read_session(), ids)
            return [found.get(i) for i in ids]

        super().__init__(load_fn=load)


class AnnouncementByIdLoader(DataLoader[int, Announcement | None]):
    """Announcements by id, one query per batch."""

    def __init__(self, context: LoaderContext) -> None:
        async def load(ids: list[int]) -> list[Announcement | None]:
            found = await announcements_by_ids(context.read_session(), ids)
            return [found.get(i) for i in ids]

        super().__init__(load_fn=load)


class OfferByIdLoader(DataLoader[int, Offer | None]):
    """Offers by id, one query per batch (visibility is the caller's check)."""

    def __init__(self, context: LoaderContext) -> None:
        async def load(ids: list[int]) -> list[Offer | None]:
            found = await offers_by_ids(context.read_session(), ids)
            return [found.get(i) for i in ids]

        super().__init__(load_fn=load)


class CompanyByIdLoader(DataLoader[int, Company | None]):
    """Companies by id, one query per batch."""

    def __init__(self, context: LoaderContext) -> None:
        async def load(ids: list[int]) -> list[Company | None]:
            found = await companies_by_ids(context.read_session(), ids)
            return [found.get(i) for i in ids]

        super().__init__(load_fn=load)


class ClasseurFlagByOfferIdLoader(DataLoader[int, bool]):
    """Whether the signed-in account keeps each offer in its classeur, one query per batch."""

    def __init__(self, context: LoaderContext) -> None:
        async def load(ids: list[int]) -> list[bool]:
            viewer = context.viewer
            if viewer is None:
                return [False for _ in ids]
            saved = await saved_offer_ids(context.read_session(), viewer.account.id, ids)
            return [i in saved for i in ids]

        super().__init__(load_fn=load)


class DossierByIdLoader(DataLoader[int, Dossier | None]):
    """Dossiers by id, whoever owns them: callers show one only where a rule allows (the
    applicant to an employer's offer, the candidat who accepted a proposal)."""

    def __init__(self, context: LoaderContext) -> None:
        async def load(ids: list[int]) -> list[Dossier | None]:
            found = await any_dossiers_by_ids(context.read_session(), ids)
            return [found.get(i) for i in ids]

        super().__init__(load_fn=load)


class ApplicationChangesByApplicationIdLoader(DataLoader[int, list[ApplicationChange]]):
    """The status history of applications, oldest first, one query per batch."""

    def __init__(self, context: LoaderContext) -> None:
        async def load(ids: list[int]) -> list[list[ApplicationChange]]:
            found = await changes_by_application_ids(context.read_session(), ids)
            return [found.get(i, []) for i in ids]

        super().__init__(load_fn=load)


class CvByIdLoader(DataLoader[int, tuple[Cv, Dossier] | None]):
    """CVs with their dossiers by id, one query per batch (``resolvers.cvs.manage.audience`` decides
    who sees one)."""

    def __init__(self, context: LoaderContext) -> None:
        async def load(ids: list[int]) -> list[tuple[Cv, Dossier] | None]:
            found = await cvs_by_ids(context.read_session(), ids)
            return [found.get(i) for i in ids]

        super().__init__(load_fn=load)


class CvExperiencesByCvIdLoader(DataLoader[int, list[CvExperience]]):
    """The experiences of CVs, in order, one query per batch."""

    def __init__(self, context: LoaderContext) -> None:
        async def load(ids: list[int]) -> list[list[CvExperience]]:
            found = await experiences_by_cv_ids(context.read_session(), ids)
            return [found[i] for i in ids]

        super().__init__(load_fn=load)


class CvEducationsByCvIdLoader(DataLoader[int, list[CvEducation]]):
    """The education of CVs, in order, one query per batch."""

    def __init__(self, context: LoaderContext) -> None:
        async def load(ids: list[int]) -> list[list[CvEducation]]:
            found = await educations_by_cv_ids(context.read_session(), ids)
            return [found[i] for i in ids]

        super().__init__(load_fn=load)
