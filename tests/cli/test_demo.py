"""The demo data of ``make demo``: seeded on a fresh database, its accounts sign in and
find what the banner promises (dossiers, offers, an instant alert)."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from espace.cli.demo import DEMO_PASSWORD, seed
from espace.cli.main import main
from tests.conftest import LiveServer, free_port
from tests.support.accounts import sign_in
from tests.support.client import GraphQL

MINE = """
{ viewer { dossiers(first: 5) { edges { node {
  name alerts { edges { node { name status } } }
} } } } }
"""
OFFERS = "{ offerSearch(criteria: {}, first: 1) { totalCount } }"
ROOT = Path(__file__).resolve().parents[2]
CV_SEARCH = (ROOT / "graphql" / "operations" / "CvSearch.graphql").read_text(encoding="utf-8")


async def test_the_demo_seed_signs_in_and_shows_data(server: LiveServer, api: GraphQL) -> None:
    accounts = await seed(server.runtime)
    candidats = [a for a in accounts if a.label.startswith("Candidat")]
    assert len(candidats) == 2 and any(a.label == "Conseiller" for a in accounts)
    statuses = []
    for account in candidats:
        assert account.postal_code is not None
        session = await sign_in(
            api, identifiant=account.login, password=DEMO_PASSWORD, postalCode=account.postal_code
        )
        assert session["userErrors"] == [], session
        data = await api(MINE, token=session["token"])
        [dossier] = data["viewer"]["dossiers"]["edges"]
        statuses += [e["node"]["status"] for e in dossier["node"]["alerts"]["edges"]]
    assert statuses == ["ACTIVE"]  # the candidat with a confirmed e-mail has an alert
    assert (await api(OFFERS))["offerSearch"]["totalCount"] >= 50
    # and the demo employer's CV search, as the example operation has it, finds a CV
    employer = next(a for a in accounts if a.label == "Employeur")
    session = await sign_in(api, email=employer.login, password=DEMO_PASSWORD)
    found = (await api(CV_SEARCH, token=session["token"]))["cvSearch"]
    assert [e["node"]["title"] for e in found["edges"]] == ["Boulangère, pains au levain"]
    assert found["edges"][0]["node"]["candidate"]["prenom"] == "Camille"


def test_a_busy_port_is_refused_before_anything_is_reset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a port already taken (say, by a demo started earlier) and its data
    monkeypatch.chdir(tmp_path)
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "demo.sqlite3").write_bytes(b"the running demo's data")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        # When `PORT=<that port> make demo` runs the demo command
        status = main(["demo", "--port", str(port)])
    # Then it stops at once with a clear message, without printing sign-ins or resetting
    out, err = capsys.readouterr()
    assert status == 1
    assert f"le port {port} de 127.0.0.1 est déjà utilisé" in err
    assert "already in use" in err and f"PORT={port + 1} make demo" in err
    assert "Mot de passe" not in out
    assert (tmp_path / "var" / "demo.sqlite3").read_bytes() == b"the running demo's data"


def test_make_demo_passes_the_port_on() -> None:
    dry_run = subprocess.run(
        ["make", "-n", "demo"],
        cwd=ROOT,
        env={**os.environ, "PORT": "8123"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert ".venv/bin/espace demo --host 127.0.0.1 --port 8123" in dry_run.stdout


def test_the_demo_serves_on_the_port_it_is_given(tmp_path: Path) -> None:
    # Given a free port, when the demo command starts on it (in a scratch directory)
    port = free_port()
    proc = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "espace"), "demo", "--port", str(port)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = []
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            lines.append(line)
            if line.startswith("  Candidat (Camille"):
                break
            assert line or proc.poll() is None, "".join(lines)
        # Then it says the data starts over, prints the sign-ins, and serves there
        printed = "".join(lines)
        assert "les données repartent de zéro" in printed
        assert f"http://127.0.0.1:{port}/graphql" in printed and "Mot de passe" in printed
        for _ in range(100):
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert health.status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if proc.stdout is not None:
            proc.stdout.close()
