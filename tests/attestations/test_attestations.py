"""Attestations: asked for, downloaded as a PDF with a code and a QR code, and verified on
the public page, which shows no more than the document."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import httpx
import segno
from pypdf import PdfReader
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from models.registration import Registration
from resolvers.attestations.sources import Payment, payment_sources, sources_for
from tests.conftest import LiveServer
from tests.support.accounts import account_row, sign_up_candidate, write_session
from tests.support.agencies import adviser_at, pdf_text, registered_candidate, two_agencies
from tests.support.client import GraphQL
from tests.support.dossiers import codes

REQUEST = """
mutation ($input: AttestationRequestInput!) {
  attestationRequest(input: $input) {
    attestation {
      id kind title code statement verificationUrl downloadUrl facts { label value }
    }
    userErrors { field code message }
  }
}
"""
LIST = "{ viewer { attestations(first: 5) { edges { node { id code } } } } }"
NODE = "query ($id: ID!) { node(id: $id) { id ... on Attestation { code } } }"


async def ask(api: GraphQL, token: str, **fields: Any) -> dict[str, Any]:
    data = await api(REQUEST, {"input": fields}, token=token)
    payload: dict[str, Any] = data["attestationRequest"]
    return payload


def qr_matrix(pdf: bytes) -> list[list[bool]]:
    """The modules of the QR image embedded in the PDF (4 px a module, 4 modules of border),
    read back from its pixels."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    [image] = page.images
    picture = image.image.convert("L")
    modules = picture.width // 4 - 8
    return [
        [picture.getpixel((4 * (4 + c) + 2, 4 * (4 + r) + 2)) < 128 for c in range(modules)]
        for r in range(modules)
    ]


async def test_an_attestation_fiscale_downloads_and_verifies(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: Any
) -> None:
    # Given a registered candidat; the allowance domain (issue 13b, plugged at integration)
    # stands here as a payment source with two payments in 2025 and one in 2026
    server.runtime.clock.set(datetime(2026, 3, 2, 10, tzinfo=UTC))
    agencies = await two_agencies(server, api)
    candidat = await registered_candidate(api, http, smtp, agencies["GUI01"], "att@example.org")
    paid = [
        Payment(date(2025, 11, 4), 98_765, date(2025, 10, 1), date(2025, 10, 31)),
        Payment(date(2025, 12, 3), 142_655, date(2025, 11, 1), date(2025, 11, 30)),
        Payment(date(2026, 1, 5), 14_265, date(2025, 12, 1), date(2025, 12, 31)),
    ]

    async def payments(session: AsyncSession, account_id: int) -> Sequence[Payment]:
        return paid

    payment_sources(sources_for(server.runtime), payments)

    # When the candidat asks for the attestation fiscale of 2025
    payload = await ask(api, candidat.token, kind="FISCALE", year=2025)
    assert payload["userErrors"] == []
    attestation = payload["attestation"]
    facts = {f["label"]: f["value"] for f in attestation["facts"]}
    assert facts["Total versé en 2025"] == "2\u00a0414,20\u00a0€"
    assert facts["Nombre de versements"] == "2"
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", attestation["code"])

    # Then its PDF carries the facts, the code and a QR code of the verification page
    response = await http.get(attestation["downloadUrl"], headers=api.headers(candidat.token))
    assert response.status_code == 200, response.text
    text = pdf_text(response.content)
    for expected in (
        "Attestation fiscale",
        "Annaïg LE GOFF",
        "Total versé en 2025",
        "2 414,20 €",
        attestation["code"],
        attestation["verificationUrl"],
        "Fait le 2 mars 2026",
    ):
        assert expected in text, (expected, text)
    expected_qr = segno.make(attestation["verificationUrl"], error="m", micro=False)
    assert qr_matrix(response.content) == [[bool(m) for m in row] for row in expected_qr.matrix]

    # And the public page confirms it, without the address or the identifiant
    page = await http.get(attestation["verificationUrl"])
    assert page.status_code == 200
    assert "Attestation authentique" in page.text
    assert "Attestation fiscale, délivrée le 2 mars 2026." in page.text
    assert "Titulaire : A. LE GOFF" in page.text
    assert "Total versé en 2025 : 2\u00a0414,20\u00a0€" in page.text
    for private in ("Annaïg", "Trinité", candidat.identifiant, "22200"):
        assert private not in page.text
    assert "script-src" not in page.headers["content-security-policy"]
    assert "default-src 'none'" in page.headers["content-security-policy"]
    # Typed by hand, in lower case and without dashes, it is found too
    typed = attestation["code"].replace("-", "").lower()
    assert (await http.get(f"/attestations/verifier/{typed}")).status_code == 200
    unknown = await http.get("/attestations/verifier/0000-0000-0000")
    assert unknown.status_code == 404
    assert "Aucune attestation ne correspond à ce code" in unknown.text

    # The last payment, too
    payload = await ask(api, candidat.token, kind="DERNIER_PAIEMENT")
    facts = {f["label"]: f["value"] for f in payload["attestation"]["facts"]}
    assert facts["Date du paiement"] == "05/01/2026"
    assert facts["Montant net"] == "142,65\u00a0€"
    # And the paid periods, for the candidat and for a pension fund
    for kind in ("PERIODES_INDEMNISEES", "CAISSE_RETRAITE"):
        payload = await ask(api, candidat.token, kind=kind)
        facts = {f["label"]: f["value"] for f in payload["attestation"]["facts"]}
        assert facts["Du 01/10/2025 au 31/10/2025"] == "31 jours, 987,65\u00a0€"
        assert facts["Du 01/12/2025 au 31/12/2025"] == "31 jours, 142,65\u00a0€"
    assert "caisse de retraite" in payload["attestation"]["statement"]


async def test_situation_and_who_may_see_it(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: Any
) -> None:
    server.runtime.clock.set(datetime(2026, 12, 5, 9, tzinfo=UTC))
    agencies = await two_agencies(server, api)
    candidat = await registered_candidate(api, http, smtp, agencies["GUI01"], "sit@example.org")
    unregistered = await sign_up_candidate(api)
    adviser = await adviser_at(server, api, "GUI01")

    payload = await ask(api, candidat.token, kind="SITUATION")
    assert payload["userErrors"] == []
    attestation = payload["attestation"]
    assert attestation["statement"] == (
        "France Travail atteste que Annaïg LE GOFF est inscrit(e) comme demandeur d'emploi "
        "auprès de Agence de Guingamp à la date du 5 décembre 2026."
    )
    # No registration: no attestation; no payment yet: no last-payment attestation, nor
    # paid periods; not a candidat
    assert codes(await ask(api, unregistered.token, kind="SITUATION")) == {
        "kind": "ATTESTATION_UNAVAILABLE"
    }
    assert codes(await ask(api, candidat.token, kind="DERNIER_PAIEMENT")) == {
        "kind": "ATTESTATION_UNAVAILABLE"
    }
    for kind in ("PERIODES_INDEMNISEES", "CAISSE_RETRAITE"):
        assert codes(await ask(api, candidat.token, kind=kind)) == {
            "kind": "ATTESTATION_UNAVAILABLE"
        }
    # The registration history is plugged in (resolvers/file_wiring.py): signed up today
    history = await ask(api, candidat.token, kind="HISTORIQUE_INSCRIPTIONS")
    assert history["userErrors"] == []
    rows = {f["label"]: f["value"] for f in history["attestation"]["facts"]}
    assert rows["05/12/2026"] == "Inscription"
    assert codes(await ask(api, candidat.token, kind="FISCALE", year=1900)) == {
        "year": "OUT_OF_RANGE"
    }
    assert codes(await ask(api, adviser, kind="SITUATION")) == {None: "WRONG_ACCOUNT_KIND"}
    # Once the registration has ceased (a missed declaration), no attestation de situation
    account_id = (await account_row(server, identifiant=candidat.identifiant)).id
    async with write_session(server) as session:
        await session.execute(
            update(Registration)
            .where(Registration.account_id == account_id)
            .values(state="CESSATION_INSCRIPTION")
        )
    ceased = await ask(api, candidat.token, kind="SITUATION")
    assert codes(ceased) == {"kind": "ATTESTATION_UNAVAILABLE"}
    assert "a cessé" in ceased["userErrors"][0]["message"]

    # The candidat lists and downloads theirs; no one else
    edges = (await api(LIST, token=candidat.token))["viewer"]["attestations"]["edges"]
    assert [e["node"]["code"] for e in edges] == [
        history["attestation"]["code"],
        attestation["code"],
    ]
    assert (await api(LIST, token=unregistered.token))["viewer"]["attestations"]["edges"] == []
    assert (await api(NODE, {"id": attestation["id"]}, token=unregistered.token))["node"] is None
    other = await http.get(attestation["downloadUrl"], headers=api.headers(unregistered.token))
    assert other.status_code == 404
    assert (await http.get(attestation["downloadUrl"])).status_code == 401
