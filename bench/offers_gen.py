"""Bulk generator of fictional offers for the search benchmarks (1M in minutes).

``await generate_offers(engine, 1_000_000)`` inserts published offers spread over every
commune of the reference data that has coordinates, the métiers of
``espace.cli.demo_offers.TEMPLATES``, their contracts and salaries, and publication dates over
the last 60 days. Rows are built directly (no per-offer validation) and written with
multi-row INSERTs of as many rows as the drivers' 32,767 parameters allow, in one
transaction per ``commit_every`` rows. On SQLite the FTS5 triggers index them as they go.

Run it: ``python -m bench.offers_gen sqlite+aiosqlite:///var/bench.sqlite3 1000000``
(the database must be migrated).
"""

from __future__ import annotations

import asyncio
import gzip
import json
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from espace.cli.demo_offers import EMPLOYERS, TEMPLATES, Template, salary_libelle
from models.base import utcnow
from models.offers import OfferStatus
from refdata import DATA_DIR
from resolvers.offers.fields import (
    FIXED_TERM,
    DureeTravail,
    TypeContrat,
    monthly,
)
from resolvers.offers.text import filter_tokens, stem_text

ORIGIN = "BENCH"
MAX_PARAMETERS = 32_767
NUMBER_SPACE = 1000 * 26**4  # 3 digits and 4 letters
SCRAMBLE = 2_654_435_761  # prime, coprime with NUMBER_SPACE: i -> i * SCRAMBLE is a bijection
TITLE_CAP = 12  # distinct title stems cached per template


def bench_number(index: int) -> str:
    """A unique, random-looking offer number for each index below 456,976,000."""
    n = index * SCRAMBLE % NUMBER_SPACE
    digits, rest = n % 1000, n // 1000
    letters = ""
    for _ in range(4):
        rest, letter = divmod(rest, 26)
        letters += chr(65 + letter)
    return f"{digits:03d}{letters}"


def _communes() -> list[tuple[str, str, str, str, str, float, float]]:
    """(insee, postal code, name, département, région, lat, lon) of each commune, once."""
    text = gzip.decompress((DATA_DIR / "communes.tsv.gz").read_bytes()).decode("utf-8")
    seen: dict[str, tuple[str, str, str, str, str, float, float]] = {}
    for line in text.split("\n")[1:]:
        f = line.split("\t")
        if len(f) == 10 and f[8] and f[1] not in seen:
            seen[f[1]] = (f[1], f[0], f[2], f[4], f[6], float(f[8]), float(f[9]))
    return sorted(seen.values())


def row_factory(sqlite: bool, seed: int) -> Callable[[int], dict[str, Any]]:
    """A function from an index to the column values of one generated offer."""
    from refdata import ReferenceData

    rng = random.Random(seed)
    communes = _communes()
    labels = {m.code: m.libelle for m in ReferenceData.load().metiers()}
    now = utcnow()
    bodies = {t.rome: stem_text(t.description, " ".join(t.skills)) for t in TEMPLATES}
    titles: dict[tuple[str, str], str] = {}

    def title_stems(t: Template, title: str) -> str:
        key = (t.rome, title)
        if key not in titles:
            titles[key] = stem_text(title, labels[t.rome])
        return titles[key]

    def make(index: int) -> dict[str, Any]:
        t = rng.choice(TEMPLATES)
        insee, postal, name, dep, reg, lat, lon = rng.choice(communes)
        contract = TypeContrat(rng.choice(t.contracts))
        low, high, period = t.salary
        low = round(low * rng.uniform(0.95, 1.1), 2)
        high = round(max(high, low) * rng.uniform(1.0, 1.1), 2)
        exige = rng.choice("DSE")
        title = rng.choice(t.titles)
        published = now - timedelta(minutes=rng.randrange(60 * 24 * 60))
        number = bench_number(index)
        full_time = rng.random() < 0.8
        return {
            "number": number,
            "origin": ORIGIN,
            "origin_number": number,
            "status": OfferStatus.PUBLISHED.value,
            "account_id": None,
            "company_id": None,
            "employer_name": rng.choice(EMPLOYERS),
            "employer_info": None,
            "intitule": title,
            "description": t.description,
            "commune_insee": insee,
            "postal_code": postal,
            "lieu_libelle": f"{dep} - {name}",
            "departement": dep,
            "region": reg,
            "latitude": lat,
            "longitude": lon,
            "rome_code": t.rome,
            "rome_libelle": labels[t.rome],
            "appellation_code": None,
            "appellation_libelle": None,
            "type_contrat": contract.value,
            "nature_contrat": "E1",
            "duree_contrat_mois": rng.choice((3, 6, 12)) if contract in FIXED_TERM else None,
            "experience_exige": exige,
            "experience_mois": None if exige == "D" else rng.choice((6, 12, 24, 36)),
            "qualification": t.qualification,
            "salaire_min": low,
            "salaire_max": high,
            "salaire_period": period.value,
            "salaire_libelle": salary_libelle(low, high, period),
            "salaire_mensuel_min": monthly(low, period),
            "salaire_mensuel_max": monthly(high, period),
            "duree_travail": (
                DureeTravail.TEMPS_PLEIN if full_time else DureeTravail.TEMPS_PARTIEL
            ).value,
            "heures_hebdo": 35.0 if full_time else 24.0,
            "formations": [],
            "permis": [],
            "langues": [],
            "competences": [{"libelle": s, "exigence": "S"} for s in t.skills],
            "nombre_postes": 1,
            "accessible_th": rng.random() < 0.2,
            "contact": None,
            "search_extra": " ".join(t.skills),
            "search_title": title_stems(t, title) if sqlite else None,
            "search_body": f"{bodies[t.rome]} {filter_tokens(dep, reg, contract.value, lat, lon)}"
            if sqlite
            else None,
            "created_at": published,
            "updated_at": published,
            "published_at": published,
            "closed_at": None,
            "expires_at": None,
        }

    return make


def _encoder(sqlite: bool) -> Callable[[Any], Any]:
    """Python values as the driver takes them (what SQLAlchemy's types would send)."""

    def encode(value: Any) -> Any:
        if isinstance(value, list | dict):
            return json.dumps(value)
        if sqlite and isinstance(value, datetime):
            return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        if sqlite and isinstance(value, bool):
            return int(value)
        return value

    return encode


def multirow_insert(columns: list[str], rows: int, sqlite: bool) -> str:
    """INSERT INTO offers (…) VALUES (…), (…), … with ``rows`` rows of placeholders."""
    width = len(columns)
    if sqlite:
        group = "(" + ",".join("?" * width) + ")"
        values = ",".join([group] * rows)
    else:
        values = ",".join(
            "(" + ",".join(f"${r * width + c + 1}" for c in range(width)) + ")" for r in range(rows)
        )
    return f"INSERT INTO offers ({', '.join(columns)}) VALUES {values}"


async def generate_offers(
    engine: AsyncEngine,
    count: int,
    *,
    seed: int = 42,
    start: int = 0,
    commit_every: int = 50_000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert ``count`` generated offers (numbers from index ``start``); returns ``count``.

    Multi-row INSERTs straight to the driver (SQLAlchemy would compile each one), and the
    next rows are built while the database writes the previous ones."""
    sqlite = engine.dialect.name == "sqlite"
    make = row_factory(sqlite, seed)
    encode = _encoder(sqlite)
    columns = list(make(start))
    per_statement = MAX_PARAMETERS // len(columns)
    statements: dict[int, str] = {}
    done = 0
    while done < count:
        async with engine.begin() as conn:
            stop = min(count, done + commit_every)
            pending: asyncio.Task[Any] | None = None
            while done < stop:
                size = min(per_statement, stop - done)
                params = [
                    encode(value) for i in range(size) for value in make(start + done + i).values()
                ]
                if size not in statements:
                    statements[size] = multirow_insert(columns, size, sqlite)
                if pending is not None:
                    await pending
                statement = conn.exec_driver_sql(statements[size], tuple(params))
                pending = asyncio.create_task(statement)
                await asyncio.sleep(0)  # let it reach the driver before building more rows
                done += size
            if pending is not None:
                await pending
        if progress is not None:
            progress(done)
    return count


async def _main(url: str, count: int) -> None:
    engine = create_async_engine(url)
    began = time.perf_counter()
    try:
        await generate_offers(
            engine, count, progress=lambda n: print(f"\r{n} offres", end="", file=sys.stderr)
        )
    finally:
        await engine.dispose()
    elapsed = time.perf_counter() - began
    print(f"\n{count} offres en {elapsed:.1f} s ({count / elapsed:,.0f}/s)", file=sys.stderr)


if __name__ == "__main__":
    asyncio.run(_main(sys.argv[1], int(sys.argv[2])))
