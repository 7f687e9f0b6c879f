"""Helpers for the allowance and bank-account tests: agencies, advisers, candidats, clock."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from ground.clock import Clock
from tests.conftest import LiveServer
from tests.support.accounts import (
    Candidate,
    confirmed_candidate,
    unique_email,
)
from tests.support.client import GraphQL, MailCatcher
from tests.support.dossiers import create_agency, sign_up_adviser

PARIS = ZoneInfo("Europe/Paris")

RIGHTS_SET = """
mutation ($input: IndemnisationRightsSetInput!) {
  indemnisationRightsSet(input: $input) {
    indemnisation { state kind dailyNetRate { cents formatted } daysLeft expectedEnd }
    userErrors { field code message }
  }
}
"""


def paris(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def drive_clock(server: LiveServer, at: datetime) -> Clock:
    """The server's clock, pinned at ``at`` and from now on moved by the test."""
    server.runtime.clock.set(at)
    return server.runtime.clock


async def two_agencies(server: LiveServer, api: GraphQL) -> dict[str, str]:
    """Agencies GUI01 (Guingamp) and BRE01 (Brest); their global IDs by code."""
    founder = await sign_up_adviser(server, api)
    ids = {}
    for code, postal_code, insee in (("GUI01", "22200", "22070"), ("BRE01", "29200", "29019")):
        agency = await create_agency(
            api,
            founder,
            code=code,
            name=f"Agence {code}",
            postalCode=postal_code,
            communeInsee=insee,
        )
        ids[code] = agency["id"]
    return ids


async def candidat_at(
    api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher, agency_id: str
) -> Candidate:
    """A candidat registered at the agency, with a confirmed e-mail address."""
    return await confirmed_candidate(
        api,
        http,
        smtp,
        unique_email("candidat"),
        inscritPoleEmploi=True,
        identifiantPoleEmploi="1234567A",
        agencyId=agency_id,
    )


async def mutate(api: GraphQL, document: str, token: str, **fields: Any) -> dict[str, Any]:
    data = await api(document, {"input": fields}, token=token)
    payload: dict[str, Any] = next(iter(data.values()))
    return payload


def codes(payload: dict[str, Any]) -> dict[str | None, str]:
    return {e["field"]: e["code"] for e in payload["userErrors"]}
