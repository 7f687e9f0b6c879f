"""``espace indemnisation import FILE``: rights and payments from an upstream system.

The JSON follows the public France Travail candidate APIs ("Indemnisation"): a list (or
``{"demandeurs": [...]}``) of records, each with the candidat's ``identifiant`` and

- ``indemnisationJournalierNet`` (euros a day), ``dureeReliquat`` (days left),
  ``dateReliquat`` (the day they are counted from), ``beneficiaireAssuranceChomage``;
- ``paiements``: ``[{date, montant, allocations, aides, autres}]`` (euros).

A bad record is reported (its position and every reason) and the others load. The same
candidat twice in a file: the last record counts. A payment already known (same date and
amount) is not added again, so a file can be imported twice. Payments dated after today
are scheduled: they are made, with their event and mail, on their day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select

from models.identity import Account, AccountKind
from models.indemnisation import (
    AllowanceKind,
    Payment,
    PaymentStatus,
    Rights,
    RightsState,
    Source,
)
from resolvers.core.unit_of_work import UnitOfWork
from resolvers.indemnisation.payments import paris_day
from resolvers.indemnisation.rights import MAX_DAYS, MAX_RATE, rights_of, serialise_rights
from resolvers.indemnisation.rules import to_cents
from resolvers.messages.conversations import candidat_agency

MAX_PAYMENT = Decimal("100000")


@dataclass(frozen=True, slots=True)
class Rejected:
    index: int  # 1-based position in the file
    identifiant: str | None
    reasons: list[str]


@dataclass
class ImportSummary:
    total: int = 0
    created: int = 0
    updated: int = 0
    duplicates: int = 0  # the same candidat again in the file: the last record counts
    payments_added: int = 0
    payments_known: int = 0
    rejected: list[Rejected] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PaymentRecord:
    paid_on: date
    amount: int
    allocations: int
    aides: int
    autres: int


@dataclass(frozen=True, slots=True)
class RightsRecord:
    identifiant: str
    rate: Decimal
    days_left: int
    counted_from: date
    insured: bool
    payments: list[PaymentRecord]


def records_of(data: Any) -> list[Any]:
    """The records of a file: a list, or ``{"demandeurs": [...]}``."""
    if isinstance(data, dict) and isinstance(data.get("demandeurs"), list):
        return list(data["demandeurs"])
    if isinstance(data, list):
        return data
    raise ValueError('attendu : une liste de demandeurs ou {"demandeurs": [...]}')


def _euros(value: Any, name: str, reasons: list[str], maximum: Decimal) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        reasons.append(f"{name} : un montant est attendu")
        return None
    try:
        amount = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        reasons.append(f"{name} : montant illisible « {value} »")
        return None
    if not amount.is_finite() or amount < 0 or amount > maximum:
        reasons.append(f"{name} : montant hors limites ({value})")
        return None
    return amount


def _date(value: Any, name: str, reasons: list[str]) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        reasons.append(f"{name} : date attendue au format AAAA-MM-JJ")
        return None


def _payment(raw: Any, n: int, reasons: list[str]) -> PaymentRecord | None:
    if not isinstance(raw, dict):
        reasons.append(f"paiements[{n}] : un objet est attendu")
        return None
    day = _date(raw.get("date"), f"paiements[{n}].date", reasons)
    parts = {}
    for key in ("montant", "allocations", "aides", "autres"):
        value = raw.get(key, 0 if key != "montant" else None)
        parts[key] = _euros(value, f"paiements[{n}].{key}", reasons, MAX_PAYMENT)
    if day is None or any(v is None for v in parts.values()):
        return None
    cents = {k: to_cents(v) for k, v in parts.items() if v is not None}
    return PaymentRecord(
        day, cents["montant"], cents["allocations"], cents["aides"], cents["autres"]
    )


def parse_record(raw: Any) -> tuple[RightsRecord | None, list[str]]:
    """One record checked; every reason at once."""
    reasons: list[str] = []
    if not isinstance(raw, dict):
        return None, ["un objet JSON est attendu"]
    identifiant = str(raw.get("identifiant") or "").strip().upper()
    if not identifiant:
        reasons.append("identifiant manquant")
    rate = _euros(
        raw.get("indemnisationJournalierNet"), "indemnisationJournalierNet", reasons, MAX_RATE
    )
    days = raw.get("dureeReliquat")
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_DAYS:
        reasons.append(f"dureeReliquat : un nombre de jours entre 0 et {MAX_DAYS} est attendu")
    counted_from = _date(raw.get("dateReliquat"), "dateReliquat", reasons)
    insured = raw.get("beneficiaireAssuranceChomage")
    if not isinstance(insured, bool):
        reasons.append("beneficiaireAssuranceChomage : true ou false est attendu")
    payments_raw = raw.get("paiements", [])
    if not isinstance(payments_raw, list):
        reasons.append("paiements : une liste est attendue")
        payments_raw = []
    payments = [_payment(p, n, reasons) for n, p in enumerate(payments_raw)]
    if reasons:
        return None, reasons
    assert rate is not None and counted_from is not None and isinstance(days, int)
    kept = [p for p in payments if p is not None]
    return RightsRecord(identifiant, rate, days, counted_from, bool(insured), kept), []


async def import_rights(uow: UnitOfWork, records: Sequence[Any], now: datetime) -> ImportSummary:
    """Load every good record, each in its own transaction; report the bad ones."""
    summary = ImportSummary(total=len(records))
    parsed: dict[str, tuple[int, RightsRecord]] = {}
    for index, raw in enumerate(records, start=1):
        record, reasons = parse_record(raw)
        if record is None:
            ident = raw.get("identifiant") if isinstance(raw, dict) else None
            summary.rejected.append(Rejected(index, str(ident) if ident else None, reasons))
            continue
        if record.identifiant in parsed:
            summary.duplicates += 1
        parsed[record.identifiant] = (index, record)
    for index, record in sorted(parsed.values(), key=lambda pair: pair[0]):
        async with uow.write() as session:
            account = await session.scalar(
                select(Account).where(
                    Account.identifiant == record.identifiant,
                    Account.kind == AccountKind.CANDIDAT,
                )
            )
            if account is None:
                reason = f"aucun candidat n'a l'identifiant {record.identifiant}"
                summary.rejected.append(Rejected(index, record.identifiant, [reason]))
                continue
            await serialise_rights(session, account.id)
            rights = await rights_of(session, account.id)
            if rights is None:
                rights = Rights(account_id=account.id, days_deferred=0)
                session.add(rights)
                summary.created += 1
            else:
                summary.updated += 1
            _apply(rights, record, await candidat_agency(session, account), now)
            known = set(
                (
                    await session.scalars(
                        select(Payment.key).where(Payment.account_id == account.id)
                    )
                ).all()
            )
            today = paris_day(now)
            for p in record.payments:
                key = f"import:{p.paid_on.isoformat()}:{p.amount}"
                if key in known:
                    summary.payments_known += 1
                    continue
                known.add(key)
                future = p.paid_on > today
                session.add(
                    Payment(
                        account_id=account.id,
                        key=key,
                        source=Source.IMPORT.value,
                        status=(PaymentStatus.SCHEDULED if future else PaymentStatus.PAID).value,
                        paid_on=p.paid_on,
                        made_at=None if future else now,
                        amount_cents=p.amount,
                        allocations_cents=p.allocations,
                        aides_cents=p.aides,
                        autres_cents=p.autres,
                    )
                )
                summary.payments_added += 1
    return summary


def _apply(rights: Rights, record: RightsRecord, agency_id: int | None, now: datetime) -> None:
    if not record.insured:
        state = RightsState.NON_INDEMNISE
    elif record.days_left == 0:
        state = RightsState.EPUISE
    else:
        state = RightsState.OUVERT
    rights.state = state.value
    rights.kind = AllowanceKind.ARE.value
    rights.daily_net_rate = record.rate
    # The upstream gives what is left from a day: the file's days count from that day.
    rights.start_date = record.counted_from
    rights.days_granted = record.days_left
    rights.days_left = record.days_left
    rights.days_deferred = 0
    rights.agency_id = agency_id
    rights.source = Source.IMPORT.value
    rights.updated_at = now
