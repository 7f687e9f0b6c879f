"""Supporting documents: sent by GraphQL multipart (PDF or JPEG, judged by content), decided
by an adviser of the candidat's agency only, the decision pushed live to the candidat."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.actualisation.support import LIVE_EVENTS, agency_with_adviser, mutate
from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL
from tests.support.cvs import tiny_pdf
from tests.support.ws import eventually, subscribed

UPLOAD = """
mutation ($input: SupportingDocumentUploadInput!) {
  supportingDocumentUpload(input: $input) {
    document { id code label period name contentType status url }
    userErrors { field code message }
  }
}
"""
DECIDE = """
mutation ($input: SupportingDocumentDecideInput!) {
  supportingDocumentDecide(input: $input) {
    document { id status reason decidedAt }
    userErrors { field code message }
  }
}
"""
LIST = """
query ($status: SupportingDocumentStatus) { viewer { supportingDocuments(status: $status) {
  edges { node { id code status } }
} } }
"""
NODE = "query ($id: ID!) { node(id: $id) { ... on SupportingDocument { name } } }"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 64 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


async def upload(
    http: httpx.AsyncClient, token: str, data: bytes, name: str, **fields: Any
) -> dict[str, Any]:
    operations = {"query": UPLOAD, "variables": {"input": {**fields, "file": None}}}
    response = await http.post(
        "/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.file"]}),
        },
        files={"0": (name, data, "application/octet-stream")},
        headers={"Authorization": f"Bearer {token}", "GraphQL-Require-Preflight": "1"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["supportingDocumentUpload"]
    return payload


def ids(viewer: dict[str, Any]) -> list[str]:
    return [e["node"]["id"] for e in viewer["supportingDocuments"]["edges"]]


async def test_documents_are_sent_then_decided_by_the_agency_only(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient
) -> None:
    # Given a candidat of Guingamp, an adviser there and one at Brest
    guingamp = await agency_with_adviser(server, api)
    brest = await agency_with_adviser(server, api, "BRE01", "29200")
    candidate = await sign_up_candidate(api, postal_code="22200")
    other = await sign_up_candidate(api, postal_code="22200")
    # When the candidat sends a payslip (PDF) and a sick-leave notice (JPEG)
    payslip = await upload(
        http, candidate.token, tiny_pdf(), "bulletin.pdf", code="BDS", period="2026-09-17"
    )
    assert payslip["userErrors"] == []
    doc = payslip["document"]
    assert (doc["code"], doc["label"], doc["period"], doc["status"]) == (
        "BDS",
        "Bulletin de salaire",
        "2026-09-01",
        "PENDING",
    )
    notice = (await upload(http, candidate.token, JPEG, "arret.jpg", code="AAT"))["document"]
    assert notice["contentType"] == "image/jpeg"
    # Anything else is refused by its content, whatever its name
    png = await upload(http, candidate.token, PNG, "photo.pdf", code="AAT")
    assert [(e["field"], e["code"]) for e in png["userErrors"]] == [("file", "NOT_PDF_OR_JPEG")]
    empty = await upload(http, candidate.token, b"", "vide.pdf", code="AAT")
    assert [e["code"] for e in empty["userErrors"]] == ["FILE_EMPTY"]
    # Then the candidat and the Guingamp adviser see both; Brest and the other candidat nothing
    mine = (await api(LIST, token=candidate.token))["viewer"]
    assert ids(mine) == [notice["id"], doc["id"]]
    agency = (await api(LIST, {"status": "PENDING"}, token=guingamp))["viewer"]
    assert ids(agency) == [notice["id"], doc["id"]]
    assert ids((await api(LIST, token=brest))["viewer"]) == []
    assert ids((await api(LIST, token=other.token))["viewer"]) == []
    assert (await api(NODE, {"id": doc["id"]}, token=other.token))["node"] is None
    assert (await api(NODE, {"id": doc["id"]}, token=brest))["node"] is None
    for token in (brest, other.token):
        response = await http.get(doc["url"], headers=api.headers(token))
        assert response.status_code == 404
    got = await http.get(notice["url"], headers=api.headers(guingamp))
    assert got.status_code == 200 and got.content == JPEG
    assert got.headers["content-type"] == "image/jpeg"
    # An adviser of another agency cannot decide; a refusal needs a reason
    foreign = await mutate(api, DECIDE, brest, id=doc["id"], status="ACCEPTED")
    assert [e["code"] for e in foreign["userErrors"]] == ["NOT_FOUND"]
    bare = await mutate(api, DECIDE, guingamp, id=notice["id"], status="REFUSED")
    assert [(e["field"], e["code"]) for e in bare["userErrors"]] == [("reason", "REQUIRED")]
    self_decided = await mutate(api, DECIDE, candidate.token, id=doc["id"], status="ACCEPTED")
    assert [e["code"] for e in self_decided["userErrors"]] == ["FORBIDDEN"]
    # When the Guingamp adviser accepts the payslip, the candidat sees it live
    async with subscribed(server, candidate.token, LIVE_EVENTS) as ws:
        await eventually(lambda: bool(server.app.state.hub.groups))
        accepted = await mutate(api, DECIDE, guingamp, id=doc["id"], status="ACCEPTED")
        assert accepted["userErrors"] == [] and accepted["document"]["status"] == "ACCEPTED"
        event = (await ws.next_data("1"))["dashboardEvents"]
    assert event == {
        "kind": "DOCUMENT_DECIDED",
        "message": "Justificatif « Bulletin de salaire » : accepté.",
    }
    refused = await mutate(
        api, DECIDE, guingamp, id=notice["id"], status="REFUSED", reason="Illisible."
    )
    assert refused["document"]["status"] == "REFUSED"
    assert refused["document"]["reason"] == "Illisible."
    left = (await api(LIST, {"status": "PENDING"}, token=guingamp))["viewer"]
    assert ids(left) == []
