"""Per-request DataLoaders, named ``<X>By<Key>Loader``. Built lazily by the context."""

from __future__ import annotations

from functools import cached_property
from typing import Protocol

from strawberry.dataloader import DataLoader

from models.alerts import Alert as AlertModel
from models.alerts import AlertMatch as AlertMatchModel
from models.applications import ApplicationChange
from models.classeur import SavedSearch as SavedSearchModel
from models.cvs import Cv, CvEducation, CvExperience
from models.dashboard import Announcement, Event
from models.dossiers import Agency, Dossier
from models.messages import Message as MessageModel
from models.offers import Company, Offer
from resolvers.agencies.directory import agencies_by_ids
from resolvers.alerts import views as alerts_views
from resolvers.applications.reads import changes_by_application_ids
from resolvers.applications.reads import dossiers_by_ids as any_dossiers_by_ids
from resolvers.classeur import saved_searches
from resolvers.classeur.saved_offers import saved_offer_ids
from resolvers.cvs import reads as cvs_reads
from resolvers.cvs.reads import cvs_by_ids, educations_by_cv_ids, experiences_by_cv_ids
from resolvers.dashboard.events import announcements_by_ids, events_by_ids
from resolvers.messages import queries as message_queries
from resolvers.offers.companies import companies_by_ids
from resolvers.offers.manage import offers_by_ids
from schema.alerts.loaders import AlertPageByDossierLoader
from schema.core.loader_context import LoaderContext
from schema.core.nested_loaders import NestedCountLoader, NestedPageLoader
from schema.messages.loaders import (
    AttachmentsByMessageIdLoader,
    AuthorByIdLoader,
    ConversationByIdLoader,
    MessageByIdLoader,
    MessagesPageByConversationIdLoader,
    ReadMarkerByConversationIdLoader,
    UnreadCountByConversationIdLoader,
)
from schema.viewer.loaders import (
    ApplicationPageByAccountLoader,
    CvCountsByCvIdLoader,
    CvPageByDossierLoader,
    DossierPageByAccountLoader,
)


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


class LoadersContext(LoaderContext, Protocol):
    """A context that also holds the loaders (some loaders prime others)."""

    @property
    def loaders(self) -> Loaders: ...


class Loaders:
    """One set of DataLoaders per request, so that nothing is loaded row by row."""

    def __init__(self, context: LoadersContext) -> None:
        self.context = context

    # Lists under a list: any window, and totalCount (classes in schema.core.nested_loaders).
    @cached_property
    def cv_window_by_dossier(self) -> NestedPageLoader:
        return NestedPageLoader(self.context, cvs_reads.cv_windows)

    @cached_property
    def cv_count_by_dossier(self) -> NestedCountLoader:
        return NestedCountLoader(self.context, cvs_reads.account_cvs, Cv.dossier_id)

    @cached_property
    def alert_window_by_dossier(self) -> NestedPageLoader:
        return NestedPageLoader(self.context, alerts_views.alert_windows)

    @cached_property
    def alert_count_by_dossier(self) -> NestedCountLoader:
        return NestedCountLoader(self.context, alerts_views.account_alerts, AlertModel.dossier_id)

    @cached_property
    def saved_search_window_by_dossier(self) -> NestedPageLoader:
        return NestedPageLoader(self.context, saved_searches.saved_search_windows)

    @cached_property
    def saved_search_count_by_dossier(self) -> NestedCountLoader:
        rows_of = saved_searches.saved_searches_select
        return NestedCountLoader(self.context, rows_of, SavedSearchModel.dossier_id)

    @cached_property
    def message_window_by_conversation(self) -> NestedPageLoader:
        return NestedPageLoader(self.context, message_queries.message_windows)

    @cached_property
    def message_count_by_conversation(self) -> NestedCountLoader:
        rows_of = message_queries.all_messages
        return NestedCountLoader(self.context, rows_of, MessageModel.conversation_id)

    @cached_property
    def agency_by_id(self) -> AgencyByIdLoader:
        return AgencyByIdLoader(self.context)

    @cached_property
    def event_by_id(self) -> EventByIdLoader:
        return EventByIdLoader(self.context)

    @cached_property
    def announcement_by_id(self) -> AnnouncementByIdLoader:
        return AnnouncementByIdLoader(self.context)

    @cached_property
    def offer_by_id(self) -> OfferByIdLoader:
        return OfferByIdLoader(self.context)

    @cached_property
    def company_by_id(self) -> CompanyByIdLoader:
        return CompanyByIdLoader(self.context)

    @cached_property
    def classeur_flag_by_offer_id(self) -> ClasseurFlagByOfferIdLoader:
        return ClasseurFlagByOfferIdLoader(self.context)

    @cached_property
    def dossier_by_id(self) -> DossierByIdLoader:
        return DossierByIdLoader(self.context)

    @cached_property
    def application_changes_by_application_id(self) -> ApplicationChangesByApplicationIdLoader:
        return ApplicationChangesByApplicationIdLoader(self.context)

    @cached_property
    def cv_by_id(self) -> CvByIdLoader:
        return CvByIdLoader(self.context)

    @cached_property
    def cv_experiences_by_cv_id(self) -> CvExperiencesByCvIdLoader:
        return CvExperiencesByCvIdLoader(self.context)

    @cached_property
    def cv_educations_by_cv_id(self) -> CvEducationsByCvIdLoader:
        return CvEducationsByCvIdLoader(self.context)

    # Messages (classes in schema.messages.loaders).
    @cached_property
    def conversation_by_id(self) -> ConversationByIdLoader:
        return ConversationByIdLoader(self.context)

    @cached_property
    def message_by_id(self) -> MessageByIdLoader:
        return MessageByIdLoader(self.context)

    @cached_property
    def messages_page_by_conversation_id(self) -> MessagesPageByConversationIdLoader:
        return MessagesPageByConversationIdLoader(self.context)

    @cached_property
    def author_by_id(self) -> AuthorByIdLoader:
        return AuthorByIdLoader(self.context)

    @cached_property
    def attachments_by_message_id(self) -> AttachmentsByMessageIdLoader:
        return AttachmentsByMessageIdLoader(self.context)

    @cached_property
    def unread_count_by_conversation_id(self) -> UnreadCountByConversationIdLoader:
        return UnreadCountByConversationIdLoader(self.context)

    @cached_property
    def read_marker_by_conversation_id(self) -> ReadMarkerByConversationIdLoader:
        return ReadMarkerByConversationIdLoader(self.context)

    @cached_property
    def alert_page_by_dossier(self) -> AlertPageByDossierLoader:
        return AlertPageByDossierLoader(self.context)

    @cached_property
    def alert_match_window_by_alert(self) -> NestedPageLoader:
        return NestedPageLoader(self.context, alerts_views.match_windows)

    @cached_property
    def alert_match_count_by_alert(self) -> NestedCountLoader:
        return NestedCountLoader(self.context, alerts_views.all_matches, AlertMatchModel.alert_id)

    # The candidat's home lists (classes in schema.viewer.loaders;
    # primed by schema.viewer.prefetch).
    @cached_property
    def dossier_page_by_account(self) -> DossierPageByAccountLoader:
        return DossierPageByAccountLoader(self.context)

    @cached_property
    def cv_page_by_dossier(self) -> CvPageByDossierLoader:
        return CvPageByDossierLoader(self.context)

    @cached_property
    def cv_counts_by_cv_id(self) -> CvCountsByCvIdLoader:
        return CvCountsByCvIdLoader(self.context)

    @cached_property
    def application_page_by_account(self) -> ApplicationPageByAccountLoader:
        return ApplicationPageByAccountLoader(self.context)
