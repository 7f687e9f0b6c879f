"""Bulk seed of the declarations benchmark: N registered candidats (INSCRIT since January)
with open ARE rights and one signed-in session each, and the declaration window of last
month open since this morning, as an operator may set it (so the benchmark runs on any
day, not only between the 28th and the 15th). PostgreSQL COPY, explicit ids."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import asyncpg

from bench.common import SECRET
from ground.passwords import Hasher
from models.identity import AccountKind
from resolvers.actualisation.windows import previous_month
from resolvers.core.tokens import hash_token, new_token


async def seed(dsn: str, candidats: int) -> tuple[list[str], date]:
    """Fill the migrated, empty database; returns the bearer tokens and the open period."""
    now = datetime.now(UTC)
    period = previous_month(now.date().replace(day=1))
    password_hash = Hasher(2, 19 * 1024, 1).hash("mot de passe du banc d'essai 13")
    tokens = [new_token(32) for _ in range(candidats)]
    ids = range(1, candidats + 1)
    since = date(period.year, 1, 1) if period.month > 1 else date(period.year - 1, 12, 1)
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            await conn.execute(
                "INSERT INTO agencies (id, code, name, address, postal_code, commune_insee, "
                "created_at) VALUES (1, 'BENCH13', 'Agence de Guingamp (fictive)', "
                "'1 rue de la Gare', '22200', '22070', $1)",
                now,
            )
            tables: dict[str, tuple[list[str], list[tuple[object, ...]]]] = {
                "accounts": (
                    [
                        "id",
                        "kind",
                        "identifiant",
                        "password_hash",
                        "postal_code",
                        "agency_id",
                        "secret_failures",
                        "created_at",
                    ],
                    [
                        (
                            i,
                            AccountKind.CANDIDAT.value,
                            f"{i:07d}D",
                            password_hash,
                            "22200",
                            1,
                            0,
                            now - timedelta(days=300),
                        )
                        for i in ids
                    ],
                ),
                "registrations": (
                    [
                        "id",
                        "account_id",
                        "state",
                        "registered_on",
                        "category",
                        "agency_id",
                        "adviser_id",
                        "email",
                        "updated_at",
                    ],
                    [
                        (i, i, "INSCRIT", since, 1, 1, None, f"declarant{i}@example.org", now)
                        for i in ids
                    ],
                ),
                "indemnisation_rights": (
                    [
                        "id",
                        "account_id",
                        "agency_id",
                        "state",
                        "kind",
                        "daily_net_rate",
                        "reference_salary_cents",
                        "start_date",
                        "days_granted",
                        "days_left",
                        "days_deferred",
                        "source",
                        "updated_at",
                        "created_at",
                    ],
                    [
                        (
                            i,
                            i,
                            1,
                            "OUVERT",
                            "ARE",
                            Decimal(3000 + i % 5000) / 100,
                            200_000,
                            since,
                            730,
                            600,
                            0,
                            "rules",
                            now,
                            now,
                        )
                        for i in ids
                    ],
                ),
                "sessions": (
                    ["account_id", "token_hash", "created_at", "last_seen_at", "expires_at"],
                    [
                        (i, hash_token(SECRET, t), now, now, now + timedelta(hours=12))
                        for i, t in zip(ids, tokens, strict=True)
                    ],
                ),
            }
            for table, (columns, records) in tables.items():
                await conn.copy_records_to_table(table, records=records, columns=columns)
            for table in ("accounts", "registrations", "indemnisation_rights"):
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {candidats})"
                )
            await conn.execute(
                "INSERT INTO actualisation_windows (period, opens_at, closes_at) "
                "VALUES ($1, $2, $3)",
                period,
                now - timedelta(hours=2),
                now + timedelta(days=10),
            )
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()
    return tokens, period
