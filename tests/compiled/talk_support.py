"""Conversations and proposals for the differential tests, set up as people make them: a
candidat of an agency writes to it and an adviser answers (some read, some not), an
employer writes about an application and sends proposals (one with an offer, one answered,
one past its deadline), and the site sends a message."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import update

from models.base import utcnow
from models.proposals import Proposal
from resolvers.messages.conversations import send_system_message
from tests.support.accounts import write_session
from tests.support.agencies import adviser_at, registered_candidate
from tests.support.applications import Applicant, apply, employer_with_offer, local_id
from tests.support.cvs import create_cv, publish_cv
from tests.support.indemnisation import mutate

if TYPE_CHECKING:
    import httpx

    from tests.conftest import LiveServer
    from tests.support.accounts import Candidate
    from tests.support.client import GraphQL, MailCatcher

START = """
mutation ($input: ConversationStartInput!) {
  conversationStart(input: $input) { conversation { id } userErrors { code } }
}
"""
SEND = """
mutation ($input: MessageSendInput!) {
  messageSend(input: $input) { message { id } userErrors { code } }
}
"""
MARK_READ = """
mutation ($input: ConversationMarkReadInput!) {
  conversationMarkRead(input: $input) { userErrors { code } }
}
"""
PROPOSE = """
mutation ($input: ProposalSendInput!) {
  proposalSend(input: $input) { proposal { id } userErrors { code } }
}
"""
ANSWER = """
mutation ($input: ProposalAnswerInput!) {
  proposalAnswer(input: $input) { userErrors { code } }
}
"""
DOSSIER_IDS = "{ viewer { dossiers { edges { node { id } } } } }"
LONG_LINE = "Préparateur en boulangerie-pâtisserie, travail de nuit et week-ends, " * 2


@dataclass
class Talk:
    """A candidat with conversations and proposals, and who talks with them."""

    candidat: Candidate
    adviser: str
    employer: str
    conversations: list[str] = field(default_factory=list)
    proposals: list[str] = field(default_factory=list)


async def ok(api: GraphQL, document: str, token: str, **fields: Any) -> dict[str, Any]:
    payload = await mutate(api, document, token, **fields)
    assert payload["userErrors"] == [], payload
    return payload


async def talk(
    server: LiveServer,
    api: GraphQL,
    http: httpx.AsyncClient,
    smtp: MailCatcher,
    agency_id: str,
    email: str,
) -> Talk:
    """A candidat of GUI01 (``agency_id``) with four conversations (two with the agency, one
    with an employer, one from the site) and four proposals of that employer."""
    candidat = await registered_candidate(api, http, smtp, agency_id, email)
    return await talk_of(server, api, candidat)


async def talk_of(server: LiveServer, api: GraphQL, candidat: Candidate) -> Talk:
    """``talk`` for a candidat of GUI01 (a published CV in their first dossier)."""
    data = await api(DOSSIER_IDS, token=candidat.token)
    dossier_id = data["viewer"]["dossiers"]["edges"][0]["node"]["id"]
    cv = await create_cv(api, candidat.token, dossier_id, title="CV boulanger")
    await publish_cv(api, candidat.token, cv["id"], "PUBLISHED")
    adviser = await adviser_at(server, api, "GUI01")
    employer, offer = await employer_with_offer(api, intitule="Boulanger de nuit")
    made = Talk(candidat, adviser, employer.token)
    # With the agency: two answers unread; then one read and one not.
    first = await ok(api, START, candidat.token, kind="ADVISER", topic="INDEMNISATION", body="Q1")
    a = first["conversation"]["id"]
    for body in ("Réponse 1", "Réponse 2", "Réponse 3"):
        await ok(api, SEND, adviser, conversationId=a, body=body)
    second = await ok(api, START, candidat.token, kind="ADVISER", title="Inscription", body="Q2")
    b = second["conversation"]["id"]
    await ok(api, SEND, adviser, conversationId=b, body="Vu")
    await ok(api, MARK_READ, candidat.token, conversationId=b)
    await ok(api, SEND, adviser, conversationId=b, body="Encore une chose")
    # With the employer, about an application; the candidat answers.
    application = await apply(api, Applicant(candidat, dossier_id, cv["id"]), offer["id"])
    about = await ok(
        api, START, employer.token, kind="EMPLOYER", subjectId=application["id"], body="Dispo ?"
    )
    c = about["conversation"]["id"]
    await ok(api, SEND, candidat.token, conversationId=c, body="Oui, dès lundi.")
    async with write_session(server) as session:
        await send_system_message(
            session, local_id(candidat.viewer_id), "Bienvenue", "Votre espace est prêt."
        )
    made.conversations = [a, b, c]
    # Proposals: an offer; a described job (answered); a long first line; one expired.
    soon = (utcnow() + timedelta(days=3)).isoformat()
    forms: list[dict[str, Any]] = [
        {"offerId": offer["id"], "message": "Notre offre vous irait."},
        {"text": "Boulanger de nuit\nCDI à Guingamp", "message": "Intéressé ?", "deadline": soon},
        {"text": f"{LONG_LINE}\nSuite", "message": "Et celle-ci ?"},
        {"text": "Vendeur", "message": "Dernière chance", "deadline": soon},
    ]
    for values in forms:
        sent = await ok(api, PROPOSE, employer.token, cvId=cv["id"], **values)
        made.proposals.append(sent["proposal"]["id"])
    await ok(api, ANSWER, candidat.token, id=made.proposals[1], accept=False, message="Non merci")
    async with write_session(server) as session:
        await session.execute(
            update(Proposal)
            .where(Proposal.id == local_id(made.proposals[3]))
            .values(deadline=utcnow() - timedelta(minutes=1))
        )
    return made
