"""Messages: the candidat with their agency, with employers, and from the site; live."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event
from strawberry import relay

from resolvers.core.unit_of_work import RuntimeWork
from resolvers.identity.accounts import adviser_create
from resolvers.messages.conversations import send_system_message
from tests.conftest import POSTGRES_ON, LiveServer, _truncate_all, free_port
from tests.server.test_scale_out import Cluster, LiveServerAddress, _espace_serve, _wait_healthy
from tests.support.accounts import (
    DEFAULT_PASSWORD,
    sign_in,
    sign_up_candidate,
    unique_email,
    write_session,
)
from tests.support.applications import (
    Applicant,
    applicant,
    apply,
    employer_with_offer,
    local_id,
    until_listening,
)
from tests.support.client import GraphQL, MailCatcher
from tests.support.cvs import tiny_pdf
from tests.support.dossiers import create_agency, create_dossier, sign_up_adviser
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


async def adviser_at(server: LiveServer, api: GraphQL, agency_code: str) -> str:
    """An adviser of the agency (as `espace adviser create --agency` makes one); its token."""
    email = unique_email("conseiller")
    work = RuntimeWork(server.runtime)
    try:
        await adviser_create(
            work,
            server.runtime,
            email=email,
            name=f"Conseiller {agency_code}",
            password=DEFAULT_PASSWORD,
            agency_code=agency_code,
        )
    finally:
        await work.close()
    session = await sign_in(api, email=email, password=DEFAULT_PASSWORD)
    assert session["userErrors"] == [], session
    token: str = session["token"]
    return token


async def two_agencies(server: LiveServer, api: GraphQL) -> dict[str, str]:
    """Agencies GUI01 and BRE01; their global IDs by code."""
    founder = await sign_up_adviser(server, api)
    ids = {}
    for code, postal_code, insee in (("GUI01", "22200", "22070"), ("BRE01", "29200", "29019")):
        agency = await create_agency(
            api,
            founder,
            code=code,
            name=f"Agence {code}",
            postalCode=postal_code,
            communeInsee=insee,
        )
        ids[code] = agency["id"]
    return ids


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


async def mutate(api: GraphQL, document: str, token: str, **fields: Any) -> dict[str, Any]:
    data = await api(document, {"input": fields}, token=token)
    payload: dict[str, Any] = next(iter(data.values()))
    return payload


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


async def employer_and_application(server: LiveServer, api: GraphQL) -> tuple[Applicant, str, str]:
    """A candidat who applied to an employer's offer: (candidat, employer token, app ID)."""
    who = await applicant(server, api)
    employer, offer = await employer_with_offer(api)
    application = await apply(api, who, offer["id"])
    return who, employer.token, application["id"]


async def test_an_employer_and_a_candidat_talk_about_an_application(
    server: LiveServer, api: GraphQL
) -> None:
    # Given a candidat who applied to an employer's offer, and another employer
    who, employer, application_id = await employer_and_application(server, api)
    stranger, _ = await employer_with_offer(api, company_name="Autre Boulangerie")
    async with (
        subscribed(server, who.candidate.token, RECEIVED) as candidat_ws,
        subscribed(server, employer, RECEIVED) as employer_ws,
        subscribed(server, stranger.token, RECEIVED) as stranger_ws,
    ):
        for ws in (candidat_ws, employer_ws, stranger_ws):
            await until_listening(ws)
        # When the employer writes about the application
        started = await mutate(
            api, START, employer, kind="EMPLOYER", subjectId=application_id, body="Disponible ?"
        )
        assert started["userErrors"] == []
        conversation = started["conversation"]
        assert conversation["subjectId"] == application_id
        assert conversation["title"] == "Candidature : Boulanger"
        # Then the candidat receives it, and answers; the employer receives the answer
        got = (await candidat_ws.next_data("1"))["messageReceived"]
        assert (got["body"], got["authorKind"]) == ("Disponible ?", "EMPLOYEUR")
        assert got["authorName"] == "Boulangerie du Trieux"
        reply = await mutate(
            api, SEND, who.candidate.token, conversationId=conversation["id"], body="Oui !"
        )
        assert reply["userErrors"] == []
        answer = (await employer_ws.next_data("1"))["messageReceived"]
        assert (answer["body"], answer["authorKind"]) == ("Oui !", "CANDIDAT")
        assert answer["authorName"] is None
        # And nobody else receives anything (nor the authors their own messages)
        await stranger_ws.nothing_for(0.5)
        await candidat_ws.nothing_for(0.1)
    # And another employer can neither read nor join it, nor start one on that application
    assert titles(await inbox(api, stranger.token)) == []
    assert (await api(NODE, {"id": conversation["id"]}, token=stranger.token))["node"] is None
    sent = await mutate(api, SEND, stranger.token, conversationId=conversation["id"], body="Hop")
    assert sent["userErrors"][0]["code"] == "NOT_FOUND"
    hijack = await mutate(
        api, START, stranger.token, kind="EMPLOYER", subjectId=application_id, body="Hop"
    )
    assert [(e["field"], e["code"]) for e in hijack["userErrors"]] == [("subjectId", "NOT_FOUND")]
    # And starting again about the same application continues the same conversation
    again = await mutate(
        api, START, employer, kind="EMPLOYER", subjectId=application_id, body="Lundi ?"
    )
    assert again["conversation"]["id"] == conversation["id"]
    assert titles(await inbox(api, employer)) == ["Candidature : Boulanger"]
    # (answering marked what came before as read: only "Lundi ?" is unread)
    assert (await inbox(api, who.candidate.token))["dashboard"]["unreadMessages"] == 1


async def test_a_candidat_asks_their_agency_about_their_own_application_only(
    server: LiveServer, api: GraphQL
) -> None:
    agencies = await two_agencies(server, api)
    who = await applicant(
        server,
        api,
        inscritPoleEmploi=True,
        identifiantPoleEmploi="1234567A",
        agencyId=agencies["GUI01"],
    )
    _, offer = await employer_with_offer(api)
    application = await apply(api, who, offer["id"])
    other = await candidat_at(api, agencies["GUI01"])
    # A candidat may name their own application to their agency
    started = await mutate(
        api,
        START,
        who.candidate.token,
        kind="ADVISER",
        subjectId=application["id"],
        body="L'employeur ne répond pas.",
    )
    assert started["userErrors"] == []
    assert started["conversation"]["subjectId"] == application["id"]
    # But not someone else's, nor anything that is not an application or a proposal
    for subject in (application["id"], offer["id"]):
        refused = await mutate(
            api, START, other, kind="ADVISER", subjectId=subject, body="Et la mienne ?"
        )
        assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [
            ("subjectId", "NOT_FOUND")
        ]
    # And an EMPLOYER conversation needs a subject
    bare = await mutate(api, START, other, kind="EMPLOYER", body="Bonjour")
    assert [(e["field"], e["code"]) for e in bare["userErrors"]] == [("subjectId", "REQUIRED")]


async def test_concurrent_messages_arrive_in_order_with_no_gap(
    server: LiveServer, api: GraphQL
) -> None:
    # Given a candidat of an agency with two advisers, and an employer, all writing to them
    agencies = await two_agencies(server, api)
    advisers = [await adviser_at(server, api, "GUI01") for _ in range(2)]
    who, employer, application_id = await employer_and_application(server, api)
    await create_dossier(
        api,
        who.candidate.token,
        name="DRE2",
        inscritPoleEmploi=True,
        identifiantPoleEmploi="1234567A",
        agencyId=agencies["GUI01"],
    )
    token = who.candidate.token
    to_agency = await mutate(api, START, token, kind="ADVISER", body="Bonjour")
    to_employer = await mutate(
        api, START, employer, kind="EMPLOYER", subjectId=application_id, body="Bonjour"
    )
    async with subscribed(server, token, RECEIVED) as ws:
        await until_listening(ws)
        # When they all send at once
        writers = [
            (advisers[0], to_agency),
            (advisers[1], to_agency),
            (employer, to_employer),
        ]
        await asyncio.gather(
            *(
                mutate(api, SEND, author, conversationId=c["conversation"]["id"], body=f"{n}-{k}")
                for n, (author, c) in enumerate(writers)
                for k in range(4)
            )
        )
        # Then the candidat receives every one, each once, in id order
        received = [r["messageReceived"] for r in await ws.collect("1", 12)]
        assert sorted(r["body"] for r in received) == sorted(
            f"{n}-{k}" for n in range(3) for k in range(4)
        )
        ids = [local_id(r["id"]) for r in received]
        assert ids == sorted(ids)
        await ws.nothing_for(0.3)


async def test_the_site_writes_to_a_candidat_who_cannot_answer(
    server: LiveServer, api: GraphQL
) -> None:
    candidat = await sign_up_candidate(api)
    async with subscribed(server, candidat.token, RECEIVED) as ws:
        await until_listening(ws)
        # When the site sends a system message (as the site's own code does)
        async with write_session(server) as session:
            await send_system_message(
                session, local_id(candidat.viewer_id), "Bienvenue", "Votre espace est prêt."
            )
        # Then the candidat receives it live, from the site
        got = (await ws.next_data("1"))["messageReceived"]
        assert (got["body"], got["authorKind"], got["authorName"]) == (
            "Votre espace est prêt.",
            "SYSTEM",
            None,
        )
    viewer = await inbox(api, candidat.token)
    [node] = [e["node"] for e in viewer["conversations"]["edges"]]
    assert (node["kind"], node["title"], node["canReply"]) == ("SYSTEM", "Bienvenue", False)
    assert viewer["dashboard"] == {"unreadMessages": 1, "newSinceLastVisit": {"messages": 1}}
    refused = await mutate(api, SEND, candidat.token, conversationId=node["id"], body="Merci")
    assert refused["userErrors"][0]["code"] == "READ_ONLY_CONVERSATION"


async def test_message_received_replays_after_a_cursor(server: LiveServer, api: GraphQL) -> None:
    # Given an employer who received three answers while away
    who, employer, application_id = await employer_and_application(server, api)
    started = await mutate(
        api, START, employer, kind="EMPLOYER", subjectId=application_id, body="Question"
    )
    conversation_id = started["conversation"]["id"]
    cursors = []
    for n in range(3):
        sent = await mutate(
            api, SEND, who.candidate.token, conversationId=conversation_id, body=f"Réponse {n}"
        )
        cursors.append(sent["message"]["cursor"])
    # When the employer subscribes after the first one
    async with subscribed(server, employer, RECEIVED, {"after": cursors[0]}) as ws:
        # Then the two that followed arrive, in order, then new ones live
        replayed = await ws.collect("1", 2)
        assert [r["messageReceived"]["body"] for r in replayed] == ["Réponse 1", "Réponse 2"]
        await mutate(api, SEND, who.candidate.token, conversationId=conversation_id, body="Fin")
        assert (await ws.next_data("1"))["messageReceived"]["body"] == "Fin"


async def test_lists_are_paginated_and_batched(server: LiveServer, api: GraphQL) -> None:
    # Given an adviser's agency with three candidats' conversations of several messages
    agencies = await two_agencies(server, api)
    adviser = await adviser_at(server, api, "GUI01")
    first_id = ""
    for n in range(3):
        candidat = await candidat_at(api, agencies["GUI01"])
        started = await mutate(api, START, candidat, kind="ADVISER", title=f"Sujet {n}", body="1")
        first_id = first_id or started["conversation"]["id"]
        for body in ("2", "3"):
            await mutate(
                api, SEND, candidat, conversationId=started["conversation"]["id"], body=body
            )
    # When the adviser lists one, then all three, with messages, authors and attachments
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "outbox_mails" not in statement and not statement.startswith("BEGIN"):
            statements.append(statement)  # (the mail worker runs alongside)

    engine = server.runtime.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        await inbox(api, adviser, first=1)
        for_one = len(statements)
        statements.clear()
        viewer = await inbox(api, adviser)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # Then newest activity first, with as many queries for three as for one (no N+1)
    assert titles(viewer) == ["Sujet 2", "Sujet 1", "Sujet 0"]
    assert viewer["dashboard"]["unreadMessages"] == 9
    assert len(statements) == for_one, statements
    assert sum("FROM message_attachments" in s for s in statements) == 1
    # And pages follow each other by cursor, in lists and in a conversation
    page = (await inbox(api, adviser, first=2))["conversations"]
    assert page["pageInfo"]["hasNextPage"] is True
    rest = await inbox(api, adviser, first=2, after=page["pageInfo"]["endCursor"])
    assert titles(rest) == ["Sujet 0"]
    older = (await api(MESSAGES_PAGE, {"id": first_id, "first": 2}, token=adviser))["node"]
    assert [e["node"]["body"] for e in older["messages"]["edges"]] == ["3", "2"]
    cursor = older["messages"]["pageInfo"]["endCursor"]
    last = (await api(MESSAGES_PAGE, {"id": first_id, "after": cursor}, token=adviser))["node"]
    assert [e["node"]["body"] for e in last["messages"]["edges"]] == ["1"]
    assert relay.GlobalID.from_id(first_id).type_name == "Conversation"


async def send_files(
    http: httpx.AsyncClient,
    token: str,
    conversation_id: str,
    files: list[tuple[str, bytes]],
) -> dict[str, Any]:
    """messageSend as a GraphQL multipart request, one file per ``attachments`` item."""
    variables = {
        "input": {"conversationId": conversation_id, "body": "Ci-joint.", "attachments": None}
    }
    variables["input"]["attachments"] = [None] * len(files)
    response = await http.post(
        "/graphql",
        data={
            "operations": json.dumps({"query": SEND_WITH_FILES, "variables": variables}),
            "map": json.dumps(
                {str(n): [f"variables.input.attachments.{n}"] for n in range(len(files))}
            ),
        },
        files={str(n): (name, data, "application/pdf") for n, (name, data) in enumerate(files)},
        headers={"Authorization": f"Bearer {token}", "GraphQL-Require-Preflight": "1"},
    )
    assert response.status_code == 200, response.text
    payload: dict[str, Any] = response.json()["data"]["messageSend"]
    return payload


async def test_pdf_attachments_are_sent_and_downloaded_by_readers_only(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient
) -> None:
    # Given a candidat's conversation with their agency
    agencies = await two_agencies(server, api)
    adviser = await adviser_at(server, api, "GUI01")
    brest = await adviser_at(server, api, "BRE01")
    candidat = await candidat_at(api, agencies["GUI01"])
    started = await mutate(api, START, candidat, kind="ADVISER", body="Mes justificatifs")
    conversation_id = started["conversation"]["id"]
    # When the candidat sends two PDFs
    pdf = tiny_pdf("attestation")
    sent = await send_files(
        http, candidat, conversation_id, [("attestation.pdf", pdf), ("../../bulletin", pdf)]
    )
    # Then they are attached, named safely
    assert sent["userErrors"] == []
    files = sent["message"]["attachments"]
    assert [(f["name"], f["size"], f["contentType"]) for f in files] == [
        ("attestation.pdf", len(pdf), "application/pdf"),
        ("bulletin.pdf", len(pdf), "application/pdf"),
    ]
    # And the agency's adviser downloads them; another agency's adviser gets 404
    url = files[0]["url"].removeprefix(server.url)
    got = await http.get(url, headers={"Authorization": f"Bearer {adviser}"})
    assert got.status_code == 200 and got.content == pdf
    assert got.headers["content-disposition"].startswith("attachment;")
    hidden = await http.get(url, headers={"Authorization": f"Bearer {brest}"})
    assert hidden.status_code == 404
    assert (await http.get(url)).status_code == 401
    # But anything other than a PDF is refused, with the whole message
    refused = await send_files(
        http, candidat, conversation_id, [("ok.pdf", pdf), ("faux.pdf", b"MZ not a pdf")]
    )
    assert refused["userErrors"] == [{"field": "attachments.1", "code": "NOT_PDF"}]
    assert refused["message"] is None
    viewer = await inbox(api, adviser)
    messages = viewer["conversations"]["edges"][0]["node"]["messages"]["edges"]
    assert [len(e["node"]["attachments"]) for e in messages] == [2, 0]
    # And the other agency's adviser cannot send files there either
    sneaky = await send_files(http, brest, conversation_id, [("x.pdf", pdf)])
    assert sneaky["userErrors"] == [{"field": "conversationId", "code": "NOT_FOUND"}]


@pytest.fixture
def shared_database(request: pytest.FixtureRequest) -> Iterator[str]:
    """The run's PostgreSQL database, emptied after the test."""
    if not POSTGRES_ON:
        pytest.skip("set ESPACE_TEST_POSTGRES=1")
    url: str = request.getfixturevalue("postgres_database")
    yield url
    _truncate_all(url)


@pytest.fixture
async def cluster(
    shared_database: str, redis_url: str, redis_prefix: str, smtp: MailCatcher
) -> AsyncIterator[Cluster]:
    """Servers sharing one PostgreSQL database and one Redis."""
    shared = Cluster(shared_database, smtp.port, redis_url, redis_prefix)
    async with shared.stack:
        yield shared


@pytest.mark.redis
@pytest.mark.postgres
async def test_a_reply_through_one_process_reaches_the_employer_on_another(
    cluster: Cluster, tmp_path: Path
) -> None:
    # Given this process (A) and `espace serve --workers 2` on the same PostgreSQL and Redis
    a, api_a = await cluster.server()
    port = free_port()
    log = tmp_path / "serve.log"
    serve = await _espace_serve(cluster, port, log)
    try:
        await _wait_healthy(port, serve, log)
        served = LiveServerAddress(f"http://127.0.0.1:{port}")
        # And an employer who wrote to a candidat about their application
        who, employer, application_id = await employer_and_application(a, api_a)
        started = await mutate(
            api_a, START, employer, kind="EMPLOYER", subjectId=application_id, body="Disponible ?"
        )
        conversation_id = started["conversation"]["id"]
        # When both follow messageReceived on the other process, and the candidat replies
        # through A
        async with (
            subscribed(served, employer, RECEIVED) as employer_ws,
            subscribed(served, who.candidate.token, RECEIVED) as candidat_ws,
        ):
            await until_listening(employer_ws)
            await until_listening(candidat_ws)
            reply = await mutate(
                api_a, SEND, who.candidate.token, conversationId=conversation_id, body="Oui !"
            )
            assert reply["userErrors"] == []
            # Then the employer's subscription receives the reply, and only the employer's
            got = (await employer_ws.next_data("1"))["messageReceived"]
            assert (got["body"], got["authorKind"], got["read"]) == ("Oui !", "CANDIDAT", False)
            assert got["conversation"]["id"] == conversation_id
            await candidat_ws.nothing_for(0.5)
    finally:
        serve.terminate()
        try:
            await asyncio.wait_for(serve.wait(), 15)
        except TimeoutError:
            serve.kill()
            await serve.wait()
