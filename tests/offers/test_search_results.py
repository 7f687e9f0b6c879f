"""offerSearch results: relaxations, relevance, every result checked in Python, user errors, the
example operations, constant query counts."""

from __future__ import annotations

from typing import Any

from models.offers import Offer
from resolvers.offers.criteria import OfferCriteria
from resolvers.offers.explain import criteria_matches
from tests.conftest import LiveServer
from tests.offers.test_search import (
    SEARCH,
    found,
    search,
)
from tests.support.client import GraphQL
from tests.support.offers import (
    Catalogue,
    numbers_of,
    run_operation,
)


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
