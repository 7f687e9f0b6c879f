"""Matching a published offer against every alert, percolator-style (never one query per
alert): one indexed lookup of the offer's keys in ``alert_keys`` gives the candidate alerts
(only those whose dossier e-mail is confirmed), ``criteria_matches`` checks each in Python,
and the matches are stored, told on the dashboard (pushed live after commit) and, for
instant alerts, mailed through the outbox, all in the caller's transaction.

An offer matches an alert once: a republished or edited offer never sends it again
(``alert_matches`` is unique per alert and offer).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from ground.notifications import account_channel, queue_notification
from models.alerts import Alert, AlertFrequency, AlertKey, AlertMatch
from models.base import utcnow
from models.dashboard import Event, EventKind
from models.dossiers import Dossier
from models.offers import Offer, OfferStatus
from resolvers.alerts.keys import offer_keys, offer_stems
from resolvers.alerts.mail import enqueue_alert_mail
from resolvers.offers.criteria import OfferCriteria
from resolvers.offers.explain import criteria_matches

if TYPE_CHECKING:
    from ground.runtime import Runtime
    from refdata import ReferenceData

SUBJECT = "offer"


@dataclass(frozen=True, slots=True)
class Candidate:
    """An alert found through the index, with what a match needs."""

    alert_id: int
    account_id: int
    name: str
    criteria: dict[str, Any]
    frequency: str


async def candidates(session: AsyncSession, offer: Offer) -> list[Candidate]:
    """The active alerts filed under one of the offer's keys (a superset of the matches)."""
    keys = offer_keys(offer)
    found = (
        select(AlertKey.alert_id)
        .where(AlertKey.key.in_(bindparam("keys", expanding=True)))
        .distinct()
        .scalar_subquery()
    )
    stmt = (
        select(Alert.id, Alert.account_id, Alert.name, Alert.criteria, Alert.frequency)
        .join(Dossier, Dossier.id == Alert.dossier_id)
        .where(
            Alert.id.in_(found),
            Dossier.email.is_not(None),
            Dossier.email_confirmed_at.is_not(None),
        )
    )
    rows = (await session.execute(stmt, {"keys": keys})).all()
    return [Candidate(*row) for row in rows]


async def find_matches(
    session: AsyncSession, ref: ReferenceData, offer: Offer, now: datetime
) -> list[Candidate]:
    """The active alerts that ``offer`` matches (read only)."""
    if offer.status != OfferStatus.PUBLISHED:
        return []
    found = await candidates(session, offer)
    stem_set = offer_stems(offer)
    return [
        c
        for c in found
        if criteria_matches(ref, OfferCriteria.from_json(c.criteria), offer, now, stem_set)
    ]


def _insert_ignoring_duplicates(session: AsyncSession) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return pg_insert(AlertMatch).on_conflict_do_nothing()
    return sqlite_insert(AlertMatch).on_conflict_do_nothing()


async def _store(
    session: AsyncSession, offer: Offer, matched: Sequence[Candidate], now: datetime
) -> list[Candidate]:
    """Insert the matches; returns the ones that are new (never matched before)."""
    if not matched:
        return []
    stmt = _insert_ignoring_duplicates(session).returning(AlertMatch.alert_id)
    rows = [{"alert_id": c.alert_id, "offer_id": offer.id, "matched_at": now} for c in matched]
    new_ids = set((await session.execute(stmt, rows)).scalars().all())
    return [c for c in matched if c.alert_id in new_ids]


async def _record_events(
    session: AsyncSession, offer: Offer, matched: Sequence[Candidate], now: datetime
) -> None:
    """One ALERT_MATCHED event per match, in one statement, pushed after commit."""
    accounts = sorted({c.account_id for c in matched})
    if session.get_bind().dialect.name == "postgresql":
        # record_event's per-account lock (ids commit in order), in account order.
        await session.execute(
            text(
                "SELECT pg_advisory_xact_lock(hashtextextended('events:' || a, 0)) "
                "FROM unnest(CAST(:ids AS bigint[])) AS a ORDER BY a"
            ),
            {"ids": accounts},
        )
    values = [
        {
            "account_id": c.account_id,
            "kind": EventKind.ALERT_MATCHED.value,
            "occurred_at": now,
            "payload": {
                "name": c.name,
                "alertId": c.alert_id,
                "offer": offer.intitule,
                "number": offer.number,
            },
            "subject_type": SUBJECT,
            "subject_id": offer.id,
        }
        for c in sorted(matched, key=lambda c: c.account_id)
    ]
    result = await session.execute(insert(Event).returning(Event.id, Event.account_id), values)
    for event_id, account_id in result.all():
        queue_notification(
            session,
            account_channel(account_id),
            {"type": "event", "id": event_id, "kind": EventKind.ALERT_MATCHED.value},
        )


async def _mail_instant(
    session: AsyncSession, runtime: Runtime, offer: Offer, matched: Sequence[Candidate]
) -> None:
    instant = [c for c in matched if c.frequency == AlertFrequency.INSTANT]
    if not instant:
        return
    ids = [c.alert_id for c in instant]
    rows = (
        await session.execute(
            select(Alert, Dossier)
            .join(Dossier, Dossier.id == Alert.dossier_id)
            .where(Alert.id.in_(ids))
        )
    ).all()
    for alert, dossier in rows:
        await enqueue_alert_mail(session, runtime, alert, dossier, [offer], 1)
    now = utcnow()
    await session.execute(
        update(AlertMatch)
        .where(AlertMatch.offer_id == offer.id, AlertMatch.alert_id.in_(ids))
        .values(sent_at=now)
    )
    await session.execute(update(Alert).where(Alert.id.in_(ids)).values(last_sent_at=now))


async def match_offer(session: AsyncSession, runtime: Runtime, offer: Offer) -> int:
    """Match a just-published (or changed) offer against every alert, in the caller's
    transaction; returns how many alerts it newly matched."""
    now = utcnow()
    matched = await find_matches(session, runtime.refdata, offer, now)
    new = await _store(session, offer, matched, now)
    if new:
        await _record_events(session, offer, new, now)
        await _mail_instant(session, runtime, offer, new)
    return len(new)
