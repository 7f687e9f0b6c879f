"""The bearer token's session check is served from a few seconds' in-process cache
(``ESPACE_SESSION_CACHE_SECONDS``): the statement is spared, but sign-out, revocation,
account changes and expiry take effect at once. Both backends; across processes in
tests/server/test_session_cache_scale_out.py."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, update

from models.base import utcnow
from models.identity import AuthSession
from resolvers.core.tokens import hash_token
from tests.conftest import LiveServer
from tests.support.accounts import sign_in_candidate, sign_up_candidate, write_session
from tests.support.client import GraphQL

VIEWER = "query Me { viewer { kind identifiant } }"
LAST_VISIT = "{ viewer { dashboard { lastVisitAt } } }"
VISIT = "mutation { dashboardVisit { userErrors { code } } }"
SESSION_REVOKE = "mutation { sessionRevoke { revokedCount userErrors { code } } }"
SESSION_REVOKE_ALL = """
mutation ($input: SessionRevokeAllInput) {
  sessionRevokeAll(input: $input) { revokedCount userErrors { code } }
}
"""
PASSWORD_CHANGE = """
mutation ($input: PasswordChangeInput!) {
  passwordChange(input: $input) { userErrors { field code } }
}
"""


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    # Long enough that only invalidation or expiry, never the cache's own age, ends an entry.
    return {"session_cache_seconds": 60}


@contextmanager
def session_lookups(server: LiveServer) -> Iterator[list[str]]:
    """The statements that read the sessions table meanwhile."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        text = " ".join(statement.split())
        if text.startswith("SELECT") and "FROM sessions" in text:
            seen.append(text)

    engine = server.runtime.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


async def move_session(server: LiveServer, token: str, **values: Any) -> None:
    """Change a session row in SQL, as another tool would: no invalidation is published."""
    key = hash_token(server.settings.secret_key, token)
    async with write_session(server) as session:
        await session.execute(
            update(AuthSession).where(AuthSession.token_hash == key).values(**values)
        )


async def test_a_known_token_is_checked_without_a_statement(
    server: LiveServer, api: GraphQL
) -> None:
    candidate = await sign_up_candidate(api)
    with session_lookups(server) as first:
        assert (await api(VIEWER, token=candidate.token))["viewer"]["kind"] == "CANDIDAT"
    with session_lookups(server) as then:
        for _ in range(3):
            viewer = (await api(VIEWER, token=candidate.token))["viewer"]
            assert viewer == {"kind": "CANDIDAT", "identifiant": candidate.identifiant}
    assert len(first) <= 1  # the sign-up's request may have cached it already
    assert then == []
    # an unknown token is never cached: each asks the database, and is refused
    with session_lookups(server) as unknown:
        for _ in range(2):
            assert (await api(VIEWER, token="inconnu" + candidate.token))["viewer"] is None
    assert len(unknown) == 2


async def test_sign_out_refuses_the_cached_token_at_once(server: LiveServer, api: GraphQL) -> None:
    candidate = await sign_up_candidate(api)
    assert (await api(VIEWER, token=candidate.token))["viewer"] is not None
    data = await api(SESSION_REVOKE, token=candidate.token)
    assert data["sessionRevoke"] == {"revokedCount": 1, "userErrors": []}
    assert (await api(VIEWER, token=candidate.token))["viewer"] is None


async def test_revoke_all_and_password_change_end_the_other_cached_sessions_at_once(
    server: LiveServer, api: GraphQL
) -> None:
    candidate = await sign_up_candidate(api)
    pc, cp = candidate.identifiant, candidate.password
    tokens = [candidate.token] + [
        (await sign_in_candidate(api, pc, cp, "22200"))["token"] for _ in range(3)
    ]
    for token in tokens:  # every check is cached
        assert (await api(VIEWER, token=token))["viewer"] is not None
    data = await api(SESSION_REVOKE_ALL, {"input": {"keepCurrent": True}}, token=tokens[3])
    assert data["sessionRevokeAll"] == {"revokedCount": 3, "userErrors": []}
    assert [(await api(VIEWER, token=t))["viewer"] is None for t in tokens] == [
        True,
        True,
        True,
        False,
    ]
    # a password change ends every other session, the cached ones too
    fresh = (await sign_in_candidate(api, pc, cp, "22200"))["token"]
    assert (await api(VIEWER, token=fresh))["viewer"] is not None
    new_password = "Un tout autre mot de passe 2026 !"
    data = await api(
        PASSWORD_CHANGE,
        {"input": {"currentPassword": cp, "newPassword": new_password}},
        token=tokens[3],
    )
    assert data["passwordChange"]["userErrors"] == []
    assert (await api(VIEWER, token=fresh))["viewer"] is None
    assert (await api(VIEWER, token=tokens[3]))["viewer"] is not None


async def test_a_change_to_the_account_shows_at_once(server: LiveServer, api: GraphQL) -> None:
    candidate = await sign_up_candidate(api)
    before = await api(LAST_VISIT, token=candidate.token)
    assert before["viewer"]["dashboard"]["lastVisitAt"] is None
    assert (await api(VISIT, token=candidate.token))["dashboardVisit"]["userErrors"] == []
    after = await api(LAST_VISIT, token=candidate.token)
    assert after["viewer"]["dashboard"]["lastVisitAt"] is not None


async def test_the_cached_check_never_outlives_the_session_expiry(
    server: LiveServer, api: GraphQL
) -> None:
    candidate = await sign_up_candidate(api)
    await move_session(server, candidate.token, expires_at=utcnow() + timedelta(seconds=1.5))
    server.runtime.session_cache.clear()  # forget what the sign-up may have cached
    assert (await api(VIEWER, token=candidate.token))["viewer"] is not None
    with session_lookups(server) as lookups:
        assert (await api(VIEWER, token=candidate.token))["viewer"] is not None
    assert lookups == []  # served from the cache
    await asyncio.sleep(1.6)
    assert (await api(VIEWER, token=candidate.token))["viewer"] is None


@pytest.mark.parametrize(
    "settings_overrides", [{"session_cache_seconds": 60, "session_idle_minutes": 1}]
)
async def test_the_cached_check_never_outlives_the_idle_expiry(
    server: LiveServer, api: GraphQL
) -> None:
    candidate = await sign_up_candidate(api)
    # last seen 58.5 s ago: under a minute, so no request moves it on before it lapses
    seen = utcnow() - timedelta(seconds=58.5)
    await move_session(server, candidate.token, last_seen_at=seen)
    server.runtime.session_cache.clear()
    assert (await api(VIEWER, token=candidate.token))["viewer"] is not None
    with session_lookups(server) as lookups:
        assert (await api(VIEWER, token=candidate.token))["viewer"] is not None
    assert lookups == []  # served from the cache
    await asyncio.sleep(max(0.0, (seen + timedelta(minutes=1) - utcnow()).total_seconds()) + 0.1)
    assert (await api(VIEWER, token=candidate.token))["viewer"] is None


@pytest.mark.parametrize("settings_overrides", [{"session_cache_seconds": 0}])
async def test_zero_seconds_turns_the_cache_off(server: LiveServer, api: GraphQL) -> None:
    candidate = await sign_up_candidate(api)
    with session_lookups(server) as lookups:
        for _ in range(3):
            assert (await api(VIEWER, token=candidate.token))["viewer"] is not None
    assert len(lookups) == 3
    assert len(server.runtime.session_cache) == 0
