"""Bearer-token sessions: open, look up (with idle and absolute expiry), revoke."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ground.notifications import account_channel, queue_notification
from ground.session_cache import mark_accounts_changed
from ground.settings import Settings
from models.base import utcnow
from models.identity import Account, AuthSession
from resolvers.core.tokens import hash_token, new_token

# last_seen_at is written at most this often, so that reads rarely write.
TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class Viewer:
    """The signed-in account of a request, and the session it came with."""

    account: Account
    session_id: int
    session_expires_at: datetime
    last_seen_at: datetime


async def open_session(
    session: AsyncSession, settings: Settings, account: Account, user_agent: str | None = None
) -> str:
    """Create a session for ``account`` and return its bearer token (shown once)."""
    token = new_token(32)
    now = utcnow()
    session.add(
        AuthSession(
            account_id=account.id,
            token_hash=hash_token(settings.secret_key, token),
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=settings.session_absolute_hours),
            user_agent=(user_agent or "")[:300] or None,
        )
    )
    await session.flush()
    return token


async def viewer_for_token(session: AsyncSession, settings: Settings, token: str) -> Viewer | None:
    """Resolve a bearer token to its viewer, or None when unknown, revoked or expired."""
    return await viewer_for_hash(session, settings, hash_token(settings.secret_key, token))


async def viewer_for_hash(
    session: AsyncSession, settings: Settings, token_hash: str
) -> Viewer | None:
    """``viewer_for_token`` for a token already hashed: one statement."""
    row = (
        await session.execute(
            select(AuthSession, Account)
            .join(Account, Account.id == AuthSession.account_id)
            .where(AuthSession.token_hash == token_hash)
        )
    ).first()
    if row is None:
        return None
    auth, account = row
    now = utcnow()
    idle_limit = auth.last_seen_at + timedelta(minutes=settings.session_idle_minutes)
    if auth.revoked_at is not None or now >= auth.expires_at or now >= idle_limit:
        return None
    return Viewer(
        account=account,
        session_id=auth.id,
        session_expires_at=auth.expires_at,
        last_seen_at=auth.last_seen_at,
    )


# Bound parameters per statement stay well under SQLite's and asyncpg's limits.
LIVE_CHECK_CHUNK = 5000


async def live_session_ids(
    session: AsyncSession, settings: Settings, session_ids: Collection[int]
) -> set[int]:
    """Those of ``session_ids`` still valid (not revoked, not expired, not idle): one query
    per 5,000 ids, for the periodic re-check of every socket of a process."""
    now = utcnow()
    idle_since = now - timedelta(minutes=settings.session_idle_minutes)
    ids = sorted(session_ids)
    live: set[int] = set()
    for start in range(0, len(ids), LIVE_CHECK_CHUNK):
        rows = await session.scalars(
            select(AuthSession.id).where(
                AuthSession.id.in_(ids[start : start + LIVE_CHECK_CHUNK]),
                AuthSession.revoked_at.is_(None),
                AuthSession.expires_at > now,
                AuthSession.last_seen_at > idle_since,
            )
        )
        live.update(rows.all())
    return live


def needs_touch(viewer: Viewer) -> bool:
    return utcnow() - viewer.last_seen_at >= TOUCH_EVERY


async def touch_session(session: AsyncSession, viewer: Viewer) -> None:
    """Move the idle expiry on (called when ``needs_touch``)."""
    await session.execute(
        update(AuthSession).where(AuthSession.id == viewer.session_id).values(last_seen_at=utcnow())
    )


async def revoke_session(session: AsyncSession, session_id: int) -> None:
    """Revoke one session; its live connections are closed once the transaction commits."""
    account_id = await session.scalar(
        update(AuthSession)
        .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .returning(AuthSession.account_id)
    )
    if account_id is not None:
        _announce_revoked(session, account_id, [session_id])


def _announce_revoked(session: AsyncSession, account_id: int, session_ids: list[int]) -> None:
    mark_accounts_changed(session, [account_id])  # cached checks go at once, everywhere
    queue_notification(
        session,
        account_channel(account_id),
        {"type": "sessions_revoked", "session_ids": session_ids},
    )


async def revoke_all_sessions(
    session: AsyncSession, account_id: int, except_session_id: int | None = None
) -> list[int]:
    """Revoke every live session of an account (but one, if given); return the revoked ids."""
    stmt = select(AuthSession.id).where(
        AuthSession.account_id == account_id, AuthSession.revoked_at.is_(None)
    )
    if except_session_id is not None:
        stmt = stmt.where(AuthSession.id != except_session_id)
    ids = list((await session.scalars(stmt)).all())
    if ids:
        await session.execute(
            update(AuthSession).where(AuthSession.id.in_(ids)).values(revoked_at=utcnow())
        )
        _announce_revoked(session, account_id, ids)
    return ids
