"""Who may act on a candidat's allowance file: advisers of the candidat's agency only."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.identity import Account, AccountKind
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.messages.conversations import candidat_agency


def candidat_not_found(field: str = "identifiant") -> DomainError:
    return DomainError.single(field, ErrorCode.NOT_FOUND, "Ce demandeur d'emploi est introuvable.")


def require_adviser(account: Account) -> int:
    """The adviser's agency; FORBIDDEN for anyone else (or an adviser without agency)."""
    if account.kind != AccountKind.CONSEILLER or account.agency_id is None:
        raise DomainError.single(
            None,
            ErrorCode.FORBIDDEN,
            "Seul un conseiller de l'agence du demandeur d'emploi peut faire cela.",
        )
    return account.agency_id


async def agency_candidat(session: AsyncSession, adviser: Account, identifiant: str) -> Account:
    """The candidat with this identifiant, if their agency is the adviser's; NOT_FOUND
    otherwise, so that an adviser of another agency learns nothing."""
    agency_id = require_adviser(adviser)
    candidat = await session.scalar(
        select(Account).where(
            Account.identifiant == identifiant.strip().upper(),
            Account.kind == AccountKind.CANDIDAT,
        )
    )
    if candidat is None or await candidat_agency(session, candidat) != agency_id:
        raise candidat_not_found()
    return candidat
