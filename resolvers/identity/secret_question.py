"""Recovery by secret question (candidats): identifiant + postal code + answer.

The answer is compared normalised (``refdata.normalize``: case, accents, spaces)
against its argon2id hash. After ``settings.secret_answer_max_failures`` wrong
answers this path is locked for ``settings.secret_answer_lock_hours`` (the
password and the e-mail path still work); ``settings.secret_question_recovery``
turns it off. Success ends every session and leaves a notice: a PASSWORD_RESET
event and a mail to the confirmed addresses.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ground.runtime import Runtime
from ground.settings import Settings
from models.base import utcnow
from models.identity import Account, AccountKind
from refdata import normalize
from resolvers.core.errors import DomainError, ErrorCode, ErrorCollector, FieldError
from resolvers.core.unit_of_work import UnitOfWork
from resolvers.identity import sign_in_limits
from resolvers.identity.credentials import ANSWER_MAX
from resolvers.identity.fields import (
    french_datetime,
    notice_addresses,
    parse_identifiant,
    parse_postal_code,
)
from resolvers.identity.password_policy import account_personal_words, password_error
from resolvers.identity.recovery import after_recovery


def require_secret_recovery(settings: Settings) -> None:
    if not settings.secret_question_recovery:
        raise DomainError.single(
            None,
            ErrorCode.RECOVERY_DISABLED,
            "La récupération par question secrète n'est pas disponible. "
            "Utilisez la récupération par e-mail ou contactez votre conseiller.",
        )


# Shown for identifiants without a question (or without an account): common questions, so
# that the answer looks the same whatever was asked.
DECOY_QUESTIONS = (
    "Quel est le nom de votre premier animal de compagnie ?",
    "Quelle est votre ville de naissance ?",
    "Quel est le nom de jeune fille de votre mère ?",
    "Quel est le nom de votre école primaire ?",
    "Quel est le prénom de votre meilleur(e) ami(e) d'enfance ?",
    "Quel était votre surnom quand vous étiez enfant ?",
    "Quelle est la marque de votre première voiture ?",
    "Dans quelle rue avez-vous grandi ?",
    "Quel est votre plat préféré ?",
    "Quel était le métier de votre grand-père ?",
    "Quel est le nom de votre premier employeur ?",
    "Quel est le titre de votre livre préféré ?",
)


def decoy_question(secret_key: str, identifiant: str) -> str:
    """A question for an identifiant that has none: the same one at every lookup (an HMAC of
    the identifiant picks it), so a lookup cannot tell a decoy from a real question by
    asking twice."""
    digest = hmac.new(
        secret_key.encode(), b"secret-question-decoy:" + identifiant.encode(), hashlib.sha256
    ).digest()
    return DECOY_QUESTIONS[int.from_bytes(digest[:8], "big") % len(DECOY_QUESTIONS)]


async def secret_question_for(
    session: AsyncSession,
    runtime: Runtime,
    identifiant: str | None,
    postal_code: str | None,
    client: str = "unknown",
) -> str:
    """The question of the candidat with this identifiant, whatever the postal code.

    The answer never confirms an identifiant and postal code pair: the postal code is only
    checked for its form, a candidat's question is shown for any postal code, and an
    identifiant with no question (or no account) gets its decoy question. Each lookup
    counts as a sign-in attempt of the client (``resolvers.identity.sign_in_limits``), so
    identifiants cannot be swept quickly either.
    """
    require_secret_recovery(runtime.settings)
    errors = ErrorCollector()
    ident = parse_identifiant(errors, identifiant)
    parse_postal_code(errors, postal_code)
    errors.raise_if_any()
    assert ident is not None
    limited = await sign_in_limits.attempt(runtime, client)
    if limited is not None:
        raise DomainError([limited])
    account = await _candidat(session, ident)
    if account is not None and account.secret_question:
        return account.secret_question
    return decoy_question(runtime.settings.secret_key, ident)


async def _candidat(session: AsyncSession, ident: str | None) -> Account | None:
    stmt = select(Account).where(Account.identifiant == ident, Account.kind == AccountKind.CANDIDAT)
    return (await session.scalars(stmt)).first()


def _locked(account: Account, now: datetime) -> FieldError | None:
    until = account.secret_locked_until
    if until is None or now >= until:
        return None
    return FieldError(
        None,
        ErrorCode.LOCKED,
        "Trop de réponses incorrectes : la récupération par question secrète est bloquée "
        f"jusqu'au {french_datetime(until).removeprefix('le ')}. "
        "Utilisez la récupération par e-mail ou contactez votre conseiller.",
    )


WRONG_ANSWER = FieldError(
    None,
    ErrorCode.INVALID_CREDENTIALS,
    "Identifiant, code postal ou réponse incorrect. "
    "Après 3 réponses incorrectes, cette méthode est bloquée pendant 24 heures.",
)


async def recover_by_secret_question(
    uow: UnitOfWork,
    runtime: Runtime,
    *,
    identifiant: str | None,
    postal_code: str | None,
    answer: str | None,
    new_password: str | None,
    client: str = "unknown",
) -> list[FieldError]:
    """Set a new password for the right answer; a wrong one is counted (and committed).
    Each attempt counts against the client's sign-in limits."""
    settings = runtime.settings
    require_secret_recovery(settings)
    errors = ErrorCollector()
    ident = parse_identifiant(errors, identifiant)
    code = parse_postal_code(errors, postal_code)
    normalized = normalize((answer or "")[: ANSWER_MAX * 2])
    if not normalized:
        errors.add("answer", ErrorCode.REQUIRED, "Indiquez la réponse à votre question secrète.")
    if (
        error := await asyncio.to_thread(password_error, new_password or "", (), "newPassword")
    ) is not None:
        errors.errors.append(error)
    errors.raise_if_any()
    assert new_password is not None
    if (limited := await sign_in_limits.attempt(runtime, client)) is not None:
        return [limited]
    read = uow.read_session()
    account = await _candidat(read, ident)
    if account is None or account.postal_code != code or account.secret_answer_hash is None:
        await asyncio.to_thread(runtime.hasher.verify_dummy, normalized)
        return [WRONG_ANSWER]
    if (locked := _locked(account, utcnow())) is not None:
        return [locked]
    ok = await asyncio.to_thread(runtime.hasher.verify, account.secret_answer_hash, normalized)
    hashed = None
    if ok:
        words = await account_personal_words(read, account)
        if (
            error := await asyncio.to_thread(password_error, new_password, words, "newPassword")
        ) is not None:
            raise DomainError([error])
        hashed = await asyncio.to_thread(runtime.hasher.hash, new_password)
    async with uow.write() as session:
        row = await session.get(Account, account.id, with_for_update=True)
        assert row is not None
        now = utcnow()
        if (locked := _locked(row, now)) is not None:
            return [locked]
        if hashed is None:
            row.secret_failures += 1
            if row.secret_failures < settings.secret_answer_max_failures:
                return [WRONG_ANSWER]
            row.secret_failures = 0
            row.secret_locked_until = now + timedelta(hours=settings.secret_answer_lock_hours)
            locked = _locked(row, now)
            assert locked is not None
            return [locked]
        row.secret_failures = 0
        await after_recovery(session, row, hashed, now, "secret_question")
        for address in await notice_addresses(session, row):
            await runtime.mailer.enqueue(
                session,
                to=address,
                template="password_recovered_notice",
                context={"identifiant": row.identifiant, "recovered_at": french_datetime(now)},
            )
    return []
