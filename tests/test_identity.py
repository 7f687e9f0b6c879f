"""Accounts and sessions: sign-up, sign-in, sign-out, throttling, password policy."""

from __future__ import annotations

from tests.accounts import VIEWER, sign_up_candidate
from tests.support import GraphQL, MailCatcher, text_part


async def test_smoke(api: GraphQL, smtp: MailCatcher) -> None:
    candidate = await sign_up_candidate(api, email="a@exemple.fr")
    data = await api(VIEWER, token=candidate.token)
    assert data["viewer"]["identifiant"] == candidate.identifiant
    [msg] = await smtp.wait_for(1, to="a@exemple.fr")
    print(msg["Subject"], text_part(msg))
