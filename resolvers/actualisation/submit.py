"""Submitting the monthly declaration (once per month) and correcting it while its window
is open. Each version is kept; each gives a receipt (number, « enregistrée le … à … ») by
mail and as a PDF, a dashboard event, and tells the subscribers of ``facts``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ground.runtime import Runtime
from models.actualisation import Actualisation, ActualisationVersion, ActualisationWindow
from models.dashboard import EventKind
from models.identity import Account, AccountKind
from models.registration import Registration, RegistrationState
from resolvers.actualisation.answers import Answers, check_answers
from resolvers.actualisation.facts import declaration_accepted
from resolvers.actualisation.receipt import receipt_number, registered_parts
from resolvers.actualisation.windows import (
    day_label,
    ensure_windows,
    open_window,
    period_label,
    periods_around,
    window_sentence,
)
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.owners import owned_by
from resolvers.dashboard.events import record_event
from resolvers.registration.manage import contact_emails

MAX_ID = 2**63 - 1
PREFIX = "Je m'actualise "

MAX_VERSIONS_SHOWN = 20
"""``Actualisation.versions`` lists at most this many (the latest), for the cost bound."""


async def submit(
    session: AsyncSession, runtime: Runtime, account: Account, answers: Answers, correcting: bool
) -> Actualisation:
    """Record (or, with ``correcting``, correct) the declaration of the open window."""
    now = runtime.clock.now()
    registration = await _registered(session, account)
    windows = await ensure_windows(session, periods_around(now))
    window = open_window(list(windows.values()), now, registration.registered_on)
    if window is None:
        raise DomainError.single(
            None,
            ErrorCode.WINDOW_CLOSED,
            "Aucune période d'actualisation n'est ouverte. " + _next_sentence(windows, now),
        )
    stored = check_answers(answers, window.period)
    row = await session.scalar(
        select(Actualisation)
        .where(Actualisation.account_id == account.id, Actualisation.period == window.period)
        .with_for_update()
    )
    if row is None and correcting:
        raise DomainError.single(
            None, ErrorCode.NOT_FOUND, "Vous ne vous êtes pas encore actualisé(e) pour ce mois."
        )
    if row is not None and not correcting:
        raise _already(window.period)
    if row is None:
        row = await _first(session, account.id, window.period, stored, now)
    else:
        row.version += 1
        row.answers = stored
        row.submitted_at = now
        row.number = receipt_number(account.id, row.period, row.version)
    session.add(
        ActualisationVersion(
            actualisation_id=row.id, version=row.version, answers=stored, submitted_at=now
        )
    )
    await session.flush()
    kind = EventKind.ACTUALISATION_CORRECTED if correcting else EventKind.ACTUALISATION_SUBMITTED
    label = period_label(row.period)
    await record_event(
        session,
        account.id,
        kind,
        {"name": label, "statusLabel": row.number},
        "actualisation",
        row.id,
    )
    to = (await contact_emails(session, [registration])).get(account.id)
    if to is not None:
        day, hour = registered_parts(now)
        await runtime.mailer.enqueue(
            session,
            to=to,
            template="actualisation_receipt",
            context={
                "period": label,
                "number": row.number,
                "day": day,
                "time": hour,
                "version": row.version,
                "correction": correcting,
                "closes": day_label(window.closes_at - timedelta(seconds=1)),
            },
        )
    await declaration_accepted(session, row, now)
    return row


async def _registered(session: AsyncSession, account: Account) -> Registration:
    if account.kind != AccountKind.CANDIDAT:
        raise DomainError.single(
            None, ErrorCode.FORBIDDEN, "Seuls les demandeurs d'emploi s'actualisent."
        )
    found = await session.scalar(select(Registration).where(Registration.account_id == account.id))
    if found is None or found.state != RegistrationState.INSCRIT:
        raise DomainError.single(
            None,
            ErrorCode.NOT_REGISTERED,
            "Vous n'êtes pas inscrit(e) comme demandeur d'emploi : réinscrivez-vous d'abord.",
        )
    return found


async def _first(
    session: AsyncSession, account_id: int, period: date, stored: dict[str, object], now: datetime
) -> Actualisation:
    row = Actualisation(
        account_id=account_id,
        period=period,
        number=receipt_number(account_id, period, 1),
        version=1,
        answers=stored,
        first_submitted_at=now,
        submitted_at=now,
    )
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError:  # the same month sent twice at once: one of them wins
        raise _already(period) from None
    return row


def _already(period: date) -> DomainError:
    return DomainError.single(
        None,
        ErrorCode.ALREADY_DECLARED,
        f"Vous vous êtes déjà actualisé(e) pour {period_label(period)} : corrigez votre "
        "déclaration si besoin.",
    )


def _next_sentence(windows: dict[date, ActualisationWindow], now: datetime) -> str:
    ahead = sorted((w for w in windows.values() if w.opens_at > now), key=lambda w: w.opens_at)
    if not ahead:
        return ""
    return f"Prochaine période : {window_sentence(ahead[0]).removeprefix(PREFIX)}."


def actualisations_select(account_id: int) -> Select[Actualisation]:
    """The candidat's declarations (keyset by id: it grows with the period for one account)."""
    return select(Actualisation).where(owned_by(Actualisation, account_id))


async def actualisations_by_ids(
    session: AsyncSession, account_id: int, ids: Sequence[int]
) -> dict[int, Actualisation]:
    """The account's own declarations among ``ids``; others are not found."""
    if not ids:
        return {}
    rows = await session.scalars(
        select(Actualisation).where(owned_by(Actualisation, account_id), Actualisation.id.in_(ids))
    )
    return {r.id: r for r in rows}


async def versions_of(
    session: AsyncSession, ids: Sequence[int]
) -> dict[int, list[ActualisationVersion]]:
    """Each declaration's versions, oldest first (batched)."""
    found: dict[int, list[ActualisationVersion]] = {i: [] for i in ids}
    if ids:
        rows = await session.scalars(
            select(ActualisationVersion)
            .where(ActualisationVersion.actualisation_id.in_(ids))
            .order_by(ActualisationVersion.actualisation_id, ActualisationVersion.version)
        )
        for r in rows:
            found[r.actualisation_id].append(r)
    return found


async def has_declared(session: AsyncSession, account_id: int, period: date) -> bool:
    """Whether the account has declared the month."""
    found = await session.scalar(
        select(Actualisation.id).where(
            Actualisation.account_id == account_id, Actualisation.period == period
        )
    )
    return found is not None
