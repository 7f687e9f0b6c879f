"""What situationChangeDeclare refuses, field by field and all at once, and who reads the
changes: the candidat, the advisers of their agency, no one else."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import httpx
from sqlalchemy import func, select

from models.dashboard import Event
from models.mail import OutboxMail
from models.situation import SituationChange
from tests.actualisation.support import at, paris
from tests.conftest import LiveServer
from tests.situation.support import DECLARE, DOSSIERS, NODE, REGISTRATION, changes, codes, declare
from tests.support.accounts import account_row, sign_up_candidate, sign_up_employer, write_session
from tests.support.agencies import adviser_at, registered_candidate, two_agencies
from tests.support.client import GraphQL, MailCatcher


async def test_each_field_is_checked_and_every_error_comes_at_once(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given, on 20 November 2026, Annaïg registered at Guingamp with one absence declared
    await at(server, paris(2026, 11, 20, 9, 0))
    agencies = await two_agencies(server, api)
    annaig = await registered_candidate(api, http, smtp, agencies["GUI01"], "annaig@example.org")
    first = await declare(
        api, annaig.token, kind="ABSENCE", startDate="2026-11-02", endDate="2026-11-10"
    )
    assert first["userErrors"] == []
    assert first["situationChange"]["absenceDaysInYear"] == 9

    async def refused(**fields: object) -> dict[str | None, str]:
        payload = await declare(api, annaig.token, **fields)
        assert payload["situationChange"] is None
        assert all(e["message"] for e in payload["userErrors"])
        return codes(payload)

    # Dates: missing, reversed, too far ahead, too old, overlapping
    assert await refused(kind="SICK_LEAVE") == {"startDate": "REQUIRED", "endDate": "REQUIRED"}
    assert await refused(kind="SICK_LEAVE", startDate="2026-11-15", endDate="2026-11-14") == {
        "endDate": "END_BEFORE_START"
    }
    assert await refused(kind="ABSENCE", startDate="2027-06-01", endDate="2027-06-10") == {
        "startDate": "DATE_TOO_FAR"
    }
    assert await refused(kind="ABSENCE", startDate="2025-06-01", endDate="2025-06-10") == {
        "startDate": "OUT_OF_RANGE"
    }
    overlap = await declare(
        api, annaig.token, kind="SICK_LEAVE", startDate="2026-11-08", endDate="2026-11-15"
    )
    assert codes(overlap) == {"startDate": "OVERLAPPING_PERIOD"}
    assert overlap["userErrors"][0]["message"] == (
        "Cette période chevauche votre absence du 02/11/2026 au 10/11/2026 déjà déclaré(e)."
    )
    # A job: each missing field, and a field of another kind, at once
    assert await refused(kind="WORK_RESUMED", startDate="2026-11-23", organisme="AFPA") == {
        "organisme": "INVALID",
        "employer": "REQUIRED",
        "contractType": "REQUIRED",
        "weeklyHours": "REQUIRED",
    }
    assert await refused(
        kind="WORK_RESUMED",
        startDate="2026-11-23",
        endDate="2027-01-31",
        employer="Conserverie du Goëlo",
        contractType="CDI",
        weeklyHours=60,
    ) == {"endDate": "INVALID", "weeklyHours": "OUT_OF_RANGE"}
    assert await refused(kind="TRAINING", startDate="2026-12-01", endDate="2026-12-12") == {
        "organisme": "REQUIRED"
    }
    # A move: the postal code is checked against the reference data
    assert await refused(
        kind="MOVE", startDate="2026-12-01", adresse="1 rue", postalCode="2920"
    ) == {"postalCode": "INVALID_POSTAL_CODE"}
    assert await refused(kind="MOVE", startDate="2026-12-01", postalCode="00000") == {
        "adresse": "REQUIRED",
        "postalCode": "UNKNOWN_POSTAL_CODE",
    }
    # And nothing of it was kept
    assert (await changes(api, annaig.token))["totalCount"] == 1


async def test_only_the_candidat_and_the_advisers_of_their_agency_read_a_change(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given Annaïg (Guingamp) with a training declared, another candidat, an employer, and
    # an adviser at Guingamp and one at Brest
    await at(server, paris(2026, 11, 20, 9, 0))
    agencies = await two_agencies(server, api)
    guingamp = await adviser_at(server, api, "GUI01")
    brest = await adviser_at(server, api, "BRE01")
    annaig = await registered_candidate(api, http, smtp, agencies["GUI01"], "annaig@example.org")
    other = await sign_up_candidate(api)
    employer = await sign_up_employer(api)
    payload = await declare(
        api,
        annaig.token,
        kind="TRAINING",
        startDate="2026-12-01",
        endDate="2027-02-26",
        organisme="AFPA de Brest",
    )
    change = payload["situationChange"]
    assert (change["categoryAfter"], change["requestedDocument"]) == (4, "ASF")
    assert change["available"] is False

    # Then another candidat neither finds it nor lists it
    assert (await api(NODE, {"id": change["id"]}, token=other.token))["node"] is None
    assert (await changes(api, other.token))["totalCount"] == 0
    # Nor does an adviser of another agency
    assert (await api(NODE, {"id": change["id"]}, token=brest))["node"] is None
    assert (await changes(api, brest))["totalCount"] == 0
    # While an adviser of her agency reads it, and she does
    assert (await api(NODE, {"id": change["id"]}, token=guingamp))["node"]["reference"]
    assert (await changes(api, guingamp))["totalCount"] == 1
    assert (await api(NODE, {"id": change["id"]}, token=annaig.token))["node"]["reference"]

    # Only a registered candidat declares: not an adviser, an employer, or no one
    job = {"kind": "ABSENCE", "startDate": "2026-12-21", "endDate": "2026-12-31"}
    assert codes(await declare(api, guingamp, **job)) == {None: "FORBIDDEN"}
    assert codes(await declare(api, employer.token, **job)) == {None: "FORBIDDEN"}
    assert codes(await declare(api, "", **job)) == {None: "UNAUTHENTICATED"}


async def test_a_change_that_fails_midway_leaves_nothing_behind(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given Annaïg registered at Guingamp, and the reference her next change would take
    # already held (as by a concurrent writer), so that the change fails after its effects
    await at(server, paris(2026, 11, 20, 9, 0))
    agencies = await two_agencies(server, api)
    await adviser_at(server, api, "BRE01")
    annaig = await registered_candidate(api, http, smtp, agencies["GUI01"], "annaig@example.org")
    other = await sign_up_candidate(api)
    account = await account_row(server, identifiant=annaig.identifiant)
    holder = await account_row(server, identifiant=other.identifiant)
    async with write_session(server) as session:
        session.add(
            SituationChange(
                account_id=holder.id,
                kind="ABSENCE",
                reference=f"S20261120-{account.id:08d}-1",
                start_date=date(2026, 1, 5),
                end_date=date(2026, 1, 6),
                details={},
                effects={},
                declared_at=datetime(2026, 1, 7, tzinfo=UTC),
            )
        )
    # When she declares a move to Brest
    body = await api.raw(
        DECLARE,
        {
            "input": {
                "kind": "MOVE",
                "startDate": "2026-12-01",
                "adresse": "8 rue de Siam",
                "postalCode": "29200",
            }
        },
        token=annaig.token,
    )
    # Then the mutation fails as a whole
    assert body["errors"] and body["data"] is None
    # And nothing of it remains: address, agency, event, mail, change
    [dossier] = (await api(DOSSIERS, token=annaig.token))["viewer"]["dossiers"]["edges"]
    assert dossier["node"]["postalCode"] == "22200"
    registration = (await api(REGISTRATION, token=annaig.token))["viewer"]["registration"]
    assert registration["agency"]["code"] == "GUI01"
    async with server.runtime.sessionmaker() as session:
        events = await session.scalar(
            select(func.count()).where(
                Event.account_id == account.id, Event.kind == "situation_changed"
            )
        )
        mails = await session.scalar(
            select(func.count()).where(OutboxMail.template == "situation_changed")
        )
    assert (events, mails) == (0, 0)
    assert (await changes(api, annaig.token))["totalCount"] == 0


async def test_two_overlapping_declarations_at_once_keep_only_one(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given Annaïg registered at Guingamp
    await at(server, paris(2026, 11, 20, 9, 0))
    agencies = await two_agencies(server, api)
    annaig = await registered_candidate(api, http, smtp, agencies["GUI01"], "annaig@example.org")
    # When she sends two overlapping sick leaves at the same time
    sent = await asyncio.gather(
        *(
            declare(api, annaig.token, kind="SICK_LEAVE", startDate=start, endDate="2026-11-12")
            for start in ("2026-11-03", "2026-11-05")
        )
    )
    # Then one is recorded and the other refused, never both
    assert sorted(str(codes(p)) for p in sent) == ["{'startDate': 'OVERLAPPING_PERIOD'}", "{}"]
    listed = await changes(api, annaig.token)
    assert listed["totalCount"] == 1
    assert listed["edges"][0]["node"]["reference"].endswith("-1")
