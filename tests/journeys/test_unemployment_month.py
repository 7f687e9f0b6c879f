"""A whole month of the unemployment file, with the clock driven by the test (issue 13's
"Done when", but for the changes of situation and the dashboard section, not built yet):
the window opens with its mail, the candidat declares and gets the receipt, the payslip is
accepted, the payment computed at the declaration (with the activity deduction, and again
at each correction until it is made) is made by the nightly job and pushed live, a letter
arrives and downloads, an appointment is confirmed and exported, an attestation fiscale
verifies on the public page, a missed window ceases a registration that is then renewed,
and a new bank account follows its delay."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import httpx
from icalendar import Calendar

from tests.actualisation.support import (
    CORRECT,
    REGISTRATION,
    RENEW,
    SUBMIT,
    WINDOW,
    at,
    declaration,
    mutate,
    paris,
)
from tests.actualisation.test_documents import DECIDE, upload
from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate
from tests.support.agencies import adviser_at, pdf_text, registered_candidate, two_agencies
from tests.support.applications import until_listening
from tests.support.client import GraphQL, MailCatcher, text_part
from tests.support.cvs import tiny_pdf
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
BNP = "FR76 3000 4000 0312 3456 7890 143"
POSTE = "FR14 2004 1010 0505 0001 3M02 606"
NBSP = "\u00a0"
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


async def allowance(api: GraphQL, token: str) -> dict[str, Any]:
    viewer: dict[str, Any] = (await api(ALLOWANCE, token=token))["viewer"]
    return viewer


def payments(viewer: dict[str, Any]) -> list[dict[str, Any]]:
    return [e["node"] for e in viewer["indemnisation"]["payments"]["edges"]]


async def test_a_month_of_the_unemployment_file(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given, on 10 September 2026, Guingamp and Brest with an adviser each; Annaïg, registered
    # at Guingamp with rights open (38,45 € a day, reference salary 2 000 €) and a bank
    # account; and Bruno, registered at Guingamp too
    await at(server, paris(2026, 9, 10, 9, 0))
    agencies = await two_agencies(server, api)
    adviser = await adviser_at(server, api, "GUI01", name="Maëlle Le Bihan")
    brest = await adviser_at(server, api, "BRE01")
    annaig = await registered_candidate(
        api, http, smtp, agencies["GUI01"], "annaig.legoff@example.org"
    )
    bruno = await sign_up_candidate(api, email="bruno@example.org")
    rights = {
        "identifiant": annaig.identifiant,
        "state": "OUVERT",
        "kind": "ARE",
        "dailyNetRate": "38,45",
        "startDate": "2026-09-01",
        "daysGranted": 365,
        "referenceSalary": "2 000",
    }
    assert (await mutate(api, RIGHTS_SET, brest, **rights))["userErrors"] == [{"code": "NOT_FOUND"}]
    assert (await mutate(api, RIGHTS_SET, adviser, **rights))["userErrors"] == []
    first = await mutate(
        api,
        BANK_CHANGE,
        annaig.token,
        iban=BNP,
        holder="Annaïg Le Goff",
        currentPassword=annaig.password,
    )
    assert first["bankAccount"] == {
        "current": {"iban": "FR76 •••• •••• •••• 0143"},
        "pending": None,
    }
    await smtp.wait_for(1, to=annaig.email)
    await smtp.wait_for(1, to="bruno@example.org")  # the welcome mail
    with smtp.lock:
        smtp.messages.clear()

    async with subscribed(server, annaig.token, LIVE) as ws:
        await until_listening(ws)
        # 1. When the window opens (the scheduler's midnight slot, Paris time)
        assert "actualisation:windows" in await at(server, paris(2026, 9, 28, 0, 5), True)
        # Then the mail comes, and the event live; the dashboard says « Je m'actualise … »
        [opening] = await smtp.wait_for(1, to=annaig.email)
        assert opening["Subject"] == (
            "Actualisez-vous pour septembre 2026 : du 28 septembre au 15 octobre"
        )
        assert (await next_event(ws, "ACTUALISATION_OPENED"))["message"] == (
            "Je m'actualise pour septembre 2026 : du 28 septembre au 15 octobre."
        )
        window = (await api(WINDOW, token=annaig.token))["viewer"]["actualisationWindow"]
        assert window["sentence"] == "Je m'actualise du 28 septembre au 15 octobre"

        # 2. When Annaïg declares 40 hours at 600 € gross for one employer
        await at(server, paris(2026, 9, 29, 10, 15))
        sent = await mutate(api, SUBMIT, annaig.token, **declaration())
        assert sent["userErrors"] == []
        act = sent["actualisation"]
        assert act["registeredSentence"] == "Déclaration enregistrée le 29/09/2026 à 10:15"
        await next_event(ws, "ACTUALISATION_SUBMITTED")
        # Then the receipt comes by mail, and as a PDF
        receipt = (await smtp.wait_for(2, to=annaig.email))[-1]
        assert receipt["Subject"] == "Votre actualisation de septembre 2026 est enregistrée"
        assert f"Récépissé n° {act['number']}" in text_part(receipt)
        pdf = await http.get(act["receiptUrl"], headers=api.headers(annaig.token))
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
        assert act["number"].encode() in pdf.content
        assert (
            await http.get(act["receiptUrl"], headers=api.headers(bruno.token))
        ).status_code == 404

        # 4. And the month's payment is computed at once from the declaration:
        # 30 × 38,45 − 70 % × 600 = 733,50 €, paid 3 working days later (Friday 2 October)
        mine = await allowance(api, annaig.token)
        [payment] = payments(mine)
        assert payment["status"] == "SCHEDULED" and payment["period"] == "2026-09-01"
        assert payment["paidOn"] == "2026-10-02"
        assert payment["amount"]["formatted"] == f"733,50{NBSP}€"
        assert payment["computation"] == {
            "grossPay": {"formatted": f"600,00{NBSP}€"},
            "activityDeduction": {"formatted": f"420,00{NBSP}€"},
            "daysPaid": 19,
        }
        assert payment["bankAccount"] == "FR76 •••• •••• •••• 0143"
        assert mine["indemnisation"]["daysLeft"] == 346
        # A correction before it is made recomputes it (one payment a month, days given back)
        more = [{"name": "Conserverie du Goëlo", "hours": 45, "grossPay": "675.50"}]
        assert (await mutate(api, CORRECT, annaig.token, **declaration(employers=more)))[
            "userErrors"
        ] == []
        mine = await allowance(api, annaig.token)
        [payment] = payments(mine)
        assert payment["amount"]["formatted"] == f"680,65{NBSP}€"  # 1 153,50 − 472,85
        assert payment["computation"]["daysPaid"] == 17
        assert mine["indemnisation"]["daysLeft"] == 348
        assert (await mutate(api, CORRECT, annaig.token, **declaration()))["userErrors"] == []
        mine = await allowance(api, annaig.token)
        [payment] = payments(mine)
        assert payment["amount"]["formatted"] == f"733,50{NBSP}€"
        assert mine["indemnisation"]["daysLeft"] == 346

        # 3. When she sends her payslip and the adviser accepts it, she sees it live
        sent_doc = await upload(
            http, annaig.token, tiny_pdf(), "bulletin.pdf", code="BDS", period="2026-09-30"
        )
        assert sent_doc["userErrors"] == []
        refused = await mutate(api, DECIDE, brest, id=sent_doc["document"]["id"], status="ACCEPTED")
        assert [e["code"] for e in refused["userErrors"]] == ["NOT_FOUND"]
        accepted = await mutate(
            api, DECIDE, adviser, id=sent_doc["document"]["id"], status="ACCEPTED"
        )
        assert accepted["document"]["status"] == "ACCEPTED"
        assert (await next_event(ws, "DOCUMENT_DECIDED"))["message"] == (
            "Justificatif « Bulletin de salaire » : accepté."
        )

        # 4. When the night of Friday 2 October comes, the payment is made and pushed live
        assert "indemnisation:pay" in await at(server, paris(2026, 10, 2, 0, 30), True)
        made = await next_event(ws, "PAYMENT_MADE")
        assert made["subjectId"] == payment["id"]
        assert made["message"] == f"Paiement de 733,50{NBSP}€ effectué le 02/10/2026."
        paid_mail = await mail_about(smtp, annaig.email, "paiement")
        assert "70 % déduits (420,00\u00a0€)" in text_part(paid_mail)
        mine = await allowance(api, annaig.token)
        assert mine["indemnisation"]["lastPaymentSentence"] == (
            f"Au 02/10/2026 mon dernier versement est de 733,50{NBSP}€ net"
        )
        assert mine["dashboard"]["newSinceLastVisit"]["indemnisation"] >= 1
        assert (await api(PAYMENT_NODE, {"id": payment["id"]}, token=bruno.token))["node"] is None
        # A correction once it is made leaves it as it is
        await at(server, paris(2026, 10, 5, 9, 0))
        assert (await mutate(api, CORRECT, annaig.token, **declaration(employers=more)))[
            "userErrors"
        ] == []
        [payment] = payments(await allowance(api, annaig.token))
        assert payment["status"] == "PAID"
        assert payment["amount"]["formatted"] == f"733,50{NBSP}€"

        # 6. When the adviser sends the notification of rights, it arrives live
        issued = await mutate(
            api,
            LETTER_ISSUE,
            adviser,
            identifiant=annaig.identifiant,
            kind="NOTIFICATION_DROITS",
            body="Vos droits à l'allocation sont ouverts depuis le 1er septembre 2026.",
        )
        assert issued["userErrors"] == []
        letter = issued["letter"]
        assert (await next_event(ws, "LETTER_RECEIVED"))["subjectId"] == letter["id"]
        waiting = await mail_about(smtp, annaig.email, "courrier")
        assert "ouverts depuis le 1er septembre" not in text_part(waiting)
        # And downloads, which marks it read; nobody else gets it
        assert (
            await http.get(letter["downloadUrl"], headers=api.headers(bruno.token))
        ).status_code == 404
        got = await http.get(letter["downloadUrl"], headers=api.headers(annaig.token))
        assert got.status_code == 200
        text = pdf_text(got.content)
        assert "Notification de vos droits" in text and "Agence de Guingamp" in text
        letters = (await api(LETTERS, token=annaig.token))["viewer"]["letters"]
        assert letters["unreadCount"] == 0

        # 7. When the adviser schedules an appointment, she confirms it and exports it
        starts = paris(2026, 10, 8, 10, 0)
        scheduled = await mutate(
            api,
            SCHEDULE,
            adviser,
            identifiant=annaig.identifiant,
            theme="Point sur votre reprise d'activité",
            startsAt=starts.isoformat(),
            durationMinutes=30,
            modality="VISIO",
            link="https://visio.example.org/salle/7",
        )
        assert scheduled["userErrors"] == []
        appointment = scheduled["appointment"]
        await next_event(ws, "APPOINTMENT_SCHEDULED")
        confirmed = await mutate(api, CONFIRM, annaig.token, id=appointment["id"])
        assert confirmed["appointment"]["status"] == "CONFIRMED"
        ics = await http.get(appointment["icsUrl"], headers=api.headers(annaig.token))
        assert ics.status_code == 200
        [vevent] = Calendar.from_ical(ics.content).walk("VEVENT")
        assert vevent.decoded("dtstart") == starts
        assert vevent.decoded("dtend") == starts + timedelta(minutes=30)

    # 8. The attestation fiscale of 2026 shows the payment, and its code verifies publicly
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

    # 9. Bruno never declared: reminded 3 days before the end, then ceased, then renews
    with smtp.lock:
        smtp.messages.clear()
    await at(server, paris(2026, 10, 13, 0, 1), True)
    [reminder] = await smtp.wait_for(1)
    assert str(reminder["To"]) == "bruno@example.org"
    await at(server, paris(2026, 10, 16, 0, 1), True)
    ceased = (await smtp.wait_for(2))[-1]
    assert str(ceased["To"]) == "bruno@example.org"
    assert ceased["Subject"] == "Cessation de votre inscription comme demandeur d'emploi"
    state = (await api(REGISTRATION, token=bruno.token))["viewer"]["registration"]["state"]
    assert state == "CESSATION_INSCRIPTION"
    mine = (await api(REGISTRATION, token=annaig.token))["viewer"]["registration"]
    assert mine["state"] == "INSCRIT"
    await at(server, paris(2026, 10, 19, 11, 0))
    renewed = await mutate(api, RENEW, bruno.token)
    assert renewed["registration"] == {
        "state": "INSCRIT",
        "registeredOn": "2026-10-19",
        "category": 1,
    }

    # 10. A new bank account needs the password, waits 72 hours (cancellable), is announced
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
    # Once the delay has passed, the October payment goes to the new account
    await at(server, paris(2026, 10, 29, 9, 0), True)
    bank = (await api(BANK, token=annaig.token))["viewer"]["bankAccount"]
    assert bank == {"current": {"iban": "FR14 •••• •••• •••• 2606"}, "pending": None}
    october = await mutate(api, SUBMIT, annaig.token, **declaration(worked=False, employers=[]))
    assert october["userErrors"] == []
    october_payment = payments(await allowance(api, annaig.token))[0]
    assert october_payment["period"] == "2026-10-01"
    assert october_payment["bankAccount"] == "FR14 •••• •••• •••• 2606"
    assert october_payment["amount"]["formatted"] == f"1{NNBSP}153,50{NBSP}€"
