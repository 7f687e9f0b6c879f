"""Shared by the registration and declaration tests: the pinned clock, agencies with an
adviser, and the documents."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from espace.scheduler import tick
from resolvers.core.unit_of_work import RuntimeWork
from resolvers.identity.sign_up import adviser_create
from tests.conftest import LiveServer
from tests.support.accounts import DEFAULT_PASSWORD, sign_in, unique_email
from tests.support.client import GraphQL
from tests.support.dossiers import create_agency, sign_up_adviser

PARIS = ZoneInfo("Europe/Paris")

REGISTRATION = """
{ viewer { registration {
  state registeredOn category categoryLabel adviserName agency { code }
  history(first: 10) { state effectiveOn reason }
} } }
"""
WINDOW = """
{ viewer { actualisationWindow {
  period periodLabel opensOn closesOn isOpen sentence declared
} } }
"""
RENEW = """
mutation ($input: RegistrationRenewInput!) {
  registrationRenew(input: $input) {
    registration { state registeredOn category }
    userErrors { field code message }
  }
}
"""
ACTUALISATION_FIELDS = """
  id period periodLabel number version registeredSentence receiptUrl
  answers { stillLooking worked employers { name hours grossPayCents grossPay contractEnded }
            sickStart sickEnd }
"""
SUBMIT = f"""
mutation ($input: ActualisationInput!) {{
  actualisationSubmit(input: $input) {{
    actualisation {{ {ACTUALISATION_FIELDS} }}
    userErrors {{ field code message }}
  }}
}}
"""
CORRECT = f"""
mutation ($input: ActualisationInput!) {{
  actualisationCorrect(input: $input) {{
    actualisation {{
      {ACTUALISATION_FIELDS}
      versions {{ version answers {{ employers {{ hours }} }} }}
    }}
    userErrors {{ field code message }}
  }}
}}
"""
LIST = """
query ($first: Int, $after: String) { viewer { actualisations(first: $first, after: $after) {
  edges { node { id period number version } } pageInfo { hasNextPage endCursor }
} } }
"""
NODE = "query ($id: ID!) { node(id: $id) { ... on Actualisation { number } } }"
LIVE_EVENTS = "subscription { dashboardEvents { kind message } }"


def paris(*args: int) -> datetime:
    """An instant given in Paris time."""
    return datetime(*args, tzinfo=PARIS)  # type: ignore[misc]


async def at(server: LiveServer, when: datetime, run_jobs: bool = False) -> list[str]:
    """Move the server's clock; with ``run_jobs``, run the scheduler's due jobs then."""
    server.runtime.clock.set(when)
    return await tick(server.runtime) if run_jobs else []


async def agency_with_adviser(
    server: LiveServer, api: GraphQL, code: str = "GUI01", postal_code: str = "22200"
) -> str:
    """An agency and an adviser of it (as `espace adviser create --agency`); its token."""
    founder = await sign_up_adviser(server, api)
    insee = {"22200": "22070", "29200": "29019"}[postal_code]
    await create_agency(
        api, founder, code=code, name=f"Agence {code}", postalCode=postal_code, communeInsee=insee
    )
    email = unique_email("conseiller")
    work = RuntimeWork(server.runtime)
    try:
        await adviser_create(
            work,
            server.runtime,
            email=email,
            name=f"Conseiller {code}",
            password=DEFAULT_PASSWORD,
            agency_code=code,
        )
    finally:
        await work.close()
    session = await sign_in(api, email=email, password=DEFAULT_PASSWORD)
    token: str = session["token"]
    return token


def declaration(**overrides: Any) -> dict[str, Any]:
    """Nothing to declare but 40 hours at 600 € gross for one employer, in September 2026."""
    values: dict[str, Any] = {
        "stillLooking": True,
        "worked": True,
        "employers": [{"name": "Conserverie du Goëlo", "hours": 40, "grossPay": "600.00"}],
        "training": False,
        "sick": False,
        "maternity": False,
        "retirement": False,
        "invalidity": False,
    }
    values.update(overrides)
    return values


async def mutate(api: GraphQL, document: str, token: str, **fields: Any) -> dict[str, Any]:
    data = await api(document, {"input": fields}, token=token)
    payload: dict[str, Any] = next(iter(data.values()))
    return payload
