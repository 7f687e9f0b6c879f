"""« Mon dossier de demandeur d'emploi » on the tableau de bord, and « Mes actions »: typed
fields with the seed's French sentences, read by the dashboard's one statement
(``schema.dashboard.prefetch``)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay

from models.registration import RegistrationState
from resolvers.dashboard.actions import Action
from resolvers.dashboard.file_parts import FileSummary
from resolvers.dashboard.file_sentences import (
    DeclarationState,
    declaration_sentence,
    declaration_state,
    last_actualisation_sentence,
    next_appointment_sentence,
    unread_letters_sentence,
    window_sentence_while_open,
)
from resolvers.indemnisation.payments import last_payment_sentence
from schema.actualisation.types import Actualisation, ActualisationWindow
from schema.agenda.types import Appointment
from schema.core.base import described_enum
from schema.indemnisation.types import Payment
from schema.registration.schema import RegistrationStateEnum

DeclarationStateEnum = described_enum(
    DeclarationState,
    "DeclarationState",
    "Where this month's declaration (actualisation) stands for the candidat.",
    {
        DeclarationState.TO_DECLARE: "The window is open and the month is not declared yet.",
        DeclarationState.DECLARED: "The window is open and the month is declared.",
        DeclarationState.NOT_OPEN: "No window is open now; `window` is the next one.",
        DeclarationState.NOT_REGISTERED: "Not registered (or registration ceased): nothing to "
        "declare.",
    },
)
NODE_TYPES = {"appointment": "Appointment", "letter": "Letter", "document": "SupportingDocument"}


@strawberry.type(
    description="« Mon dossier de demandeur d'emploi »: the unemployment file at a glance, "
    "with the sentences the home page shows."
)
class DashboardUnemploymentFile:
    registration_state: RegistrationStateEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="The registration's state; null when never registered."
    )
    declaration_state: DeclarationStateEnum = strawberry.field(  # type: ignore[valid-type]
        description="Where this month's declaration stands."
    )
    window: ActualisationWindow | None = strawberry.field(
        description="The declaration window open now, else the next one; null when not registered."
    )
    window_sentence: str | None = strawberry.field(
        description="« Je m'actualise du 28 septembre au 15 octobre » while a window is open "
        "(declared or not); null otherwise."
    )
    declaration_sentence: str = strawberry.field(
        description="Where the declaration stands, in French (to do until…, recorded, next window)."
    )
    last_actualisation: Actualisation | None = strawberry.field(
        description="The last declaration (latest month), as last corrected."
    )
    last_actualisation_sentence: str | None = strawberry.field(
        description="« Ma dernière actualisation a été validée le 30/09/2011 (pour la période "
        "du 01/09/2011 au 30/09/2011) »; null before the first declaration."
    )
    last_payment: Payment | None = strawberry.field(description="The last payment made.")
    last_payment_sentence: str | None = strawberry.field(
        description="« Au 30/09/2011 mon dernier versement est de 142,65 € net »; null before "
        "the first payment."
    )
    unread_letters: int = strawberry.field(description="Letters not read (downloaded) yet.")
    unread_letters_sentence: str = strawberry.field(
        description="« 2 courriers non lus », or « Aucun nouveau courrier »."
    )
    next_appointment: Appointment | None = strawberry.field(
        description="The next appointment not cancelled (scheduled, confirmed, or with a new "
        "time asked)."
    )
    next_appointment_sentence: str | None = strawberry.field(
        description="« Mon prochain rendez-vous : le 8 octobre 2026 à 10 h 00 (heure de "
        "Paris), <theme> »; null without one."
    )

    @classmethod
    def of(cls, file: FileSummary, now: datetime) -> DashboardUnemploymentFile:
        registration = file.registration
        state = file.window
        act, pay, appt = file.last_actualisation, file.last_payment, file.next_appointment
        return cls(
            registration_state=RegistrationState(registration.state) if registration else None,
            declaration_state=declaration_state(file),
            window=ActualisationWindow.from_model(state.window, now, state.declared)
            if state is not None
            else None,
            window_sentence=window_sentence_while_open(file),
            declaration_sentence=declaration_sentence(file),
            last_actualisation=Actualisation.from_model(act) if act is not None else None,
            last_actualisation_sentence=last_actualisation_sentence(act),
            last_payment=Payment.from_model(pay) if pay is not None else None,
            last_payment_sentence=last_payment_sentence(pay),
            unread_letters=file.unread_letters,
            unread_letters_sentence=unread_letters_sentence(file.unread_letters),
            next_appointment=Appointment.from_model(appt) if appt is not None else None,
            next_appointment_sentence=next_appointment_sentence(appt),
        )


@strawberry.type(description='One of "Mes actions": something the candidat should do.')
class DashboardAction:
    code: str = strawberry.field(
        description="Stable code: RENEW_REGISTRATION (the registration ended), DECLARE (the "
        "month's declaration), SEND_DOCUMENT (a document asked for by letter, or refused), "
        "CONFIRM_APPOINTMENT, CREATE_DOSSIER, CONFIRM_EMAIL, ADD_EMAIL, ADD_PHONE."
    )
    message: str = strawberry.field(description="What to do, in French.")
    dossier_id: strawberry.ID | None = strawberry.field(description="The dossier concerned.")
    subject_id: strawberry.ID | None = strawberry.field(
        description="The object concerned, when there is one: an Appointment to confirm, the "
        "Letter asking for documents, or the refused SupportingDocument."
    )

    @classmethod
    def of(cls, action: Action) -> DashboardAction:
        subject = None
        if action.subject is not None:
            kind, subject_id = action.subject
            subject = strawberry.ID(relay.to_base64(NODE_TYPES[kind], subject_id))
        return cls(
            code=action.code,
            message=action.message,
            dossier_id=strawberry.ID(relay.to_base64("Dossier", action.dossier_id))
            if action.dossier_id
            else None,
            subject_id=subject,
        )
