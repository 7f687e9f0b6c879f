"""Sign-in answers identically whatever is wrong, stable codes for ill-formed input, forged
tokens, employers and advisers."""

from __future__ import annotations

import asyncio
import re
import time

import pytest

from espace.cli.main import main as espace_cli
from models.dossiers import Agency
from resolvers.identity.identifiant import check_letter
from tests.conftest import PRODUCTION_HASHING, LiveServer
from tests.support.accounts import (
    CANDIDATE_SIGN_UP,
    DEFAULT_PASSWORD,
    EMPLOYER_SIGN_UP,
    VIEWER,
    account_row,
    sign_in,
    sign_up_candidate,
    sign_up_employer,
    write_session,
)
from tests.support.client import GraphQL


async def fastest_sign_in(api: GraphQL, times: int, **credentials: str) -> float:
    """The shortest of ``times`` sign-in round trips, in seconds."""
    durations = []
    for _ in range(times):
        start = time.perf_counter()
        await sign_in(api, **credentials)
        durations.append(time.perf_counter() - start)
    return min(durations)


# The timing comparison below is about argon2's production cost: with the tests' cheap hashing,
# HTTP alone would make the two answers alike even without the dummy verification.
@pytest.mark.parametrize("settings_overrides", [PRODUCTION_HASHING], ids=["production-hashing"])
async def test_wrong_identifiant_password_or_postal_code_answer_identically(
    api: GraphQL,
) -> None:
    candidate = await sign_up_candidate(api)
    stranger = await sign_up_candidate(api, postal_code="75001")
    unknown = next(
        d + check_letter(d)
        for d in (f"{n:07d}" for n in range(1000, 2000))
        if d + check_letter(d) not in (candidate.identifiant, stranger.identifiant)
    )
    attempts = {
        "unknown identifiant": {"identifiant": unknown, "postalCode": "22200"},
        "other account": {"identifiant": stranger.identifiant, "postalCode": "22200"},
        "wrong password": {"identifiant": candidate.identifiant, "postalCode": "22200"},
        "wrong postal code": {"identifiant": candidate.identifiant, "postalCode": "22000"},
    }
    answers = {}
    for name, credentials in attempts.items():
        password = DEFAULT_PASSWORD if "wrong postal" in name else "not the password!"
        answers[name] = await sign_in(api, password=password, **credentials)
    expected = [
        {
            "field": None,
            "code": "INVALID_CREDENTIALS",
            "message": "Identifiant, mot de passe ou code postal incorrect.",
        }
    ]
    for name, payload in answers.items():
        assert payload == {"token": None, "viewer": None, "userErrors": expected}, name
    # and in about the same time: an unknown account costs a (dummy) hash verification too
    # (a coarse bound on the fastest of two each: without the dummy verification an unknown
    # identifiant answers several times faster, and a loaded machine makes timings noisy)
    unknown_time = await fastest_sign_in(
        api, 2, password="x" * 12, **attempts["unknown identifiant"]
    )
    known_time = await fastest_sign_in(api, 2, password="x" * 12, **attempts["wrong password"])
    assert unknown_time > 0.3 * known_time


async def test_ill_formed_input_gets_stable_codes_not_errors(api: GraphQL) -> None:
    huge = "9" * 10_000
    cases: list[tuple[dict[str, str], set[tuple[str | None, str]]]] = [
        (
            {"identifiant": "1234567", "postalCode": "22200", "password": "x"},
            {("identifiant", "INVALID_IDENTIFIANT")},
        ),
        (
            {"identifiant": "1234567G", "postalCode": "22200", "password": "x"},
            {("identifiant", "INVALID_IDENTIFIANT")},
        ),
        (
            {"identifiant": huge, "postalCode": huge, "password": huge},
            {
                ("identifiant", "INVALID_IDENTIFIANT"),
                ("postalCode", "INVALID_POSTAL_CODE"),
                ("password", "PASSWORD_TOO_LONG"),
            },
        ),
        (
            {"identifiant": "", "postalCode": "", "password": ""},
            {
                ("identifiant", "REQUIRED"),
                ("postalCode", "REQUIRED"),
                ("password", "REQUIRED"),
            },
        ),
        ({"email": huge + "@example.org", "password": "x"}, {("email", "INVALID_EMAIL")}),
        (
            {"email": "a@example.org", "identifiant": "1234567H", "password": "x"},
            {(None, "INVALID")},
        ),
    ]
    for credentials, expected in cases:
        payload = await sign_in(api, **credentials)
        assert payload["token"] is None
        assert {(e["field"], e["code"]) for e in payload["userErrors"]} == expected, credentials
    data = await api(
        CANDIDATE_SIGN_UP, {"input": {"password": huge, "postalCode": huge, "email": huge}}
    )
    codes = {(e["field"], e["code"]) for e in data["candidateSignUp"]["userErrors"]}
    assert codes == {
        ("postalCode", "INVALID_POSTAL_CODE"),
        ("email", "INVALID_EMAIL"),
        ("password", "PASSWORD_TOO_LONG"),
    }
    for value, company_code in (("", "REQUIRED"), (huge, "TOO_LONG")):
        data = await api(
            EMPLOYER_SIGN_UP, {"input": {"email": value, "password": value, "companyName": value}}
        )
        codes = {(e["field"], e["code"]) for e in data["employerSignUp"]["userErrors"]}
        assert ("companyName", company_code) in codes
        assert {field for field, _ in codes} == {"email", "password", "companyName"}


async def test_forged_or_revoked_bearer_is_no_viewer(api: GraphQL) -> None:
    assert (await api(VIEWER, token="forged-token"))["viewer"] is None
    assert (await api(VIEWER, token="x" * 10_000))["viewer"] is None


async def test_employer_signs_up_and_in_with_email(api: GraphQL) -> None:
    employer = await sign_up_employer(api, email="Recrutement@Goelo.example")
    assert employer.email == "recrutement@goelo.example"
    viewer = (await api(VIEWER, token=employer.token))["viewer"]
    assert viewer["kind"] == "EMPLOYEUR"
    assert viewer["email"] == "recrutement@goelo.example"
    assert viewer["displayName"] == "Conserverie du Goëlo"
    assert viewer["identifiant"] is None
    # the same e-mail cannot sign up twice
    again = await api(
        EMPLOYER_SIGN_UP,
        {
            "input": {
                "email": "RECRUTEMENT@goelo.example",
                "password": DEFAULT_PASSWORD,
                "companyName": "Autre",
            }
        },
    )
    assert [e["code"] for e in again["employerSignUp"]["userErrors"]] == ["DUPLICATE"]
    # a wrong password and an unknown address answer the same
    wrong = await sign_in(api, email=employer.email, password="not the password!")
    unknown = await sign_in(api, email="personne@goelo.example", password="not the password!")
    assert wrong == unknown
    assert wrong["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
    # and the right password still works (failures below the threshold do not block)
    assert (await sign_in(api, email=employer.email, password=employer.password))["token"]


async def run_cli(monkeypatch: pytest.MonkeyPatch, server: LiveServer, *args: str) -> int:
    monkeypatch.setenv("ESPACE_DATABASE_URL", server.settings.database_url)
    monkeypatch.setenv("ESPACE_SECRET_KEY", server.settings.secret_key)
    monkeypatch.setenv("ESPACE_DEBUG", "1")
    return await asyncio.to_thread(espace_cli, ["adviser", "create", *args])


async def test_adviser_is_created_on_the_command_line_and_signs_in_with_email(
    api: GraphQL,
    server: LiveServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    async with write_session(server) as session:
        session.add(
            Agency(code="22001", name="Saint-Brieuc", postal_code="22000", commune_insee="22278")
        )
    # when an administrator creates an adviser
    code = await run_cli(
        monkeypatch,
        server,
        "--email",
        "Anne.Conseil@agence.example",
        "--name",
        "Anne Conseil",
        "--agency",
        "22001",
        "--password",
        DEFAULT_PASSWORD,
    )
    # then it is created, and says so in French
    assert code == 0
    assert "conseiller créé" in capsys.readouterr().out
    signed = await sign_in(api, email="anne.conseil@agence.example", password=DEFAULT_PASSWORD)
    assert signed["viewer"]["kind"] == "CONSEILLER"
    account = await account_row(server, email="anne.conseil@agence.example")
    assert account.agency_id is not None
    # and bad input is refused with an exit code and a French message
    code = await run_cli(
        monkeypatch,
        server,
        "--email",
        "autre@agence.example",
        "--name",
        "Autre",
        "--agency",
        "00000",
        "--password",
        "court",
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "au moins 12 caractères" in err
    assert re.search(r"--agency : Aucune agence", err)
