"""The account the allowance is paid to.

- IBAN and BIC are checked with ``schwifty``: checksum and length, a SEPA country, and the
  BIC must be the bank's (when the IBAN's bank is known to schwifty's registry) or at
  least of the IBAN's country.
- Changing it needs the password again (``with_current_password``, the same throttle as
  sign-in). A change takes effect ``bank_change_delay_hours`` later (the first account at
  once); until then it can be cancelled. A notice mail goes to the addresses on file and
  a dashboard event is pushed live.
- Payments go to the account in effect when they are computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.bank import BankAccount
from models.dashboard import EventKind
from models.identity import Account, AccountKind
from resolvers.core.errors import DomainError, ErrorCode, ErrorCollector, FieldError
from resolvers.core.unit_of_work import UnitOfWork
from resolvers.core.validation import clean_text
from resolvers.dashboard.events import record_event
from resolvers.identity.credentials import with_current_password
from resolvers.identity.fields import french_datetime, notice_addresses
from resolvers.rectification.audit import Change, ChangedBy, record_changes

if TYPE_CHECKING:
    from ground.runtime import Runtime

HOLDER_MAX = 100
SEPA = frozenset(
    [
        "AD",
        "AT",
        "BE",
        "BG",
        "CH",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GB",
        "GI",
        "GR",
        "HR",
        "HU",
        "IE",
        "IS",
        "IT",
        "LI",
        "LT",
        "LU",
        "LV",
        "MC",
        "MT",
        "NL",
        "NO",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
        "SM",
        "VA",
    ]
)


@dataclass(frozen=True, slots=True)
class CheckedAccount:
    iban: str  # compact
    bic: str  # compact, 8 or 11
    holder: str
    bank_name: str | None


def mask_iban(iban: str) -> str:
    """« FR76 •••• •••• •••• 1234 »: the country, check digits and last four only."""
    return f"{iban[:4]} •••• •••• •••• {iban[-4:]}"


def check_account(
    errors: ErrorCollector, iban_raw: str | None, bic_raw: str | None, holder_raw: str | None
) -> CheckedAccount | None:
    """Every field checked at once; None with errors added."""
    holder = clean_text(
        errors, "holder", holder_raw, label="Titulaire", max_len=HOLDER_MAX, required=True
    )
    iban: IBAN | None = None
    if not (iban_raw or "").strip():
        errors.add("iban", ErrorCode.REQUIRED, "Indiquez l'IBAN du compte.")
    else:
        try:
            iban = IBAN(iban_raw or "")
        except SchwiftyException:
            errors.add("iban", ErrorCode.INVALID_IBAN, "Cet IBAN n'est pas valide (vérifiez-le).")
    if iban is not None and iban.country_code not in SEPA:
        errors.add(
            "iban", ErrorCode.INVALID_IBAN, "Le compte doit être dans un pays de la zone SEPA."
        )
        iban = None
    bic = _check_bic(errors, bic_raw, iban)
    if errors.errors or iban is None or bic is None or not holder:
        return None
    return CheckedAccount(iban.compact, bic, holder, iban.bank_name)


def _check_bic(errors: ErrorCollector, raw: str | None, iban: IBAN | None) -> str | None:
    known = iban.bic if iban is not None else None
    if not (raw or "").strip():
        if known is not None:
            return str(known.compact)
        errors.add("bic", ErrorCode.REQUIRED, "Indiquez le BIC de votre banque.")
        return None
    try:
        bic = BIC(raw or "")
    except SchwiftyException:
        errors.add("bic", ErrorCode.INVALID_BIC, "Ce BIC n'est pas valide.")
        return None
    if iban is None:
        return None
    same_bank = known is None or str(bic.compact)[:8] == str(known.compact)[:8]
    if bic.country_code != iban.country_code or not same_bank:
        errors.add(
            "bic", ErrorCode.BIC_MISMATCH, "Ce BIC n'est pas celui de la banque de cet IBAN."
        )
        return None
    return str(bic.compact)


async def effective_account(
    session: AsyncSession, account_id: int, now: datetime
) -> BankAccount | None:
    """The account payments computed at ``now`` go to."""
    return await session.scalar(
        select(BankAccount)
        .where(
            BankAccount.account_id == account_id,
            BankAccount.cancelled_at.is_(None),
            BankAccount.effective_at <= now,
        )
        .order_by(BankAccount.effective_at.desc(), BankAccount.id.desc())
        .limit(1)
    )


async def pending_change(
    session: AsyncSession, account_id: int, now: datetime
) -> BankAccount | None:
    """The change waiting for its delay, if any."""
    return await session.scalar(_waiting(account_id, now).order_by(BankAccount.id.desc()).limit(1))


def require_candidat(account: Account) -> None:
    if account.kind != AccountKind.CANDIDAT:
        raise DomainError.single(
            None, ErrorCode.WRONG_ACCOUNT_KIND, "Seuls les candidats ont un compte de paiement."
        )


async def change_account(
    uow: UnitOfWork,
    runtime: Runtime,
    account: Account,
    *,
    iban: str | None,
    bic: str | None,
    holder: str | None,
    current_password: str | None,
) -> BankAccount:
    """``bankAccountChange``: check the fields, then the password, then record the change."""
    require_candidat(account)
    errors = ErrorCollector()
    checked = check_account(errors, iban, bic, holder)
    if not current_password:
        errors.add("currentPassword", ErrorCode.REQUIRED, "Indiquez votre mot de passe.")
    errors.raise_if_any()
    assert checked is not None and current_password is not None
    made: list[BankAccount] = []

    async def change(session: AsyncSession, row: Account, _: datetime) -> None:
        made.append(await _record_change(session, runtime, row, checked))

    refused: list[FieldError] = await with_current_password(
        uow, runtime, account.id, current_password, change
    )
    if refused:
        raise DomainError(refused)
    return made[0]


async def _record_change(
    session: AsyncSession, runtime: Runtime, account: Account, checked: CheckedAccount
) -> BankAccount:
    now = runtime.clock.now()
    current = await effective_account(session, account.id, now)
    for waiting in (await session.scalars(_waiting(account.id, now))).all():
        waiting.cancelled_at = now  # a new change replaces one still waiting
    delay = timedelta(hours=runtime.settings.bank_change_delay_hours)
    row = BankAccount(
        account_id=account.id,
        iban=checked.iban,
        bic=checked.bic,
        holder=checked.holder,
        bank_name=checked.bank_name,
        effective_at=now + delay if current is not None else now,
    )
    session.add(row)
    await session.flush()
    await record_changes(
        session,
        account.id,
        ChangedBy.of(account),
        "bank_account",
        row.id,
        _bank_changes(current, row),
        now,
    )
    effective = french_datetime(row.effective_at)
    masked = mask_iban(row.iban)
    await record_event(
        session,
        account.id,
        EventKind.BANK_ACCOUNT_CHANGED,
        {"account": masked, "effectiveLabel": effective.removeprefix("le ")},
        subject_type="bank_account",
        subject_id=row.id,
    )
    context = {"account": masked, "bank": row.bank_name, "effective": effective}
    for address in await notice_addresses(session, account):
        await runtime.mailer.enqueue(
            session, to=address, template="bank_account_changed", context=context
        )
    return row


def _bank_changes(old: BankAccount | None, new: BankAccount) -> list[Change]:
    """What the audit trail keeps of a bank change: the IBAN masked, never whole."""
    found: list[Change] = []
    if old is None or old.iban != new.iban:
        found.append(("iban", mask_iban(old.iban) if old else None, mask_iban(new.iban)))
    for field in ("bic", "holder"):
        before = getattr(old, field) if old is not None else None
        if before != getattr(new, field):
            found.append((field, before, getattr(new, field)))
    return found


def _waiting(account_id: int, now: datetime) -> Select[BankAccount]:
    return select(BankAccount).where(
        BankAccount.account_id == account_id,
        BankAccount.cancelled_at.is_(None),
        BankAccount.effective_at > now,
    )


async def cancel_change(
    session: AsyncSession, runtime: Runtime, account: Account, now: datetime
) -> BankAccount:
    """``bankAccountChangeCancel``: the waiting change never takes effect; a notice mail
    and an event say so."""
    require_candidat(account)
    waiting = await pending_change(session, account.id, now)
    if waiting is None:
        raise DomainError.single(
            None, ErrorCode.NOTHING_PENDING, "Aucun changement de compte en attente."
        )
    waiting.cancelled_at = now
    await record_event(
        session,
        account.id,
        EventKind.BANK_ACCOUNT_CHANGE_CANCELLED,
        {"account": mask_iban(waiting.iban)},
        subject_type="bank_account",
        subject_id=waiting.id,
    )
    current = await effective_account(session, account.id, now)
    context = {
        "account": mask_iban(waiting.iban),
        "current": mask_iban(current.iban) if current is not None else None,
        "cancelled": french_datetime(now),
    }
    for address in await notice_addresses(session, account):
        await runtime.mailer.enqueue(
            session, to=address, template="bank_account_change_cancelled", context=context
        )
    return waiting
