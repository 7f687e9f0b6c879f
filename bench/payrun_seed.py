"""Bulk seed of the payment-run benchmark: N candidats of one agency, each with a confirmed
dossier e-mail, open ARE rights, last month's declaration and its payment, computed by the
real rules module (``resolvers.indemnisation.rules.compute_payment``) and SCHEDULED for the
run's day. Everything goes in by PostgreSQL COPY, with explicit ids."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg

from bench.fulldash_rows import Rows
from models.identity import AccountKind
from models.indemnisation import PaymentStatus, Source
from resolvers.indemnisation.rules import MonthDeclaration, RightsTerms, compute_payment

IBAN_MASKED = "FR76 •••• •••• •••• 1234"


class PayrunSeeder(Rows):
    def __init__(self, candidats: int, period: date, paid_on: date, seed: int = 13) -> None:
        super().__init__(seed)
        self.n = candidats
        self.period = period
        self.paid_on = paid_on
        self.compute_seconds = 0.0

    def build(self) -> dict[str, list[dict[str, Any]]]:
        agency = self.add(
            "agencies",
            code="BENCH13",
            name="Agence de Guingamp (fictive)",
            address="1 rue de la Gare",
            postal_code="22200",
            commune_insee="22070",
            created_at=self.now,
        )
        for n in range(self.n):
            self._candidat(n, f"{n:07d}B", agency)
        return self.rows

    def _candidat(self, n: int, ident: str, agency: int) -> None:
        rng = self.rng
        account = self.add(
            "accounts",
            kind=AccountKind.CANDIDAT.value,
            identifiant=ident,
            password_hash=self.password_hash,
            postal_code="22200",
            agency_id=agency,
            secret_failures=0,
            created_at=self.ago(200, 400),
        )
        self._dossier(account, n, 0, ident, agency)
        rate = Decimal(rng.randint(2500, 9000)) / 100
        granted = rng.choice((365, 548, 730))
        left = rng.randint(60, granted)
        reference = int(rate * 30 * 100 * Decimal("1.4"))
        self.add(
            "indemnisation_rights",
            account_id=account,
            agency_id=agency,
            state="OUVERT",
            kind="ARE",
            daily_net_rate=rate,
            reference_salary_cents=reference,
            start_date=self.period - timedelta(days=granted - left),
            days_granted=granted,
            days_left=left,
            days_deferred=0,
            source=Source.RULES.value,
            opened_by_id=None,
            updated_at=self.now,
            created_at=self.now,
        )
        worked = rng.random() < 0.3
        month = MonthDeclaration(
            account_id=account,
            period=self.period,
            hours_worked=rng.randint(10, 120) if worked else 0,
            gross_pay_cents=rng.randint(20_000, 150_000) if worked else 0,
            sick_days=rng.choice((0, 0, 0, 0, 3, 7)),
            days_not_looking=0,
            still_looking=True,
        )
        answers = {"hoursWorked": month.hours_worked, "grossPayCents": month.gross_pay_cents}
        submitted = datetime.combine(self.paid_on - timedelta(days=5), datetime.min.time())
        self.add(
            "actualisations",
            account_id=account,
            period=self.period,
            number=f"ACT-{self.period:%Y%m}-{ident}",
            version=1,
            answers=answers,
            first_submitted_at=submitted,
            submitted_at=submitted,
        )
        started = time.perf_counter()
        done = compute_payment(RightsTerms(rate, reference, left), month)
        self.compute_seconds += time.perf_counter() - started
        self.add(
            "indemnisation_payments",
            account_id=account,
            key=f"rules:{self.period:%Y-%m}",
            source=Source.RULES.value,
            status=PaymentStatus.SCHEDULED.value,
            period=self.period,
            paid_on=self.paid_on,
            made_at=None,
            aides_cents=0,
            autres_cents=0,
            daily_net_rate=rate,
            hours_worked=month.hours_worked,
            gross_pay_cents=month.gross_pay_cents,
            bank_account_masked=IBAN_MASKED,
            created_at=self.now,
            **done.columns(),
        )


ORDER = (
    "agencies",
    "accounts",
    "dossiers",
    "indemnisation_rights",
    "actualisations",
    "indemnisation_payments",
)


async def seed(
    dsn: str, candidats: int, period: date, paid_on: date, progress: Callable[[str], None]
) -> float:
    """Fill the migrated, empty database; returns the rules' computing time (seconds)."""
    seeder = PayrunSeeder(candidats, period, paid_on)
    rows = seeder.build()
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            for table in ORDER:
                batch = rows.get(table, [])
                columns = list(batch[0])
                records = (
                    tuple(json.dumps(v) if isinstance(v, dict) else v for v in row.values())
                    for row in batch
                )
                await conn.copy_records_to_table(table, records=records, columns=columns)
                progress(f"{table}: {len(batch):,}")
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()
    return seeder.compute_seconds
