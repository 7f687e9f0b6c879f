"""The unemployment file in the differential test's accounts: letters read and unread,
attestations, a declaration and a change of situation, set up through the API as an
adviser and a candidat would."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.actualisation.support import PARIS, SUBMIT, declaration, mutate, paris
from tests.situation.support import declare
from tests.support.agencies import adviser_at

if TYPE_CHECKING:
    import httpx

    from tests.conftest import LiveServer
    from tests.support.accounts import Candidate
    from tests.support.client import GraphQL

LETTER_ISSUE = """
mutation ($input: LetterIssueInput!) {
  letterIssue(input: $input) { letter { id } userErrors { code } }
}
"""
ATTESTATION_REQUEST = """
mutation ($input: AttestationRequestInput!) {
  attestationRequest(input: $input) { attestation { id } userErrors { code } }
}
"""
LETTERS = "{ viewer { letters(first: 50) { edges { node { id downloadUrl } } } } }"
KINDS = ("CONVOCATION", "DEMANDE_PIECES", "NOTIFICATION_DROITS", "CONVOCATION")


async def issue_letters(
    api: GraphQL, adviser: str, candidat: Candidate, count: int
) -> list[dict[str, Any]]:
    made = []
    for n in range(count):
        fields = {
            "identifiant": candidat.identifiant,
            "kind": KINDS[n % len(KINDS)],
            "body": f"Courrier {n} : merci de vous présenter à l'agence.",
        }
        data = await api(LETTER_ISSUE, {"input": fields}, token=adviser)
        assert data["letterIssue"]["userErrors"] == [], data
        made.append(data["letterIssue"]["letter"])
    return made


async def unemployment_file(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, candidat: Candidate
) -> None:
    """Four letters for a candidat of GUI01, the second and third downloaded (read), two
    attestations (situation, registration history), a declaration and a sick leave."""
    await declared(server, api, candidat)
    adviser = await adviser_at(server, api, "GUI01")
    await issue_letters(api, adviser, candidat, 4)
    edges = (await api(LETTERS, token=candidat.token))["viewer"]["letters"]["edges"]
    for edge in edges[1:3]:
        response = await http.get(edge["node"]["downloadUrl"], headers=api.headers(candidat.token))
        assert response.status_code == 200, response.text
    for kind in ("SITUATION", "HISTORIQUE_INSCRIPTIONS"):
        data = await api(ATTESTATION_REQUEST, {"input": {"kind": kind}}, token=candidat.token)
        assert data["attestationRequest"]["userErrors"] == [], data


async def declared(server: LiveServer, api: GraphQL, candidat: Candidate) -> None:
    """The declaration of this month (the clock pinned in its window, the 2nd of the next
    month), and a sick leave declared then; the clock runs again after, so that both
    servers read at the same time."""
    today = server.runtime.clock.now().astimezone(PARIS).date()
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    server.runtime.clock.set(paris(year, month, 2, 12, 0))
    try:
        sent = await mutate(api, SUBMIT, candidat.token, **declaration(worked=False, employers=[]))
        assert sent["userErrors"] == [], sent
        start, end = f"{year}-{month:02d}-01", f"{year}-{month:02d}-02"
        change = await declare(api, candidat.token, kind="SICK_LEAVE", startDate=start, endDate=end)
        assert change["userErrors"] == [], change
    finally:
        server.runtime.clock.set(None)
