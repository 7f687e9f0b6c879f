"""Queries and steps of the unemployment-file journey (test_unemployment_month.py)."""

from __future__ import annotations

import asyncio
from email.message import EmailMessage
from typing import Any

import httpx

from tests.actualisation.support import mutate
from tests.conftest import LiveServer
from tests.support.accounts import Candidate
from tests.support.agencies import pdf_text
from tests.support.applications import until_listening
from tests.support.client import GraphQL, MailCatcher, text_part
from tests.support.ws import WSClient, subscribed

LIVE = "subscription { dashboardEvents { kind message subjectId } }"
RIGHTS_SET = """
mutation ($input: IndemnisationRightsSetInput!) {
  indemnisationRightsSet(input: $input) { indemnisation { state } userErrors { code } }
}
"""
ALLOWANCE = """
{ viewer { indemnisation {
  daysLeft lastPaymentSentence
  payments(first: 5) { edges { node {
    id status paidOn period bankAccount amount { formatted }
    computation { grossPay { formatted } activityDeduction { formatted } daysPaid }
  } } }
} dashboard { newSinceLastVisit { indemnisation } } } }
"""
PAYMENT_NODE = "query ($id: ID!) { node(id: $id) { id } }"
LETTER_ISSUE = """
mutation ($input: LetterIssueInput!) {
  letterIssue(input: $input) { letter { id title downloadUrl } userErrors { code } }
}
"""
LETTERS = "{ viewer { letters(first: 5) { unreadCount edges { node { id read } } } } }"
SCHEDULE = """
mutation ($input: AppointmentScheduleInput!) {
  appointmentSchedule(input: $input) { appointment { id status icsUrl } userErrors { code } }
}
"""
CONFIRM = """
mutation ($input: AppointmentInput!) {
  appointmentConfirm(input: $input) { appointment { status } userErrors { code } }
}
"""
ATTEST = """
mutation ($input: AttestationRequestInput!) {
  attestationRequest(input: $input) {
    attestation { kind code verificationUrl downloadUrl facts { label value } }
    userErrors { field code message }
  }
}
"""
BANK_CHANGE = """
mutation ($input: BankAccountChangeInput!) {
  bankAccountChange(input: $input) {
    bankAccount { current { iban } pending { iban effectiveAt } }
    userErrors { field code }
  }
}
"""
BANK_CANCEL = """
mutation ($input: BankAccountChangeCancelInput!) {
  bankAccountChangeCancel(input: $input) { bankAccount { pending { iban } } userErrors { code } }
}
"""
BANK = "{ viewer { bankAccount { current { iban } pending { iban } } } }"
DASHBOARD_FILE = """{ viewer { dashboard {
  unemploymentFile {
    declarationState windowSentence lastActualisationSentence lastPaymentSentence
    unreadLetters nextAppointmentSentence
  }
  actions { code subjectId }
} } }"""
BNP = "FR76 3000 4000 0312 3456 7890 143"
POSTE = "FR14 2004 1010 0505 0001 3M02 606"
NBSP = "\u00a0"
NEXT = (
    "Mon prochain rendez-vous : le 8 octobre 2026 à 10 h 00 (heure de Paris), "
    "Point sur votre reprise d'activité"
)
NNBSP = "\u202f"


async def next_event(ws: WSClient, kind: str) -> dict[str, Any]:
    """The next live event of this kind (the others that come first are passed over)."""
    for _ in range(10):
        event: dict[str, Any] = (await ws.next_data("1"))["dashboardEvents"]
        if event["kind"] == kind:
            return event
    raise AssertionError(f"no {kind} event")


async def mail_about(smtp: MailCatcher, to: str | None, word: str) -> EmailMessage:
    """The latest mail to ``to`` whose subject has ``word``, once it has come."""
    for _ in range(250):
        found = [m for m in smtp.for_address(to) if word in str(m["Subject"])]
        if found:
            return found[-1]
        await asyncio.sleep(0.02)
    raise AssertionError(f"no mail about {word!r} to {to}")


async def dashboard_file(api: GraphQL, token: str) -> dict[str, Any]:
    """« Mon dossier de demandeur d'emploi » and « Mes actions » on the dashboard."""
    board: dict[str, Any] = (await api(DASHBOARD_FILE, token=token))["viewer"]["dashboard"]
    return board


async def due(api: GraphQL, token: str) -> list[tuple[str, str | None]]:
    """« Mes actions »: each action's code and the object it concerns."""
    return [(a["code"], a["subjectId"]) for a in (await dashboard_file(api, token))["actions"]]


async def dashboard_after_payment(api: GraphQL, token: str) -> None:
    """Step 5: the dashboard reads the seed's sentences with the month's dates and amounts."""
    board = await dashboard_file(api, token)
    assert board["unemploymentFile"] == {
        "declarationState": "DECLARED",
        "windowSentence": "Je m'actualise du 28 septembre au 15 octobre",
        "lastActualisationSentence": "Ma dernière actualisation a été validée le 29/09/2026 "
        "(pour la période du 01/09/2026 au 30/09/2026)",
        "lastPaymentSentence": f"Au 02/10/2026 mon dernier versement est de 733,50{NBSP}€ net",
        "unreadLetters": 0,
        "nextAppointmentSentence": None,
    }
    assert board["actions"] == []


async def allowance(api: GraphQL, token: str) -> dict[str, Any]:
    viewer: dict[str, Any] = (await api(ALLOWANCE, token=token))["viewer"]
    return viewer


def payments(viewer: dict[str, Any]) -> list[dict[str, Any]]:
    return [e["node"] for e in viewer["indemnisation"]["payments"]["edges"]]


async def attestations_of_the_month(
    api: GraphQL, http: httpx.AsyncClient, annaig: Candidate
) -> None:
    """The attestation fiscale of 2026 shows the payment and verifies publicly; every other
    kind has its facts too (registration history and payments)."""
    fiscal = await mutate(api, ATTEST, annaig.token, kind="FISCALE", year=2026)
    assert fiscal["userErrors"] == []
    facts = {f["label"]: f["value"] for f in fiscal["attestation"]["facts"]}
    assert facts["Total versé en 2026"] == f"733,50{NBSP}€"
    assert facts["Nombre de versements"] == "1"
    document = await http.get(
        fiscal["attestation"]["downloadUrl"], headers=api.headers(annaig.token)
    )
    assert fiscal["attestation"]["code"] in pdf_text(document.content)
    page = await http.get(fiscal["attestation"]["verificationUrl"])
    assert page.status_code == 200 and "Attestation authentique" in page.text
    assert f"Total versé en 2026 : 733,50{NBSP}€" in page.text
    assert annaig.identifiant not in page.text
    # Every kind of attestation has its facts now (registration history and payments)
    for kind in (
        "SITUATION",
        "HISTORIQUE_INSCRIPTIONS",
        "PERIODES_INDEMNISEES",
        "DERNIER_PAIEMENT",
        "CAISSE_RETRAITE",
    ):
        other = await mutate(api, ATTEST, annaig.token, kind=kind)
        assert other["userErrors"] == [], (kind, other)
    history = await mutate(api, ATTEST, annaig.token, kind="HISTORIQUE_INSCRIPTIONS")
    assert ("10/09/2026", "Inscription") in {
        (f["label"], f["value"]) for f in history["attestation"]["facts"]
    }
    last = await mutate(api, ATTEST, annaig.token, kind="DERNIER_PAIEMENT")
    assert {f["value"] for f in last["attestation"]["facts"]} >= {"02/10/2026", f"733,50{NBSP}€"}


async def new_bank_account(
    server: LiveServer, api: GraphQL, smtp: MailCatcher, annaig: Candidate
) -> None:
    """A new bank account needs the password, waits 72 hours (cancellable), is announced
    live and by mail; the change is asked again and left to take effect."""
    async with subscribed(server, annaig.token, LIVE) as ws:
        await until_listening(ws)
        wrong = await mutate(
            api, BANK_CHANGE, annaig.token, iban=POSTE, holder="Annaïg Le Goff", currentPassword="x"
        )
        assert [e["field"] for e in wrong["userErrors"]] == ["currentPassword"]
        changed = await mutate(
            api,
            BANK_CHANGE,
            annaig.token,
            iban=POSTE,
            holder="Annaïg Le Goff",
            currentPassword=annaig.password,
        )
        assert changed["bankAccount"]["current"] == {"iban": "FR76 •••• •••• •••• 0143"}
        assert changed["bankAccount"]["pending"] == {
            "iban": "FR14 •••• •••• •••• 2606",
            "effectiveAt": "2026-10-22T09:00:00+00:00",
        }
        assert (
            "FR14 •••• •••• •••• 2606" in (await next_event(ws, "BANK_ACCOUNT_CHANGED"))["message"]
        )
        notice = await mail_about(smtp, annaig.email, "bancaires")
        assert "2004 1010" not in text_part(notice)
        cancelled = await mutate(api, BANK_CANCEL, annaig.token)
        assert cancelled["bankAccount"]["pending"] is None
        await next_event(ws, "BANK_ACCOUNT_CHANGE_CANCELLED")
        again = await mutate(
            api,
            BANK_CHANGE,
            annaig.token,
            iban=POSTE,
            holder="Annaïg Le Goff",
            currentPassword=annaig.password,
        )
        assert again["userErrors"] == []
