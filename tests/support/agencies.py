"""Agencies, their advisers and their candidats, set up through the API as a person would
(advisers are created as ``espace adviser create --agency`` does).

    agencies = await two_agencies(server, api)          # GUI01 (Guingamp), BRE01 (Brest)
    adviser = await adviser_at(server, api, "GUI01")    # a signed-in adviser's token
    candidat = await registered_candidate(api, http, smtp, agencies["GUI01"], "a@example.org")
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from pypdf import PdfReader

from resolvers.core.unit_of_work import RuntimeWork
from resolvers.identity.sign_up import adviser_create
from tests.support.accounts import (
    DEFAULT_PASSWORD,
    Candidate,
    confirmed_candidate,
    sign_in,
    unique_email,
)
from tests.support.client import GraphQL, MailCatcher
from tests.support.dossiers import create_agency, sign_up_adviser

if TYPE_CHECKING:
    import httpx

    from tests.conftest import LiveServer


async def adviser_at(server: LiveServer, api: GraphQL, agency_code: str, name: str = "") -> str:
    """A signed-in adviser of the agency; its token."""
    email = unique_email("conseiller")
    work = RuntimeWork(server.runtime)
    try:
        await adviser_create(
            work,
            server.runtime,
            email=email,
            name=name or f"Conseiller {agency_code}",
            password=DEFAULT_PASSWORD,
            agency_code=agency_code,
        )
    finally:
        await work.close()
    session = await sign_in(api, email=email, password=DEFAULT_PASSWORD)
    assert session["userErrors"] == [], session
    token: str = session["token"]
    return token


async def two_agencies(server: LiveServer, api: GraphQL) -> dict[str, str]:
    """Agencies GUI01 (Guingamp) and BRE01 (Brest); their global IDs by code."""
    founder = await sign_up_adviser(server, api)
    ids = {}
    for code, name, address, postal_code, insee in (
        ("GUI01", "Agence de Guingamp", "3 rue de la Madeleine", "22200", "22070"),
        ("BRE01", "Agence de Brest", "8 rue de Siam", "29200", "29019"),
    ):
        agency = await create_agency(
            api,
            founder,
            code=code,
            name=name,
            address=address,
            postalCode=postal_code,
            communeInsee=insee,
        )
        ids[code] = agency["id"]
    return ids


async def registered_candidate(
    api: GraphQL,
    http: httpx.AsyncClient,
    smtp: MailCatcher,
    agency_id: str,
    email: str,
    **dossier: Any,
) -> Candidate:
    """A candidat registered at the agency, with a confirmed e-mail (mails cleared)."""
    return await confirmed_candidate(
        api,
        http,
        smtp,
        email,
        inscritPoleEmploi=True,
        identifiantPoleEmploi="1234567A",
        agencyId=agency_id,
        **dossier,
    )


def pdf_text(data: bytes) -> str:
    """The text of every page of a PDF, read back with pypdf (no-break spaces as spaces)."""
    assert data.startswith(b"%PDF-"), data[:20]
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return text.replace("\u00a0", " ")
