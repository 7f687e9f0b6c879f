"""Agencies ("mon pôle emploi"): listed for everyone, managed by advisers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ground.runtime import Runtime
from models.dossiers import Agency
from models.identity import Account, AccountKind
from resolvers.core.errors import DomainError, ErrorCode, ErrorCollector
from resolvers.core.paging import KeysetPage, Window, count_rows, keyset_page
from resolvers.core.validation import check_french_locality, clean_text

_CODE = re.compile(r"[A-Z0-9]{2,10}")
MAX_ID = 2**63 - 1


@dataclass(frozen=True, slots=True)
class AgencyInput:
    code: str | None = None
    name: str | None = None
    address: str | None = None
    postal_code: str | None = None
    commune_insee: str | None = None


def require_adviser(account: Account) -> None:
    if account.kind != AccountKind.CONSEILLER:
        raise DomainError.single(
            None, ErrorCode.FORBIDDEN, "Seuls les conseillers gèrent les agences."
        )


def agencies_select(postal_code: str | None) -> Select[Agency]:
    """All agencies, or those of one postal code (unordered: callers page them by id)."""
    stmt = select(Agency)
    if postal_code is not None:
        stmt = stmt.where(Agency.postal_code == postal_code.strip())
    return stmt


async def list_agencies(
    session: AsyncSession, postal_code: str | None, window: Window
) -> KeysetPage:
    """One page of agencies, oldest first."""
    return await keyset_page(session, agencies_select(postal_code), Agency.id, False, window)


async def count_agencies(session: AsyncSession, postal_code: str | None) -> int:
    return await count_rows(session, agencies_select(postal_code))


async def home_agency_id(session: AsyncSession, postal_code: str | None) -> int | None:
    """The agency of a home postal code: one at that postal code, else one in its
    département (97x for the overseas ones), the oldest first; None when there is none."""
    if not postal_code:
        return None
    departement = postal_code[:3] if postal_code.startswith("97") else postal_code[:2]
    exact = Agency.postal_code == postal_code
    stmt = (
        select(Agency.id)
        .where(Agency.postal_code.startswith(departement, autoescape=True))
        .order_by(exact.desc(), Agency.id)
        .limit(1)
    )
    return await session.scalar(stmt)


async def agencies_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, Agency]:
    if not ids:
        return {}
    rows = (await session.scalars(select(Agency).where(Agency.id.in_(ids)))).all()
    return {a.id: a for a in rows}


async def create_agency(
    session: AsyncSession, runtime: Runtime, account: Account, data: AgencyInput
) -> Agency:
    require_adviser(account)
    agency = Agency()
    await _check_and_apply(session, runtime, agency, data)
    session.add(agency)
    await _flush(session)
    return agency


async def update_agency(
    session: AsyncSession,
    runtime: Runtime,
    account: Account,
    agency_id: int,
    changes: dict[str, Any],
) -> Agency:
    """Change the given fields; a new postal code chooses its commune again."""
    require_adviser(account)
    agency = await session.scalar(select(Agency).where(Agency.id == agency_id).with_for_update())
    if agency is None:
        raise DomainError.single("id", ErrorCode.NOT_FOUND, "Cette agence est introuvable.")
    current = AgencyInput(
        code=agency.code,
        name=agency.name,
        address=agency.address,
        postal_code=agency.postal_code,
        commune_insee=agency.commune_insee,
    )
    values = asdict(current) | changes
    if "postal_code" in changes and "commune_insee" not in changes:
        values["commune_insee"] = None
    await _check_and_apply(session, runtime, agency, AgencyInput(**values))
    await _flush(session)
    return agency


async def _check_and_apply(
    session: AsyncSession, runtime: Runtime, agency: Agency, data: AgencyInput
) -> None:
    errors = ErrorCollector()
    code = clean_text(
        errors, "code", data.code, label="Code de l'agence", max_len=10, required=True
    )
    if code is not None:
        code = code.upper()
        if _CODE.fullmatch(code) is None:
            errors.add(
                "code",
                ErrorCode.INVALID_FORMAT,
                "Le code de l'agence se compose de 2 à 10 lettres ou chiffres.",
            )
        elif await _code_taken(session, code, agency.id):
            errors.add("code", ErrorCode.DUPLICATE, f"Une agence porte déjà le code {code}.")
    name = clean_text(
        errors, "name", data.name, label="Nom de l'agence", max_len=200, required=True
    )
    address = clean_text(errors, "address", data.address, label="Adresse", max_len=300)
    locality = check_french_locality(errors, runtime.refdata, data.postal_code, data.commune_insee)
    errors.raise_if_any()
    assert code is not None and name is not None and locality is not None
    assert locality.commune_insee is not None
    agency.code = code
    agency.name = name
    agency.address = address or ""
    agency.postal_code = locality.postal_code
    agency.commune_insee = locality.commune_insee


async def _code_taken(session: AsyncSession, code: str, agency_id: int | None) -> bool:
    other = await session.scalar(select(Agency.id).where(Agency.code == code))
    return other is not None and other != agency_id


async def _flush(session: AsyncSession) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:
        raise DomainError.single(
            "code", ErrorCode.DUPLICATE, "Une agence porte déjà ce code."
        ) from exc
