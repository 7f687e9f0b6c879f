"""Daily and weekly digests: one mail per alert with the offers matched since its last mail.

A run walks the alerts of one frequency that have unsent matches, in id order and in
batches; each batch is one transaction that enqueues its mails and marks its matches sent,
so a digest never repeats an offer, and a run stopped halfway resumes where it stopped.
Offers closed or paused since they matched are left out (and marked, so never sent later).
Alerts whose e-mail is unconfirmed (suspended) keep their matches for when they resume.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select, update

from ground.db import begin_write
from models.alerts import Alert, AlertFrequency, AlertMatch
from models.dossiers import Dossier
from models.offers import Offer, OfferStatus
from resolvers.alerts.mail import MAX_LISTED, enqueue_alert_mail

if TYPE_CHECKING:
    from ground.runtime import Runtime

BATCH = 500


@dataclass(frozen=True, slots=True)
class DigestReport:
    """What a run did."""

    frequency: AlertFrequency
    alerts: int
    mails: int
    offers: int


async def _due_alerts(runtime: Runtime, frequency: AlertFrequency, after: int) -> list[int]:
    async with runtime.read_sessionmaker() as session:
        stmt = (
            select(AlertMatch.alert_id)
            .join(Alert, Alert.id == AlertMatch.alert_id)
            .join(Dossier, Dossier.id == Alert.dossier_id)
            .where(
                AlertMatch.sent_at.is_(None),
                AlertMatch.alert_id > after,
                Alert.frequency == frequency.value,
                Dossier.email_confirmed_at.is_not(None),
                Dossier.email.is_not(None),
            )
            .group_by(AlertMatch.alert_id)
            .order_by(AlertMatch.alert_id)
            .limit(BATCH)
        )
        return list((await session.scalars(stmt)).all())


async def _send_batch(runtime: Runtime, ids: list[int], now: datetime) -> tuple[int, int]:
    """Enqueue one mail per alert of ``ids``; returns (mails, offers listed)."""
    mails = listed = 0
    async with runtime.sessionmaker() as session, session.begin():
        await begin_write(session)
        pending = (
            await session.execute(
                select(AlertMatch.alert_id, Offer)
                .join(Offer, Offer.id == AlertMatch.offer_id)
                .where(
                    AlertMatch.alert_id.in_(ids),
                    AlertMatch.sent_at.is_(None),
                    AlertMatch.matched_at <= now,
                    Offer.status == OfferStatus.PUBLISHED.value,
                )
                .order_by(AlertMatch.alert_id, AlertMatch.id.desc())
            )
        ).all()
        offers: dict[int, list[Offer]] = defaultdict(list)
        for alert_id, offer in pending:
            offers[alert_id].append(offer)
        rows = (
            await session.execute(
                select(Alert, Dossier)
                .join(Dossier, Dossier.id == Alert.dossier_id)
                .where(Alert.id.in_(list(offers)))
            )
        ).all()
        for alert, dossier in rows:
            if dossier.email is None or dossier.email_confirmed_at is None:
                continue
            found = offers[alert.id]
            await enqueue_alert_mail(session, runtime, alert, dossier, found, len(found))
            mails += 1
            listed += min(len(found), MAX_LISTED)
        await session.execute(
            update(AlertMatch)
            .where(
                AlertMatch.alert_id.in_(ids),
                AlertMatch.sent_at.is_(None),
                AlertMatch.matched_at <= now,
            )
            .values(sent_at=now)
        )
        await session.execute(
            update(Alert).where(Alert.id.in_(list(offers))).values(last_sent_at=now)
        )
    return mails, listed


async def run_digest(runtime: Runtime, frequency: AlertFrequency, now: datetime) -> DigestReport:
    """Send the digests of ``frequency`` for every match up to ``now``."""
    assert frequency != AlertFrequency.INSTANT
    after = 0
    alerts = mails = offers = 0
    while True:
        ids = await _due_alerts(runtime, frequency, after)
        if not ids:
            break
        sent, listed = await _send_batch(runtime, ids, now)
        alerts += len(ids)
        mails += sent
        offers += listed
        after = ids[-1]
    return DigestReport(frequency, alerts, mails, offers)
