"""Another account's data is never reachable, on the compiled path as on the interpreter."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from schema.core.base import encode_cursor
from schema.core.ids import decode_global_id
from tests.compiled.file_support import ATTESTATION_REQUEST, declared, issue_letters
from tests.compiled.support import Twins, reads_of, twin_server
from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate, sign_up_employer
from tests.support.agencies import adviser_at, registered_candidate, two_agencies
from tests.support.client import GraphQL, MailCatcher
from tests.support.dossiers import create_dossier

DOSSIERS = """
query ($after: String) {
  viewer { id dossiers(first: 100, after: $after) { totalCount edges { node { id name } } } }
}
"""
NODE = "query ($id: ID!) { node(id: $id) { id ... on Dossier { name } } }"
SIGN_OUT = "mutation { sessionRevoke { revokedCount userErrors { code } } }"


@pytest.fixture
async def twins(
    server: LiveServer, http: httpx.AsyncClient, reference_data: Any
) -> AsyncIterator[Twins]:
    async for twin in twin_server(server, reference_data):
        async with httpx.AsyncClient(base_url=twin.url, timeout=30) as other:
            yield Twins(compiled=http, interpreted=other)


def ids(answer: tuple[int, Any]) -> set[str]:
    body = dict(answer[1])
    viewer = dict(dict(body["data"])["viewer"])
    edges = dict(viewer["dossiers"])["edges"]
    return {dict(dict(e)["node"])["id"] for e in edges}


async def test_only_the_owner_sees_their_dossiers(twins: Twins, api: GraphQL) -> None:
    # Given two candidats with dossiers of their own,
    alice = await sign_up_candidate(api)
    bob = await sign_up_candidate(api)
    mine = {(await create_dossier(api, alice.token, name=f"A{n}"))["id"] for n in range(2)}
    theirs = {(await create_dossier(api, bob.token, name=f"B{n}"))["id"] for n in range(3)}
    # when Alice lists her dossiers on both paths, also from a cursor taken from Bob's list,
    first_of_bob = min(decode_global_id(i, "Dossier") or 0 for i in theirs)
    assert first_of_bob > 0
    for after in (None, encode_cursor(first_of_bob - 1), encode_cursor(0)):
        interpreted, compiled = await twins.both(DOSSIERS, {"after": after}, alice.token)
        # then both paths show hers only, and count hers only.
        assert compiled == interpreted
        assert ids(compiled) <= mine and not ids(compiled) & theirs
        viewer = dict(dict(dict(compiled[1])["data"])["viewer"])
        assert dict(viewer["dossiers"])["totalCount"] == 2
    # A dossier of Bob's by its global ID is not found on either path.
    for dossier_id in theirs:
        interpreted, compiled = await twins.both(NODE, {"id": dossier_id}, alice.token)
        assert compiled == interpreted == (200, [("data", [("node", None)])])


async def test_an_employer_has_no_dossiers(twins: Twins, api: GraphQL) -> None:
    employer = await sign_up_employer(api)
    candidat = await sign_up_candidate(api)
    await create_dossier(api, candidat.token)
    for after in (None, encode_cursor(0)):
        interpreted, compiled = await twins.both(DOSSIERS, {"after": after}, employer.token)
        assert compiled == interpreted
        assert ids(compiled) == set()


async def test_a_revoked_token_reads_nothing(twins: Twins, api: GraphQL) -> None:
    # Given a signed-in candidat with a dossier,
    alice = await sign_up_candidate(api)
    await create_dossier(api, alice.token)
    interpreted, compiled = await twins.both(DOSSIERS, {}, alice.token)
    assert compiled == interpreted and len(ids(compiled)) == 1
    # when she signs out, her token reads nothing on either path.
    await api(SIGN_OUT, token=alice.token)
    interpreted, compiled = await twins.both(DOSSIERS, {}, alice.token)
    assert compiled == interpreted == (200, [("data", [("viewer", None)])])


FILE = """
query ($after: String, $unreadOnly: Boolean = false) {
  viewer {
    letters(first: 100, after: $after, unreadOnly: $unreadOnly) {
      totalCount unreadCount edges { node { id title read downloadUrl } }
    }
    attestations(first: 100, after: $after) { totalCount edges { node { id code } } }
    actualisations(first: 100, after: $after) { totalCount edges { node { id number } } }
  }
}
"""
FILE_NODE = "query ($id: ID!) { node(id: $id) { id ... on Letter { title } } }"


async def test_only_the_owner_sees_their_unemployment_file(
    server: LiveServer, twins: Twins, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given two candidats of the same agency, each with letters and an attestation, Bob
    # with a declaration,
    agencies = await two_agencies(server, api)
    alice = await registered_candidate(api, http, smtp, agencies["GUI01"], "alice@example.org")
    bob = await registered_candidate(api, http, smtp, agencies["GUI01"], "bob@example.org")
    adviser = await adviser_at(server, api, "GUI01")
    mine = {letter["id"] for letter in await issue_letters(api, adviser, alice, 2)}
    theirs = {letter["id"] for letter in await issue_letters(api, adviser, bob, 3)}
    await declared(server, api, bob)  # a declaration and a sick leave of Bob's
    for candidat in (alice, bob):
        variables = {"input": {"kind": "SITUATION"}}
        data = await api(ATTESTATION_REQUEST, variables, token=candidat.token)
        assert data["attestationRequest"]["userErrors"] == []
    before = reads_of(server).counts["compiled"]
    # when Alice lists them on both paths, also from cursors taken from Bob's letters,
    bob_ids = sorted(decode_global_id(i, "Letter") or 0 for i in theirs)
    for after in (None, encode_cursor(bob_ids[-1] + 1), encode_cursor(bob_ids[0])):
        for unread_only in (False, True):
            variables = {"after": after, "unreadOnly": unread_only}
            interpreted, compiled = await twins.both(FILE, variables, alice.token)
            # then both paths show hers only, and count hers only.
            assert compiled == interpreted, variables
            viewer = dict(dict(dict(compiled[1])["data"])["viewer"])
            letters = dict(viewer["letters"])
            found = {dict(dict(e)["node"])["id"] for e in letters["edges"]}
            assert found <= mine and not found & theirs
            assert letters["unreadCount"] == 2
            assert dict(viewer["attestations"])["totalCount"] == 1
            assert dict(viewer["actualisations"])["totalCount"] == 0
    assert reads_of(server).counts["compiled"] - before == 6
    # Bob's letters by their global IDs are not found on either path.
    for letter_id in theirs:
        interpreted, compiled = await twins.both(FILE_NODE, {"id": letter_id}, alice.token)
        assert compiled == interpreted == (200, [("data", [("node", None)])])


BOARD = """
query ($after: String) { viewer { dashboard {
  newSinceLastVisit { dossiers account } unreadMessages pendingProposals
  events(first: 100, after: $after) { edges { node { id message } } resumeCursor } } } }
"""
EVENT_NODE = "query ($id: ID!) { node(id: $id) { id ... on DashboardEvent { message } } }"


def event_ids(answer: tuple[int, Any]) -> set[str]:
    viewer = dict(dict(dict(answer[1])["data"])["viewer"])
    events = dict(dict(viewer["dashboard"])["events"])
    return {dict(dict(e)["node"])["id"] for e in events["edges"]}


async def test_another_accounts_events_and_counts_are_never_reachable(
    server: LiveServer, twins: Twins, api: GraphQL
) -> None:
    # Given Alice with one dossier, and Bob with three, so more events,
    alice = await sign_up_candidate(api)
    bob = await sign_up_candidate(api)
    await create_dossier(api, alice.token, name="A1")
    for n in range(3):
        await create_dossier(api, bob.token, name=f"B{n}")
    theirs = event_ids((await twins.both(BOARD, {}, bob.token))[1])
    mine = event_ids((await twins.both(BOARD, {}, alice.token))[1])
    assert len(theirs) == 4 and len(mine) == 2  # a sign-in and the dossiers
    # when Alice reads her dashboard on both paths, also from cursors taken from Bob's events,
    bob_ids = sorted(decode_global_id(i, "DashboardEvent") or 0 for i in theirs)
    before = reads_of(server).counts["compiled"]
    for after in (None, encode_cursor(bob_ids[-1] + 1), encode_cursor(bob_ids[0])):
        interpreted, compiled = await twins.both(BOARD, {"after": after}, alice.token)
        # then both paths show and count hers only.
        assert compiled == interpreted, after
        assert event_ids(compiled) <= mine and not event_ids(compiled) & theirs
        viewer = dict(dict(dict(compiled[1])["data"])["viewer"])
        board = dict(viewer["dashboard"])
        assert dict(board["newSinceLastVisit"]) == {"dossiers": 1, "account": 1}
        assert (board["unreadMessages"], board["pendingProposals"]) == (0, 0)
        newest = max(decode_global_id(i, "DashboardEvent") or 0 for i in mine)
        assert dict(board["events"])["resumeCursor"] == encode_cursor(newest)
    assert reads_of(server).counts["compiled"] - before == 3
    # And Bob's events by their global IDs are not found on either path.
    for event_id in theirs:
        interpreted, compiled = await twins.both(EVENT_NODE, {"id": event_id}, alice.token)
        assert compiled == interpreted == (200, [("data", [("node", None)])])
