"""``situationChangeDeclare``: a registered candidat declares a change of situation.

In one transaction (all or nothing): the form is checked field by field, the change is
recorded with its reference (« enregistré le … à … »), its effects on the registration and
the contact details are applied (``resolvers.situation.effects``), a SITUATION_CHANGED
dashboard event is recorded (pushed live after commit) and a confirmation mail goes to the
outbox. A sick leave, a job or a training also asks for its supporting document: a
« Demande de pièces justificatives » letter (the adviser's way of asking, ``issue_letter``),
which the candidat answers with ``supportingDocumentUpload`` and that code. The months
already declared that the change touches are computed again (``recompute``).

The candidat's registration row is locked first, so that two declarations of the same
candidat never both pass the overlap check, nor take the same reference.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ground.runtime import Runtime
from models.dashboard import EventKind
from models.identity import Account, AccountKind
from models.letters import LetterKind
from models.registration import Registration, RegistrationState
from models.situation import SituationChange, SituationKind
from resolvers.actualisation.documents import LABELS, DocumentCode
from resolvers.actualisation.receipt import registered_parts
from resolvers.core.errors import DomainError, ErrorCode, ErrorCollector
from resolvers.core.pdf import paris_date
from resolvers.dashboard.events import record_event
from resolvers.identity.fields import notice_addresses
from resolvers.letters.issue import LetterText, issue_letter
from resolvers.situation.effects import apply_effects
from resolvers.situation.form import (
    DATED,
    KIND_LABELS,
    CheckedChange,
    Declared,
    SituationForm,
    check_form,
    fr,
)
from resolvers.situation.notice import summary
from resolvers.situation.recompute import recompute_months
from resolvers.situation.rules import (
    ABSENCE_DAYS_PER_YEAR,
    Span,
    absence_days_in_year,
)

DOCUMENTS = {
    SituationKind.SICK_LEAVE: DocumentCode.AAT,
    SituationKind.WORK_RESUMED: DocumentCode.AEMP,
    SituationKind.TRAINING: DocumentCode.ASF,
}


def reference_of(account_id: int, at: datetime, sequence: int) -> str:
    """One reference per change: S<yyyymmdd>-<account>-<n-th change of the account>."""
    return f"S{paris_date(at):%Y%m%d}-{account_id:08d}-{sequence}"


def registered_sentence(at: datetime) -> str:
    """« Changement enregistré le 05/12/2026 à 10:15 » (Paris time)."""
    day, hour = registered_parts(at)
    return f"Changement enregistré le {day} à {hour}"


async def _registration(session: AsyncSession, account: Account) -> Registration:
    if account.kind != AccountKind.CANDIDAT:
        raise DomainError.single(
            None, ErrorCode.FORBIDDEN, "Seuls les demandeurs d'emploi déclarent un changement."
        )
    row = await session.scalar(
        select(Registration).where(Registration.account_id == account.id).with_for_update()
    )
    if row is None or row.state != RegistrationState.INSCRIT:
        raise DomainError.single(
            None,
            ErrorCode.NOT_REGISTERED,
            "Vous n'êtes pas inscrit(e) comme demandeur d'emploi : réinscrivez-vous d'abord.",
        )
    return row


async def _declared(session: AsyncSession, account_id: int) -> list[Declared]:
    rows = await session.execute(
        select(SituationChange.kind, SituationChange.start_date, SituationChange.end_date).where(
            SituationChange.account_id == account_id,
            SituationChange.kind.in_([k.value for k in DATED]),
            SituationChange.end_date.is_not(None),
        )
    )
    return [Declared(SituationKind(k), Span(s, e)) for k, s, e in rows.all() if e is not None]


def absence_effects(declared: list[Declared], new: Span) -> dict[str, Any]:
    """The year's days of absence with this one, and whether the candidat is still counted
    as available (35 days a year at most)."""
    spans = [d.span for d in declared if d.kind == SituationKind.ABSENCE] + [new]
    days = absence_days_in_year(spans, new.start.year)
    return {"absenceDaysInYear": days, "available": days <= ABSENCE_DAYS_PER_YEAR}


async def declare_change(
    session: AsyncSession, runtime: Runtime, account: Account, form: SituationForm
) -> SituationChange:
    """Check, record and apply a change of situation (see the module docstring)."""
    now = runtime.clock.now()
    registration = await _registration(session, account)
    errors = ErrorCollector()
    declared = await _declared(session, account.id)
    checked = check_form(errors, runtime.refdata, form, paris_date(now), declared)
    errors.raise_if_any()
    assert checked is not None
    count = await session.scalar(
        select(func.count())
        .select_from(SituationChange)
        .where(SituationChange.account_id == account.id)
    )
    effects = await apply_effects(session, account, registration, checked, now)
    if checked.kind == SituationKind.ABSENCE and checked.end is not None:
        effects |= absence_effects(declared, Span(checked.start, checked.end))
    document = DOCUMENTS.get(checked.kind)
    row = SituationChange(
        account_id=account.id,
        kind=checked.kind.value,
        reference=reference_of(account.id, now, int(count or 0) + 1),
        start_date=checked.start,
        end_date=checked.end,
        details=checked.details | {"identifiant": account.identifiant},
        effects=effects,
        document_code=document.value if document else None,
        declared_at=now,
    )
    session.add(row)
    await session.flush()
    if document is not None:
        letter = await issue_letter(
            session, runtime, account.id, LetterKind.DEMANDE_PIECES, _request(checked, document)
        )
        row.letter_id = letter.id
    await record_event(
        session,
        account.id,
        EventKind.SITUATION_CHANGED,
        {"name": KIND_LABELS[checked.kind], "statusLabel": row.reference},
        "situation_change",
        row.id,
    )
    await recompute_months(session, row, now)
    await _mail(session, runtime, account, registration, row)
    await session.flush()
    return row


def _request(change: CheckedChange, code: DocumentCode) -> LetterText:
    what = KIND_LABELS[change.kind].lower()
    since = f"du {fr(change.start)}" + (f" au {fr(change.end)}" if change.end else "")
    return LetterText(
        (
            f"Vous nous avez signalé un changement de situation ({what} {since}).",
            f"Merci de nous transmettre la pièce justificative suivante : {LABELS[code]} "
            f"(code {code.value}), depuis votre espace personnel, rubrique « Mes "
            "justificatifs ».",
            "Sans ce justificatif, votre changement de situation ne pourra pas être pris en "
            "compte par votre conseiller.",
        )
    )


async def _mail(
    session: AsyncSession,
    runtime: Runtime,
    account: Account,
    registration: Registration,
    row: SituationChange,
) -> None:
    addresses = await notice_addresses(session, account)
    if not addresses and registration.email:
        addresses = [registration.email]
    code = DocumentCode(row.document_code) if row.document_code else None
    context: dict[str, Any] = {
        "identifiant": account.identifiant,
        "label": KIND_LABELS[SituationKind(row.kind)],
        "reference": row.reference,
        "registered": registered_sentence(row.declared_at),
        "summary": summary(row),
        "document": f"{LABELS[code]} (code {code.value})" if code else None,
    }
    for address in addresses:
        await runtime.mailer.enqueue(
            session, to=address, template="situation_changed", context=context
        )
