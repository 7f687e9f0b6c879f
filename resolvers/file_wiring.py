"""Where the parts of the unemployment file meet (issue 13): the registration and monthly
declaration domain, the allowance domain and the attestations domain know nothing of each
other; this module plugs them together at start-up (``espace.app.create_app``).

- Each accepted declaration (first submission and every correction) computes the month's
  payment (``resolvers.indemnisation.hooks.payment_on_declaration``, idempotent per account
  and month: a correction recomputes a payment not yet made, and leaves a paid one alone),
  with the days the declared changes of situation deduct (``resolvers.situation.payments``).
- The attestations read the payments made (fiscal, last payment, paid periods, pension
  fund) and the registration history from their domains' tables; the attestation de
  situation is refused while the registration has ceased or been struck off.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ground.runtime import Runtime
from models.attestations import AttestationKind
from models.identity import Account
from models.indemnisation import Payment, PaymentStatus
from models.registration import Registration, RegistrationChange, RegistrationState
from resolvers.actualisation.facts import MonthFacts, on_declaration_accepted
from resolvers.attestations import sources as attestation_sources
from resolvers.attestations.sources import Facts, Request, holder, payment_sources, sources_for
from resolvers.core.pdf import french_date
from resolvers.indemnisation.hooks import payment_on_declaration
from resolvers.situation.payments import with_situation_changes

STATE_LABELS = {
    "INSCRIT": "Inscription",
    "CESSATION_INSCRIPTION": "Cessation d'inscription",
    "RADIE": "Radiation",
}
HISTORY_ROWS = 60  # a PDF page's worth of changes


async def pay_month(session: AsyncSession, facts: MonthFacts, now: datetime) -> None:
    """The declaration subscriber: the month's payment, in the declaration's transaction,
    with the days the declared changes of situation deduct (sick leave, absences past the
    year's 35 days, a full-time CDI)."""
    await payment_on_declaration(session, await with_situation_changes(session, facts), now)


async def payments_made(
    session: AsyncSession, account_id: int
) -> Sequence[attestation_sources.Payment]:
    """The allowance payments made (PAID), oldest first, as the attestations read them. An
    imported payment without a period counts for its own day."""
    rows = (
        await session.scalars(
            select(Payment)
            .where(Payment.account_id == account_id, Payment.status == PaymentStatus.PAID.value)
            .order_by(Payment.paid_on, Payment.id)
        )
    ).all()
    made = []
    for p in rows:
        start = p.period or p.paid_on
        end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
        if p.period is None:
            end = p.paid_on
        made.append(attestation_sources.Payment(p.paid_on, p.amount_cents, start, end))
    return made


async def registration_history(session: AsyncSession, account: Account, request: Request) -> Facts:
    """Historique des inscriptions: every change of the registration's state, oldest first."""
    full, public = await holder(session, account)
    changes = (
        await session.scalars(
            select(RegistrationChange)
            .where(RegistrationChange.account_id == account.id)
            .order_by(RegistrationChange.id)
            .limit(HISTORY_ROWS)
        )
    ).all()
    if not changes:
        raise attestation_sources.unavailable("Aucune inscription n'est enregistrée.")
    rows: list[tuple[str, str]] = [("Nom", full), ("Identifiant", account.identifiant or "")]
    rows += [(f"{c.effective_on:%d/%m/%Y}", STATE_LABELS.get(c.state, c.state)) for c in changes]
    last = changes[-1]
    current = f"{STATE_LABELS.get(last.state, last.state)} le {french_date(last.effective_on)}"
    public_rows = (
        ("Titulaire", public),
        ("Première inscription", f"{changes[0].effective_on:%d/%m/%Y}"),
        ("Dernier changement", current),
    )
    statement = (
        f"France Travail atteste que {full} a connu les inscriptions et changements de "
        f"situation ci-dessous ; dernier changement : {current}."
    )
    return Facts(full, tuple(rows), public_rows, statement)


async def situation(session: AsyncSession, account: Account, request: Request) -> Facts:
    """Attestation de situation, only while the registration is INSCRIT (a candidat without a
    registration row, from before it existed, keeps the dossier-based attestation)."""
    registration = await session.scalar(
        select(Registration).where(Registration.account_id == account.id)
    )
    if registration is not None and registration.state != RegistrationState.INSCRIT:
        ended = "a été radiée" if registration.state == RegistrationState.RADIE else "a cessé"
        raise attestation_sources.unavailable(
            f"Votre inscription comme demandeur d'emploi {ended} : réinscrivez-vous pour "
            "obtenir une attestation de situation."
        )
    return await attestation_sources.situation(session, account, request)


def wire(runtime: Runtime) -> None:
    """Plug the parts together for this runtime (idempotent)."""
    if pay_month not in on_declaration_accepted:
        on_declaration_accepted.append(pay_month)
    sources = sources_for(runtime)
    payment_sources(sources, payments_made)
    sources.register(AttestationKind.HISTORIQUE_INSCRIPTIONS, registration_history)
    sources.register(AttestationKind.SITUATION, situation)
