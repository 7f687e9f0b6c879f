"""Issue 12's budget: the full dashboard, with « Mes actions » and « Mon dossier de demandeur
d'emploi » (bench.queries.FULL_DASHBOARD) and as it was before them (FULL_DASHBOARD_BEFORE),
is compiled into ONE statement,
the token's session check served from the cache; the interpreter, on the same database,
answers the same in two (the home lists, then the tableau de bord; one for an employer)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from bench.queries import FULL_DASHBOARD, FULL_DASHBOARD_BEFORE
from tests.compiled.support import reads_of, twin_server
from tests.conftest import LiveServer
from tests.dashboard.test_sql import CACHED_CHECKS, busy_candidat, counted, parts_alone, seen
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL, MailCatcher
from tests.support.dossiers import create_dossier


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return CACHED_CHECKS


@pytest.mark.parametrize("document", [FULL_DASHBOARD_BEFORE, FULL_DASHBOARD])
async def test_the_full_dashboard_is_one_statement(
    document: str,
    server: LiveServer,
    api: GraphQL,
    http: httpx.AsyncClient,
    smtp: MailCatcher,
    reference_data: Any,
) -> None:
    # Given a candidat with one dossier, one who holds a lot (unread messages, a pending
    # proposal, events of many kinds), and the employer who wrote to them
    newcomer = await sign_up_candidate(api)
    await create_dossier(api, newcomer.token)
    busy = await busy_candidat(api, http, smtp)
    tokens = [newcomer.token, busy.candidate.token, busy.employer.token]
    await seen(api, *tokens)
    compiled = reads_of(server).counts["compiled"]

    # When each asks for the full dashboard (tokens seen: checked from the cache)
    answers, costs = [], []
    for token in tokens:
        with counted(server) as statements:
            answers.append((await api(document, token=token))["viewer"])
        costs.append(len(statements))

    # Then each costs one statement, which the compiled path ran
    assert costs == [1, 1, 1]
    assert reads_of(server).counts["compiled"] - compiled == 3
    # And it holds what the candidat holds: the dashboard's parts as each field says alone
    busy_board = answers[1]["dashboard"]
    assert (busy_board["unreadMessages"], busy_board["pendingProposals"]) == (1, 1)
    assert len(busy_board["events"]["edges"]) == 20
    assert busy_board["newSinceLastVisit"]["applications"] == 3
    alone = await parts_alone(api, busy.candidate.token)
    for name in ("newSinceLastVisit", "unreadMessages", "pendingProposals"):
        assert busy_board[name] == alone[name]
    scores = [
        c["node"]["completeness"]["score"]
        for d in answers[1]["dossiers"]["edges"]
        for c in d["node"]["cvs"]["edges"]
    ]
    assert len(scores) == 9 and all(s > 0 for s in scores)

    # And the interpreter, on the same database, answers the same in two statements (the
    # employer's in one: it has no home lists)
    interpreted = []
    async for twin in twin_server(server, reference_data):
        async with httpx.AsyncClient(base_url=twin.url, timeout=30) as client:
            interpreter = GraphQL(client)
            await seen(interpreter, *tokens)
            for token, answer in zip(tokens, answers, strict=True):
                with counted(twin) as statements:
                    again = (await interpreter(document, token=token))["viewer"]
                assert again == answer
                interpreted.append(len(statements))
    assert interpreted == [2, 2, 1]
