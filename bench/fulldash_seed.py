"""Bulk seed of issue 5's full-dashboard benchmark: candidats holding realistic data.

Per candidat: 1-3 dossiers; 1-3 CVs per dossier (0-3 experiences, 0-2 formations each);
0-3 alerts per dossier; 0-10 applications to a pool of offers (with their history row);
~50 dashboard events over 60 days and a last visit 1-10 days ago; 1-3 conversations of
1-6 messages, partly read; a proposal for about a third of them; and the unemployment file
(``bench.fulldash_file``: registration, rights, six months of declarations and payments,
letters, documents, appointments). Employers own companies
and the offers (``bench.offers_gen`` rows). Everything goes through PostgreSQL COPY with
explicit ids (sequences are moved on at the end); nothing goes through the API.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

import asyncpg

from bench.fulldash_file import FileRows, file_tables
from bench.offers_gen import row_factory
from models.identity import AccountKind
from resolvers.identity.identifiant import check_letter


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


async def _copy(conn: asyncpg.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    encoded = (
        tuple(_json(v) if isinstance(v, list | dict) else v for v in row.values()) for row in rows
    )
    await conn.copy_records_to_table(table, records=encoded, columns=columns)


class Seeder(FileRows):
    """Employers and their offers, then each candidat with everything they hold."""

    def __init__(self, candidats: int, seed: int = 5) -> None:
        super().__init__(seed)
        self.n = candidats

    def build(self) -> dict[str, list[dict[str, Any]]]:
        agency = self.add(
            "agencies",
            code="BENCH5",
            name="Agence de Guingamp (fictive)",
            address="1 rue de la Gare",
            postal_code="22200",
            commune_insee="22070",
            created_at=self.now,
        )
        employers = [self._employer(e) for e in range(max(20, self.n // 100))]
        offers = self._offers(employers, max(500, self.n // 5))
        identifiants = self._identifiants()
        for n, ident in enumerate(identifiants):
            self._candidat(n, ident, agency, employers, offers)
        return self.rows

    def _employer(self, e: int) -> tuple[int, int]:
        account = self.add(
            "accounts",
            kind=AccountKind.EMPLOYEUR.value,
            email=f"employeur{e}@example.org",
            display_name=f"Employeur fictif {e}",
            password_hash=self.password_hash,
            secret_failures=0,
            created_at=self.now,
        )
        company = self.add(
            "companies",
            account_id=account,
            name=f"Entreprise fictive {e}",
            created_at=self.now,
            updated_at=self.now,
        )
        return account, company

    def _offers(self, employers: list[tuple[int, int]], count: int) -> list[tuple[int, int, str]]:
        make = row_factory(False, 42)
        pool = []
        for i in range(count):
            account, company = employers[i % len(employers)]
            row = make(i) | {"account_id": account, "company_id": company}
            offer = self.add("offers", **row)
            pool.append((offer, account, str(row["intitule"])))
        return pool

    def _identifiants(self) -> list[str]:
        seen: dict[str, None] = {}
        while len(seen) < self.n:
            digits = f"{self.rng.randrange(10**7):07d}"
            seen[digits + check_letter(digits)] = None
        return list(seen)

    def _candidat(
        self,
        n: int,
        ident: str,
        agency: int,
        employers: list[tuple[int, int]],
        offers: list[tuple[int, int, str]],
    ) -> None:
        rng = self.rng
        account = self.add(
            "accounts",
            kind=AccountKind.CANDIDAT.value,
            identifiant=ident,
            password_hash=self.password_hash,
            postal_code="22200",
            secret_failures=0,
            last_visit_at=self.ago(1, 10),
            created_at=self.ago(60, 400),
        )
        dossiers = [self._dossier(account, n, d, ident, agency) for d in range(rng.randint(1, 3))]
        cvs = {d: [self._cv(account, d) for _ in range(rng.randint(1, 3))] for d in dossiers}
        for d in dossiers:
            for a in range(rng.randint(0, 3)):
                self._alert(account, d, a)
        for offer, employer, title in rng.sample(offers, rng.randint(0, 10)):
            d = rng.choice(dossiers)
            self._application(account, d, rng.choice(cvs[d]), offer, employer, title)
        self._events(account)
        self._unemployment_file(account, agency, n)
        for _ in range(rng.randint(1, 3)):
            self._conversation(account, agency, rng.choice(employers)[0])
        if rng.random() < 0.35:
            employer, company = rng.choice(employers)
            d = rng.choice(dossiers)
            self.add(
                "proposals",
                employer_id=employer,
                company_id=company,
                candidate_id=account,
                dossier_id=d,
                cv_id=rng.choice(cvs[d]),
                offer_id=None,
                message="Votre profil nous intéresse, seriez-vous disponible ?",
                deadline=self.now + timedelta(days=rng.randint(-3, 20)),
                status="PENDING",
                created_at=self.ago(0, 20),
            )


# Parents before children (foreign keys); conversations before their messages.
ORDER = (
    "agencies",
    "accounts",
    "companies",
    "offers",
    "dossiers",
    "cvs",
    "cv_experiences",
    "cv_educations",
    "alerts",
    "applications",
    "application_changes",
    "events",
    "conversations",
    "messages",
    "conversation_reads",
    "proposals",
    *file_tables(),
)


async def seed(dsn: str, candidats: int, progress: Callable[[str], None]) -> dict[str, int]:
    """Fill the (migrated, empty) database; returns the row count of each table."""
    rows = Seeder(candidats).build()
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            # conversations.last_message_id has no foreign key, messages.conversation_id has.
            for table in ORDER:
                await _copy(conn, table, rows.get(table, []))
                progress(f"{table}: {len(rows.get(table, [])):,}")
            for table in _with_ids(rows):
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()
    return {table: len(rows.get(table, [])) for table in ORDER}


def _with_ids(rows: dict[str, list[dict[str, Any]]]) -> Iterable[str]:
    return [t for t in ORDER if t != "conversation_reads" and rows.get(t)]
