"""The dashboard's event log as GraphQL: event kinds, their French sentences, the event."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from models.dashboard import SERVICE_OF, EventKind, Service
from models.dashboard import Event as EventModel
from resolvers.dashboard.events import latest_event_id
from schema.core.base import described_enum, encode_cursor
from schema.core.context import Info

KIND_DESCRIPTIONS = {
    EventKind.DOSSIER_CREATED: "A dossier was created.",
    EventKind.DOSSIER_UPDATED: "A dossier was changed.",
    EventKind.DOSSIER_DELETED: "A dossier was deleted.",
    EventKind.EMAIL_CONFIRMED: "A dossier's e-mail address was confirmed by the mailed link.",
    EventKind.EMAIL_REMOVED: "A dossier's e-mail address was removed because its owner "
    "reported the confirmation mail as a mistake.",
    EventKind.PASSWORD_CHANGED: "The password was changed while signed in.",
    EventKind.PASSWORD_RESET: "The password was reset (by a mailed link or the secret question).",
    EventKind.SIGNED_IN: "Someone signed in to the account.",
    EventKind.SAVED_OFFER_CHANGED: "An offer of the classeur was changed by its employer.",
    EventKind.SAVED_OFFER_CLOSED: "An offer of the classeur is no longer available.",
    EventKind.ALERT_CREATED: "An alert was created.",
    EventKind.ALERT_MATCHED: "A new offer matched an alert.",
    EventKind.ALERT_UNSUBSCRIBED: "An alert was ended by the unsubscribe link of a mail.",
    EventKind.APPLICATION_SUBMITTED: "The candidat applied to an offer.",
    EventKind.APPLICATION_STATUS_CHANGED: "The employer moved an application to another status.",
    EventKind.APPLICATION_WITHDRAWN: "The candidat withdrew an application.",
    EventKind.PROPOSAL_RECEIVED: "An employer sent the candidat a proposal.",
    EventKind.PROPOSAL_ANSWERED: "The candidat answered an employer's proposal.",
    EventKind.MESSAGE_RECEIVED: "A message arrived in a conversation.",
    EventKind.CV_CREATED: "A CV was created.",
    EventKind.CV_UPDATED: "A CV was changed.",
    EventKind.CV_DELETED: "A CV was deleted.",
    EventKind.CV_PUBLISHED: "A CV was published (by name or anonymously) for employers.",
    EventKind.CV_UNPUBLISHED: "A CV was made private: employers no longer see it.",
    EventKind.REGISTRATION_CEASED: "The registration ceased: the month was not declared in its "
    "window.",
    EventKind.REGISTRATION_RENEWED: "The candidat registered again (réinscription).",
    EventKind.REGISTRATION_STRUCK_OFF: "An adviser struck the registration off (radiation).",
    EventKind.ACTUALISATION_OPENED: "The monthly declaration window opened.",
    EventKind.ACTUALISATION_REMINDER: "The declaration window closes in three days and the month "
    "is not declared yet.",
    EventKind.ACTUALISATION_SUBMITTED: "The month was declared (actualisation).",
    EventKind.ACTUALISATION_CORRECTED: "A declaration was corrected while its window was open.",
    EventKind.DOCUMENT_SUBMITTED: "A supporting document was sent.",
    EventKind.DOCUMENT_DECIDED: "An adviser accepted or refused a supporting document.",
    EventKind.PAYMENT_MADE: "An allowance payment was made.",
    EventKind.BANK_ACCOUNT_CHANGED: "The bank account the allowance is paid to was changed.",
    EventKind.BANK_ACCOUNT_CHANGE_CANCELLED: "A pending change of bank account was cancelled.",
    EventKind.LETTER_RECEIVED: "A letter (courrier) is waiting in « Mes courriers ».",
    EventKind.APPOINTMENT_SCHEDULED: "An adviser scheduled an appointment.",
    EventKind.APPOINTMENT_CHANGED: "An appointment was changed, confirmed or cancelled.",
    EventKind.APPOINTMENT_REMINDER: "An appointment is in two days.",
    EventKind.SITUATION_CHANGED: "The candidat declared a change of situation (work resumed, "
    "sick leave, absence, training or move).",
    EventKind.DATA_EXPORT_READY: "The archive of the account's data asked for is ready; "
    "the link to download it was sent by mail.",
}
SERVICE_DESCRIPTIONS = {
    Service.DOSSIERS: "« Mes dossiers »: the dossiers and their e-mail addresses.",
    Service.ACCOUNT: "« Mon compte »: sign-ins and passwords.",
    Service.MESSAGES: "« Mes messages »: conversations with advisers and employers.",
    Service.PROPOSALS: "« Mes propositions »: employers' proposals.",
    Service.APPLICATIONS: "« Mes candidatures »: applications to offers.",
    Service.SAVED_OFFERS: "« Mon classeur »: saved offers.",
    Service.ALERTS: "« Mes abonnements »: alerts on new offers.",
    Service.CVS: "« Mes CV »: CVs and their publication.",
    Service.LETTERS: "« Mes courriers »: letters from the agency.",
    Service.AGENDA: "« Mon agenda »: appointments, workshops and events.",
    Service.INDEMNISATION: "« Mes allocations »: payments and the bank account.",
}
EventKindEnum = described_enum(EventKind, "DashboardEventKind", "What happened.", KIND_DESCRIPTIONS)
ServiceEnum = described_enum(
    Service,
    "DashboardService",
    "A service of the dashboard; each event kind counts towards one.",
    SERVICE_DESCRIPTIONS,
)
MESSAGES = {
    EventKind.DOSSIER_CREATED: "Dossier « {name} » créé.",
    EventKind.DOSSIER_UPDATED: "Dossier « {name} » modifié.",
    EventKind.DOSSIER_DELETED: "Dossier « {name} » supprimé.",
    EventKind.EMAIL_CONFIRMED: "Adresse électronique du dossier « {name} » confirmée.",
    EventKind.EMAIL_REMOVED: "Adresse électronique du dossier « {name} » supprimée à la suite "
    "d'un signalement d'erreur.",
    EventKind.PASSWORD_CHANGED: "Mot de passe modifié.",
    EventKind.PASSWORD_RESET: "Mot de passe réinitialisé.",
    EventKind.SIGNED_IN: "Nouvelle connexion à votre espace.",
    EventKind.SAVED_OFFER_CHANGED: "L'offre « {name} » de votre classeur a été modifiée.",
    EventKind.SAVED_OFFER_CLOSED: "L'offre « {name} » de votre classeur n'est plus disponible.",
    EventKind.ALERT_CREATED: "Abonnement aux offres « {name} » créé.",
    EventKind.ALERT_MATCHED: "Nouvelle offre pour votre abonnement « {name} » : {offer}.",
    EventKind.ALERT_UNSUBSCRIBED: "Désabonnement de « {name} » depuis le lien d'un courriel.",
    EventKind.APPLICATION_SUBMITTED: "Candidature envoyée pour l'offre « {name} ».",
    EventKind.APPLICATION_STATUS_CHANGED: "Candidature à l'offre « {name} » : {status}.",
    EventKind.APPLICATION_WITHDRAWN: "Candidature à l'offre « {name} » retirée par le candidat.",
    EventKind.PROPOSAL_RECEIVED: "Nouvelle proposition de {name}.",
    EventKind.PROPOSAL_ANSWERED: "Votre proposition « {name} » a été {status}.",
    EventKind.CV_CREATED: "CV « {name} » créé.",
    EventKind.CV_UPDATED: "CV « {name} » modifié.",
    EventKind.CV_DELETED: "CV « {name} » supprimé.",
    EventKind.CV_PUBLISHED: "CV « {name} » {status}.",
    EventKind.CV_UNPUBLISHED: "CV « {name} » rendu privé : les employeurs ne le voient plus.",
    EventKind.MESSAGE_RECEIVED: "Nouveau message : « {name} ».",
    EventKind.REGISTRATION_CEASED: "Cessation d'inscription : actualisation de {name} non faite.",
    EventKind.REGISTRATION_RENEWED: "Réinscription enregistrée le {name}.",
    EventKind.REGISTRATION_STRUCK_OFF: "Radiation de votre inscription le {name}.",
    EventKind.ACTUALISATION_OPENED: "Je m'actualise pour {name} : {status}.",
    EventKind.ACTUALISATION_REMINDER: "Rappel : actualisez-vous pour {name} ({status}).",
    EventKind.ACTUALISATION_SUBMITTED: "Actualisation de {name} enregistrée ({status}).",
    EventKind.ACTUALISATION_CORRECTED: "Actualisation de {name} corrigée ({status}).",
    EventKind.DOCUMENT_SUBMITTED: "Justificatif « {name} » envoyé.",
    EventKind.DOCUMENT_DECIDED: "Justificatif « {name} » : {status}.",
    EventKind.PAYMENT_MADE: "Paiement de {amount} effectué le {paid_on}.",
    EventKind.BANK_ACCOUNT_CHANGED: "Coordonnées bancaires modifiées : {account}, "
    "prises en compte le {effective}.",
    EventKind.BANK_ACCOUNT_CHANGE_CANCELLED: "Changement de coordonnées bancaires annulé.",
    EventKind.LETTER_RECEIVED: "Nouveau courrier : « {name} ».",
    EventKind.APPOINTMENT_SCHEDULED: "Nouveau rendez-vous : « {name} ».",
    EventKind.APPOINTMENT_CHANGED: "Rendez-vous « {name} » modifié.",
    EventKind.APPOINTMENT_REMINDER: "Rappel : rendez-vous « {name} » dans moins de 48 h.",
    EventKind.SITUATION_CHANGED: "Changement de situation enregistré : {name} ({status}).",
    EventKind.DATA_EXPORT_READY: "L'archive de vos données est prête : le lien de "
    "téléchargement vous a été envoyé par e-mail.",
}


def event_message(kind: EventKind, payload: dict[str, Any]) -> str:
    name = payload.get("name") or payload.get("dossierName") or ""
    offer = payload.get("offer") or ""
    status = payload.get("statusLabel") or ""
    return MESSAGES.get(kind, kind.value).format(
        name=name,
        offer=offer,
        status=status,
        amount=payload.get("amount") or "",
        paid_on=payload.get("paidOn") or "",
        account=payload.get("account") or "",
        effective=payload.get("effectiveLabel") or "",
    )


SUBJECT_TYPES = {
    "dossier": "Dossier",
    "offer": "Offer",
    "application": "Application",
    "proposal": "Proposal",
    "cv": "Cv",
    "conversation": "Conversation",
    "payment": "Payment",
    "letter": "Letter",
    "appointment": "Appointment",
    "situation_change": "SituationChange",
}
"""An event's subject type -> the GraphQL type of its global ID."""


def subject_global_id(subject_type: str | None, subject_id: int | None) -> str | None:
    """The global ID of an event's subject (both paths: ``schema.dashboard.compiled``)."""
    type_name = SUBJECT_TYPES.get(subject_type) if subject_type is not None else None
    if type_name is None or subject_id is None:
        return None
    return relay.to_base64(type_name, subject_id)


@strawberry.type(description="Something that happened to the account, in the order it happened.")
class DashboardEvent(relay.Node):
    id: relay.NodeID[int]
    kind: EventKindEnum = strawberry.field(description="What happened.")  # type: ignore[valid-type]
    service: ServiceEnum = strawberry.field(description="The service it counts towards.")  # type: ignore[valid-type]
    occurred_at: datetime = strawberry.field(description="When it happened (UTC).")
    message: str = strawberry.field(description="A French sentence for the dashboard.")
    payload: JSON = strawberry.field(description="Details of the event, by kind.")
    subject_type: str | None = strawberry.field(description="Type of the object it concerns.")
    subject_id: strawberry.ID | None = strawberry.field(
        description="Global ID of the object it concerns, when it still exists."
    )
    cursor: str = strawberry.field(
        description="Give it to `dashboardEvents(after:)` to resume from this event."
    )

    @classmethod
    def from_model(cls, e: EventModel) -> DashboardEvent:
        kind = EventKind(e.kind)
        subject = subject_global_id(e.subject_type, e.subject_id)
        return cls(
            id=e.id,
            kind=kind,
            service=SERVICE_OF[kind],
            occurred_at=e.occurred_at,
            message=event_message(kind, e.payload),
            payload=cast(JSON, e.payload),
            subject_type=e.subject_type,
            subject_id=strawberry.ID(subject) if subject else None,
            cursor=encode_cursor(e.id),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[DashboardEvent | None]:
        viewer = info.context.viewer
        ids = [int(i) if i.isdigit() else 0 for i in node_ids]
        rows = await info.context.loaders.event_by_id.load_many(ids)
        return [
            cls.from_model(r)
            if r is not None and viewer and r.account_id == viewer.account.id
            else None
            for r in rows
        ]


@strawberry.type(
    description="A page of dashboard events, newest first. To go on live, give "
    "`resumeCursor` (not `pageInfo.endCursor`, the oldest event) to `dashboardEvents(after:)`."
)
class DashboardEventConnection(relay.Connection[DashboardEvent]):
    account_id: strawberry.Private[int] = 0
    # The newest event of the account when the page was read, when the page shows it.
    newest_id: strawberry.Private[int | None] = None

    @strawberry.field(
        description="Where a live client resumes: give it to `dashboardEvents(after:)` to "
        "receive every event newer than this list, none it already holds and none missed. "
        "It stands for the newest event of the account when the list was read (on any "
        "page); `pageInfo.endCursor` is the oldest event of the page, to page on to older ones."
    )
    async def resume_cursor(self, info: Info) -> str:
        from schema.core.base import encode_cursor

        newest = self.newest_id
        if newest is None:
            newest = await latest_event_id(info.context.read_session(), self.account_id)
        return encode_cursor(newest)
