"""Who a candidat is for the agency: their registered dossier (name, address, agency), and
the rule that an adviser acts only on the candidats of their own agency.

An adviser names a candidat by their identifiant; a candidat of another agency, or an
identifiant that does not exist, is the same NOT_FOUND, so nothing leaks across agencies.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.dossiers import Agency, Dossier
from models.identity import Account, AccountKind
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.pdf import Address


async def registered_dossier(session: AsyncSession, account_id: int) -> Dossier | None:
    """The candidat's most recently updated dossier registered at an agency."""
    stmt = (
        select(Dossier)
        .where(
            Dossier.account_id == account_id,
            Dossier.registered.is_(True),
            Dossier.agency_id.is_not(None),
        )
        .order_by(Dossier.updated_at.desc(), Dossier.id.desc())
        .limit(1)
    )
    return await session.scalar(stmt)


def require_adviser(account: Account) -> int:
    """The adviser's agency; FORBIDDEN for anyone else, NO_AGENCY for an adviser without one."""
    if account.kind != AccountKind.CONSEILLER:
        raise DomainError.single(
            None, ErrorCode.FORBIDDEN, "Seuls les conseillers d'une agence peuvent le faire."
        )
    if account.agency_id is None:
        raise DomainError.single(
            None, ErrorCode.NO_AGENCY, "Vous n'êtes rattaché(e) à aucune agence."
        )
    return account.agency_id


def candidat_not_found(field: str = "identifiant") -> DomainError:
    return DomainError.single(
        field, ErrorCode.NOT_FOUND, "Aucun candidat de votre agence n'a cet identifiant."
    )


async def candidat_of_agency(
    session: AsyncSession, adviser: Account, identifiant: str | None, field: str = "identifiant"
) -> tuple[Account, Dossier]:
    """The candidat the adviser names, with their registered dossier at the adviser's agency."""
    agency_id = require_adviser(adviser)
    wanted = (identifiant or "").strip().upper()
    account = await session.scalar(
        select(Account).where(Account.identifiant == wanted, Account.kind == AccountKind.CANDIDAT)
    )
    if account is None:
        raise candidat_not_found(field)
    dossier = await registered_dossier(session, account.id)
    if dossier is None or dossier.agency_id != agency_id:
        raise candidat_not_found(field)
    return account, dossier


def candidat_address(dossier: Dossier) -> Address:
    """The postal address block of a dossier."""
    civilite = {"MADAME": "Madame", "MONSIEUR": "Monsieur"}.get(dossier.civilite, "")
    name = " ".join(p for p in (civilite, dossier.prenom, dossier.nom.upper()) if p)
    lines = [dossier.adresse, dossier.complement1, dossier.complement2]
    town = dossier.acheminement or dossier.commune_name.upper()
    lines.append(f"{dossier.postal_code} {town}")
    return Address(name, tuple(line for line in lines if line))


def agency_address(agency: Agency | None) -> Address:
    """The sending agency's block (or the service's, with no agency)."""
    if agency is None:
        return Address("France Travail", ())
    lines = [agency.address] if agency.address else []
    lines.append(agency.postal_code)
    return Address(agency.name, tuple(lines))


def salutation(dossier: Dossier | None) -> str:
    if dossier is not None and dossier.civilite == "MADAME":
        return "Madame,"
    if dossier is not None and dossier.civilite == "MONSIEUR":
        return "Monsieur,"
    return "Madame, Monsieur,"
