"""``espace offers import`` / ``export``: France Travail v2 JSON in and out, bad records
reported without stopping, deduplication by origin and number, and a round trip."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from espace.cli.main import main
from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL, MailCatcher
from tests.support.offers import numbers_of

SAMPLE = Path(__file__).resolve().parent / "data" / "ft_v2_sample.json"

BY_NUMBER = """
query ($number: String!) {
  offer(number: $number) {
    id number origin intitule typeContrat dureeContratMois experienceExige experienceMois
    qualification heuresHebdo dureeTravail nombrePostes accessibleTH appellationCode
    salaire { min max period libelle monthlyMin monthlyMax }
    lieuTravail { libelle communeInsee departement { code } region { code } }
    formations { niveau domaine exigence } competences { libelle exigence }
    entreprise { name company { id } }
    publishedAt
  }
}
"""
SEARCH = """
query ($criteria: OfferSearchCriteria) {
  offerSearch(criteria: $criteria) { totalCount edges { node { number intitule } } }
}
"""
SAVE = "mutation ($id: ID!) { classeurSave(input: {offerId: $id}) { userErrors { code } } }"
EVENTS = "{ viewer { dashboard { events { edges { node { kind payload } } } } } }"


@pytest.fixture
def cli_env(server: LiveServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line works on the live server's database."""
    monkeypatch.setenv("ESPACE_DATABASE_URL", server.settings.database_url)
    monkeypatch.setenv("ESPACE_SECRET_KEY", "a-test-secret-that-is-not-the-default")
    monkeypatch.setenv("ESPACE_PUBLIC_URL", "https://espace.example")


async def espace(*argv: str) -> int:
    """Run the ``espace`` command (it runs its own event loop: in a thread)."""
    return await asyncio.to_thread(main, list(argv))


async def test_import_reports_bad_records_and_loads_the_others(
    api: GraphQL, cli_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await espace("offers", "import", str(SAMPLE)) == 0

    out, err = capsys.readouterr()
    assert "6 offres lues : 5 créées, 0 mise à jour, 0 inchangée, 0 en double, 1 rejetée" in out
    assert "offre n° 5 (id 205ERRX) rejetée : typeContrat : Type de contrat inconnu : XYZ." in err
    assert "[##############################] 6/6 offres" in err

    baker = (await api(BY_NUMBER, {"number": "201QBKZ"}))["offer"]
    assert baker["origin"] == "FT" and baker["intitule"] == "Boulanger / Boulangère (H/F)"
    assert baker["salaire"] == {
        "min": 2000.0,
        "max": 2300.0,
        "period": "MONTHLY",
        "libelle": "Mensuel de 2000.00 Euros à 2300.00 Euros sur 12 mois",
        "monthlyMin": 2000.0,
        "monthlyMax": 2300.0,
    }
    assert (baker["experienceExige"], baker["experienceMois"]) == ("E", 24)
    assert baker["qualification"] == "EMPLOYE_QUALIFIE" and baker["appellationCode"] == "11573"
    assert baker["formations"] == [{"niveau": "CAP_BEP", "domaine": "Boulangerie", "exigence": "E"}]
    assert baker["competences"][0] == {"libelle": "Façonner des pâtons", "exigence": "E"}
    assert baker["entreprise"] == {"name": "Fournil du Trieux (fictif)", "company": None}
    assert baker["publishedAt"].startswith("2026-11-20T08:15:00")
    assert baker["accessibleTH"] is True

    seller = (await api(BY_NUMBER, {"number": "202VNDR"}))["offer"]
    assert seller["lieuTravail"]["communeInsee"] == "22004"  # from the postal code alone
    assert (seller["dureeContratMois"], seller["heuresHebdo"]) == (6, 24.5)
    assert seller["dureeTravail"] == "TEMPS_PARTIEL" and seller["nombrePostes"] == 2
    assert seller["salaire"]["monthlyMin"] == 1801.84  # 11.88 x 151.67

    developer = (await api(BY_NUMBER, {"number": "203DEVP"}))["offer"]
    assert developer["origin"] == "PARTENAIRE" and developer["heuresHebdo"] == 37.5

    # a département without a commune; no qualification ("X"); a salary label alone
    carer = (await api(BY_NUMBER, {"number": "204AIDS"}))["offer"]
    assert carer["lieuTravail"] == {
        "libelle": "75 - Paris (Dept.)",
        "communeInsee": None,
        "departement": {"code": "75"},
        "region": {"code": "11"},
    }
    assert carer["qualification"] is None
    assert carer["salaire"]["libelle"] == "Selon profil" and carer["salaire"]["min"] is None
    found = (await api(SEARCH, {"criteria": {"departements": ["75"]}}))["offerSearch"]
    assert numbers_of(found) == ["204AIDS"]

    # an id that is no offer number gets a new number, and the offer is found by keywords
    lorry = (await api(SEARCH, {"criteria": {"keywords": "poids lourd"}}))["offerSearch"]
    [number] = numbers_of(lorry)
    assert number != "206CONDU" and len(number) == 7


async def test_reimport_deduplicates_and_updates_what_changed(
    api: GraphQL, cli_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await espace("offers", "import", str(SAMPLE)) == 0
    candidate = await sign_up_candidate(api)
    baker = (await api(BY_NUMBER, {"number": "201QBKZ"}))["offer"]
    await api(SAVE, {"id": baker["id"]}, token=candidate.token)
    capsys.readouterr()

    # the same file again: nothing new
    assert await espace("offers", "import", str(SAMPLE)) == 0
    assert "0 créée, 0 mise à jour, 5 inchangées" in capsys.readouterr().out

    # a plain list, the baker's salary changed, one offer twice
    records = json.loads(SAMPLE.read_text(encoding="utf-8"))["resultats"]
    changed = dict(records[0], salaire={"libelle": "Mensuel de 2100.00 Euros"})
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps([changed, records[1], records[1]]), encoding="utf-8")
    assert await espace("offers", "import", str(edited)) == 0
    out = capsys.readouterr().out
    assert "3 offres lues : 0 créée, 1 mise à jour, 1 inchangée, 1 en double, 0 rejetée" in out
    salary = (await api(BY_NUMBER, {"number": "201QBKZ"}))["offer"]["salaire"]
    assert (salary["min"], salary["max"]) == (2100.0, None)
    # the candidat who saved it is told
    events = (await api(EVENTS, token=candidate.token))["viewer"]["dashboard"]["events"]
    kinds = [e["node"]["kind"] for e in events["edges"]]
    assert kinds[0] == "SAVED_OFFER_CHANGED"
    assert "salaire_min" in events["edges"][0]["node"]["payload"]["fields"]
    # still one offer per origin and number
    total = (await api(SEARCH, {"criteria": None}))["offerSearch"]["totalCount"]
    assert total == 5


async def test_export_writes_the_same_format_and_imports_again_unchanged(
    api: GraphQL, cli_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await espace("offers", "import", str(SAMPLE)) == 0
    exported = tmp_path / "export.json"
    assert await espace("offers", "export", str(exported)) == 0
    assert "5 offres publiées écrites" in capsys.readouterr().out

    records: list[dict[str, Any]] = json.loads(exported.read_text(encoding="utf-8"))["resultats"]
    sample = {r["id"]: r for r in json.loads(SAMPLE.read_text(encoding="utf-8"))["resultats"]}
    assert sorted(r["id"] for r in records) == sorted(k for k in sample if k != "205ERRX")
    for record in records:
        original = sample[record["id"]]
        for key in ("intitule", "description", "romeCode", "typeContrat", "experienceExige"):
            assert record[key] == original[key], (record["id"], key)
        assert record["salaire"] == {"libelle": original["salaire"]["libelle"]}
        assert record["lieuTravail"].get("commune") == original["lieuTravail"].get(
            "commune", record["lieuTravail"].get("commune")
        )
        assert record["origineOffre"]["origine"] == original["origineOffre"]["origine"]
        assert record["origineOffre"]["urlOrigine"].startswith("https://espace.example/offres/")
    baker = next(r for r in records if r["id"] == "201QBKZ")
    assert baker["typeContratLibelle"] == "Contrat à durée indéterminée"
    assert baker["experienceLibelle"] == "Expérience exigée de 2 An(s)"
    assert baker["dureeTravailLibelleConverti"] == "Temps plein"
    assert baker["qualificationCode"] == "6"

    # importing the export changes nothing
    assert await espace("offers", "import", str(exported)) == 0
    assert "5 offres lues : 0 créée, 0 mise à jour, 5 inchangées" in capsys.readouterr().out


async def test_an_unreadable_file_is_refused(
    cli_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"resultats": 3}', encoding="utf-8")
    assert await espace("offers", "import", str(broken)) == 1
    assert "impossible de lire" in capsys.readouterr().err


async def test_the_demo_offers_import_cleanly_across_regions(
    api: GraphQL, server: LiveServer
) -> None:
    from espace.cli.demo_offers import demo_records
    from resolvers.core.unit_of_work import RuntimeWork
    from resolvers.offers.import_export import import_offers

    work = RuntimeWork(server.runtime)
    try:
        summary = await import_offers(work, server.runtime.refdata, demo_records(60))
    finally:
        await work.close()
    assert (summary.created, summary.rejected) == (60, [])
    facets = "{ offerSearch { totalCount facets { typeContrat { value } departement { value } } } }"
    found = (await api(facets))["offerSearch"]
    assert found["totalCount"] == 60
    assert len(found["facets"]["departement"]) >= 10
    assert len(found["facets"]["typeContrat"]) >= 5


async def test_imported_offers_are_matched_against_alerts(
    api: GraphQL,
    http: httpx.AsyncClient,
    smtp: MailCatcher,
    cli_env: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.support.accounts import confirmed_candidate
    from tests.support.alerts import create_alert, dossier_alerts
    from tests.support.client import text_part

    candidate = await confirmed_candidate(api, http, smtp, "alerte.import@example.org")
    mine = await api(
        "{ viewer { dossiers(first: 1) { edges { node { id } } } } }", token=candidate.token
    )
    dossier_id = mine["viewer"]["dossiers"]["edges"][0]["node"]["id"]
    await create_alert(api, candidate.token, dossier_id, {"romeCodes": ["D1102"]})
    assert await espace("offers", "import", str(SAMPLE)) == 0
    capsys.readouterr()
    [alert] = await dossier_alerts(api, candidate.token, dossier_id)
    assert [e["node"]["offer"]["number"] for e in alert["matches"]["edges"]] == ["201QBKZ"]
    [mail] = await smtp.wait_for(1, to="alerte.import@example.org")
    assert "201QBKZ" in text_part(mail)
    # Importing the same file again matches nothing new and mails nothing more
    assert await espace("offers", "import", str(SAMPLE)) == 0
    capsys.readouterr()
    [alert] = await dossier_alerts(api, candidate.token, dossier_id)
    assert len(alert["matches"]["edges"]) == 1
