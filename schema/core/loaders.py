"""Per-request DataLoaders, named ``<X>By<Key>Loader``. Built lazily by the context."""

from __future__ import annotations

from functools import cached_property
from typing import Protocol

from models.alerts import Alert as AlertModel
from models.alerts import AlertMatch as AlertMatchModel
from models.classeur import SavedSearch as SavedSearchModel
from models.cvs import Cv
from models.messages import Message as MessageModel
from resolvers.alerts import views as alerts_views
from resolvers.classeur import saved_searches
from resolvers.cvs import reads as cvs_reads
from resolvers.messages import queries as message_queries
from schema.actualisation.loaders import VersionsByActualisationIdLoader
from schema.alerts.loaders import AlertPageByDossierLoader
from schema.core.id_loaders import (
    AgencyByIdLoader,
    AnnouncementByIdLoader,
    ApplicationChangesByApplicationIdLoader,
    ClasseurFlagByOfferIdLoader,
    CompanyByIdLoader,
    CvByIdLoader,
    CvEducationsByCvIdLoader,
    CvExperiencesByCvIdLoader,
    DossierByIdLoader,
    EventByIdLoader,
    OfferByIdLoader,
)
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
    def versions_by_actualisation_id(self) -> VersionsByActualisationIdLoader:
        return VersionsByActualisationIdLoader(self.context)

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
