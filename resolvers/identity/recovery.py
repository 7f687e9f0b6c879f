"""Forgotten password: a link by e-mail
(the secret question: ``resolvers.identity.secret_question``).

The request answers the same whether or not an account matches. A candidat needs a
confirmed e-mail on one of its dossiers (with the identifiant, or without it: then
every candidat account with that confirmed address gets a mail, which also reminds
the identifiant); employers and advisers use their sign-in e-mail. The link carries
a 256-bit token, stored as an HMAC, single-use, valid
``settings.password_reset_minutes``; at most ``settings.email_resend_per_hour``
links per account and hour. A reset ends every session, spends the account's other
links and leaves a PASSWORD_RESET event.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, and_, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ground.runtime import Runtime
from ground.settings import Settings
from models.base import utcnow
from models.dashboard import EventKind
from models.dossiers import Dossier
from models.identity import Account, AccountKind, PasswordResetToken
from resolvers.core.errors import DomainError, ErrorCode, ErrorCollector
from resolvers.core.tokens import hash_token, new_token
from resolvers.core.unit_of_work import UnitOfWork
from resolvers.dashboard.events import record_event
from resolvers.identity import throttle
from resolvers.identity.credentials import set_password
from resolvers.identity.fields import parse_email, parse_identifiant
from resolvers.identity.password_policy import account_personal_words, password_error
from resolvers.identity.sessions import revoke_all_sessions

RESET_PATH = "/mot-de-passe/reinitialiser"
MAX_TARGETS = 5
TOKEN_MAX = 200


async def request_password_reset(
    uow: UnitOfWork, runtime: Runtime, *, identifiant: str | None, email: str | None
) -> None:
    """Mail a reset link to each matching account; silent when none matches."""
    errors = ErrorCollector()
    mail = parse_email(errors, email)
    ident = parse_identifiant(errors, identifiant) if (identifiant or "").strip() else None
    errors.raise_if_any()
    assert mail is not None
    async with uow.write() as session:
        now = utcnow()
        for account in await _reset_targets(session, ident, mail):
            await _send_reset_link(session, runtime, account, mail, now)


async def _reset_targets(session: AsyncSession, ident: str | None, mail: str) -> list[Account]:
    confirmed_here = exists(
        select(Dossier.id).where(
            Dossier.account_id == Account.id,
            func.lower(Dossier.email) == mail,
            Dossier.email_confirmed_at.is_not(None),
        )
    )
    candidat = and_(Account.kind == AccountKind.CANDIDAT, confirmed_here)
    if ident is not None:
        where = and_(Account.identifiant == ident, candidat)
    else:
        where = or_(and_(Account.kind != AccountKind.CANDIDAT, Account.email == mail), candidat)
    stmt = select(Account).where(where).order_by(Account.id).limit(MAX_TARGETS)
    return list((await session.scalars(stmt)).all())


async def _send_reset_link(
    session: AsyncSession, runtime: Runtime, account: Account, mail: str, now: datetime
) -> None:
    settings = runtime.settings
    recent = await session.scalar(
        select(func.count(PasswordResetToken.id)).where(
            PasswordResetToken.account_id == account.id,
            PasswordResetToken.created_at > now - timedelta(hours=1),
        )
    )
    if (recent or 0) >= settings.email_resend_per_hour:
        return
    token = new_token(32)
    session.add(
        PasswordResetToken(
            account_id=account.id,
            token_hash=hash_token(settings.secret_key, token),
            created_at=now,
            expires_at=now + timedelta(minutes=settings.password_reset_minutes),
        )
    )
    await runtime.mailer.enqueue(
        session,
        to=mail,
        template="password_reset",
        context={
            "identifiant": account.identifiant,
            "email": account.email,
            "reset_url": settings.link(f"{RESET_PATH}?token={token}"),
            "minutes": settings.password_reset_minutes,
        },
    )


async def reset_token_row(
    session: AsyncSession, settings: Settings, token: str
) -> PasswordResetToken:
    """The live reset token row, or DomainError TOKEN_INVALID / TOKEN_USED / TOKEN_EXPIRED."""
    row = None
    if len(token) <= TOKEN_MAX:
        row = await session.scalar(
            select(PasswordResetToken).where(
                PasswordResetToken.token_hash == hash_token(settings.secret_key, token)
            )
        )
    if row is None:
        raise DomainError.single(
            "token", ErrorCode.TOKEN_INVALID, "Ce lien de réinitialisation n'est pas valide."
        )
    if row.used_at is not None:
        raise DomainError.single(
            "token",
            ErrorCode.TOKEN_USED,
            "Ce lien a déjà servi. Demandez un nouveau lien si besoin.",
        )
    if utcnow() >= row.expires_at:
        raise DomainError.single(
            "token",
            ErrorCode.TOKEN_EXPIRED,
            "Ce lien a expiré. Demandez un nouveau lien de réinitialisation.",
        )
    return row


async def reset_password(
    uow: UnitOfWork, runtime: Runtime, *, token: str | None, new_password: str | None
) -> Account:
    """Use a reset link: set the password, end every session, spend every link."""
    errors = ErrorCollector()
    raw = (token or "").strip()
    if not raw:
        errors.add("token", ErrorCode.REQUIRED, "Le lien de réinitialisation est incomplet.")
    if (
        error := await asyncio.to_thread(password_error, new_password or "", (), "newPassword")
    ) is not None:
        errors.errors.append(error)
    errors.raise_if_any()
    assert new_password is not None
    read = uow.read_session()
    row = await reset_token_row(read, runtime.settings, raw)
    account = await read.get(Account, row.account_id)
    assert account is not None
    words = await account_personal_words(read, account)
    if (
        error := await asyncio.to_thread(password_error, new_password, words, "newPassword")
    ) is not None:
        raise DomainError([error])
    hashed = await asyncio.to_thread(runtime.hasher.hash, new_password)
    async with uow.write() as session:
        now = utcnow()
        spent = cast(
            CursorResult[Any],
            await session.execute(
                update(PasswordResetToken)
                .where(PasswordResetToken.id == row.id, PasswordResetToken.used_at.is_(None))
                .values(used_at=now)
            ),
        )
        if spent.rowcount != 1:  # used by a concurrent request since it was read
            raise DomainError.single(
                "token", ErrorCode.TOKEN_USED, "Ce lien a déjà servi. Demandez un nouveau lien."
            )
        await session.execute(
            update(PasswordResetToken)
            .where(
                PasswordResetToken.account_id == account.id, PasswordResetToken.used_at.is_(None)
            )
            .values(used_at=now)
        )
        fresh = await session.get(Account, account.id)
        assert fresh is not None
        await after_recovery(session, fresh, hashed, now, "email")
    return fresh


async def after_recovery(
    session: AsyncSession, account: Account, hashed: str, now: datetime, path: str
) -> None:
    set_password(account, hashed, now)
    await revoke_all_sessions(session, account.id)
    await throttle.clear(session, throttle.account_key(account.identifiant, account.email))
    await record_event(session, account.id, EventKind.PASSWORD_RESET, {"path": path})
