"""A whole month of the unemployment file, with the clock driven by the test (issue 13's
"Done when", but for the changes of situation, not built yet): the window opens with its
mail, the candidat declares and gets the receipt, the payslip is accepted, the payment
computed at the declaration (with the activity deduction, and again at each correction until
it is made) is made by the nightly job and pushed live, the dashboard's « Mon dossier de
demandeur d'emploi » reads the month's dates and amounts and « Mes actions » what is due, a letter
arrives and downloads, an appointment is confirmed and exported, an attestation fiscale
verifies on the public page, a missed window ceases a registration that is then renewed,
and a new bank account follows its delay."""

from __future__ import annotations

from datetime import timedelta

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
from tests.journeys.unemployment_steps import (
    BANK,
    BANK_CHANGE,
    BNP,
    CONFIRM,
    LETTER_ISSUE,
    LETTERS,
    LIVE,
    NBSP,
    NEXT,
    NNBSP,
    PAYMENT_NODE,
    RIGHTS_SET,
    SCHEDULE,
    allowance,
    attestations_of_the_month,
    dashboard_after_payment,
    dashboard_file,
    due,
    mail_about,
    new_bank_account,
    next_event,
    payments,
)
from tests.support.accounts import sign_up_candidate
from tests.support.agencies import adviser_at, pdf_text, registered_candidate, two_agencies
from tests.support.applications import until_listening
from tests.support.client import GraphQL, MailCatcher, text_part
from tests.support.cvs import tiny_pdf
from tests.support.ws import subscribed


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
        assert await due(api, annaig.token) == [("DECLARE", None)]  # « Mes actions »

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
        # 5. And the dashboard reads the seed's sentences with the new dates and amounts
        await dashboard_after_payment(api, annaig.token)
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
        assert (await dashboard_file(api, annaig.token))["unemploymentFile"]["unreadLetters"] == 1
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
        assert await due(api, annaig.token) == [("CONFIRM_APPOINTMENT", appointment["id"])]
        confirmed = await mutate(api, CONFIRM, annaig.token, id=appointment["id"])
        assert confirmed["appointment"]["status"] == "CONFIRMED"
        board = (await dashboard_file(api, annaig.token))["unemploymentFile"]
        assert await due(api, annaig.token) == [] and board["nextAppointmentSentence"] == NEXT
        ics = await http.get(appointment["icsUrl"], headers=api.headers(annaig.token))
        assert ics.status_code == 200
        [vevent] = Calendar.from_ical(ics.content).walk("VEVENT")
        assert vevent.decoded("dtstart") == starts
        assert vevent.decoded("dtend") == starts + timedelta(minutes=30)

    # 8. The attestation fiscale of 2026 shows the payment, and its code verifies publicly
    await attestations_of_the_month(api, http, annaig)

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
    await new_bank_account(server, api, smtp, annaig)
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
