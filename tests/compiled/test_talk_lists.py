"""The candidat's conversations and proposals on both paths: they answer alike for accounts
of every kind, pages, cursors and filters; the compiled path answers a candidat's, the
interpreter an employer's or an adviser's conversations; another account's are never
reachable on either path."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from schema.core.base import encode_cursor
from schema.core.ids import decode_global_id
from tests.compiled.support import Twins, query_operations, reads_of, twin_server
from tests.compiled.talk_support import Talk, talk
from tests.compiled.test_differential import PAGES, follow_pages
from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate
from tests.support.agencies import two_agencies
from tests.support.client import GraphQL, MailCatcher

OPERATIONS = dict(query_operations())
CONVERSATIONS = """
query ($first: Int = 20, $after: String, $unreadOnly: Boolean = false) {
  viewer { conversations(first: $first, after: $after, unreadOnly: $unreadOnly) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node {
      id kind title topic createdAt lastMessageAt unreadCount canReply subjectId
      agency { id code name }
      messages(first: 2) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
        edges { cursor node { id body createdAt cursor authorKind authorName fromViewer
          read __typename } } } } } } }
}
"""
PROPOSALS = """
query ($first: Int = 20, $after: String, $pendingOnly: Boolean = false) {
  viewer { proposals(first: $first, after: $after, pendingOnly: $pendingOnly) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node {
      id status title text message deadline sentAt answeredAt answerMessage cursor
      company { id name siret nafCode sizeBand description }
      offer { id number status intitule lieuTravail { libelle communeInsee codePostal } }
    } } } }
}
"""
# Each conversation's messages from one cursor: newest first, then older ones.
MESSAGES = """
query ($first: Int = 1, $after: String) {
  viewer { conversations(first: 10) { edges { node { title
    m: messages(first: $first, after: $after) { edges { node { body read } }
      pageInfo { hasNextPage endCursor } } } } } }
}
"""
# The example operations without the dashboard (compiled elsewhere): what they read.
SHAPES = [
    CONVERSATIONS,
    PROPOSALS,
    """{ viewer { proposals(pendingOnly: true) { totalCount edges { node { id status } } }
      conversations(unreadOnly: true) { totalCount edges { node { title unreadCount } } } } }""",
    """{ viewer { conversations(first: 1, after: "Yzo5OTk5OTk5OTk5") { totalCount
      edges { node { id } } pageInfo { hasPreviousPage } } } }""",
]
KINDS = ("candidat", "other", "employer", "adviser", "anonymous")


@dataclass
class Scene:
    twins: Twins
    alice: Talk
    tokens: dict[str, str | None]
    agencies: dict[str, str]


@pytest.fixture
async def scene(
    server: LiveServer,
    http: httpx.AsyncClient,
    smtp: MailCatcher,
    api: GraphQL,
    reference_data: Any,
) -> AsyncIterator[Scene]:
    async for twin in twin_server(server, reference_data):
        async with httpx.AsyncClient(base_url=twin.url, timeout=30) as other:
            agencies = await two_agencies(server, api)
            alice = await talk(server, api, http, smtp, agencies["GUI01"], "alice@example.org")
            empty = await sign_up_candidate(api)
            tokens = dict(
                zip(
                    KINDS,
                    (alice.candidat.token, empty.token, alice.employer, alice.adviser, None),
                    strict=True,
                )
            )
            yield Scene(Twins(compiled=http, interpreted=other), alice, tokens, agencies)


def data_of(answer: tuple[int, Any]) -> dict[str, Any]:
    return dict(dict(dict(answer[1])["data"])["viewer"])


async def test_conversations_and_proposals_answer_alike(server: LiveServer, scene: Scene) -> None:
    reads = reads_of(server)
    for kind, token in scene.tokens.items():
        compiled_before, interpreted_before = reads.counts["compiled"], reads.counts["interpreted"]
        for document in SHAPES:
            interpreted, compiled = await scene.twins.both(document, {}, token)
            assert compiled == interpreted, (kind, document)
        for variables in ({"unreadOnly": True}, {"unreadOnly": True, "first": 1}):
            interpreted, compiled = await scene.twins.both(CONVERSATIONS, variables, token)
            assert compiled == interpreted, (kind, variables)
        for variables in ({"pendingOnly": True}, {"pendingOnly": True, "first": 1}):
            interpreted, compiled = await scene.twins.both(PROPOSALS, variables, token)
            assert compiled == interpreted, (kind, variables)
        for name in ("Conversations", "MyProposals", "ConversationMessages"):
            interpreted, compiled = await scene.twins.both(OPERATIONS[name], {}, token, name)
            assert compiled == interpreted, (kind, name)
        compiled_now = reads.counts["compiled"] - compiled_before
        interpreted_now = reads.counts["interpreted"] - interpreted_before
        # A candidat's lists (and the empty lists of the anonymous) take the compiled path;
        # an employer's or an adviser's conversations the interpreter's (5 documents). Of
        # the example operations, « Conversations » compiles (its dashboard too) but for
        # them; the others need the interpreter (a proposal's dossier, attachments).
        conversations_of_others = 5 if kind in ("employer", "adviser") else 0
        examples_compiled = 0 if conversations_of_others else 1
        assert compiled_now == len(SHAPES) + 4 + examples_compiled - conversations_of_others, kind
        assert interpreted_now == 3 - examples_compiled + conversations_of_others, kind


async def test_the_candidats_lists_are_there(scene: Scene) -> None:
    token = scene.tokens["candidat"]
    interpreted, compiled = await scene.twins.both(CONVERSATIONS, {}, token)
    assert compiled == interpreted
    conversations = dict(data_of(compiled)["conversations"])
    nodes = [dict(dict(e)["node"]) for e in conversations["edges"]]
    # The site's message last, then the employer's, then the agency's two (newest first).
    assert [n["kind"] for n in nodes] == ["SYSTEM", "EMPLOYER", "ADVISER", "ADVISER"]
    # Unread: the site's; none where the candidat answered last; the agency's after a read.
    assert [n["unreadCount"] for n in nodes] == [1, 0, 1, 3]
    assert [n["canReply"] for n in nodes] == [False, True, True, True]
    interpreted, compiled = await scene.twins.both(PROPOSALS, {}, token)
    assert compiled == interpreted
    proposals = [dict(dict(e)["node"]) for e in dict(data_of(compiled)["proposals"])["edges"]]
    assert [p["status"] for p in proposals] == ["EXPIRED", "PENDING", "DECLINED", "PENDING"]
    assert proposals[1]["title"].endswith("…") and len(proposals[1]["title"]) == 80
    assert [p["title"] for p in proposals[2:]] == ["Boulanger de nuit", "Boulanger de nuit"]
    interpreted, compiled = await scene.twins.both(PROPOSALS, {"pendingOnly": True}, token)
    assert compiled == interpreted
    assert dict(data_of(compiled)["proposals"])["totalCount"] == 2


async def test_pages_and_cursors_answer_alike(scene: Scene) -> None:
    for kind, token in scene.tokens.items():
        for document in (CONVERSATIONS, PROPOSALS, MESSAGES):
            for variables in [*PAGES, {"unreadOnly": None}, {"pendingOnly": "oui"}]:
                interpreted, compiled = await scene.twins.both(document, variables, token)
                assert compiled == interpreted, (kind, variables)
        await follow_pages(scene.twins, CONVERSATIONS, "conversations", token)
        await follow_pages(scene.twins, PROPOSALS, "proposals", token)
    # The oldest conversation's messages, page by page to its first.
    after, bodies = None, []
    for _ in range(10):
        interpreted, compiled = await scene.twins.both(
            MESSAGES, {"after": after}, scene.tokens["candidat"]
        )
        assert compiled == interpreted
        edge = dict(data_of(compiled)["conversations"])["edges"][-1]
        page = dict(dict(dict(edge)["node"])["m"])
        bodies += [dict(dict(e)["node"])["body"] for e in page["edges"]]
        info = dict(page["pageInfo"])
        if not info["hasNextPage"]:
            break
        after = info["endCursor"]
    assert bodies == ["Réponse 3", "Réponse 2", "Réponse 1", "Q1"]


NODE = "query ($id: ID!) { node(id: $id) { id ... on Conversation { title } } }"
PROPOSAL_NODE = "query ($id: ID!) { node(id: $id) { id ... on Proposal { message } } }"


async def test_another_candidats_lists_are_never_reachable(
    server: LiveServer, scene: Scene, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given Bob, another candidat of the same agency, with his own conversations and
    # proposals,
    alice = scene.alice
    bob = await talk(server, api, http, smtp, scene.agencies["GUI01"], "bob@example.org")
    before = reads_of(server).counts["compiled"]
    # when Alice lists hers on both paths, also from cursors taken from Bob's lists,
    bob_ids = sorted(decode_global_id(i, "Proposal") or 0 for i in bob.proposals)
    for after in (None, encode_cursor(bob_ids[-1] + 1), encode_cursor(bob_ids[0])):
        for flag in (False, True):
            variables = {"after": after, "first": 100, "unreadOnly": flag, "pendingOnly": flag}
            for document, field in ((CONVERSATIONS, "conversations"), (PROPOSALS, "proposals")):
                interpreted, compiled = await scene.twins.both(
                    document, variables, alice.candidat.token
                )
                # then both paths show hers only.
                assert compiled == interpreted, (field, variables)
                edges = dict(data_of(compiled)[field])["edges"]
                found = {dict(dict(e)["node"])["id"] for e in edges}
                mine = alice.conversations if field == "conversations" else alice.proposals
                theirs = bob.conversations if field == "conversations" else bob.proposals
                assert not found & set(theirs)
                assert len(found - set(mine)) <= (field == "conversations")  # the site's
    assert reads_of(server).counts["compiled"] - before == 12
    # Bob's conversations and proposals by their global IDs are not found on either path.
    for document, ids in ((NODE, bob.conversations), (PROPOSAL_NODE, bob.proposals)):
        for found_id in ids:
            interpreted, compiled = await scene.twins.both(
                document, {"id": found_id}, alice.candidat.token
            )
            assert compiled == interpreted == (200, [("data", [("node", None)])])
