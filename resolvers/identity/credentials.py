"""A signed-in account changes its credentials: password, secret question.

Both need the current password. A wrong current password counts as a failed
sign-in for the account (same throttle), so a stolen session cannot be used to
guess the password.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ground.runtime import Runtime
from models.base import utcnow
from models.dashboard import EventKind
from models.identity import Account
from refdata import normalize
from resolvers.core.errors import DomainError, ErrorCode, ErrorCollector, FieldError
from resolvers.core.unit_of_work import UnitOfWork
from resolvers.dashboard.events import record_event
from resolvers.identity import throttle
from resolvers.identity.fields import french_datetime, notice_addresses, parse_text
from resolvers.identity.password_policy import MAX_LENGTH, account_personal_words, password_error
from resolvers.identity.sessions import Viewer, revoke_all_sessions

QUESTION_MAX = 200
ANSWER_MIN = 3
ANSWER_MAX = 200

Change = Callable[[AsyncSession, Account, datetime], Awaitable[None]]


def set_password(account: Account, hashed: str, now: datetime) -> None:
    account.password_hash = hashed
    account.password_changed_at = now


async def with_current_password(
    uow: UnitOfWork,
    runtime: Runtime,
    account_id: int,
    current_password: str,
    change: Change,
) -> list[FieldError]:
    """Apply ``change`` in a write transaction if ``current_password`` is right.

    Returns the errors (THROTTLED, WRONG_PASSWORD); a wrong password is recorded
    and committed, so the caller must not raise on these errors.
    """
    read = uow.read_session()
    account = await read.get(Account, account_id)
    if account is None:
        raise DomainError.single(None, ErrorCode.UNAUTHENTICATED, "Vous devez être connecté(e).")
    key = throttle.account_key(account.identifiant, account.email)
    refused = await throttle.refusal(read, runtime.settings, key, utcnow())
    if refused is not None:
        return [refused]
    ok = await asyncio.to_thread(runtime.hasher.verify, account.password_hash, current_password)
    async with uow.write() as session:
        await throttle.lock(session, key)
        now = utcnow()
        refused = await throttle.refusal(session, runtime.settings, key, now)
        if refused is not None:
            return [refused]
        if not ok:
            await throttle.record_failure(session, key, now)
            return [
                FieldError(
                    "currentPassword",
                    ErrorCode.WRONG_PASSWORD,
                    "Votre mot de passe actuel est incorrect.",
                )
            ]
        row = await session.get(Account, account_id)
        assert row is not None
        await throttle.clear(session, key)
        await change(session, row, now)
    return []


def _current_password_error(current_password: str | None) -> FieldError | None:
    if not current_password:
        return FieldError(
            "currentPassword", ErrorCode.REQUIRED, "Indiquez votre mot de passe actuel."
        )
    if len(current_password) > MAX_LENGTH:
        return FieldError(
            "currentPassword", ErrorCode.WRONG_PASSWORD, "Votre mot de passe actuel est incorrect."
        )
    return None


async def change_password(
    uow: UnitOfWork,
    runtime: Runtime,
    viewer: Viewer,
    *,
    current_password: str | None,
    new_password: str | None,
) -> list[FieldError]:
    """Set a new password and end the account's other sessions (not this one)."""
    errors = ErrorCollector()
    if (error := _current_password_error(current_password)) is not None:
        errors.errors.append(error)
    words = await account_personal_words(uow.read_session(), viewer.account)
    if (
        error := await asyncio.to_thread(password_error, new_password or "", words, "newPassword")
    ) is not None:
        errors.errors.append(error)
    errors.raise_if_any()
    assert current_password is not None and new_password is not None
    hashed = await asyncio.to_thread(runtime.hasher.hash, new_password)

    async def change(session: AsyncSession, account: Account, now: datetime) -> None:
        set_password(account, hashed, now)
        await revoke_all_sessions(session, account.id, except_session_id=viewer.session_id)
        await record_event(session, account.id, EventKind.PASSWORD_CHANGED)
        for address in await notice_addresses(session, account):
            await runtime.mailer.enqueue(
                session,
                to=address,
                template="password_changed",
                context={"identifiant": account.identifiant, "changed_at": french_datetime(now)},
            )

    return await with_current_password(uow, runtime, viewer.account.id, current_password, change)


def check_secret(
    errors: ErrorCollector,
    question: str | None,
    answer: str | None,
    question_field: str = "question",
    answer_field: str = "answer",
) -> tuple[str, str] | None:
    """The question (one line) and the normalised answer, or None with errors added."""
    text = parse_text(errors, question, question_field, "la question secrète", QUESTION_MAX)
    normalized = normalize((answer or "")[: ANSWER_MAX * 2])
    if not normalized:
        errors.add(answer_field, ErrorCode.REQUIRED, "Indiquez la réponse à la question.")
    elif len(normalized) < ANSWER_MIN:
        errors.add(
            answer_field,
            ErrorCode.TOO_SHORT,
            f"La réponse doit contenir au moins {ANSWER_MIN} caractères.",
        )
    elif len(normalized) > ANSWER_MAX:
        errors.add(
            answer_field,
            ErrorCode.TOO_LONG,
            f"La réponse ne doit pas dépasser {ANSWER_MAX} caractères.",
        )
    elif text is not None and normalize(text) == normalized:
        errors.add(answer_field, ErrorCode.INVALID, "La réponse ne doit pas être la question.")
    if text is None or errors.has(answer_field):
        return None
    return text, normalized


async def set_secret_question(
    session: AsyncSession,
    runtime: Runtime,
    account: Account,
    question: str | None,
    answer: str | None,
    *,
    replace: bool = False,
    question_field: str = "question",
    answer_field: str = "answer",
) -> None:
    """Store the question and the argon2id hash of the normalised answer.

    Called in the caller's write transaction (e.g. from dossierCreate). Refuses to
    overwrite an existing question unless ``replace`` (secretQuestionSet checks
    the current password first): a stolen session must not be able to set a
    recovery path of its own.
    """
    errors = ErrorCollector()
    checked = check_secret(errors, question, answer, question_field, answer_field)
    if account.kind != "candidat":
        errors.add(
            None,
            ErrorCode.WRONG_ACCOUNT_KIND,
            "La question secrète n'existe que pour les comptes candidat.",
        )
    elif account.secret_answer_hash is not None and not replace:
        errors.add(
            question_field,
            ErrorCode.SECRET_QUESTION_ALREADY_SET,
            "Une question secrète est déjà enregistrée pour ce compte.",
        )
    errors.raise_if_any()
    assert checked is not None
    text, normalized = checked
    account.secret_question = text
    account.secret_answer_hash = await asyncio.to_thread(runtime.hasher.hash, normalized)
    account.secret_failures = 0
    account.secret_locked_until = None
    await session.flush()


async def secret_question_set(
    uow: UnitOfWork,
    runtime: Runtime,
    viewer: Viewer,
    *,
    question: str | None,
    answer: str | None,
    current_password: str | None,
) -> list[FieldError]:
    """Set or replace the secret question of the signed-in candidat."""
    errors = ErrorCollector()
    if (error := _current_password_error(current_password)) is not None:
        errors.errors.append(error)
    checked = check_secret(errors, question, answer)
    if viewer.account.kind != "candidat":
        errors.add(
            None,
            ErrorCode.WRONG_ACCOUNT_KIND,
            "La question secrète n'existe que pour les comptes candidat.",
        )
    errors.raise_if_any()
    assert checked is not None and current_password is not None
    hashed = await asyncio.to_thread(runtime.hasher.hash, checked[1])

    async def change(session: AsyncSession, account: Account, now: datetime) -> None:
        account.secret_question = checked[0]
        account.secret_answer_hash = hashed
        account.secret_failures = 0
        account.secret_locked_until = None

    return await with_current_password(uow, runtime, viewer.account.id, current_password, change)
