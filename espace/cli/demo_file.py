"""The demo candidat's unemployment file (« Mon dossier de demandeur d'emploi »), made by
the product's own code with the runtime's clock moved back month by month: registered and
with ARE rights open 8 months ago, a bank account, the 6 latest months declared through
``actualisationSubmit``'s code, each month's payment computed by the rules module and made
by the payment run, letters (the notification of rights read, the others unread; their
PDFs are drawn by the letter code on download) and an appointment with the demo adviser
next week. The clock is given back as it was, even on failure."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from ground.runtime import Runtime
from models.agenda import Modality
from models.identity import Account
from models.indemnisation import AllowanceKind, Payment, RightsState
from models.letters import LetterKind
from models.registration import Registration, RegistrationChange
from resolvers.actualisation.answers import Answers, EmployerAnswer
from resolvers.actualisation.submit import submit
from resolvers.actualisation.windows import default_bounds, previous_month
from resolvers.agenda.form import AppointmentForm
from resolvers.agenda.manage import schedule
from resolvers.bank.accounts import change_account
from resolvers.core.unit_of_work import RuntimeWork
from resolvers.file_wiring import wire
from resolvers.indemnisation.payrun import pay_due
from resolvers.indemnisation.rights import RightsForm, open_rights
from resolvers.letters.issue import LetterText, issue_letter
from resolvers.letters.reads import open_letter

PARIS = ZoneInfo("Europe/Paris")
DAILY_NET_RATE = "38,45"  # € a day: ARE after a 1 900 € gross monthly salary (fictional)
REFERENCE_SALARY = "2 000"
DAYS_GRANTED = 730
IBAN = "FR76 3000 4000 0312 3456 7890 143"
BIC = "BNPAFRPP"
DECLARED_MONTHS = 6
NO = Answers(
    still_looking=True,
    worked=False,
    training=False,
    sick=False,
    maternity=False,
    retirement=False,
    invalidity=False,
)


def months_ago(day: date, months: int) -> date:
    """The same day ``months`` months earlier (the 28th at most)."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, min(day.day, 28))


def declared_periods(now: datetime) -> list[date]:
    """The latest months whose window had been open a day and a half at ``now``, oldest
    first."""
    period = now.astimezone(PARIS).date().replace(day=1)
    found: list[date] = []
    while len(found) < DECLARED_MONTHS:
        if default_bounds(period)[0] + timedelta(hours=34) <= now:
            found.append(period)
        period = previous_month(period)
    return found[::-1]


def answers_for(n: int, period: date) -> Answers:
    """Some variety: a plain month, three sick days, then a short job at 600 € gross."""
    if n == 2:
        return _with(
            sick=True, sick_start=period + timedelta(days=9), sick_end=period + timedelta(days=11)
        )
    if n == 4:
        job = EmployerAnswer("Boulangerie Exemple (fictive)", 40, Decimal("600"), True)
        return _with(worked=True, employers=[job])
    return NO


def _with(**changes: Any) -> Answers:
    return replace(NO, **changes)


def paris_at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS).astimezone(UTC)


async def seed_file(runtime: Runtime, adviser: Account, candidat: Account, password: str) -> None:
    """The candidat's file, as the banner's accounts show it (see the module's docstring)."""
    wire(runtime)  # declarations compute payments (the server does it at start-up)
    clock = runtime.clock
    pinned = clock.pinned()
    now = clock.now()
    work = RuntimeWork(runtime)
    try:
        start = months_ago(now.astimezone(PARIS).date(), 8)
        clock.set(paris_at(start, 10))
        await _register_and_open(work, runtime, adviser, candidat, start, password)
        for n, period in enumerate(declared_periods(now)):
            clock.set(default_bounds(period)[0] + timedelta(hours=34))
            async with work.write() as session:
                row = await session.get(Account, candidat.id)
                assert row is not None
                await submit(session, runtime, row, answers_for(n, period), False)
                paid_on = await session.scalar(
                    select(Payment.paid_on)
                    .where(Payment.account_id == candidat.id)
                    .order_by(Payment.id.desc())
                    .limit(1)
                )
            assert paid_on is not None
            clock.set(paris_at(paid_on, 0, 30))
            await pay_due(runtime, clock.now())
        async with work.write() as session:
            await issue_letter(
                session,
                runtime,
                candidat.id,
                LetterKind.AVIS_PAIEMENT,
                LetterText(
                    (
                        "Votre allocation du mois dernier a été versée sur votre compte.",
                        "Le détail de chaque paiement figure dans « Mes allocations ».",
                    )
                ),
            )
        clock.set(pinned)
        await _appointment(work, runtime, adviser, candidat)
    finally:
        clock.set(pinned)
        await work.close()


async def _register_and_open(
    work: RuntimeWork,
    runtime: Runtime,
    adviser: Account,
    candidat: Account,
    start: date,
    password: str,
) -> None:
    """Registered (and indemnified) since ``start``; the bank account; the notification of
    rights, already read."""
    async with work.write() as session:
        await session.execute(
            update(Registration)
            .where(Registration.account_id == candidat.id)
            .values(registered_on=start)
        )
        await session.execute(
            update(RegistrationChange)
            .where(RegistrationChange.account_id == candidat.id)
            .values(effective_on=start, at=runtime.clock.now())
        )
        form = RightsForm(
            identifiant=candidat.identifiant or "",
            state=RightsState.OUVERT,
            kind=AllowanceKind.ARE,
            daily_net_rate=DAILY_NET_RATE,
            start_date=start,
            days_granted=DAYS_GRANTED,
            reference_salary=REFERENCE_SALARY,
        )
        await open_rights(session, adviser, form, runtime.clock.now())
        letter = await issue_letter(
            session,
            runtime,
            candidat.id,
            LetterKind.NOTIFICATION_DROITS,
            LetterText(
                (
                    f"Vos droits à l'allocation d'aide au retour à l'emploi (ARE) sont ouverts "
                    f"à compter du {start:%d/%m/%Y}, pour {DAYS_GRANTED} jours.",
                    f"Votre allocation journalière nette est de {DAILY_NET_RATE} €.",
                ),
                adviser.display_name or "Votre conseiller",
            ),
            issued_by=adviser,
        )
        await open_letter(session, candidat.id, letter.id, runtime.clock.now())
    await change_account(
        work,
        runtime,
        candidat,
        iban=IBAN,
        bic=BIC,
        holder="Camille Exemple",
        current_password=password,
    )


async def _appointment(
    work: RuntimeWork, runtime: Runtime, adviser: Account, candidat: Account
) -> None:
    """Next week, same weekday, 10:00 in the agency; its convocation letter, unread."""
    day = runtime.clock.now().astimezone(PARIS).date() + timedelta(days=7)
    starts_at = paris_at(day, 10)
    async with work.write() as session:
        await schedule(
            session,
            runtime,
            adviser,
            candidat.identifiant,
            AppointmentForm(
                theme="Point sur votre recherche d'emploi",
                starts_at=starts_at,
                duration_minutes=45,
                modality=Modality.AGENCE,
                comment="Apportez votre CV à jour.",
            ),
        )
        await issue_letter(
            session,
            runtime,
            candidat.id,
            LetterKind.CONVOCATION,
            LetterText(
                (
                    f"Vous êtes convoqué(e) le {day:%d/%m/%Y} à 10 h 00 à votre agence, pour "
                    "un point sur votre recherche d'emploi.",
                    "Apportez votre CV à jour.",
                ),
                adviser.display_name or "Votre conseiller",
            ),
            issued_by=adviser,
        )
