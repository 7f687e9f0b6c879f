"""Recovery by secret question: set it, answer it, lock it after 3 wrong answers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from models.base import utcnow
from models.identity import Account
from resolvers.identity.identifiant import check_letter
from resolvers.identity.secret_question import DECOY_QUESTIONS
from tests.conftest import LiveServer
from tests.support.accounts import (
    VIEWER,
    Candidate,
    account_row,
    confirmed_candidate,
    event_rows,
    sign_in_candidate,
    sign_up_candidate,
    sign_up_employer,
    write_session,
)
from tests.support.client import GraphQL, MailCatcher, text_part
from tests.support.dossiers import create_dossier

SECRET_QUESTION_SET = """
mutation ($input: SecretQuestionSetInput!) {
  secretQuestionSet(input: $input) { question userErrors { field message code } }
}
"""
SECRET_QUESTION = """
query ($identifiant: String!, $postalCode: String!) {
  secretQuestion(identifiant: $identifiant, postalCode: $postalCode)
}
"""
RECOVER = """
mutation ($input: PasswordRecoverBySecretQuestionInput!) {
  passwordRecoverBySecretQuestion(input: $input) { ok userErrors { field message code } }
}
"""
QUESTION = "Le nom de ma première école ?"
ANSWER = "École Saint-Éloi"
NEW_PASSWORD = "une nouvelle phrase de passe"


async def set_question(api: GraphQL, candidate: Candidate, **overrides: str) -> dict[str, Any]:
    values = {"question": QUESTION, "answer": ANSWER, "currentPassword": candidate.password}
    values.update(overrides)
    data = await api(SECRET_QUESTION_SET, {"input": values}, token=candidate.token)
    payload: dict[str, Any] = data["secretQuestionSet"]
    return payload


async def recover(
    api: GraphQL, identifiant: str, answer: str, postal_code: str = "22200"
) -> dict[str, Any]:
    values = {
        "identifiant": identifiant,
        "postalCode": postal_code,
        "answer": answer,
        "newPassword": NEW_PASSWORD,
    }
    data = await api(RECOVER, {"input": values})
    payload: dict[str, Any] = data["passwordRecoverBySecretQuestion"]
    return payload


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


async def test_recover_with_the_answer_ends_sessions_and_leaves_a_notice(
    api: GraphQL, http: httpx.AsyncClient, server: LiveServer, smtp: MailCatcher
) -> None:
    candidate = await confirmed_candidate(api, http, smtp, "annaig@example.org")
    assert await set_question(api, candidate) == {"question": QUESTION, "userErrors": []}
    # the question is shown for the identifiant, whatever the postal code (nothing confirmed)
    question = await api(
        SECRET_QUESTION, {"identifiant": candidate.identifiant, "postalCode": "22200"}
    )
    assert question == {"secretQuestion": QUESTION}
    wrong_code = await api(
        SECRET_QUESTION, {"identifiant": candidate.identifiant, "postalCode": "29200"}
    )
    assert wrong_code == {"secretQuestion": QUESTION}
    # when the candidat answers (case, accents and spaces do not matter)
    payload = await recover(api, candidate.identifiant, "  ecole   SAINT-eloi ")
    assert payload == {"ok": True, "userErrors": []}
    # then every session is over and the new password signs in
    assert (await api(VIEWER, token=candidate.token))["viewer"] is None
    signed = await sign_in_candidate(api, candidate.identifiant, NEW_PASSWORD, "22200")
    assert signed["userErrors"] == []
    # and a notice is left: an event and a mail to the confirmed address
    account = await account_row(server, identifiant=candidate.identifiant)
    [event] = [e for e in await event_rows(server, account.id) if e.kind == "password_reset"]
    assert event.payload == {"path": "secret_question"}
    [mail] = await smtp.wait_for(1, to="annaig@example.org")
    assert mail["Subject"] == "Votre mot de passe a été réinitialisé"
    assert "question secrète" in text_part(mail)


async def test_dossier_form_can_set_the_question(api: GraphQL) -> None:
    candidate = await sign_up_candidate(api)
    await create_dossier(api, candidate.token, secretQuestion=QUESTION, secretAnswer=ANSWER)
    assert (await recover(api, candidate.identifiant, ANSWER))["ok"] is True


async def test_three_wrong_answers_lock_this_path_for_a_day(
    api: GraphQL, server: LiveServer
) -> None:
    candidate = await sign_up_candidate(api)
    await set_question(api, candidate)
    # two wrong answers are just wrong, the third one locks
    first, second, third = [await recover(api, candidate.identifiant, "faux") for _ in range(3)]
    assert codes(first) == codes(second) == ["INVALID_CREDENTIALS"]
    assert codes(third) == ["LOCKED"]
    # then even the right answer is refused
    locked = await recover(api, candidate.identifiant, ANSWER)
    assert codes(locked) == ["LOCKED"]
    assert "bloquée jusqu'au" in locked["userErrors"][0]["message"]
    account = await account_row(server, identifiant=candidate.identifiant)
    assert account.secret_locked_until is not None
    assert timedelta(hours=23) < account.secret_locked_until - utcnow() <= timedelta(hours=24)
    # the password still works, and the lock ends after 24 hours
    assert (await sign_in_candidate(api, candidate.identifiant, candidate.password, "22200"))[
        "token"
    ]
    async with write_session(server) as session:
        await session.execute(
            update(Account)
            .where(Account.id == account.id)
            .values(secret_locked_until=utcnow() - timedelta(seconds=1))
        )
    assert (await recover(api, candidate.identifiant, ANSWER))["ok"] is True


async def test_unknown_account_or_wrong_postal_code_answer_like_a_wrong_answer(
    api: GraphQL,
) -> None:
    candidate = await sign_up_candidate(api)
    await set_question(api, candidate)
    wrong_answer = await recover(api, candidate.identifiant, "faux")
    wrong_code = await recover(api, candidate.identifiant, ANSWER, postal_code="29200")
    unknown = await recover(api, "1234567H", ANSWER)
    assert wrong_answer == wrong_code == unknown
    assert codes(unknown) == ["INVALID_CREDENTIALS"]
    ill_formed = await recover(api, "1234567", "")
    assert {(e["field"], e["code"]) for e in ill_formed["userErrors"]} == {
        ("identifiant", "INVALID_IDENTIFIANT"),
        ("answer", "REQUIRED"),
    }


async def test_setting_the_question_needs_the_password_and_a_candidat(api: GraphQL) -> None:
    candidate = await sign_up_candidate(api)
    wrong = await set_question(api, candidate, currentPassword="pas le bon mot de passe")
    assert [(e["field"], e["code"]) for e in wrong["userErrors"]] == [
        ("currentPassword", "WRONG_PASSWORD")
    ]
    short = await set_question(api, candidate, answer=" a ")
    assert [(e["field"], e["code"]) for e in short["userErrors"]] == [("answer", "TOO_SHORT")]
    long = await set_question(api, candidate, question="?" * 10_000, answer="x" * 10_000)
    assert {(e["field"], e["code"]) for e in long["userErrors"]} == {
        ("question", "TOO_LONG"),
        ("answer", "TOO_LONG"),
    }
    employer = await sign_up_employer(api)
    data = await api(
        SECRET_QUESTION_SET,
        {"input": {"question": QUESTION, "answer": ANSWER, "currentPassword": employer.password}},
        token=employer.token,
    )
    assert codes(data["secretQuestionSet"]) == ["WRONG_ACCOUNT_KIND"]
    anonymous = await api(
        SECRET_QUESTION_SET,
        {"input": {"question": QUESTION, "answer": ANSWER, "currentPassword": "x"}},
    )
    assert codes(anonymous["secretQuestionSet"]) == ["UNAUTHENTICATED"]
    # a new question replaces the old one
    await set_question(api, candidate)
    await set_question(api, candidate, question="Ma ville de naissance ?", answer="Guingamp")
    assert codes(await recover(api, candidate.identifiant, ANSWER)) == ["INVALID_CREDENTIALS"]
    assert (await recover(api, candidate.identifiant, "guingamp"))["ok"] is True


async def test_ill_formed_question_lookup_is_a_coded_error(api: GraphQL) -> None:
    body = await api.raw(SECRET_QUESTION, {"identifiant": "1234567", "postalCode": "22200"})
    assert body["data"] == {"secretQuestion": None}
    assert body["errors"][0]["extensions"]["code"] == "INVALID_IDENTIFIANT"


@pytest.mark.parametrize("settings_overrides", [{"secret_question_recovery": False}])
async def test_the_path_can_be_switched_off(api: GraphQL) -> None:
    candidate = await sign_up_candidate(api)
    await set_question(api, candidate)
    assert codes(await recover(api, candidate.identifiant, ANSWER)) == ["RECOVERY_DISABLED"]
    body = await api.raw(
        SECRET_QUESTION, {"identifiant": candidate.identifiant, "postalCode": "22200"}
    )
    assert body["errors"][0]["extensions"]["code"] == "RECOVERY_DISABLED"


async def test_the_lookup_confirms_no_identifiant_and_postal_code_pair(api: GraphQL) -> None:
    # Given a candidat with a question and one without
    with_question = await sign_up_candidate(api)
    await set_question(api, with_question)
    without = await sign_up_candidate(api)

    async def lookup(identifiant: str, postal_code: str) -> str:
        data = await api(SECRET_QUESTION, {"identifiant": identifiant, "postalCode": postal_code})
        question: str = data["secretQuestion"]
        return question

    # When each identifiant is looked up with the right postal code and wrong ones
    for ident in (
        with_question.identifiant,
        without.identifiant,
        "1234567" + check_letter("1234567"),
    ):
        answers = {await lookup(ident, code) for code in ("22200", "29200", "75001")}
        # Then every postal code gets the same non-null answer
        assert len(answers) == 1 and None not in answers
    # And an identifiant without a question gets a decoy, stable across lookups, not null
    decoy = await lookup(without.identifiant, "22200")
    assert decoy in DECOY_QUESTIONS
    assert await lookup(without.identifiant, "35000") == decoy


@pytest.mark.parametrize("settings_overrides", [{"login_client_limit": "5/minute"}])
async def test_lookups_go_through_the_sign_in_limits(api: GraphQL) -> None:
    idents = [f"{n:07d}" + check_letter(f"{n:07d}") for n in range(2000, 2007)]
    bodies = [
        await api.raw(SECRET_QUESTION, {"identifiant": i, "postalCode": "22200"}) for i in idents
    ]
    assert all(b["data"]["secretQuestion"] for b in bodies[:5])
    assert [b["errors"][0]["extensions"]["code"] for b in bodies[5:]] == ["THROTTLED"] * 2
