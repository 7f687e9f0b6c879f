"""The demo candidat's unemployment file, as the README's tour reads it: the example
operations of ``graphql/operations/`` answer with 8 months of rights, 6 declared months and
their payments (computed by the rules, made by the payment run), letters with their PDFs,
an appointment next week, and the demo adviser sees the file of their agency's candidat."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from espace.cli.demo import DEMO_PASSWORD, seed
from tests.conftest import LiveServer
from tests.support.accounts import sign_in
from tests.support.client import GraphQL

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = ROOT / "graphql" / "operations"
README = (ROOT / "README.md").read_text(encoding="utf-8")
PARIS = ZoneInfo("Europe/Paris")
ADVISER = """
query ($identifiant: String!) {
  candidatIndemnisation(identifiant: $identifiant) {
    state daysLeft payments(first: 10) { totalCount }
  }
}
"""


def readme_query() -> str:
    """The query the README's tour says to paste as the demo candidat (step 12)."""
    step = README.split("12. The demo candidat's unemployment file", 1)[1]
    return step.split("```graphql", 1)[1].split("```", 1)[0]


def operation(name: str) -> str:
    return (OPERATIONS / f"{name}.graphql").read_text(encoding="utf-8")


async def run(
    http: httpx.AsyncClient, name: str, token: str, operation_name: str | None = None
) -> dict[str, Any]:
    """An example operation as GraphiQL runs it (its defaults for variables)."""
    body: dict[str, Any] = {"query": operation(name), "variables": {}}
    if operation_name:
        body["operationName"] = operation_name
    answer = await http.post("/graphql", json=body, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    assert "errors" not in result, result["errors"]
    data: dict[str, Any] = result["data"]
    return data


async def test_the_demo_file_answers_through_graphql(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient
) -> None:
    # Given the demo data, seeded with the runtime's clock
    now = server.runtime.clock.now()
    accounts = {a.label: a for a in await seed(server.runtime)}
    camille = accounts["Candidat (Camille Exemple)"]
    session = await sign_in(
        api, identifiant=camille.login, password=DEMO_PASSWORD, postalCode="22200"
    )
    token = session["token"]
    # and the clock given back: "now" is still the system's
    assert server.runtime.clock.pinned() is None

    # Then the registration dates from 8 months ago, at the demo adviser's agency
    registration = (await run(http, "Registration", token, "Registration"))["viewer"][
        "registration"
    ]
    assert registration["state"] == "INSCRIT" and registration["agency"]["code"] == "DEMO22"
    assert registration["adviserName"] == "Claude Conseil (fictif)"
    registered = now.astimezone(PARIS).date() - timedelta(days=8 * 31)
    assert registered.isoformat() <= registration["registeredOn"]

    # The rights: ARE, open since that day, at 38,45 € a day
    file = (await run(http, "Indemnisation", token))["viewer"]["indemnisation"]
    assert (file["state"], file["kind"], file["startDate"]) == (
        "OUVERT",
        "ARE",
        registration["registeredOn"],
    )
    assert file["dailyNetRate"]["formatted"] == "38,45\u00a0€"
    # six payments, made, each computed by the rules from its month's declaration
    payments = [e["node"] for e in file["payments"]["edges"]]
    assert len(payments) == 6 and {p["status"] for p in payments} == {"PAID"}
    assert all(p["source"] == "RULES" for p in payments)
    assert all(p["bankAccount"] == "FR76 •••• •••• •••• 0143" for p in payments)
    full = 30 * 3845
    by_amount = sorted(p["amount"]["cents"] for p in payments)
    assert by_amount.count(full) == 4  # plain months: 30 × the daily rate
    assert 27 * 3845 in by_amount  # three days of sick leave are not paid
    assert full - 42000 in by_amount  # 40 h at 600 € gross: 70 % deducted
    assert file["daysLeft"] < 730 - 6 * 25
    latest = payments[0]
    assert file["lastPaymentSentence"] == (
        f"Au {latest['paidOn'][8:10]}/{latest['paidOn'][5:7]}/{latest['paidOn'][:4]} "
        f"mon dernier versement est de {latest['amount']['formatted']} net"
    )

    # Six declarations, one per month
    declared = (await run(http, "Actualisation", token, "Actualisations"))["viewer"][
        "actualisations"
    ]
    periods = [e["node"]["period"] for e in declared["edges"]]
    assert len(periods) == 6 and len(set(periods)) == 6
    assert {p["period"] for p in payments} == set(periods)

    # Letters: three, two unread; each downloads as a PDF
    letters = (await run(http, "Letters", token, "MyLetters"))["viewer"]["letters"]
    kinds = {e["node"]["kind"]: e["node"]["read"] for e in letters["edges"]}
    assert kinds == {"NOTIFICATION_DROITS": True, "AVIS_PAIEMENT": False, "CONVOCATION": False}
    assert letters["unreadCount"] == 2
    for edge in letters["edges"]:
        pdf = await http.get(
            edge["node"]["downloadUrl"], headers={"Authorization": f"Bearer {token}"}
        )
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")

    # The agenda: an appointment next week with the demo adviser, exported as .ics
    agenda = (await run(http, "Agenda", token, "MyAgenda"))["viewer"]["agenda"]
    [appointment] = [e["node"] for e in agenda["edges"] if e["node"]["__typename"] == "Appointment"]
    assert appointment["adviserName"] == "Claude Conseil (fictif)"
    assert appointment["modality"] == "AGENCE" and appointment["canAnswer"] is True
    assert appointment["startsAt"][:10] == (
        (now.astimezone(PARIS).date() + timedelta(days=7)).isoformat()
    )
    ics = await http.get(appointment["icsUrl"], headers={"Authorization": f"Bearer {token}"})
    assert ics.status_code == 200 and "BEGIN:VEVENT" in ics.text

    # The bank account, masked
    bank = (await run(http, "BankAccount", token, "BankAccount"))["viewer"]["bankAccount"]
    assert bank["current"]["iban"] == "FR76 •••• •••• •••• 0143" and bank["pending"] is None

    # The README's query answers, word for word
    pasted = (await api(readme_query(), token=token))["viewer"]
    assert pasted["indemnisation"]["lastPaymentSentence"] == file["lastPaymentSentence"]
    assert pasted["letters"]["unreadCount"] == 0  # the PDFs downloaded above were read
    assert pasted["registration"]["agency"]["name"] == "Agence de Guingamp (fictive)"

    # And the demo adviser sees the file of their agency's candidat
    adviser = await sign_in(api, email=accounts["Conseiller"].login, password=DEMO_PASSWORD)
    seen = await api(ADVISER, {"identifiant": camille.login}, token=adviser["token"])
    assert seen["candidatIndemnisation"] == {
        "state": "OUVERT",
        "daysLeft": file["daysLeft"],
        "payments": {"totalCount": 6},
    }
