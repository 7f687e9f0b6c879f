"""offerSearch: keywords (French stemming, accents), métier, place, contract, experience,
salary, dates; facets, explanations, relaxations, sorting, paging and bad input."""

from __future__ import annotations

from typing import Any

import pytest

from models.offers import Offer
from resolvers.offers.criteria import OfferCriteria
from resolvers.offers.explain import criteria_matches
from tests.conftest import LiveServer
from tests.support.client import GraphQL
from tests.support.offers import (
    Catalogue,
    backdate,
    numbers_of,
    post_catalogue,
    run_operation,
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


@pytest.fixture
async def catalogue(api: GraphQL) -> Catalogue:
    return await post_catalogue(api)


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


async def test_few_results_suggest_what_to_relax(api: GraphQL, catalogue: Catalogue) -> None:
    strict = {
        "departements": ["22"],
        "typesContrat": ["CDI"],
        "experience": ["D"],
        "salaireMin": 2050,
    }
    result = await search(api, strict)
    assert numbers_of(result) == [catalogue.offers["boulanger"]["number"]]
    assert result["edges"][0]["match"]["reasons"] == [
        "Contrat : Contrat à durée indéterminée",
        "Salaire : Mensuel de 1900.00 Euros à 2100.00 Euros",
    ]
    # without the experience filter the pâtissier (2 years asked) would match too
    assert [(r["kind"], r["message"]) for r in result["relaxations"]] == [
        ("EXPERIENCE", "Toute expérience : +1 offre")
    ]
    nothing = await search(api, {"departements": ["22"], "typesContrat": ["MIS"]})
    assert nothing["totalCount"] == 0
    assert [r["message"] for r in nothing["relaxations"]] == ["Tous types de contrats : +4 offres"]


async def test_each_relaxation_counts_only_what_it_relaxes(
    api: GraphQL, catalogue: Catalogue
) -> None:
    # the vendeuse (CDD) is in Bégard, 13 km from Guingamp: 20 km would find it, while
    # every contract type within 10 km would not (one statement counts both)
    near = {"keywords": "vendeuse", "communeInsee": "22070", "distanceKm": 10}
    result = await search(api, {**near, "typesContrat": ["CDD"]})
    assert result["totalCount"] == 0
    assert [r["message"] for r in result["relaxations"]] == ["20 km : +1 offre"]
    # without a radius, only the commune itself: 10 km around it adds nothing either
    alone = await search(api, {**near, "distanceKm": 0, "typesContrat": ["CDI"]})
    assert (alone["totalCount"], alone["relaxations"]) == (0, [])


async def test_relevance_ranks_title_matches_first(api: GraphQL, catalogue: Catalogue) -> None:
    # "boulangerie" is in the vendeuse's title and in no other title
    result = await search(api, {"keywords": "vendeuse boulangerie"}, sort="RELEVANCE")
    assert numbers_of(result) == [catalogue.offers["vendeuse"]["number"]]
    ranked = await search(api, {"keywords": "boulanger", "departements": ["22"]})
    assert numbers_of(ranked)[0] == catalogue.offers["boulanger"]["number"]


async def test_every_result_matches_the_criteria_in_python_too(
    api: GraphQL, server: LiveServer, catalogue: Catalogue
) -> None:
    """The SQL search and resolvers.offers.explain.criteria_matches agree (alerts reuse it)."""
    from sqlalchemy import select

    from models.base import utcnow
    from resolvers.offers.fields import SalaryPeriod, TypeContrat

    cases = [
        OfferCriteria(commune_insee="22070", distance_km=30),
        OfferCriteria(types_contrat=(TypeContrat.CDI,), salaire_min=2050),
        OfferCriteria(experience_max_mois=12, region="53"),
        OfferCriteria(salaire_min=12, salaire_period=SalaryPeriod.HOURLY),
        OfferCriteria(keywords="pâtissiers"),
    ]
    async with server.runtime.sessionmaker() as session:
        offers = (await session.scalars(select(Offer))).all()
    ref = server.runtime.refdata
    for criteria in cases:
        expected = {o.number for o in offers if criteria_matches(ref, criteria, o, utcnow())}
        data = criteria.to_json()
        assert await found(api, data) == expected, data


async def test_bad_criteria_come_back_as_user_errors(api: GraphQL, catalogue: Catalogue) -> None:
    bad = {
        "romeCodes": ["D1102", "Z9999"],
        "appellationCode": "0",
        "distanceKm": 30,
        "departements": ["22", "99"],
        "region": "53",
        "salaireMin": -100,
        "publishedSinceDays": 0,
    }
    result = (await api(SEARCH, {"criteria": bad}))["offerSearch"]
    assert result["totalCount"] == 0 and result["edges"] == [] and result["criteria"] is None
    assert {e["field"]: e["code"] for e in result["userErrors"]} == {
        "romeCodes": "UNKNOWN_ROME_CODE",
        "appellationCode": "UNKNOWN_APPELLATION",
        "distanceKm": "DISTANCE_WITHOUT_COMMUNE",
        "departements": "UNKNOWN_DEPARTEMENT",
        "place": "CONFLICTING_CRITERIA",
        "salaireMin": "OUT_OF_RANGE",
        "publishedSinceDays": "OUT_OF_RANGE",
    }
    assert "Z9999" in result["userErrors"][0]["message"]
    unknown = (await api(SEARCH, {"criteria": {"communeInsee": "99999"}}))["offerSearch"]
    assert unknown["userErrors"][0]["code"] == "UNKNOWN_COMMUNE"
    by_distance = (await api(SEARCH, {"criteria": {}, "sort": "DISTANCE"}))["offerSearch"]
    assert by_distance["userErrors"] == [
        {
            "field": "sort",
            "code": "DISTANCE_WITHOUT_COMMUNE",
            "message": "Le tri par distance demande une commune.",
        }
    ]
    # protocol errors stay GraphQL errors with stable codes
    too_big = await api.raw(SEARCH, {"criteria": {}, "first": 500})
    assert too_big["errors"][0]["extensions"]["code"] == "BAD_PAGE_SIZE"
    contract = await api.raw(SEARCH, {"criteria": {"typesContrat": ["XYZ"]}})
    assert contract["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_the_three_search_modes_of_the_example_operations(
    api: GraphQL, catalogue: Catalogue
) -> None:
    # Recherche simplifiée: keywords, place, contract type
    simple = await run_operation(
        api, "OfferSearchSimple", keywords="boulanger", communeInsee="22070", typesContrat=["CDI"]
    )
    assert numbers_of(simple["offerSearch"]) == [catalogue.offers["boulanger"]["number"]]
    # Recherche avancée: everything, sorted by distance
    criteria = {
        "communeInsee": "22070",
        "distanceKm": 30,
        "experience": ["D", "S"],
        "salaireMin": 11.5,
        "salairePeriod": "HOURLY",
        "publishedSinceDays": 7,
    }
    advanced = await run_operation(api, "OfferSearchAdvanced", criteria=criteria, sort="DISTANCE")
    assert numbers_of(advanced["offerSearch"]) == [
        catalogue.offers[k]["number"] for k in ("boulanger", "vendeuse")
    ]
    # Recherche par métier: the ROME tree from a job title, then the métier's offers
    titles = await run_operation(api, "MetierJobTitles", search="pâtissier pâtissière")
    [metier] = {
        (e["node"]["metier"]["code"], e["node"]["metier"]["libelle"]): e["node"]["metier"]
        for e in titles["jobTitles"]["edges"]
        if e["node"]["libelle"] == "Pâtissier / Pâtissière"
    }.values()
    assert metier == {"code": "D1104", "libelle": "Pâtissier / Pâtissière"}
    by_metier = await run_operation(api, "OfferSearchByMetier", romeCodes=[metier["code"]])
    assert numbers_of(by_metier["offerSearch"]) == [catalogue.offers["patissier"]["number"]]
    offer = await run_operation(
        api, "OfferByNumber", number=catalogue.offers["patissier"]["number"]
    )
    assert offer["offer"]["metier"]["code"] == "D1104"


PAGE = """
query ($first: Int) {
  offerSearch(first: $first) {
    edges { node { number savedInClasseur entreprise { name company { name siret } } } }
  }
}
"""


async def test_a_page_costs_the_same_queries_whatever_its_size(
    api: GraphQL, server: LiveServer, catalogue: Catalogue
) -> None:
    """Companies and classeur flags come from DataLoaders: one query each per page."""
    from sqlalchemy import event

    from tests.support.accounts import sign_up_candidate

    candidate = await sign_up_candidate(api)
    engine = server.runtime.engine.sync_engine
    statements: list[str] = []

    def record(*args: Any) -> None:
        sql = str(args[2]).lower()
        if any(f"from {t}" in sql for t in ("offers", "companies", "saved_offers")):
            statements.append(sql)

    counts = []
    for first in (1, 6):
        statements.clear()
        event.listen(engine, "before_cursor_execute", record)
        try:
            data = await api(PAGE, {"first": first}, token=candidate.token)
        finally:
            event.remove(engine, "before_cursor_execute", record)
        assert len(data["offerSearch"]["edges"]) == first
        counts.append(len(statements))
    # the facets and the page, the companies, the classeur flags
    assert counts == [4, 4]
