"""Messages: the candidat with their agency, with employers, and from the site; live."""

from __future__ import annotations

from typing import Any

from tests.conftest import LiveServer
from tests.support.accounts import (
    sign_up_candidate,
)
from tests.support.agencies import adviser_at
from tests.support.applications import (
    until_listening,
)
from tests.support.client import GraphQL
from tests.support.dossiers import create_dossier
from tests.support.indemnisation import mutate, two_agencies
from tests.support.ws import subscribed

MESSAGE_FIELDS = "id body authorKind authorName fromViewer read cursor"
CONVERSATION_FIELDS = "id kind title canReply unreadCount subjectId agency { code }"

START = f"""
mutation ($input: ConversationStartInput!) {{
  conversationStart(input: $input) {{
    conversation {{ {CONVERSATION_FIELDS} }}
    message {{ {MESSAGE_FIELDS} }}
    userErrors {{ field code message }}
  }}
}}
"""
SEND = f"""
mutation ($input: MessageSendInput!) {{
  messageSend(input: $input) {{
    message {{ {MESSAGE_FIELDS} }}
    conversation {{ id unreadCount }}
    userErrors {{ field code message }}
  }}
}}
"""
MARK_READ = """
mutation ($input: ConversationMarkReadInput!) {
  conversationMarkRead(input: $input) {
    conversation { id unreadCount }
    userErrors { field code }
  }
}
"""
CONVERSATIONS = f"""
query ($first: Int, $after: String, $unreadOnly: Boolean) {{
  viewer {{
    dashboard {{ unreadMessages newSinceLastVisit {{ messages }} }}
    conversations(first: $first, after: $after, unreadOnly: $unreadOnly) {{
      edges {{ node {{
        {CONVERSATION_FIELDS}
        messages(first: 10) {{ edges {{ node {{ {MESSAGE_FIELDS} attachments {{ name }} }} }} }}
      }} }}
      pageInfo {{ hasNextPage endCursor }}
    }}
  }}
}}
"""
MESSAGES_PAGE = """
query ($id: ID!, $first: Int, $after: String) {
  node(id: $id) { ... on Conversation {
    messages(first: $first, after: $after) {
      edges { node { body } } pageInfo { hasNextPage endCursor }
    }
  } }
}
"""
NODE = """
query ($id: ID!) {
  node(id: $id) {
    id
    ... on Conversation { title }
    ... on Message { body conversation { id } }
  }
}
"""
SEND_WITH_FILES = """
mutation ($input: MessageSendInput!) {
  messageSend(input: $input) {
    message { body attachments { name size contentType url } }
    userErrors { field code }
  }
}
"""
RECEIVED = f"""
subscription ($after: String) {{
  messageReceived(after: $after) {{ {MESSAGE_FIELDS} conversation {{ id title }} }}
}}
"""


async def candidat_at(api: GraphQL, agency_id: str) -> str:
    """A candidat whose dossier is registered at the agency; their token."""
    candidate = await sign_up_candidate(api)
    await create_dossier(
        api,
        candidate.token,
        inscritPoleEmploi=True,
        identifiantPoleEmploi="1234567A",
        agencyId=agency_id,
    )
    return candidate.token


async def inbox(api: GraphQL, token: str, **variables: Any) -> dict[str, Any]:
    viewer: dict[str, Any] = (await api(CONVERSATIONS, variables, token=token))["viewer"]
    return viewer


def titles(viewer: dict[str, Any]) -> list[str]:
    return [e["node"]["title"] for e in viewer["conversations"]["edges"]]


async def test_a_candidat_writes_to_their_agency_and_only_its_advisers_read_it(
    server: LiveServer, api: GraphQL
) -> None:
    # Given two agencies, two advisers at Guingamp, one at Brest, a candidat of Guingamp
    agencies = await two_agencies(server, api)
    gui_1 = await adviser_at(server, api, "GUI01")
    gui_2 = await adviser_at(server, api, "GUI01")
    brest = await adviser_at(server, api, "BRE01")
    candidat = await candidat_at(api, agencies["GUI01"])
    neighbour = await candidat_at(api, agencies["GUI01"])  # another candidat, same agency
    async with (
        subscribed(server, gui_1, RECEIVED) as gui_ws,
        subscribed(server, brest, RECEIVED) as brest_ws,
        subscribed(server, candidat, RECEIVED) as own_ws,
        subscribed(server, neighbour, RECEIVED) as neighbour_ws,
    ):
        for ws in (gui_ws, brest_ws, own_ws, neighbour_ws):
            await until_listening(ws)
        # When the candidat writes to their agency
        started = await mutate(
            api, START, candidat, kind="ADVISER", title="Mes droits", body="  Bonjour !  "
        )
        assert started["userErrors"] == []
        conversation = started["conversation"]
        assert conversation["kind"] == "ADVISER" and conversation["agency"] == {"code": "GUI01"}
        assert started["message"]["body"] == "Bonjour !"
        # Then a Guingamp adviser receives it live; Brest, the other candidat and the author
        # receive nothing
        got = (await gui_ws.next_data("1"))["messageReceived"]
        assert got["body"] == "Bonjour !" and got["authorKind"] == "CANDIDAT"
        assert got["conversation"] == {"id": conversation["id"], "title": "Mes droits"}
        assert got["read"] is False and got["fromViewer"] is False
        await brest_ws.nothing_for(0.5)
        await neighbour_ws.nothing_for(0.1)
        await own_ws.nothing_for(0.1)
    # And both Guingamp advisers list it as unread; the Brest adviser and the other
    # candidat do not see it
    for token in (gui_1, gui_2):
        viewer = await inbox(api, token)
        assert titles(viewer) == ["Mes droits"]
        assert viewer["dashboard"]["unreadMessages"] == 1
    hidden = await inbox(api, brest)
    assert titles(hidden) == [] and hidden["dashboard"]["unreadMessages"] == 0
    assert titles(await inbox(api, neighbour)) == []
    for outsider in (brest, neighbour):
        for node_id in (conversation["id"], started["message"]["id"]):
            assert (await api(NODE, {"id": node_id}, token=outsider))["node"] is None
        for document, fields in ((SEND, {"body": "Pirate"}), (MARK_READ, {})):
            refused = await mutate(
                api, document, outsider, conversationId=conversation["id"], **fields
            )
            assert refused["userErrors"][0]["code"] == "NOT_FOUND"
    shown = (await api(NODE, {"id": started["message"]["id"]}, token=gui_2))["node"]
    assert shown == {
        "id": started["message"]["id"],
        "body": "Bonjour !",
        "conversation": {"id": conversation["id"]},
    }
    # When one Guingamp adviser answers
    answer = await mutate(
        api, SEND, gui_1, conversationId=conversation["id"], body="Bonjour, voici vos droits."
    )
    assert answer["message"]["authorKind"] == "CONSEILLER"
    assert answer["message"]["authorName"] == "Conseiller GUI01"
    assert answer["message"]["fromViewer"] is True and answer["message"]["read"] is True
    # Then unread counts go up for the others, and to zero for whoever answered
    assert (await inbox(api, gui_1))["dashboard"]["unreadMessages"] == 0
    assert (await inbox(api, gui_2))["dashboard"]["unreadMessages"] == 2
    mine = await inbox(api, candidat)
    assert mine["dashboard"] == {"unreadMessages": 1, "newSinceLastVisit": {"messages": 1}}
    assert [
        e["node"]["read"] for e in mine["conversations"]["edges"][0]["node"]["messages"]["edges"]
    ] == [False, True]
    # And marking the conversation read brings the count back down
    marked = await mutate(api, MARK_READ, candidat, conversationId=conversation["id"])
    assert marked["conversation"]["unreadCount"] == 0
    assert (await inbox(api, candidat))["dashboard"]["unreadMessages"] == 0
    assert (await inbox(api, candidat, unreadOnly=True))["conversations"]["edges"] == []


async def test_a_candidat_without_an_agency_cannot_write_to_one(api: GraphQL) -> None:
    candidat = await sign_up_candidate(api)
    await create_dossier(api, candidat.token)  # not registered at any agency
    refused = await mutate(api, START, candidat.token, kind="ADVISER", body="Bonjour")
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [("kind", "NO_AGENCY")]
    assert refused["conversation"] is None


async def test_a_new_candidat_writes_to_the_agency_of_their_home_commune(
    server: LiveServer, api: GraphQL
) -> None:
    # Given agencies in Guingamp (22200) and Brest, an adviser at each
    await two_agencies(server, api)
    gui = await adviser_at(server, api, "GUI01")
    bre = await adviser_at(server, api, "BRE01")
    # When a candidat who just signed up at 22200, registered nowhere, writes to an adviser
    candidat = await sign_up_candidate(api, postal_code="22200")
    await create_dossier(api, candidat.token)
    started = await mutate(api, START, candidat.token, kind="ADVISER", body="Bonjour")
    # Then the conversation goes to the Guingamp agency: its adviser reads it, Brest's not
    assert started["userErrors"] == [] and started["conversation"]["agency"]["code"] == "GUI01"
    assert len((await inbox(api, gui))["conversations"]["edges"]) == 1
    assert (await inbox(api, bre))["conversations"]["edges"] == []
    # and a candidat of another département still has no agency
    elsewhere = await sign_up_candidate(api, postal_code="75001")
    refused = await mutate(api, START, elsewhere.token, kind="ADVISER", body="Bonjour")
    assert [e["code"] for e in refused["userErrors"]] == ["NO_AGENCY"]


async def test_bodies_are_checked(server: LiveServer, api: GraphQL) -> None:
    agencies = await two_agencies(server, api)
    candidat = await candidat_at(api, agencies["GUI01"])
    for body, code in (("   ", "REQUIRED"), ("x" * 5001, "TOO_LONG")):
        refused = await mutate(api, START, candidat, kind="ADVISER", body=body)
        assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [("body", code)]
    # A NUL character is refused for the whole request, before any resolver (schema.core.input_text)
    nul = await api.raw(START, {"input": {"kind": "ADVISER", "body": "a\x00b"}}, token=candidat)
    assert [e["extensions"]["code"] for e in nul["errors"]] == ["BAD_USER_INPUT"]
    started = await mutate(api, START, candidat, kind="ADVISER", body="x" * 5000)
    assert started["userErrors"] == [] and started["conversation"]["title"] == (
        "Question à mon agence"
    )
