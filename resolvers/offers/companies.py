"""An employer's company: name, SIRET (Luhn), NAF code, size band, description.

An employer account has one company, created from the name given at sign-up the first time
the employer saves it or posts an offer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.identity import Account, AccountKind
from models.offers import Company
from resolvers.core.errors import DomainError, ErrorCode, ErrorCollector
from resolvers.core.validation import clean_text
from resolvers.offers.fields import CompanySize

_SIRET = re.compile(r"[0-9]{14}")
_NAF = re.compile(r"([0-9]{2})\.?([0-9]{2})([A-Z])")
LA_POSTE_SIREN = "356000000"
COMPANY_FIELDS = frozenset({"name", "siret", "naf_code", "size_band", "description"})


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum (SIREN and SIRET numbers)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def siret_ok(siret: str) -> bool:
    """14 digits; SIREN and SIRET pass Luhn. La Poste's establishments (SIREN 356000000)
    instead have a digit sum that is a multiple of 5."""
    if not _SIRET.fullmatch(siret):
        return False
    if luhn_ok(siret[:9]) and luhn_ok(siret):
        return True
    return siret.startswith(LA_POSTE_SIREN) and sum(map(int, siret)) % 5 == 0


def parse_siret(errors: ErrorCollector, value: str | None) -> str | None:
    text = re.sub(r"[\s.]", "", value or "")
    if not text:
        return None
    if not siret_ok(text):
        errors.add(
            "siret",
            ErrorCode.INVALID_SIRET,
            "Ce numéro SIRET n'est pas valide (14 chiffres, clé de contrôle).",
        )
        return None
    return text


def parse_naf(errors: ErrorCollector, value: str | None) -> str | None:
    """A NAF rév. 2 code, stored as NN.NNL (10.71C); 1071C is read too."""
    text = (value or "").strip().upper()
    if not text:
        return None
    found = _NAF.fullmatch(text)
    if found is None:
        errors.add("nafCode", ErrorCode.INVALID_NAF_CODE, "Code NAF attendu au format 10.71C.")
        return None
    return f"{found[1]}.{found[2]}{found[3]}"


def require_employer(account: Account) -> None:
    if account.kind != AccountKind.EMPLOYEUR:
        raise DomainError.single(
            None, ErrorCode.WRONG_ACCOUNT_KIND, "Seuls les employeurs publient des offres."
        )


async def company_of(session: AsyncSession, account_id: int) -> Company | None:
    found: Company | None = await session.scalar(
        select(Company).where(Company.account_id == account_id)
    )
    return found


async def ensure_company(session: AsyncSession, account: Account) -> Company:
    """The employer's company, created from its sign-up name the first time."""
    require_employer(account)
    company = await company_of(session, account.id)
    if company is None:
        company = Company(account_id=account.id, name=account.display_name or "Entreprise")
        session.add(company)
        await session.flush()
    return company


async def update_company(
    session: AsyncSession, account: Account, changes: dict[str, Any]
) -> Company:
    """Change the given fields (omitted ones stay; None clears, except the name)."""
    assert set(changes) <= COMPANY_FIELDS, changes
    company = await ensure_company(session, account)
    errors = ErrorCollector()
    values: dict[str, Any] = {}
    if "name" in changes:
        values["name"] = clean_text(
            errors,
            "name",
            changes["name"],
            label="Nom de l'entreprise",
            max_len=200,
            required=True,
        )
    if "siret" in changes:
        values["siret"] = parse_siret(errors, changes["siret"])
    if "naf_code" in changes:
        values["naf_code"] = parse_naf(errors, changes["naf_code"])
    if "size_band" in changes:
        size = changes["size_band"]
        values["size_band"] = CompanySize(size).value if size is not None else None
    if "description" in changes:
        text = (changes["description"] or "").strip()
        if len(text) > 2000:
            errors.add("description", ErrorCode.TOO_LONG, "2000 caractères au maximum.")
        values["description"] = text or None
    errors.raise_if_any()
    for key, value in values.items():
        setattr(company, key, value)
    await session.flush()
    return company


async def companies_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, Company]:
    if not ids:
        return {}
    rows = (await session.scalars(select(Company).where(Company.id.in_(ids)))).all()
    return {c.id: c for c in rows}
