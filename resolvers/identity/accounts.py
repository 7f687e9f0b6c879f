"""Accounts: candidat and employer sign-up, advisers, sign-in and sign-out.

Sign-in has two forms (one ``sessionCreate`` mutation):

- a candidat gives identifiant + postal code + password;
- an employer or an adviser gives e-mail + password.

A wrong identifiant, password or postal code all answer the same
INVALID_CREDENTIALS, after the same argon2 work (a dummy hash for unknown
accounts). Attempts are throttled by the identifiant or e-mail tried (see
``resolvers.identity.throttle``); the hash is verified outside the write transaction, which
re-checks the throttle before it counts the attempt.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ground.runtime import Runtime
from models.base import utcnow
from models.dashboard import EventKind
from models.identity import Account, AccountKind, AuthSession
from resolvers.core.errors import ErrorCode, ErrorCollector, FieldError
from resolvers.core.tokens import hash_token
from resolvers.core.unit_of_work import UnitOfWork
from resolvers.dashboard.events import record_event
from resolvers.erasure.cancel import cancel_on_sign_in
from resolvers.identity import sign_in_limits, throttle
from resolvers.identity.fields import (
    parse_email,
    parse_identifiant,
    parse_postal_code,
)
from resolvers.identity.password_policy import MAX_LENGTH
from resolvers.identity.sessions import open_session

NAME_MAX = 200
IDENTIFIANT_TRIES = 8

CANDIDAT_CREDENTIALS = "Identifiant, mot de passe ou code postal incorrect."
EMAIL_CREDENTIALS = "Adresse e-mail ou mot de passe incorrect."


@dataclass(frozen=True, slots=True)
class Credentials:
    """What a person typed to sign in, checked for form only."""

    key: str
    password: str
    identifiant: str | None = None
    postal_code: str | None = None
    email: str | None = None


@dataclass(slots=True)
class SignInResult:
    """A token and its account, or the errors (a failure is recorded, not rolled back)."""

    token: str | None = None
    account: Account | None = None
    expires_at: datetime | None = None
    errors: list[FieldError] = field(default_factory=list)
    deletion_cancelled: bool = False  # the sign-in cancelled a scheduled erasure


def parse_credentials(
    identifiant: str | None, postal_code: str | None, email: str | None, password: str | None
) -> Credentials:
    """Check the form of the sign-in input; raise DomainError on bad input."""
    errors = ErrorCollector()
    if not password:
        errors.add("password", ErrorCode.REQUIRED, "Indiquez votre mot de passe.")
    elif len(password) > MAX_LENGTH:
        errors.add(
            "password",
            ErrorCode.PASSWORD_TOO_LONG,
            f"Le mot de passe ne dépasse jamais {MAX_LENGTH} caractères.",
        )
    if (email or "").strip():
        if (identifiant or "").strip() or (postal_code or "").strip():
            errors.add(
                None,
                ErrorCode.INVALID,
                "Indiquez soit votre identifiant et votre code postal, "
                "soit votre adresse e-mail, pas les deux.",
            )
        mail = parse_email(errors, email)
        errors.raise_if_any()
        assert mail is not None and password
        return Credentials(key=mail, password=password, email=mail)
    ident = parse_identifiant(errors, identifiant)
    code = parse_postal_code(errors, postal_code)
    errors.raise_if_any()
    assert ident is not None and code is not None and password
    return Credentials(key=ident, password=password, identifiant=ident, postal_code=code)


async def find_account(session: AsyncSession, creds: Credentials) -> Account | None:
    if creds.identifiant is not None:
        stmt = select(Account).where(
            Account.identifiant == creds.identifiant, Account.kind == AccountKind.CANDIDAT
        )
    else:
        stmt = select(Account).where(
            Account.email == creds.email, Account.kind != AccountKind.CANDIDAT
        )
    return (await session.scalars(stmt)).first()


def check_password(runtime: Runtime, account: Account | None, password: str) -> bool:
    """Verify (blocking: run it in a thread); unknown accounts cost the same time."""
    if account is None:
        runtime.hasher.verify_dummy(password)
        return False
    return runtime.hasher.verify(account.password_hash, password)


def invalid_credentials(creds: Credentials) -> FieldError:
    message = EMAIL_CREDENTIALS if creds.email else CANDIDAT_CREDENTIALS
    return FieldError(None, ErrorCode.INVALID_CREDENTIALS, message)


async def sign_in(
    uow: UnitOfWork,
    runtime: Runtime,
    creds: Credentials,
    user_agent: str | None = None,
    client: str = "unknown",
) -> SignInResult:
    """Open a session for the right credentials; count a failure for the wrong ones.

    Every attempt counts against the client's and the service's limits first
    (``resolvers.identity.sign_in_limits``), then against the account's throttle."""
    settings = runtime.settings
    limited = await sign_in_limits.attempt(runtime, client)
    if limited is not None:
        return SignInResult(errors=[limited])
    refused = await throttle.refusal(uow.read_session(), settings, creds.key, utcnow())
    if refused is not None:
        return SignInResult(errors=[refused])
    account = await find_account(uow.read_session(), creds)
    ok = await asyncio.to_thread(check_password, runtime, account, creds.password)
    ok = ok and account is not None and account.postal_code == creds.postal_code
    new_hash = None
    if ok and account is not None and runtime.hasher.needs_rehash(account.password_hash):
        new_hash = await asyncio.to_thread(runtime.hasher.hash, creds.password)
    async with uow.write() as session:
        await throttle.lock(session, creds.key)
        now = utcnow()
        refused = await throttle.refusal(session, settings, creds.key, now)
        if refused is not None:
            return SignInResult(errors=[refused])
        row = await session.get(Account, account.id) if ok and account is not None else None
        if row is None:
            await throttle.record_failure(session, creds.key, now)
            return SignInResult(errors=[invalid_credentials(creds)])
        await throttle.clear(session, creds.key)
        if new_hash is not None:
            row.password_hash = new_hash
        await record_event(session, row.id, EventKind.SIGNED_IN)
        cancelled = await cancel_on_sign_in(session, runtime, row, runtime.clock.now())
        token = await open_session(session, settings, row, user_agent)
        expires_at = await session.scalar(
            select(AuthSession.expires_at).where(
                AuthSession.token_hash == hash_token(settings.secret_key, token)
            )
        )
    if cancelled:
        runtime.mailer.wake()
    return SignInResult(
        token=token, account=row, expires_at=expires_at, deletion_cancelled=cancelled
    )
