"""Sign-up: candidats (who get their identifiant), employers, and advisers (created by the
espace adviser create command)."""

from __future__ import annotations

import asyncio

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ground.runtime import Runtime
from models.base import utcnow
from models.dossiers import Agency
from models.identity import Account, AccountKind
from resolvers.core.errors import DomainError, ErrorCode, ErrorCollector, FieldError
from resolvers.core.unit_of_work import UnitOfWork
from resolvers.identity.accounts import IDENTIFIANT_TRIES, NAME_MAX
from resolvers.identity.fields import (
    parse_email,
    parse_postal_code,
    parse_text,
)
from resolvers.identity.identifiant import new_identifiant
from resolvers.identity.password_policy import password_error, personal_words
from resolvers.registration.manage import create_registration


async def candidate_sign_up(
    uow: UnitOfWork,
    runtime: Runtime,
    *,
    password: str | None,
    postal_code: str | None,
    email: str | None,
) -> Account:
    """Create a candidat account with a new identifiant; mail the identifiant if asked."""
    errors = ErrorCollector()
    code = parse_postal_code(errors, postal_code, refdata=runtime.refdata)
    mail = parse_email(errors, email, required=False)
    identifiant = new_identifiant()
    policy = await _policy(password, identifiants=[identifiant], postal_codes=[code], emails=[mail])
    if policy is not None:
        errors.errors.append(policy)
    errors.raise_if_any()
    assert password is not None and code is not None
    hashed = await asyncio.to_thread(runtime.hasher.hash, password)
    async with uow.write() as session:
        for _ in range(IDENTIFIANT_TRIES):
            account = Account(
                kind=AccountKind.CANDIDAT,
                identifiant=identifiant,
                password_hash=hashed,
                postal_code=code,
                password_changed_at=utcnow(),
            )
            if await _insert(session, account):
                break
            identifiant = new_identifiant()
            if (error := await _policy(password, identifiants=[identifiant])) is not None:
                raise DomainError([error])
        else:  # pragma: no cover - 8 collisions in a row among 10 million identifiants
            raise DomainError.single(None, ErrorCode.INTERNAL, "Réessayez dans un instant.")
        await create_registration(session, account, mail, runtime.clock.now())
        if mail is not None:
            await runtime.mailer.enqueue(
                session,
                to=mail,
                template="identifiant_welcome",
                context={"identifiant": identifiant, "sign_in_url": runtime.settings.link("/")},
            )
    return account


async def employer_sign_up(
    uow: UnitOfWork,
    runtime: Runtime,
    *,
    email: str | None,
    password: str | None,
    company_name: str | None,
) -> Account:
    """Create an employer account; it signs in with its e-mail."""
    errors = ErrorCollector()
    mail = parse_email(errors, email)
    company = parse_text(errors, company_name, "companyName", "le nom de l'entreprise", NAME_MAX)
    policy = await _policy(password, emails=[mail], names=[company])
    if policy is not None:
        errors.errors.append(policy)
    errors.raise_if_any()
    assert mail is not None and password is not None
    account = Account(kind=AccountKind.EMPLOYEUR, email=mail, display_name=company)
    return await _create_with_email(uow, runtime, account, password)


async def adviser_create(
    uow: UnitOfWork,
    runtime: Runtime,
    *,
    email: str | None,
    name: str | None,
    password: str | None,
    agency_code: str | None,
) -> Account:
    """Create an adviser (command line only), attached to an agency if a code is given."""
    errors = ErrorCollector()
    mail = parse_email(errors, email)
    display = parse_text(errors, name, "name", "le nom du conseiller", NAME_MAX)
    policy = await _policy(password, emails=[mail], names=[display])
    if policy is not None:
        errors.errors.append(policy)
    agency_id = None
    if agency_code:
        agency_id = await uow.read_session().scalar(
            select(Agency.id).where(Agency.code == agency_code.strip().upper())
        )
        if agency_id is None:
            errors.add("agency", ErrorCode.NOT_FOUND, f"Aucune agence n'a le code {agency_code}.")
    errors.raise_if_any()
    assert mail is not None and password is not None
    account = Account(
        kind=AccountKind.CONSEILLER, email=mail, display_name=display, agency_id=agency_id
    )
    return await _create_with_email(uow, runtime, account, password)


async def _create_with_email(
    uow: UnitOfWork, runtime: Runtime, account: Account, password: str
) -> Account:
    taken = await uow.read_session().scalar(
        select(Account.id).where(Account.email == account.email)
    )
    if taken is None:
        account.password_hash = await asyncio.to_thread(runtime.hasher.hash, password)
        account.password_changed_at = utcnow()
        async with uow.write() as session:
            if await _insert(session, account):
                return account
    raise DomainError.single(
        "email", ErrorCode.DUPLICATE, "Un compte existe déjà avec cette adresse e-mail."
    )


async def _insert(session: AsyncSession, account: Account) -> bool:
    """Insert in a savepoint; False when a unique column (identifiant, e-mail) is taken."""
    try:
        async with session.begin_nested():
            session.add(account)
            await session.flush()
    except IntegrityError:
        if account in session:
            session.expunge(account)
        return False
    return True


async def _policy(
    password: str | None,
    *,
    identifiants: list[str | None] | None = None,
    postal_codes: list[str | None] | None = None,
    emails: list[str | None] | None = None,
    names: list[str | None] | None = None,
) -> FieldError | None:
    words = personal_words(
        identifiants=identifiants or [],
        postal_codes=postal_codes or [],
        emails=emails or [],
        names=names or [],
    )
    return await asyncio.to_thread(password_error, password or "", words)
