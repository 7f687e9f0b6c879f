"""Agencies ("mon pôle emploi"): managed by advisers, listed for all, batched in dossiers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL
from tests.support.dossiers import (
    DOSSIER_CREATE,
    codes,
    create_agency,
    create_dossier,
    dre,
    sign_up_adviser,
)

MY_DOSSIERS = """
{
  viewer {
    dossiers {
      edges { node { id name agency { name } commune { name } } }
    }
  }
}
"""

AGENCIES = """
query ($postalCode: String, $first: Int, $after: String) {
  agencies(postalCode: $postalCode, first: $first, after: $after) {
    edges { node { code name commune { name } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

AGENCY_UPDATE = """
mutation ($input: AgencyUpdateInput!) {
  agencyUpdate(input: $input) {
    agency { name postalCode commune { name } }
    userErrors { field code }
  }
}
"""


async def test_agencies_are_managed_by_advisers_and_listed_for_all(
    api: GraphQL, server: LiveServer
) -> None:
    # Given an adviser who creates two agencies
    adviser = await sign_up_adviser(server, api)
    guingamp = await create_agency(
        api,
        adviser,
        code="gui01",
        name="Agence de Guingamp",
        postalCode="22200",
        communeInsee="22070",
    )
    await create_agency(api, adviser, code="BRE01", name="Agence de Brest", postalCode="29200")
    assert guingamp["code"] == "GUI01"
    assert guingamp["commune"] == {"name": "Guingamp", "inseeCode": "22070"}
    # Then anyone lists them, by postal code, page by page
    by_code = (await api(AGENCIES, {"postalCode": "29200"}))["agencies"]["edges"]
    assert [e["node"]["commune"]["name"] for e in by_code] == ["Brest"]
    page = (await api(AGENCIES, {"first": 1}))["agencies"]
    assert page["pageInfo"]["hasNextPage"] is True
    rest = (await api(AGENCIES, {"after": page["pageInfo"]["endCursor"]}))["agencies"]
    assert [e["node"]["code"] for e in rest["edges"]] == ["BRE01"]
    # And the adviser renames one; a duplicate code is refused
    renamed = await api(
        AGENCY_UPDATE, {"input": {"id": guingamp["id"], "name": "France Travail Guingamp"}}, adviser
    )
    assert renamed["agencyUpdate"]["agency"]["name"] == "France Travail Guingamp"
    dup = await api(AGENCY_UPDATE, {"input": {"id": guingamp["id"], "code": "bre01"}}, adviser)
    assert dup["agencyUpdate"]["userErrors"] == [{"field": "code", "code": "DUPLICATE"}]
    # But a candidat may not manage agencies
    candidat = await sign_up_candidate(api)
    refused = await api(
        AGENCY_UPDATE, {"input": {"id": guingamp["id"], "name": "Pirate"}}, candidat.token
    )
    assert refused["agencyUpdate"]["userErrors"] == [{"field": None, "code": "FORBIDDEN"}]


async def test_registered_candidat_with_agencies_loads_them_in_one_query(
    api: GraphQL, server: LiveServer
) -> None:
    # Given three dossiers, each with its agency
    adviser = await sign_up_adviser(server, api)
    candidat = await sign_up_candidate(api)
    for n in range(3):
        agency = await create_agency(
            api,
            adviser,
            code=f"AG{n}",
            name=f"Agence {n}",
            postalCode="22200",
            communeInsee="22070",
        )
        await create_dossier(
            api,
            candidat.token,
            name=f"DRE{n}",
            inscritPoleEmploi=True,
            identifiantPoleEmploi="1234567 a",
            agencyId=agency["id"],
        )
    # When the viewer lists them with their agencies and communes
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    engine = server.runtime.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        listed = (await api(MY_DOSSIERS, token=candidat.token))["viewer"]["dossiers"]
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # Then the agencies come from one batched query (communes come from memory)
    names = [e["node"]["agency"]["name"] for e in listed["edges"]]
    assert names == ["Agence 0", "Agence 1", "Agence 2"]
    assert [e["node"]["commune"]["name"] for e in listed["edges"]] == ["Guingamp"] * 3
    assert sum("FROM agencies" in s for s in statements) == 1
    # And a wrong agency ID is simply not found
    wrong = dre(name="DRE9", inscritPoleEmploi=True, identifiantPoleEmploi="1234567A")
    wrong["agencyId"] = listed["edges"][0]["node"]["id"]  # a dossier's ID, not an agency's
    payload = (await api(DOSSIER_CREATE, {"input": wrong}, token=candidat.token))["dossierCreate"]
    assert codes(payload) == {"agencyId": "NOT_FOUND"}
