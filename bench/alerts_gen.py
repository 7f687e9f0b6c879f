"""Bulk generator of fictional alerts (abonnements) for the matching and digest benchmarks.

``await generate_alerts(url, ref, 1_000_000)`` writes candidats (accounts and one dossier
each, 2.5 alerts per dossier on average, 97 % of e-mails confirmed), the alerts with their
percolator keys (``resolvers.alerts.keys.alert_keys``, as ``resolvers.alerts.manage`` writes them)
and, for the daily digest, matches: a share of the daily alerts has 1 to 10 offers of the
last day pending, and matches already sent on the days before (days counted back from the
newest offer).

The criteria mix (weights in ``SHAPES``): métier (ROME code) or keywords, and a place:
département, commune + radius, région or France entière (1.5 %); 60 % add contract types,
some an experience or a minimum salary. The 15 métiers the offer generator posts are among
the most wanted: each gets 2 % of the alerts (``POSTED_SHARE`` in all), the ~515 other ROME
métiers share the rest (their codes, or the first words of their labels as keywords).

Rows go straight to the driver: ``executemany`` on SQLite, COPY on PostgreSQL.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import asyncpg
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import create_async_engine

from bench.offers_gen import _communes, _encoder
from bench.offers_sample import POSTED
from espace.cli.demo_offers import TEMPLATES
from models.alerts import AlertFrequency
from models.base import utcnow
from models.offers import Offer
from refdata import ReferenceData
from resolvers.alerts.keys import alert_keys
from resolvers.identity.identifiant import check_letter
from resolvers.offers.criteria import OfferCriteria, check_criteria
from resolvers.offers.fields import ExperienceExige, TypeContrat
from resolvers.offers.text import words

ALERTS_PER_DOSSIER = 2.5
CONFIRMED = 0.97
SHAPES = (  # (weight in 200, what, where)
    (64, "rome", "departement"),
    (56, "keywords", "commune"),
    (30, "keywords", "departement"),
    (24, "rome", "commune"),
    (10, "keywords", "region"),
    (8, "rome", "region"),
    (2, "keywords", "france"),
    (1, "rome", "france"),
    (5, "anything", "commune"),
)
POSTED_SHARE = 0.3
FREQUENCIES = (
    (AlertFrequency.DAILY,) * 12 + (AlertFrequency.WEEKLY,) * 5 + (AlertFrequency.INSTANT,) * 3
)
CONTRACTS = (TypeContrat.CDI,) * 5 + (TypeContrat.CDD,) * 3 + (TypeContrat.MIS, TypeContrat.SAI)
RADII = (10, 20, 30, 30, 50)
CHUNK = 50_000


class CriteriaFactory:
    """Draws alert criteria, valid and normalised as ``resolvers.alerts.manage`` stores them."""

    def __init__(self, ref: ReferenceData, rng: random.Random) -> None:
        self.ref = ref
        self.rng = rng
        self.communes = [(insee, dep, reg) for insee, _, _, dep, reg, *_ in _communes()]
        self.posted_romes = [t.rome for t in TEMPLATES]
        others = [m for m in ref.metiers() if m.code not in self.posted_romes]
        self.other_romes = [m.code for m in others]
        self.other_words = sorted({" ".join(words(m.libelle)[:2]) for m in others} - {""})
        shapes = [(what, where) for weight, what, where in SHAPES for _ in range(weight)]
        self.shapes = shapes
        self.drawn = 0

    def _rome(self) -> str:
        pool = self.posted_romes if self.rng.random() < POSTED_SHARE else self.other_romes
        return self.rng.choice(pool)

    def _keywords(self) -> str:
        pool = POSTED if self.rng.random() < POSTED_SHARE else self.other_words
        return self.rng.choice(pool)

    def draw(self) -> OfferCriteria:
        rng = self.rng
        what, where = rng.choice(self.shapes)
        values: dict[str, Any] = {}
        if what == "rome":
            codes = {self._rome() for _ in range(2 if rng.random() < 0.1 else 1)}
            values["rome_codes"] = tuple(sorted(codes))
        elif what == "keywords":
            values["keywords"] = self._keywords()
        insee, dep, reg = rng.choice(self.communes)
        if where == "departement":
            values["departements"] = (dep,)
        elif where == "commune":
            values.update(commune_insee=insee, distance_km=rng.choice(RADII))
        elif where == "region":
            values["region"] = reg
        if rng.random() < 0.6:
            values["types_contrat"] = tuple(
                sorted({rng.choice(CONTRACTS) for _ in range(rng.randint(1, 2))})
            )
        if rng.random() < 0.15:
            values["experience"] = (ExperienceExige.D,)
        if rng.random() < 0.1:
            values["salaire_min"] = float(rng.randrange(1800, 2600, 50))
        criteria = OfferCriteria(**values)
        self.drawn += 1
        if self.drawn % 1000 == 1:  # drawn valid and normalised: checked now and then only
            assert check_criteria(self.ref, criteria) == criteria, criteria
        return criteria


@dataclass
class Generated:
    accounts: int
    alerts: int
    keys: int
    pending_matches: int
    sent_matches: int
    alerts_with_pending: int


async def generate_alerts(
    url: str,
    ref: ReferenceData,
    count: int,
    *,
    seed: int = 4,
    pending_share: float = 0.3,
    history_days: int = 3,
) -> Generated:
    """Insert ``count`` alerts with their candidats, keys and matches (ids from 1: the
    alert tables must be empty)."""
    rng = random.Random(seed)
    pick = random.Random(seed + 1)  # the matches: the criteria drawn never depend on them
    factory = CriteriaFactory(ref, rng)
    now = utcnow()
    dossiers = max(1, round(count / ALERTS_PER_DOSSIER))
    loader = Loader(url)
    await loader.open()
    try:
        confirmed = await _candidats(loader, rng, dossiers, now)
        recent = await loader.recent_offer_ids(history_days + 1)
        keys = pending = sent = with_pending = 0
        for start in range(0, count, CHUNK):
            alerts, key_rows, matches = [], [], []
            for alert_id in range(start + 1, min(count, start + CHUNK) + 1):
                dossier_id = (alert_id - 1) * dossiers // count + 1
                criteria = factory.draw().to_json()
                frequency = rng.choice(FREQUENCIES)
                alerts.append(
                    (alert_id, dossier_id, dossier_id, f"Abonnement {alert_id}",
                     json.dumps(criteria), frequency.value, f"{rng.getrandbits(128):032x}",
                     None, now, now)
                )  # fmt: skip
                for key in alert_keys(ref, OfferCriteria.from_json(criteria)):
                    key_rows.append((key, alert_id))
                due = frequency == AlertFrequency.DAILY and dossier_id in confirmed
                if due and recent and pick.random() < pending_share:
                    with_pending += 1
                    new, old = pick.randint(1, 10), pick.randint(0, 3 * history_days)
                    for n, offer_id in enumerate(pick.sample(recent, min(len(recent), new + old))):
                        ago = timedelta(minutes=pick.randrange(24 * 60)) + timedelta(
                            days=0 if n < new else 1 + n % history_days
                        )
                        sent_at = None if n < new else now - ago + timedelta(hours=1)
                        matches.append((alert_id, offer_id, now - ago, sent_at))
                        pending, sent = pending + (n < new), sent + (n >= new)
            keys += len(key_rows)
            await loader.load("alerts", ALERT_COLUMNS, alerts)
            await loader.load("alert_keys", ["key", "alert_id"], sorted(key_rows))
            await loader.load(
                "alert_matches", ["alert_id", "offer_id", "matched_at", "sent_at"], matches
            )
        await loader.finish(["accounts", "dossiers", "alerts", "alert_matches"])
    finally:
        await loader.close()
    return Generated(dossiers, count, keys, pending, sent, with_pending)


ALERT_COLUMNS = [
    "id", "account_id", "dossier_id", "name", "criteria", "frequency", "unsubscribe_salt",
    "last_sent_at", "created_at", "updated_at",
]  # fmt: skip
ACCOUNT_COLUMNS = [
    "id", "kind", "identifiant", "password_hash", "postal_code", "secret_failures", "created_at",
]  # fmt: skip
DOSSIER_COLUMNS = [
    "id", "account_id", "name", "civilite", "nom", "prenom", "pays", "adresse", "postal_code",
    "commune_insee", "commune_name", "email", "email_confirmed_at", "registered",
    "birth_date", "situation", "qualification", "created_at", "updated_at",
]  # fmt: skip


async def _candidats(loader: Loader, rng: random.Random, count: int, now: datetime) -> set[int]:
    """``count`` candidats with one dossier each; returns the dossiers whose e-mail is
    confirmed."""
    confirmed: set[int] = set()
    for start in range(0, count, CHUNK):
        accounts, dossiers = [], []
        for n in range(start + 1, min(count, start + CHUNK) + 1):
            digits = f"{n:07d}"
            accounts.append(
                (n, "CANDIDAT", digits + check_letter(digits), "bench:no-login", "22200", 0, now)
            )
            ok = rng.random() < CONFIRMED
            if ok:
                confirmed.add(n)
            dossiers.append(
                (n, n, "DRE1", "MADAME", "Martin", "Camille", "FR", f"{n % 90 + 1} rue de la Gare",
                 "22200", "22070", "Guingamp", f"alerte{n}@example.org", now if ok else None,
                 False, date(1990, 1, 1) + timedelta(days=n % 9000), "DEMANDEUR_EMPLOI", 6,
                 now, now)
            )  # fmt: skip
        await loader.load("accounts", ACCOUNT_COLUMNS, accounts)
        await loader.load("dossiers", DOSSIER_COLUMNS, dossiers)
    return confirmed


class Loader:
    """Rows straight to the driver, in one transaction: executemany on SQLite (values
    encoded as SQLAlchemy would), COPY on PostgreSQL."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sqlite = url.startswith("sqlite")
        encode = _encoder(self.sqlite)
        self.encode = lambda v: v.isoformat() if type(v) is date else encode(v)
        self._pg: Any = None
        self._tx: Any = None
        self._engine = create_async_engine(url) if self.sqlite else None
        self._conn: Any = None

    async def open(self) -> None:
        if self._engine is not None:

            @event.listens_for(self._engine.sync_engine, "connect")
            def _bulk(dbapi_conn: Any, _record: Any) -> None:
                # Consistent by construction: no foreign key checks, a large page cache.
                for pragma in ("foreign_keys=OFF", "cache_size=-262144"):
                    dbapi_conn.execute(f"PRAGMA {pragma}")

            self._conn = await self._engine.connect()
        else:
            self._pg = await asyncpg.connect(self.url.replace("postgresql+asyncpg", "postgresql"))
            # Consistent by construction: no foreign key triggers for this session.
            await self._pg.execute("SET session_replication_role = replica")
            self._tx = self._pg.transaction()
            await self._tx.start()

    async def recent_offer_ids(self, days: int) -> list[int]:
        """The offers of the last ``days`` days of publications (counted from the newest
        offer, so that an older cached database still has some)."""
        if self._pg is not None:
            latest = await self._pg.fetchval("SELECT max(published_at) FROM offers")
            since = latest - timedelta(days=days)
            rows = await self._pg.fetch("SELECT id FROM offers WHERE published_at >= $1", since)
            return sorted(r[0] for r in rows)
        latest = await self._conn.scalar(select(func.max(Offer.published_at)))
        since = latest - timedelta(days=days)
        result = await self._conn.execute(select(Offer.id).where(Offer.published_at >= since))
        return sorted(result.scalars())

    async def load(self, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if self._pg is not None:
            await self._pg.copy_records_to_table(table, records=rows, columns=columns)
            return
        marks = ", ".join("?" * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
        await self._conn.exec_driver_sql(sql, [tuple(map(self.encode, r)) for r in rows])

    async def finish(self, tables: list[str]) -> None:
        """Commit; on PostgreSQL, move the id sequences past the ids given and analyse."""
        if self._pg is None:
            await self._conn.commit()
            return
        for table in tables:
            await self._pg.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        await self._tx.commit()
        await self._pg.execute(f"ANALYZE {', '.join([*tables, 'alert_keys'])}")

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
        if self._engine is not None:
            await self._engine.dispose()
        if self._pg is not None:
            await self._pg.close()
