"""Reference data over GraphQL: communes by postal code and ROME job titles."""

from __future__ import annotations

from tests.support.client import GraphQL

COMMUNES = """
query($cp: String!) {
  communes(postalCode: $cp) {
    inseeCode name postalCode libelleAcheminement latitude longitude
    departement { code name } region { code name }
  }
}"""

JOB_TITLES = """
query($q: String!, $first: Int, $after: String) {
  jobTitles(search: $q, first: $first, after: $after) {
    edges { cursor node { codeOgr libelle metier { code libelle } } }
    pageInfo { hasNextPage endCursor }
  }
}"""

METIER = "query($c: String!) { metier(code: $c) { code libelle } }"


async def test_22200_gives_ten_communes(api: GraphQL) -> None:
    data = await api(COMMUNES, {"cp": "22200"})
    names = [c["name"] for c in data["communes"]]
    assert names == [
        "Grâces",
        "Guingamp",
        "Le Merzer",
        "Moustéru",
        "Pabu",
        "Plouisy",
        "Pommerit-le-Vicomte",
        "Saint-Agathon",
        "Squiffiec",
        "Trégonneau",
    ]
    guingamp = data["communes"][1]
    assert guingamp["inseeCode"] == "22070"
    assert guingamp["departement"] == {"code": "22", "name": "Côtes-d'Armor"}
    assert guingamp["region"]["name"] == "Bretagne"
    assert 48.0 < guingamp["latitude"] < 49.0


async def test_overseas_postal_code(api: GraphQL) -> None:
    data = await api(COMMUNES, {"cp": "97400"})
    assert [c["name"] for c in data["communes"]] == ["Saint-Denis"]
    assert data["communes"][0]["departement"]["code"] == "974"


async def test_ill_formed_or_unknown_postal_code_gives_empty_list(api: GraphQL) -> None:
    for cp in ["2220", "ABCDE", "", "99999", "x" * 10000]:
        assert (await api(COMMUNES, {"cp": cp}))["communes"] == []


async def test_job_titles_accent_and_case_insensitive(api: GraphQL) -> None:
    first = await api(JOB_TITLES, {"q": "boulang", "first": 10})
    nodes = [e["node"] for e in first["jobTitles"]["edges"]]
    assert nodes[0]["libelle"] == "Boulanger / Boulangère"
    assert nodes[0]["metier"]["code"] == "D1102"
    shouted = await api(JOB_TITLES, {"q": "BOULANGÈRE", "first": 10})
    assert "Boulanger / Boulangère" in [e["node"]["libelle"] for e in shouted["jobTitles"]["edges"]]


async def test_job_titles_paginate_without_overlap(api: GraphQL) -> None:
    page1 = (await api(JOB_TITLES, {"q": "boulang", "first": 2}))["jobTitles"]
    assert page1["pageInfo"]["hasNextPage"] is True
    page2 = (
        await api(JOB_TITLES, {"q": "boulang", "first": 2, "after": page1["pageInfo"]["endCursor"]})
    )["jobTitles"]
    seen1 = {e["node"]["codeOgr"] for e in page1["edges"]}
    seen2 = {e["node"]["codeOgr"] for e in page2["edges"]}
    assert seen2 and not seen1 & seen2


async def test_page_size_over_the_limit_is_refused(api: GraphQL) -> None:
    body = await api.raw(JOB_TITLES, {"q": "a", "first": 101})
    assert body["errors"][0]["extensions"]["code"] == "BAD_PAGE_SIZE"


async def test_metier_by_code(api: GraphQL) -> None:
    assert (await api(METIER, {"c": "d1102"}))["metier"]["code"] == "D1102"
    assert (await api(METIER, {"c": "Z9999"}))["metier"] is None
