"""The month of a declaration, with the clock driven by the test: the window opens (mail and
live event), the candidat declares (receipt by mail and PDF), corrects, the reminder goes to
those who have not declared, and those who never do are ceased, then renew."""

from __future__ import annotations

from tests.actualisation.support import (
    CORRECT,
    LIST,
    LIVE_EVENTS,
    NODE,
    REGISTRATION,
    RENEW,
    SUBMIT,
    WINDOW,
    agency_with_adviser,
    at,
    declaration,
    mutate,
    paris,
)
from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL, MailCatcher, text_part
from tests.support.ws import eventually, subscribed

EVENTS = "{ viewer { dashboard { events(first: 3) { edges { node { kind message } } } } } }"


def codes(payload: dict[str, object]) -> list[object]:
    return [e["code"] for e in payload["userErrors"]]  # type: ignore[attr-defined]


async def test_a_whole_month_of_declaration(
    server: LiveServer, api: GraphQL, smtp: MailCatcher
) -> None:
    # Given two candidats of Guingamp registered on 10 September 2026
    await agency_with_adviser(server, api)
    await at(server, paris(2026, 9, 10, 9, 0))
    alice = await sign_up_candidate(api, email="alice@example.org")
    bruno = await sign_up_candidate(api, email="bruno@example.org")
    await smtp.wait_for(2)  # their welcome mails
    with smtp.lock:
        smtp.messages.clear()
    # The window is not open yet: the dashboard shows the next one, and declaring is refused
    window = (await api(WINDOW, token=alice.token))["viewer"]["actualisationWindow"]
    assert window == {
        "period": "2026-09-01",
        "periodLabel": "septembre 2026",
        "opensOn": "2026-09-28",
        "closesOn": "2026-10-15",
        "isOpen": False,
        "sentence": "Je m'actualise du 28 septembre au 15 octobre",
        "declared": False,
    }
    early = await mutate(api, SUBMIT, alice.token, **declaration())
    assert codes(early) == ["WINDOW_CLOSED"]

    async with subscribed(server, alice.token, LIVE_EVENTS) as ws:
        await eventually(lambda: bool(server.app.state.hub.groups))
        # When the window opens (the scheduler's midnight slot, Paris time)
        assert "actualisation:windows" in await at(server, paris(2026, 9, 28, 0, 5), True)
        # Then both get the opening mail, and Alice the event live
        opened = await smtp.wait_for(2)
        assert {str(m["To"]) for m in opened} == {"alice@example.org", "bruno@example.org"}
        assert opened[0]["Subject"] == (
            "Actualisez-vous pour septembre 2026 : du 28 septembre au 15 octobre"
        )
        event = (await ws.next_data("1"))["dashboardEvents"]
        assert event == {
            "kind": "ACTUALISATION_OPENED",
            "message": "Je m'actualise pour septembre 2026 : du 28 septembre au 15 octobre.",
        }
        # When Alice declares 40 hours at 600 € gross for one employer
        await at(server, paris(2026, 9, 29, 10, 15))
        sent = await mutate(api, SUBMIT, alice.token, **declaration())
        assert sent["userErrors"] == []
        act = sent["actualisation"]
        assert act["period"] == "2026-09-01" and act["version"] == 1
        assert act["registeredSentence"] == "Déclaration enregistrée le 29/09/2026 à 10:15"
        assert act["answers"]["employers"] == [
            {
                "name": "Conserverie du Goëlo",
                "hours": 40,
                "grossPayCents": 60000,
                "grossPay": "600,00 €",
                "contractEnded": False,
            }
        ]
        # Then the event comes live, and the receipt by mail
        event = (await ws.next_data("1"))["dashboardEvents"]
        assert event["kind"] == "ACTUALISATION_SUBMITTED"
        receipt_mail = (await smtp.wait_for(2, to="alice@example.org"))[-1]
    assert receipt_mail["Subject"] == "Votre actualisation de septembre 2026 est enregistrée"
    body = text_part(receipt_mail)
    assert f"Récépissé n° {act['number']}" in body
    assert "Déclaration enregistrée le 29/09/2026 à 10:15." in body
    # And the receipt downloads as a PDF, for Alice only
    pdf = await api.http.get(act["receiptUrl"], headers=api.headers(alice.token))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and act["number"].encode() in pdf.content
    assert "Conserverie du Goëlo : 40 h, 600,00 EUR brut".encode("latin-1") in pdf.content
    assert (
        await api.http.get(act["receiptUrl"], headers=api.headers(bruno.token))
    ).status_code == 404
    assert (await api(NODE, {"id": act["id"]}, token=bruno.token))["node"] is None
    # A second declaration of the month is refused; a correction is recorded, history kept
    again = await mutate(api, SUBMIT, alice.token, **declaration())
    assert codes(again) == ["ALREADY_DECLARED"]
    employers = [{"name": "Conserverie du Goëlo", "hours": 45, "grossPay": "675.50"}]
    corrected = await mutate(api, CORRECT, alice.token, **declaration(employers=employers))
    assert corrected["userErrors"] == []
    fixed = corrected["actualisation"]
    assert fixed["id"] == act["id"] and fixed["version"] == 2 and fixed["number"] != act["number"]
    assert [v["answers"]["employers"][0]["hours"] for v in fixed["versions"]] == [40, 45]
    correction_mail = (await smtp.wait_for(3, to="alice@example.org"))[-1]
    assert "(correction n° 1)" in text_part(correction_mail)
    # Three days before the end, only Bruno (who has not declared) is reminded
    with smtp.lock:
        smtp.messages.clear()
    await at(server, paris(2026, 10, 13, 0, 1), True)
    [reminder] = await smtp.wait_for(1)
    assert str(reminder["To"]) == "bruno@example.org"
    assert reminder["Subject"] == "Rappel : actualisez-vous pour septembre 2026 avant le 15 octobre"
    # Once the window has closed, Bruno's registration ceases, with a mail; Alice's stays
    await at(server, paris(2026, 10, 16, 0, 1), True)
    ceased_mail = [m for m in await smtp.wait_for(2) if str(m["To"]) == "bruno@example.org"][-1]
    assert ceased_mail["Subject"] == "Cessation de votre inscription comme demandeur d'emploi"
    assert "a cessé le 16/10/2026" in text_part(ceased_mail)
    bruno_reg = (await api(REGISTRATION, token=bruno.token))["viewer"]["registration"]
    assert bruno_reg["state"] == "CESSATION_INSCRIPTION"
    bruno_events = (await api(EVENTS, token=bruno.token))["viewer"]["dashboard"]["events"]
    assert [e["node"] for e in bruno_events["edges"]] == [
        {
            "kind": "REGISTRATION_CEASED",
            "message": "Cessation d'inscription : actualisation de septembre 2026 non faite.",
        },
        {
            "kind": "ACTUALISATION_REMINDER",
            "message": "Rappel : actualisez-vous pour septembre 2026 (du 28 septembre au "
            "15 octobre).",
        },
        {
            "kind": "ACTUALISATION_OPENED",
            "message": "Je m'actualise pour septembre 2026 : du 28 septembre au 15 octobre.",
        },
    ]
    alice_reg = (await api(REGISTRATION, token=alice.token))["viewer"]["registration"]
    assert alice_reg["state"] == "INSCRIT"
    # Replaying the slot does nothing twice
    await at(server, paris(2026, 10, 16, 0, 1), True)
    assert len(smtp.for_address("bruno@example.org")) == 2
    # Correcting after the window is refused; so is declaring while ceased
    late = await mutate(api, CORRECT, alice.token, **declaration())
    assert codes(late) == ["WINDOW_CLOSED"]
    await at(server, paris(2026, 10, 29, 12, 0))
    refused = await mutate(api, SUBMIT, bruno.token, **declaration(worked=False, employers=[]))
    assert codes(refused) == ["NOT_REGISTERED"]
    # Bruno renews (réinscription), from that day, and can declare October again
    renewed = await mutate(api, RENEW, bruno.token)
    assert renewed["registration"] == {
        "state": "INSCRIT",
        "registeredOn": "2026-10-29",
        "category": 1,
    }
    history = (await api(REGISTRATION, token=bruno.token))["viewer"]["registration"]["history"]
    assert [(h["state"], h["effectiveOn"]) for h in history] == [
        ("INSCRIT", "2026-10-29"),
        ("CESSATION_INSCRIPTION", "2026-10-16"),
        ("INSCRIT", "2026-09-10"),
    ]
    october = await mutate(api, SUBMIT, bruno.token, **declaration(worked=False, employers=[]))
    assert october["userErrors"] == [] and october["actualisation"]["period"] == "2026-10-01"
    # And Alice lists her periods
    listed = (await api(LIST, {"first": 5}, token=alice.token))["viewer"]["actualisations"]
    assert [e["node"]["period"] for e in listed["edges"]] == ["2026-09-01"]
    assert listed["pageInfo"]["hasNextPage"] is False
