"""Daily and weekly digests: one mail per alert at the configured hour (Paris time), never
the same offer twice, one run per slot even when several processes tick at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from espace import scheduler
from ground import claims
from tests.conftest import LiveServer
from tests.support.accounts import confirmed_candidate, sign_up_employer
from tests.support.alerts import create_alert, dossier_alerts, unsubscribe_link
from tests.support.client import GraphQL, MailCatcher, html_part, text_part
from tests.support.offers import post_offer

PARIS = ZoneInfo("Europe/Paris")
MY_DOSSIER = "{ viewer { dossiers(first: 1) { edges { node { id } } } } }"
CLOSE = "mutation ($id: ID!) { offerClose(input: {id: $id}) { userErrors { code } } }"


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"alert_digest_hour": 6, "alert_digest_weekday": 2}  # Wednesdays at 06:00


def paris(day: datetime, hour: int, minute: int = 0) -> datetime:
    local = day.replace(hour=hour, minute=minute, second=0, microsecond=0, tzinfo=PARIS)
    return local.astimezone(UTC)


async def digest_subscriber(
    api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher, email: str, frequency: str
) -> tuple[str, str]:
    candidate = await confirmed_candidate(api, http, smtp, email)
    data = await api(MY_DOSSIER, token=candidate.token)
    dossier_id = data["viewer"]["dossiers"]["edges"][0]["node"]["id"]
    await create_alert(api, candidate.token, dossier_id, frequency=frequency)
    return candidate.token, dossier_id


async def test_daily_digest_at_the_configured_hour_never_repeats(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    token, dossier_id = await digest_subscriber(api, http, smtp, "digest.jour@example.org", "DAILY")
    employer = await sign_up_employer(api)
    first = await post_offer(api, employer.token)
    second = await post_offer(api, employer.token, intitule="Boulanger tourier")
    closed = await post_offer(api, employer.token, intitule="Boulanger de marché")
    await api(CLOSE, {"id": closed["id"]}, token=employer.token)
    await asyncio.sleep(0.3)  # the outbox polls every 50 ms: an instant mail would be here
    assert smtp.for_address("digest.jour@example.org") == []
    [alert] = await dossier_alerts(api, token, dossier_id)
    offers = [edge["node"]["offer"] for edge in alert["matches"]["edges"]]
    assert len(offers) == 3 and offers.count(None) == 1  # the closed offer is no longer shown
    assert all(edge["node"]["sentAt"] is None for edge in alert["matches"]["edges"])

    # The next 06:00 (Paris) slot sends one digest with both open offers
    day = datetime.now(PARIS) + timedelta(days=1)
    assert "alerts:daily" in await scheduler.tick(server.runtime, paris(day, 6, 1))
    [mail] = await smtp.wait_for(1, to="digest.jour@example.org")
    assert "2 nouvelles offres" in str(mail["Subject"])
    body = text_part(mail)
    assert first["number"] in body and second["number"] in body
    assert closed["number"] not in body and "Boulanger tourier" in html_part(mail)
    assert unsubscribe_link(mail) in body
    assert str(mail["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"

    # The same slot does not run again; before 06:00 the next day neither
    assert "alerts:daily" not in await scheduler.tick(server.runtime, paris(day, 9))
    next_day = day + timedelta(days=1)
    assert "alerts:daily" not in await scheduler.tick(server.runtime, paris(next_day, 5, 59))

    # A new offer goes in the next digest, alone
    third = await post_offer(api, employer.token, intitule="Boulanger de nuit")
    assert "alerts:daily" in await scheduler.tick(server.runtime, paris(next_day, 6))
    mails = await smtp.wait_for(2, to="digest.jour@example.org")
    latest = text_part(mails[-1])
    assert third["number"] in latest
    assert first["number"] not in latest and second["number"] not in latest
    [alert] = await dossier_alerts(api, token, dossier_id)
    assert alert["lastSentAt"] and all(e["node"]["sentAt"] for e in alert["matches"]["edges"])

    # Nothing pending: the following day sends nothing
    later = next_day + timedelta(days=1)
    assert "alerts:daily" in await scheduler.tick(server.runtime, paris(later, 7))
    await asyncio.sleep(0.3)
    assert len(smtp.for_address("digest.jour@example.org")) == 2


async def test_weekly_digest_and_one_run_per_slot_across_processes(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    await digest_subscriber(api, http, smtp, "digest.semaine@example.org", "WEEKLY")
    employer = await sign_up_employer(api)
    offer = await post_offer(api, employer.token)
    today = datetime.now(PARIS)
    wednesday = today + timedelta(days=(2 - today.weekday()) % 7 + 7)
    # Two processes tick at the same moment: the slot runs once
    runs = await asyncio.gather(
        scheduler.tick(server.runtime, paris(wednesday, 6, 30)),
        scheduler.tick(server.runtime, paris(wednesday, 6, 30)),
    )
    assert sum("alerts:weekly" in done for done in runs) == 1
    [mail] = await smtp.wait_for(1, to="digest.semaine@example.org")
    assert offer["number"] in text_part(mail) and "chaque semaine" in text_part(mail)
    # Thursday is still the same weekly slot
    assert "alerts:weekly" not in await scheduler.tick(
        server.runtime, paris(wednesday + timedelta(days=1), 8)
    )
    runs_at = await claims.last_runs(server.runtime)
    assert runs_at["alerts:weekly"] == paris(wednesday, 6)
