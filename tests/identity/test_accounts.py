"""Accounts and sessions: sign-up, sign-in, sign-out, the three kinds of account."""

from __future__ import annotations

from sqlalchemy import func, select

from models.identity import Account
from resolvers.identity.identifiant import check_letter, is_valid_identifiant
from tests.conftest import LiveServer
from tests.support.accounts import (
    CANDIDATE_SIGN_UP,
    DEFAULT_PASSWORD,
    VIEWER,
    account_row,
    event_rows,
    sign_in_candidate,
    sign_up_candidate,
)
from tests.support.client import GraphQL, MailCatcher, text_part

SESSION_REVOKE = "mutation { sessionRevoke { revokedCount userErrors { field message code } } }"
SESSION_REVOKE_ALL = """
mutation ($input: SessionRevokeAllInput) {
  sessionRevokeAll(input: $input) { revokedCount userErrors { field message code } }
}
"""


def test_identifiant_check_letter_catches_every_single_typo() -> None:
    assert check_letter("1234567") == "H"
    assert is_valid_identifiant("1234567H")
    for position in range(7):
        for digit in "0123456789":
            typo = "1234567"[:position] + digit + "1234567"[position + 1 :]
            if typo != "1234567":
                assert not is_valid_identifiant(typo + "H"), typo
    assert not is_valid_identifiant("1234576H")  # two digits swapped
    assert not is_valid_identifiant("1234567G")
    assert not is_valid_identifiant("1234567")
    assert not is_valid_identifiant("12345678H")


async def test_candidate_signs_up_then_in_with_identifiant_password_and_postal_code(
    api: GraphQL, server: LiveServer, smtp: MailCatcher
) -> None:
    # given a new candidat who gave an e-mail
    data = await api(
        CANDIDATE_SIGN_UP,
        {
            "input": {
                "password": DEFAULT_PASSWORD,
                "postalCode": "22200",
                "email": "lea@example.org",
            }
        },
    )
    identifiant = data["candidateSignUp"]["identifiant"]
    assert data["candidateSignUp"]["userErrors"] == []
    assert is_valid_identifiant(identifiant)
    # then the identifiant is mailed
    [mail] = await smtp.wait_for(1, to="lea@example.org")
    assert identifiant in mail["Subject"]
    assert identifiant in text_part(mail)
    assert DEFAULT_PASSWORD not in text_part(mail)
    # when they sign in with identifiant + password + postal code
    session = await sign_in_candidate(api, identifiant.lower(), DEFAULT_PASSWORD, "22200")
    # then they get a token that makes them the viewer
    assert session["userErrors"] == []
    assert len(session["token"]) >= 22
    viewer = (await api(VIEWER, token=session["token"]))["viewer"]
    assert viewer["kind"] == "CANDIDAT"
    assert viewer["identifiant"] == identifiant
    assert viewer["postalCode"] == "22200"
    assert viewer["email"] is None
    # and the sign-in is in the account's events
    account = await account_row(server, identifiant=identifiant)
    assert [e.kind for e in await event_rows(server, account.id)] == ["signed_in"]


async def test_sign_up_refuses_bad_postal_codes_and_writes_nothing(
    api: GraphQL, server: LiveServer
) -> None:
    cases = {"99999": "UNKNOWN_POSTAL_CODE", "2220": "INVALID_POSTAL_CODE", "": "REQUIRED"}
    for code, expected in cases.items():
        data = await api(
            CANDIDATE_SIGN_UP, {"input": {"password": DEFAULT_PASSWORD, "postalCode": code}}
        )
        payload = data["candidateSignUp"]
        assert payload["identifiant"] is None
        assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
            ("postalCode", expected)
        ]
    async with server.runtime.sessionmaker() as session:
        assert await session.scalar(select(func.count(Account.id))) == 0


async def test_sign_up_reports_every_field_at_once(api: GraphQL) -> None:
    data = await api(
        CANDIDATE_SIGN_UP,
        {"input": {"password": "court", "postalCode": "abc", "email": "pas-une-adresse"}},
    )
    codes = {(e["field"], e["code"]) for e in data["candidateSignUp"]["userErrors"]}
    assert codes == {
        ("postalCode", "INVALID_POSTAL_CODE"),
        ("email", "INVALID_EMAIL"),
        ("password", "PASSWORD_TOO_SHORT"),
    }


async def test_sign_out_kills_the_token(api: GraphQL) -> None:
    candidate = await sign_up_candidate(api)
    # when the candidat closes their space
    data = await api(SESSION_REVOKE, token=candidate.token)
    assert data["sessionRevoke"] == {"revokedCount": 1, "userErrors": []}
    # then the token is dead: no viewer, and mutations needing a session refuse it
    assert (await api(VIEWER, token=candidate.token))["viewer"] is None
    again = await api(SESSION_REVOKE, token=candidate.token)
    assert again["sessionRevoke"]["userErrors"][0]["code"] == "UNAUTHENTICATED"


async def test_revoke_all_ends_every_session(api: GraphQL) -> None:
    candidate = await sign_up_candidate(api)
    other = await sign_in_candidate(api, candidate.identifiant, candidate.password, "22200")
    third = await sign_in_candidate(api, candidate.identifiant, candidate.password, "22200")
    # keepCurrent ends only the others
    data = await api(SESSION_REVOKE_ALL, {"input": {"keepCurrent": True}}, token=third["token"])
    assert data["sessionRevokeAll"] == {"revokedCount": 2, "userErrors": []}
    assert (await api(VIEWER, token=candidate.token))["viewer"] is None
    assert (await api(VIEWER, token=other["token"]))["viewer"] is None
    assert (await api(VIEWER, token=third["token"]))["viewer"] is not None
    # without it, the current one ends too
    data = await api(SESSION_REVOKE_ALL, token=third["token"])
    assert data["sessionRevokeAll"] == {"revokedCount": 1, "userErrors": []}
    assert (await api(VIEWER, token=third["token"]))["viewer"] is None
