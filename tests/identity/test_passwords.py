"""Passwords: the policy, changing one, and rehashing with stronger argon2 parameters."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import update

from ground.passwords import Hasher
from models.identity import Account
from tests.conftest import PRODUCTION_HASHING, LiveServer
from tests.support.accounts import (
    CANDIDATE_SIGN_UP,
    VIEWER,
    account_row,
    confirmed_candidate,
    event_rows,
    sign_in,
    sign_in_candidate,
    sign_up_candidate,
    sign_up_employer,
    write_session,
)
from tests.support.client import GraphQL, MailCatcher, text_part
from tests.support.dossiers import create_dossier

PASSWORD_CHANGE = """
mutation ($input: PasswordChangeInput!) {
  passwordChange(input: $input) { viewer { id } userErrors { field message code } }
}
"""
NEW_PASSWORD = "une nouvelle phrase de passe"
CURRENT_HASH_PREFIX = "$argon2id$v=19$m=19456,t=2,p=1$"


async def sign_up_codes(api: GraphQL, password: str, email: str | None = None) -> list[str]:
    data = await api(
        CANDIDATE_SIGN_UP, {"input": {"password": password, "postalCode": "22200", "email": email}}
    )
    return [e["code"] for e in data["candidateSignUp"]["userErrors"]]


async def test_password_policy_length_common_and_personal(api: GraphQL) -> None:
    # length: 12 characters at least (any characters), 256 at most
    assert await sign_up_codes(api, "onze_chars!") == ["PASSWORD_TOO_SHORT"]
    assert await sign_up_codes(api, "été à Brest!") == []
    long_phrase = " ".join(f"{w}{i}" for i, w in enumerate(["Goëlo", "Trieux", "ajonc"] * 20))
    assert await sign_up_codes(api, long_phrase[:256]) == []
    assert await sign_up_codes(api, "a" * 257) == ["PASSWORD_TOO_LONG"]
    assert await sign_up_codes(api, "Z" * 10_000) == ["PASSWORD_TOO_LONG"]
    # common passwords, in any case, and trivial ones
    assert await sign_up_codes(api, "1QAZ2WSX3EDC") == ["PASSWORD_TOO_COMMON"]
    assert await sign_up_codes(api, "azertyuiop123") == ["PASSWORD_TOO_COMMON"]
    assert await sign_up_codes(api, "abababababababab") == ["PASSWORD_TOO_COMMON"]
    # personal data: the postal code, the e-mail
    assert await sign_up_codes(api, "mon jardin 22200 fleuri") == [
        "PASSWORD_CONTAINS_PERSONAL_DATA"
    ]
    assert await sign_up_codes(
        api, "Marguerite au jardin", email="marguerite.durand@example.org"
    ) == ["PASSWORD_CONTAINS_PERSONAL_DATA"]


async def test_guessable_passwords_are_refused_with_the_reason(api: GraphQL) -> None:
    # repetitive, keyboard, dictionary-derived: refused, with a French reason
    expected = {
        "abcabcabcabc": "répète",
        "azertyazerty": "répète",
        "Password123!": "mot de passe très utilisé",
        "password1234!": "mot de passe très utilisé",
        "qsdfghjklmqsdf": "touches voisines du clavier",
        "chocolatchaud": "mot",
        "bonjourbonsoir22": "mot",
        "Marseille2024!!": "mot",
    }
    for password, reason in expected.items():
        data = await api(
            CANDIDATE_SIGN_UP, {"input": {"password": password, "postalCode": "22200"}}
        )
        [error] = data["candidateSignUp"]["userErrors"]
        assert error["code"] == "PASSWORD_TOO_WEAK", password
        assert error["message"].startswith("Ce mot de passe est trop facile à deviner"), error
        assert reason in error["message"], (password, error["message"])
    # passphrases of unrelated words pass
    assert await sign_up_codes(api, "Chaussette bleue sur la lune 42") == []


async def test_own_data_disguised_is_refused(api: GraphQL) -> None:
    # Given a candidat whose dossier says Annaïg Le Goff, born 17 May 1990
    candidate = await sign_up_candidate(api)
    await create_dossier(api, candidate.token)
    # When the new password is the name reversed (the estimator sees through it)
    data = await api(
        PASSWORD_CHANGE,
        {"input": {"currentPassword": candidate.password, "newPassword": "ffogelgianna!!"}},
        token=candidate.token,
    )
    [error] = data["passwordChange"]["userErrors"]
    assert (error["field"], error["code"]) == ("newPassword", "PASSWORD_TOO_WEAK")
    assert "informations personnelles" in error["message"]


async def test_new_password_must_not_contain_identifiant_or_dossier_data(api: GraphQL) -> None:
    candidate = await sign_up_candidate(api)
    await create_dossier(api, candidate.token)  # Annaïg Le Goff, born 17 May 1990
    refused = [
        f"mon identifiant {candidate.identifiant.lower()}",
        f"mon numéro {candidate.identifiant[:7]} à moi",
        "Annaig aime la mer",
        "les legoff de bretagne",
        "fête le 17/05/1990 !",
        "1990-05-17 jour de fête",
    ]
    for password in refused:
        data = await api(
            PASSWORD_CHANGE,
            {"input": {"currentPassword": candidate.password, "newPassword": password}},
            token=candidate.token,
        )
        errors = data["passwordChange"]["userErrors"]
        assert [(e["field"], e["code"]) for e in errors] == [
            ("newPassword", "PASSWORD_CONTAINS_PERSONAL_DATA")
        ], password


async def test_password_change_ends_the_other_sessions_only(
    api: GraphQL, server: LiveServer
) -> None:
    candidate = await sign_up_candidate(api)
    other = await sign_in_candidate(api, candidate.identifiant, candidate.password, "22200")
    # when the candidat changes the password in one session
    data = await api(
        PASSWORD_CHANGE,
        {"input": {"currentPassword": candidate.password, "newPassword": NEW_PASSWORD}},
        token=candidate.token,
    )
    assert data["passwordChange"]["userErrors"] == []
    # then this session goes on, the other one is over
    assert (await api(VIEWER, token=candidate.token))["viewer"] is not None
    assert (await api(VIEWER, token=other["token"]))["viewer"] is None
    # and only the new password signs in
    old = await sign_in_candidate(api, candidate.identifiant, candidate.password, "22200")
    assert old["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
    new = await sign_in_candidate(api, candidate.identifiant, NEW_PASSWORD, "22200")
    assert new["userErrors"] == []
    account = await account_row(server, identifiant=candidate.identifiant)
    kinds = [e.kind for e in await event_rows(server, account.id)]
    assert kinds == ["signed_in", "signed_in", "password_changed", "signed_in"]


async def test_password_change_needs_the_current_password(api: GraphQL) -> None:
    candidate = await sign_up_candidate(api)
    for _ in range(5):
        data = await api(
            PASSWORD_CHANGE,
            {"input": {"currentPassword": "pas le bon mot de passe", "newPassword": NEW_PASSWORD}},
            token=candidate.token,
        )
        assert [(e["field"], e["code"]) for e in data["passwordChange"]["userErrors"]] == [
            ("currentPassword", "WRONG_PASSWORD")
        ]
    # wrong current passwords count as failed sign-ins: a stolen session cannot guess
    data = await api(
        PASSWORD_CHANGE,
        {"input": {"currentPassword": candidate.password, "newPassword": NEW_PASSWORD}},
        token=candidate.token,
    )
    assert data["passwordChange"]["userErrors"][0]["code"] == "THROTTLED"
    # without a session (or with a revoked one) the answer is UNAUTHENTICATED
    data = await api(
        PASSWORD_CHANGE, {"input": {"currentPassword": "x", "newPassword": NEW_PASSWORD}}
    )
    assert data["passwordChange"]["userErrors"][0]["code"] == "UNAUTHENTICATED"
    await api("mutation { sessionRevoke { revokedCount } }", token=candidate.token)
    data = await api(
        PASSWORD_CHANGE,
        {"input": {"currentPassword": candidate.password, "newPassword": NEW_PASSWORD}},
        token=candidate.token,
    )
    assert data["passwordChange"]["userErrors"][0]["code"] == "UNAUTHENTICATED"


async def test_password_change_mails_a_notice_to_confirmed_addresses(
    api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # a candidat: to the confirmed e-mail of a dossier
    candidate = await confirmed_candidate(api, http, smtp, "annaig@example.org")
    data = await api(
        PASSWORD_CHANGE,
        {"input": {"currentPassword": candidate.password, "newPassword": NEW_PASSWORD}},
        token=candidate.token,
    )
    assert data["passwordChange"]["userErrors"] == []
    [mail] = await smtp.wait_for(1, to="annaig@example.org")
    assert mail["Subject"] == "Votre mot de passe a été modifié"
    assert candidate.identifiant in text_part(mail)
    assert "heure de Paris" in text_part(mail)
    assert NEW_PASSWORD not in text_part(mail)
    # an employer: to its sign-in e-mail
    employer = await sign_up_employer(api, email="rh@goelo.example")
    data = await api(
        PASSWORD_CHANGE,
        {"input": {"currentPassword": employer.password, "newPassword": NEW_PASSWORD}},
        token=employer.token,
    )
    assert data["passwordChange"]["userErrors"] == []
    [mail] = await smtp.wait_for(1, to="rh@goelo.example")
    assert mail["Subject"] == "Votre mot de passe a été modifié"


# With the production parameters (the tests' servers hash cheaply): the prefix checked is theirs.
@pytest.mark.parametrize("settings_overrides", [PRODUCTION_HASHING], ids=["production-hashing"])
async def test_sign_in_rehashes_a_password_hashed_with_weaker_parameters(
    api: GraphQL, server: LiveServer
) -> None:
    candidate = await sign_up_candidate(api)
    account = await account_row(server, identifiant=candidate.identifiant)
    assert account.password_hash.startswith(CURRENT_HASH_PREFIX)
    # given a hash made with weaker parameters (an older setting)
    weak = Hasher(time_cost=1, memory_kib=8192, parallelism=1).hash(candidate.password)
    async with write_session(server) as session:
        await session.execute(
            update(Account).where(Account.id == account.id).values(password_hash=weak)
        )
    # when the candidat signs in, it still works, and the hash is replaced
    payload = await sign_in_candidate(api, candidate.identifiant, candidate.password, "22200")
    assert payload["userErrors"] == []
    account = await account_row(server, identifiant=candidate.identifiant)
    assert account.password_hash.startswith(CURRENT_HASH_PREFIX)
    assert account.password_hash != weak
    again = await sign_in(
        api, identifiant=candidate.identifiant, postalCode="22200", password=candidate.password
    )
    assert again["userErrors"] == []
