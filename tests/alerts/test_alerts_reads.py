"""Alerts read back: the 7-day preview, clear errors on bad input, privacy, batching under
dossiers."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import event

from tests.alerts.test_alerts import DELETE, NODE, PREVIEW, SEARCH, UPDATE, subscriber
from tests.conftest import LiveServer
from tests.support.accounts import (
    sign_up_candidate,
    sign_up_employer,
)
from tests.support.alerts import (
    ALERT_CREATE,
    BAKER_IN_22,
    create_alert,
    dossier_alerts,
)
from tests.support.client import GraphQL, MailCatcher, links
from tests.support.dossiers import create_dossier
from tests.support.offers import backdate, numbers_of, post_offer


async def test_preview_counts_the_last_seven_days(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    employer = await sign_up_employer(api)
    recent = await post_offer(api, employer.token)
    old = await post_offer(api, employer.token, intitule="Boulanger pâtissier")
    await post_offer(api, employer.token, intitule="Pâtissier", romeCode="D1104")
    await backdate(server, old["number"], 10)
    data = await api(PREVIEW, {"criteria": BAKER_IN_22})
    preview = data["alertPreview"]
    assert (preview["count"], preview["userErrors"]) == (1, [])
    assert preview["since"]
    search = await api(SEARCH, {"criteria": BAKER_IN_22})
    assert set(numbers_of(search["offerSearch"])) == {recent["number"], old["number"]}


async def test_bad_input_gets_clear_errors(
    api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    candidate, dossier_id = await subscriber(api, http, smtp, "alerte.erreurs@example.org")
    bad = {
        "romeCodes": ["Z9999"],
        "communeInsee": "99999",
        "salaireMin": -5,
    }
    data = await api(
        ALERT_CREATE,
        {"input": {"dossierId": dossier_id, "name": "", "criteria": bad, "frequency": "DAILY"}},
        token=candidate.token,
    )
    codes = {e["field"]: e["code"] for e in data["alertCreate"]["userErrors"]}
    assert codes == {
        "name": "REQUIRED",
        "criteria.romeCodes": "UNKNOWN_ROME_CODE",
        "criteria.communeInsee": "UNKNOWN_COMMUNE",
        "criteria.salaireMin": "OUT_OF_RANGE",
    }
    distance = await api(PREVIEW, {"criteria": {"distanceKm": 30}})
    [error] = distance["alertPreview"]["userErrors"]
    assert (error["field"], error["code"]) == ("criteria.distanceKm", "DISTANCE_WITHOUT_COMMUNE")
    contract = await api.raw(PREVIEW, {"criteria": {"typesContrat": ["XYZ"]}})
    [error] = contract["errors"]
    assert "XYZ" in error["message"]
    assert error["extensions"]["code"] in {"GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT"}
    page = await api.raw(
        "query ($id: ID!) { node(id: $id) { ... on Dossier { alerts(first: 1000) { "
        "edges { node { id } } } } } }",
        {"id": dossier_id},
        token=candidate.token,
    )
    assert page["errors"][0]["extensions"]["code"] == "BAD_PAGE_SIZE"
    assert await dossier_alerts(api, candidate.token, dossier_id) == []


async def test_alerts_are_private(api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher) -> None:
    owner, dossier_id = await subscriber(api, http, smtp, "alerte.proprio@example.org")
    alert = await create_alert(api, owner.token, dossier_id)
    other = await sign_up_candidate(api)
    employer = await sign_up_employer(api)
    for token in (other.token, employer.token, None):
        node = await api(NODE, {"id": alert["id"]}, token=token)
        assert node["node"] is None
    for token in (other.token, employer.token):
        renamed = await api(UPDATE, {"input": {"id": alert["id"], "name": "x"}}, token=token)
        assert renamed["alertUpdate"]["userErrors"][0]["code"] in {
            "NOT_FOUND",
            "WRONG_ACCOUNT_KIND",
        }
        deleted = await api(DELETE, {"id": alert["id"]}, token=token)
        assert deleted["alertDelete"]["userErrors"][0]["code"] in {
            "NOT_FOUND",
            "WRONG_ACCOUNT_KIND",
        }
        listed = await api(
            "query ($id: ID!) { node(id: $id) { ... on Dossier { alerts { edges { node { id } } } "
            "} } }",
            {"id": dossier_id},
            token=token,
        )
        assert listed["node"] is None
    assert (await api(NODE, {"id": alert["id"]}, token=owner.token))["node"]["name"]
    renamed = await api(
        UPDATE,
        {"input": {"id": alert["id"], "name": "Fournils", "frequency": "WEEKLY"}},
        token=owner.token,
    )
    assert renamed["alertUpdate"]["alert"] == {"name": "Fournils", "frequency": "WEEKLY"}
    deleted = await api(DELETE, {"id": alert["id"]}, token=owner.token)
    assert deleted["alertDelete"]["deletedAlertId"] == alert["id"]


MY_ALERTS = """
{ viewer { dossiers(first: 10) { edges { node { name alerts(first: 5) { edges { node {
  name matches(first: 3) { edges { node { offer { number } } } }
} } } } } } } }
"""


async def test_alerts_under_dossiers_are_batched(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given three confirmed dossiers with two alerts each, and offers matching them all
    candidate, first_dossier = await subscriber(api, http, smtp, "alerte.lot.0@example.org")
    dossier_ids = [first_dossier]
    for n in (1, 2):
        email = f"alerte.lot.{n}@example.org"
        dossier = await create_dossier(api, candidate.token, name=f"DRE{n + 1}", email=email)
        [mail] = await smtp.wait_for(1, to=email)
        assert (await http.get(links(mail)[0])).status_code == 200
        dossier_ids.append(dossier["id"])
    for dossier_id in dossier_ids:
        await create_alert(api, candidate.token, dossier_id, name="Boulanger")
        await create_alert(api, candidate.token, dossier_id, {"region": "53"}, "DAILY", "Bretagne")
    employer = await sign_up_employer(api)
    for title in ("Boulanger", "Boulanger tourier"):
        await post_offer(api, employer.token, intitule=title)
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "outbox_mails" not in statement and not statement.startswith("BEGIN"):
            statements.append(statement)  # (the mail worker runs alongside)

    engine = server.runtime.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        data = await api(MY_ALERTS, token=candidate.token)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # Then six alerts with their matches come from one statement each
    dossiers = data["viewer"]["dossiers"]["edges"]
    alerts = [a["node"] for d in dossiers for a in d["node"]["alerts"]["edges"]]
    assert len(alerts) == 6
    assert all(len(a["matches"]["edges"]) == 2 for a in alerts)
    assert sum("FROM alerts" in s for s in statements) == 1, statements
    assert sum("FROM alert_matches" in s for s in statements) == 1, statements
    assert sum("FROM offers" in s for s in statements) == 1, statements
