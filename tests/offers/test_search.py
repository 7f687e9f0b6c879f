"""offerSearch: keywords (French stemming, accents), métier, place, contract, experience,
salary, dates; facets, explanations, relaxations, sorting, paging and bad input."""

from __future__ import annotations

from typing import Any

from tests.conftest import LiveServer
from tests.support.client import GraphQL
from tests.support.offers import (
    Catalogue,
    backdate,
    numbers_of,
)

SEARCH = """
query ($criteria: OfferSearchCriteria, $first: Int, $after: String, $sort: OfferSort) {
  offerSearch(criteria: $criteria, first: $first, after: $after, sort: $sort) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges {
      cursor
      node { number intitule }
      match {
        keywords { keyword fields } metier distanceKm typeContrat qualification salary reasons
      }
    }
    facets {
      typeContrat { value label count }
      experience { value count }
      qualification { value count }
      departement { value label count }
    }
    relaxations { kind label addedCount message criteria { radiusKm typesContrat } }
    criteria { communeInsee radiusKm salaireMensuelMin }
    userErrors { field code message }
  }
}
"""


async def search(api: GraphQL, criteria: dict[str, Any] | None = None, **args: Any) -> Any:
    data = await api(SEARCH, {"criteria": criteria, **args})
    result = data["offerSearch"]
    assert result["userErrors"] == [], result["userErrors"]
    return result


async def found(api: GraphQL, criteria: dict[str, Any]) -> set[str]:
    return set(numbers_of(await search(api, criteria)))


async def test_keywords_ignore_accents_and_gender_and_match_rome_labels(
    api: GraphQL, catalogue: Catalogue
) -> None:
    boulanger = catalogue.offers["boulanger"]["number"]
    # "boulangère" (feminine, accent) finds the offer titled "Boulanger"
    result = await search(api, {"keywords": "boulangère"})
    assert boulanger in numbers_of(result)
    assert catalogue.draft["number"] not in numbers_of(result)
    edge = next(e for e in result["edges"] if e["node"]["number"] == boulanger)
    assert {"keyword": "boulangere", "fields": ["TITLE", "METIER"]} in edge["match"]["keywords"]
    # plural and capitals: "PATISSIERS" finds "Pâtissier"; "conductrice" finds "Conducteur"
    assert await found(api, {"keywords": "PATISSIERS"}) == catalogue.numbers("patissier")
    assert await found(api, {"keywords": "conductrice"}) == catalogue.numbers("conducteur")
    # "informatique" is only in the ROME label of the developer's métier (M1805)
    result = await search(api, {"keywords": "informatique"})
    assert numbers_of(result) == [catalogue.offers["developpeuse"]["number"]]
    match = result["edges"][0]["match"]
    assert match["keywords"] == [{"keyword": "informatique", "fields": ["METIER"]}]
    assert match["metier"] == "M1805 Développeur / Développeuse informatique"
    # every word is required
    assert await found(api, {"keywords": "boulanger python"}) == set()


async def test_rome_codes_and_appellation(api: GraphQL, catalogue: Catalogue) -> None:
    assert await found(api, {"romeCodes": ["d1102", "D1104"]}) == catalogue.numbers(
        "boulanger", "patissier"
    )
    result = await search(api, {"romeCodes": ["J1501"]})
    assert result["edges"][0]["match"]["metier"] == "J1501 Aide-soignant / Aide-soignante"


async def test_places_departement_region_and_distance(api: GraphQL, catalogue: Catalogue) -> None:
    brittany_22 = catalogue.numbers("boulanger", "vendeuse", "patissier", "aide_soignant")
    assert await found(api, {"departements": ["22"]}) == brittany_22
    assert await found(api, {"region": "53"}) == brittany_22 | catalogue.numbers("developpeuse")
    # Guingamp + 30 km: Bégard (13 km) and Paimpol (24.7 km), not Lannion (30.4 km)
    around = {"communeInsee": "22070", "distanceKm": 30}
    result = await search(api, around, sort="DISTANCE")
    assert numbers_of(result) == [
        catalogue.offers[k]["number"] for k in ("boulanger", "vendeuse", "patissier")
    ]
    assert [e["match"]["distanceKm"] for e in result["edges"]] == [0.0, 13.0, 24.7]
    assert result["edges"][1]["match"]["reasons"] == ["À 13,0 km"]
    # few results: relaxing the distance to 60 km would add Lannion
    assert result["relaxations"] == [
        {
            "kind": "DISTANCE",
            "label": "60 km",
            "addedCount": 1,
            "message": "60 km : +1 offre",
            "criteria": {"radiusKm": 60, "typesContrat": []},
        }
    ]
    # a commune alone searches 10 km around it, as FT v2
    default = await search(api, {"communeInsee": "22070"})
    assert default["criteria"]["radiusKm"] == 10
    assert numbers_of(default) == [catalogue.offers["boulanger"]["number"]]


async def test_contract_experience_and_working_time(api: GraphQL, catalogue: Catalogue) -> None:
    cdi = catalogue.numbers("boulanger", "patissier", "developpeuse")
    assert await found(api, {"typesContrat": ["CDI"]}) == cdi
    assert await found(api, {"typesContrat": ["CDD", "MIS"]}) == catalogue.numbers(
        "vendeuse", "aide_soignant", "conducteur"
    )
    assert await found(api, {"experience": ["D"]}) == catalogue.numbers(
        "boulanger", "aide_soignant"
    )
    # at most 12 months: beginners, the 12-month one, and the one without a duration
    assert await found(api, {"experienceMaxMois": 12}) == catalogue.numbers(
        "boulanger", "aide_soignant", "vendeuse", "conducteur"
    )
    assert await found(api, {"dureeTravail": "TEMPS_PARTIEL"}) == catalogue.numbers("vendeuse")
    assert await found(api, {"qualifications": ["CADRE"]}) == catalogue.numbers("developpeuse")


async def test_minimum_salary_is_compared_as_monthly_amounts(
    api: GraphQL, catalogue: Catalogue
) -> None:
    # offers, monthly: boulanger 1900-2100, vendeuse 12/h = 1820.04, patissier 26400/y =
    # 2200, developpeuse 40000-45000/y = 3333.33-3750, conducteur 13.50/h = 2047.55
    monthly = await search(api, {"salaireMin": 2050})
    assert set(numbers_of(monthly)) == catalogue.numbers("boulanger", "patissier", "developpeuse")
    assert monthly["criteria"]["salaireMensuelMin"] == 2050
    hourly = await search(api, {"salaireMin": 12, "salairePeriod": "HOURLY"})
    assert hourly["criteria"]["salaireMensuelMin"] == 1820.04
    assert set(numbers_of(hourly)) == catalogue.numbers(
        "boulanger", "vendeuse", "patissier", "developpeuse", "conducteur"
    )
    yearly = await search(api, {"salaireMin": 42000, "salairePeriod": "YEARLY"})
    assert set(numbers_of(yearly)) == catalogue.numbers("developpeuse")
    assert yearly["edges"][0]["match"]["salary"] == "Annuel de 40000.00 Euros à 45000.00 Euros"


async def test_published_since_n_days(
    api: GraphQL, server: LiveServer, catalogue: Catalogue
) -> None:
    await backdate(server, catalogue.offers["developpeuse"]["number"], days=20)
    recent = await found(api, {"region": "53", "publishedSinceDays": 7})
    assert recent == catalogue.numbers("boulanger", "vendeuse", "patissier", "aide_soignant")
    assert await found(api, {"region": "53", "publishedSinceDays": 30}) == recent | (
        catalogue.numbers("developpeuse")
    )


async def test_total_count_facets_and_paging(api: GraphQL, catalogue: Catalogue) -> None:
    first = await search(api, {"departements": ["22"]}, first=3, sort="DATE")
    assert first["totalCount"] == 4
    # newest first
    assert numbers_of(first) == [
        catalogue.offers[k]["number"] for k in ("aide_soignant", "patissier", "vendeuse")
    ]
    assert first["pageInfo"]["hasNextPage"] is True
    rest = await search(
        api, {"departements": ["22"]}, first=3, after=first["pageInfo"]["endCursor"], sort="DATE"
    )
    assert numbers_of(rest) == [catalogue.offers["boulanger"]["number"]]
    assert rest["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "endCursor": rest["edges"][0]["cursor"],
    }
    facets = first["facets"]
    assert facets["typeContrat"] == [
        {"value": "CDD", "label": "Contrat à durée déterminée", "count": 2},
        {"value": "CDI", "label": "Contrat à durée indéterminée", "count": 2},
    ]
    assert facets["experience"] == [
        {"value": "D", "count": 2},
        {"value": "E", "count": 1},
        {"value": "S", "count": 1},
    ]
    assert facets["qualification"] == [
        {"value": "5", "count": 2},
        {"value": "3", "count": 1},
        {"value": "6", "count": 1},
    ]
    assert facets["departement"] == [{"value": "22", "label": "Côtes-d'Armor", "count": 4}]
    # France entière, tous types de contrats
    everything = await search(api, None)
    assert everything["totalCount"] == 6
    assert {f["value"] for f in everything["facets"]["departement"]} == {"22", "35", "69"}
