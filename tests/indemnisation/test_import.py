"""``espace indemnisation import FILE``: France Travail-like JSON; bad records reported
with every reason, the same candidat twice counts once, a second import adds nothing."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from espace.cli.main import main
from tests.conftest import LiveServer
from tests.support.client import GraphQL, MailCatcher
from tests.support.indemnisation import candidat_at, two_agencies

MINE = """
{ viewer { indemnisation {
  state kind dailyNetRate { formatted } daysLeft startDate expectedEnd lastPaymentSentence
  payments(first: 10) { edges { node {
    status source paidOn amount { formatted } allocations { cents } aides { cents }
    autres { cents } computation { daysPaid }
  } } }
} } }
"""


@pytest.fixture
def cli_env(server: LiveServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line works on the live server's database."""
    monkeypatch.setenv("ESPACE_DATABASE_URL", server.settings.database_url)
    monkeypatch.setenv("ESPACE_SECRET_KEY", "a-test-secret-that-is-not-the-default")


async def espace(*argv: str) -> int:
    return await asyncio.to_thread(main, list(argv))


def record(identifiant: str, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "identifiant": identifiant,
        "indemnisationJournalierNet": 31.97,
        "dureeReliquat": 200,
        "dateReliquat": "2025-10-01",
        "beneficiaireAssuranceChomage": True,
        "paiements": [
            {"date": "2025-09-04", "montant": 142.65, "allocations": 120.0, "aides": 22.65},
            {"date": "2025-10-03", "montant": "959,10", "allocations": "959,10"},
            {"date": "2099-01-05", "montant": 959.1, "allocations": 959.1},
        ],
    }
    data.update(changes)
    return data


async def test_import_reports_bad_records_deduplicates_and_loads_the_others(
    server: LiveServer,
    api: GraphQL,
    http: httpx.AsyncClient,
    smtp: MailCatcher,
    cli_env: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given two candidats and a file with a good record, a bad one, an unknown
    # identifiant and the first candidat again (the last record counts)
    agencies = await two_agencies(server, api)
    anna = await candidat_at(api, http, smtp, agencies["GUI01"])
    yann = await candidat_at(api, http, smtp, agencies["BRE01"])
    path = tmp_path / "indemnisation.json"
    records = [
        record(anna.identifiant, dureeReliquat=10),
        record(
            yann.identifiant,
            indemnisationJournalierNet="beaucoup",
            dureeReliquat=-3,
            beneficiaireAssuranceChomage="oui",
            paiements=[{"date": "hier", "montant": 10}],
        ),
        record("9999999Z"),
        record(anna.identifiant),
    ]
    path.write_text(json.dumps({"demandeurs": records}), encoding="utf-8")
    # When it is imported
    assert await espace("indemnisation", "import", str(path)) == 0
    out, err = capsys.readouterr()
    # Then every reason of the bad record is given, and the counts
    assert "demandeur n° 2" in err and "indemnisationJournalierNet" in err
    assert "dureeReliquat" in err and "beneficiaireAssuranceChomage" in err
    assert "paiements[0].date" in err
    assert "demandeur n° 3 (9999999Z) rejeté : aucun candidat" in err
    assert "4 demandeur(s) lu(s) : 1 créé(s), 0 mis à jour, 1 en double, 2 rejeté(s)" in out
    assert "3 paiement(s) ajouté(s), 0 déjà connu(s)" in out
    # And the candidat sees their rights and payments, the one to come scheduled
    mine = (await api(MINE, token=anna.token))["viewer"]["indemnisation"]
    assert mine["state"] == "OUVERT" and mine["kind"] == "ARE"
    assert mine["dailyNetRate"] == {"formatted": "31,97\u00a0€"}
    assert (mine["daysLeft"], mine["startDate"], mine["expectedEnd"]) == (
        200,
        "2025-10-01",
        "2026-04-18",
    )
    payments = [e["node"] for e in mine["payments"]["edges"]]
    assert [(p["status"], p["paidOn"]) for p in payments] == [
        ("SCHEDULED", "2099-01-05"),
        ("PAID", "2025-10-03"),
        ("PAID", "2025-09-04"),
    ]
    assert payments[2]["amount"] == {"formatted": "142,65\u00a0€"}
    assert (payments[2]["allocations"], payments[2]["aides"], payments[2]["autres"]) == (
        {"cents": 12000},
        {"cents": 2265},
        {"cents": 0},
    )
    assert all(p["source"] == "IMPORT" and p["computation"] is None for p in payments)
    assert mine["lastPaymentSentence"] == (
        "Au 03/10/2025 mon dernier versement est de 959,10\u00a0€ net"
    )
    assert (await api(MINE, token=yann.token))["viewer"]["indemnisation"] is None

    # When the same file is imported again, nothing is added twice
    assert await espace("indemnisation", "import", str(path)) == 0
    out, _ = capsys.readouterr()
    assert "0 créé(s), 1 mis à jour" in out and "0 paiement(s) ajouté(s), 3 déjà connu(s)" in out
    again = (await api(MINE, token=anna.token))["viewer"]["indemnisation"]
    assert len(again["payments"]["edges"]) == 3


async def test_an_unreadable_file_is_an_error(
    cli_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{pas du json", encoding="utf-8")
    assert await espace("indemnisation", "import", str(path)) == 1
    assert "impossible de lire" in capsys.readouterr().err
