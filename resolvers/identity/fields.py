"""Checks of the fields that identify an account, shared by sign-up, sign-in and recovery."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.dossiers import Dossier
from models.identity import Account, AccountKind
from refdata import ReferenceData
from resolvers.core.errors import ErrorCode, ErrorCollector
from resolvers.identity.identifiant import is_valid_identifiant, normalize_identifiant

EMAIL_MAX = 254
# Longer inputs are refused before any parsing work.
INPUT_MAX = 1000


def parse_email(
    errors: ErrorCollector, raw: str | None, field: str = "email", *, required: bool = True
) -> str | None:
    """A syntactically valid address, lowercased (the form used as a key), or None."""
    value = (raw or "").strip()
    if not value:
        if required:
            errors.add(field, ErrorCode.REQUIRED, "Indiquez votre adresse e-mail.")
        return None
    try:
        if len(value) > EMAIL_MAX:
            raise EmailNotValidError("too long")
        checked = validate_email(value, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        errors.add(field, ErrorCode.INVALID_EMAIL, "Cette adresse e-mail n'est pas valide.")
        return None
    return checked.normalized.lower()


def parse_identifiant(
    errors: ErrorCollector, raw: str | None, field: str = "identifiant"
) -> str | None:
    """A well-formed identifiant (7 digits and their check letter), or None."""
    value = normalize_identifiant((raw or "")[:INPUT_MAX])
    if not value:
        errors.add(field, ErrorCode.REQUIRED, "Indiquez votre identifiant.")
        return None
    if not is_valid_identifiant(value):
        errors.add(
            field,
            ErrorCode.INVALID_IDENTIFIANT,
            "Cet identifiant n'est pas valide : il compte 7 chiffres suivis d'une lettre. "
            "Vérifiez-le sur vos courriers.",
        )
        return None
    return value


def parse_postal_code(
    errors: ErrorCollector,
    raw: str | None,
    field: str = "postalCode",
    *,
    refdata: ReferenceData | None = None,
) -> str | None:
    """Five digits; with ``refdata``, also a postal code that exists in France."""
    value = (raw or "").strip()[:INPUT_MAX]
    if not value:
        errors.add(field, ErrorCode.REQUIRED, "Indiquez votre code postal.")
        return None
    if not ReferenceData.is_valid_postal_code(value):
        errors.add(
            field, ErrorCode.INVALID_POSTAL_CODE, "Le code postal compte 5 chiffres (ex. : 22200)."
        )
        return None
    if refdata is not None and not refdata.communes_for_postal_code(value):
        errors.add(field, ErrorCode.UNKNOWN_POSTAL_CODE, "Ce code postal n'existe pas en France.")
        return None
    return value


def parse_text(
    errors: ErrorCollector, raw: str | None, field: str, label: str, max_length: int
) -> str | None:
    """A required one-line text of at most ``max_length`` characters."""
    value = " ".join((raw or "").split())
    if not value:
        errors.add(field, ErrorCode.REQUIRED, f"Indiquez {label}.")
        return None
    if len(value) > max_length:
        errors.add(
            field, ErrorCode.TOO_LONG, f"Ce champ ne doit pas dépasser {max_length} caractères."
        )
        return None
    return value


async def notice_addresses(session: AsyncSession, account: Account) -> list[str]:
    """Where to send security notices: confirmed dossier e-mails, or the sign-in e-mail."""
    if account.kind != AccountKind.CANDIDAT:
        return [account.email] if account.email else []
    rows = await session.scalars(
        select(func.lower(Dossier.email))
        .where(
            Dossier.account_id == account.id,
            Dossier.email.is_not(None),
            Dossier.email_confirmed_at.is_not(None),
        )
        .distinct()
    )
    return sorted(addr for addr in rows.all() if addr)


async def notice_addresses_of(
    session: AsyncSession, account_ids: Sequence[int]
) -> dict[int, list[str]]:
    """``notice_addresses`` of many accounts in two statements (batch jobs)."""
    accounts = (
        await session.execute(
            select(Account.id, Account.kind, Account.email).where(Account.id.in_(account_ids))
        )
    ).all()
    found: dict[int, set[str]] = {
        a.id: ({a.email} if a.email and a.kind != AccountKind.CANDIDAT else set()) for a in accounts
    }
    candidats = [a.id for a in accounts if a.kind == AccountKind.CANDIDAT]
    if candidats:
        rows = await session.execute(
            select(Dossier.account_id, func.lower(Dossier.email))
            .where(
                Dossier.account_id.in_(candidats),
                Dossier.email.is_not(None),
                Dossier.email_confirmed_at.is_not(None),
            )
            .distinct()
        )
        for account_id, address in rows.all():
            if address:
                found[account_id].add(address)
    return {account_id: sorted(addresses) for account_id, addresses in found.items()}


def french_datetime(moment: datetime) -> str:
    """ "le 05/03/2025 à 14 h 02 (heure de Paris)", for mails."""
    try:
        local, label = moment.astimezone(ZoneInfo("Europe/Paris")), "heure de Paris"
    except ZoneInfoNotFoundError:  # pragma: no cover - no time zone database
        local, label = moment, "UTC"
    return f"le {local:%d/%m/%Y} à {local:%H} h {local:%M} ({label})"
