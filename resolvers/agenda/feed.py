"""The candidat's private calendar feed: a secret URL that phone calendars subscribe to.

The token is random (256 bits), shown once, and stored only as its HMAC. A new feed
revokes the previous one; revoking stops every calendar that subscribed to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.agenda import Appointment, CalendarFeed, Workshop, WorkshopRegistration
from models.identity import Account, AccountKind
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.tokens import hash_token, new_token

FEED_PATH = "/agenda/flux/{token}.ics"
FEED_PAST = timedelta(days=31)
FEED_MAX = 500


def _candidat_only(account: Account) -> None:
    if account.kind != AccountKind.CANDIDAT:
        raise DomainError.single(
            None, ErrorCode.WRONG_ACCOUNT_KIND, "Seuls les candidats ont un agenda à partager."
        )


async def revoke_feeds(session: AsyncSession, account: Account, now: datetime) -> int:
    """Revoke the account's feed; returns how many were active."""
    _candidat_only(account)
    result = await session.execute(
        update(CalendarFeed)
        .where(CalendarFeed.account_id == account.id, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=now)
        .returning(CalendarFeed.id)
    )
    return len(result.all())


async def create_feed(
    session: AsyncSession, account: Account, secret_key: str, now: datetime
) -> str:
    """A new feed token (the previous feed stops working)."""
    await revoke_feeds(session, account, now)
    token = new_token()
    session.add(
        CalendarFeed(
            account_id=account.id, token_hash=hash_token(secret_key, token), created_at=now
        )
    )
    await session.flush()
    return token


async def feed_appointments(
    session: AsyncSession, secret_key: str, token: str, now: datetime
) -> Sequence[Appointment | Workshop] | None:
    """The appointments and registered workshops a live feed token shows (from a month ago
    on); None for a token that is unknown or revoked."""
    account_id = await session.scalar(
        select(CalendarFeed.account_id).where(
            CalendarFeed.token_hash == hash_token(secret_key, token),
            CalendarFeed.revoked_at.is_(None),
        )
    )
    if account_id is None:
        return None
    rows = await session.scalars(
        select(Appointment)
        .where(Appointment.account_id == account_id, Appointment.starts_at >= now - FEED_PAST)
        .order_by(Appointment.starts_at, Appointment.id)
        .limit(FEED_MAX)
    )
    workshops = await session.scalars(
        select(Workshop)
        .join(WorkshopRegistration, WorkshopRegistration.workshop_id == Workshop.id)
        .where(WorkshopRegistration.account_id == account_id, Workshop.starts_at >= now - FEED_PAST)
        .order_by(Workshop.starts_at, Workshop.id)
        .limit(FEED_MAX)
    )
    return [*rows.all(), *workshops.all()]
