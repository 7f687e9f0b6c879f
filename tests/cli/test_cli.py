"""The ``espace`` command: serve refuses an unmigrated database; migrate; schema export."""

from __future__ import annotations

from pathlib import Path

import pytest

from espace.cli.main import main


@pytest.fixture
def empty_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "fresh.sqlite3"
    monkeypatch.setenv("ESPACE_DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.setenv("ESPACE_SECRET_KEY", "a-test-secret-that-is-not-the-default")
    return path


def test_serve_refuses_an_unmigrated_database(
    empty_database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--port", "1"]) == 1
    assert "espace migrate" in capsys.readouterr().err


def test_migrate_then_serve_check_passes(
    empty_database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["migrate"]) == 0
    assert "à jour" in capsys.readouterr().out
    assert main(["migrate"]) == 0  # idempotent


def test_default_secret_is_refused_without_debug(
    empty_database: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("ESPACE_SECRET_KEY")
    with pytest.raises(SystemExit) as exited:
        main(["migrate"])
    assert exited.value.code == 2
    assert "ESPACE_SECRET_KEY" in capsys.readouterr().err


def test_schema_export_prints_the_sdl(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "export", "-o", "-"]) == 0
    sdl = capsys.readouterr().out
    assert "type Query" in sdl and "dossierCreate" in sdl


def test_jobs_run_runs_each_due_job_once(
    empty_database: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ESPACE_OUTBOX_ENABLED", "0")
    assert main(["migrate"]) == 0
    assert main(["jobs", "run"]) == 0
    out = capsys.readouterr().out
    assert "offers:expire" in out and "alerts:daily" in out and "alerts:weekly" in out
    assert main(["jobs", "run"]) == 0  # the slots are taken: nothing runs twice
    assert "aucune" in capsys.readouterr().out


def test_an_operator_sees_and_changes_a_declaration_window(
    empty_database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["migrate"]) == 0
    capsys.readouterr()
    assert main(["actualisation", "window", "2027-02"]) == 0
    assert "février 2027 : du 26/02/2027 au 15/03/2027 inclus" in capsys.readouterr().out
    changed = [
        "actualisation",
        "window",
        "2027-02",
        "--opens",
        "2027-02-25",
        "--closes",
        "2027-03-16",
    ]
    assert main(changed) == 0
    assert "du 25/02/2027 au 16/03/2027 inclus" in capsys.readouterr().out
    assert main(["actualisation", "window", "2027-02"]) == 0  # kept in the table
    assert "du 25/02/2027 au 16/03/2027 inclus" in capsys.readouterr().out
    backwards = [
        "actualisation",
        "window",
        "2027-02",
        "--opens",
        "2027-03-01",
        "--closes",
        "2027-02-01",
    ]
    assert main(backwards) == 1
    assert "La fermeture précède l'ouverture." in capsys.readouterr().err
