"""The bearer-token check, served for a few seconds from the runtime's in-process cache
(``ground.session_cache``, ``ESPACE_SESSION_CACHE_SECONDS``) instead of a statement.

An entry holds the session's facts (id, absolute expiry, last activity) and the account's
column values, so that a hit builds the request's viewer without touching the database.
It is never served past the session's absolute expiry; past its idle limit as this process
knows it, the database is asked again (another process may have moved it on). Committed
changes to the account or its sessions drop the account's entries at once, in every
process: revocations mark them (``resolvers.identity.sessions``), and so does any ORM
change to an ``Account`` or ``AuthSession`` row (listeners below).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapper, make_transient_to_detached, object_session

from ground.runtime import Runtime
from ground.session_cache import mark_accounts_changed
from models.base import utcnow
from models.identity import Account, AuthSession
from resolvers.core.tokens import hash_token
from resolvers.identity.sessions import TOUCH_EVERY, Viewer, viewer_for_hash

COLUMNS = tuple(attr.key for attr in inspect(Account).column_attrs)


@dataclass(frozen=True, slots=True)
class CachedCheck:
    session_id: int
    expires_at: datetime
    last_seen_at: datetime
    account: dict[str, Any]  # the account's loaded column values


async def viewer_of(runtime: Runtime, session: AsyncSession, token: str) -> Viewer | None:
    """The viewer of a bearer token (None when unknown, revoked or expired): from the
    cache when it holds a live check, else from the database (and then cached)."""
    settings = runtime.settings
    cache = runtime.session_cache
    key = hash_token(settings.secret_key, token)
    hit = _live(runtime, key)
    if hit is EXPIRED:
        return None
    if isinstance(hit, CachedCheck):
        return Viewer(
            account=_attach(session, hit.account),
            session_id=hit.session_id,
            session_expires_at=hit.expires_at,
            last_seen_at=hit.last_seen_at,
        )
    generation = cache.generation
    viewer = await viewer_for_hash(session, settings, key)
    if viewer is not None and cache.enabled:
        values = viewer.account.__dict__
        check = CachedCheck(
            session_id=viewer.session_id,
            expires_at=viewer.session_expires_at,
            last_seen_at=viewer.last_seen_at,
            account={name: values[name] for name in COLUMNS if name in values},
        )
        cache.put(key, viewer.account.id, check, generation)
    return viewer


EXPIRED = object()  # a cached check past the session's absolute expiry (dropped)


def _live(runtime: Runtime, key: str) -> CachedCheck | object | None:
    """The cached check of a token hash while it may be served (not past the session's
    absolute expiry nor its idle limit as this process knows it); ``EXPIRED`` when the
    session is over for good; None when the database must be asked."""
    cache = runtime.session_cache
    if not cache.enabled:
        return None
    hit: CachedCheck | None = cache.get(key)
    if hit is None:
        return None
    now = utcnow()
    if now >= hit.expires_at:
        cache.drop(key)
        return EXPIRED
    idle_limit = hit.last_seen_at + timedelta(minutes=runtime.settings.session_idle_minutes)
    return hit if now < idle_limit else None


def cached_account(runtime: Runtime, token: str) -> tuple[int, str] | None:
    """The account id and kind of a token whose check can be served from the cache with
    nothing else to do (no statement, no idle expiry to move on: ``needs_touch`` is false);
    None when the full check must run (``viewer_of``). The compiled reads' fast path
    (``espace.fast_reads``) needs nothing more of the viewer."""
    hit = _live(runtime, hash_token(runtime.settings.secret_key, token))
    if not isinstance(hit, CachedCheck) or utcnow() - hit.last_seen_at >= TOUCH_EVERY:
        return None
    account_id, kind = hit.account.get("id"), hit.account.get("kind")
    return (account_id, kind) if isinstance(account_id, int) and kind is not None else None


def touched(runtime: Runtime, token: str) -> None:
    """The session's idle expiry is being moved on: this process need not do it again
    for a while (``TOUCH_EVERY``)."""
    key = hash_token(runtime.settings.secret_key, token)
    hit = runtime.session_cache.get(key)
    if hit is not None:
        runtime.session_cache.replace(key, dataclasses.replace(hit, last_seen_at=utcnow()))


def _attach(session: AsyncSession, values: dict[str, Any]) -> Account:
    """A fresh ``Account`` of the request's session from cached values, without a
    statement (each request gets its own instance: a resolver may change it)."""
    account = Account(**values)
    make_transient_to_detached(account)
    session.sync_session.add(account)
    return account


def _changed(mapper: Mapper[Any], connection: Any, target: Account | AuthSession) -> None:
    session = object_session(target)
    account_id = target.id if isinstance(target, Account) else target.account_id
    if session is not None and account_id is not None:
        mark_accounts_changed(session, [account_id])


for _model in (Account, AuthSession):
    event.listen(_model, "after_update", _changed)
    event.listen(_model, "after_delete", _changed)
