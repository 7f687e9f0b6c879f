"""Messages with employers (about an application), from the site, in order under concurrency,
and replayed live."""

from __future__ import annotations

import asyncio

from resolvers.messages.conversations import send_system_message
from tests.conftest import LiveServer
from tests.messages.test_messages import (
    NODE,
    RECEIVED,
    SEND,
    START,
    adviser_at,
    candidat_at,
    inbox,
    mutate,
    titles,
    two_agencies,
)
from tests.support.accounts import (
    sign_up_candidate,
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
from tests.support.client import GraphQL
from tests.support.dossiers import create_dossier
from tests.support.ws import subscribed


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
