"""``espace offers import FILE.json``, ``espace offers export FILE.json`` and
``espace offers expire``: France Travail "Offres d'emploi v2" JSON in and out, and the
closing of offers whose date limite has passed (run it from cron, e.g. hourly)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from espace.cli.settings import load_settings as _settings

if TYPE_CHECKING:  # the commands import the application lazily, as espace.cli.main does
    from ground.settings import Settings
    from resolvers.offers.import_export import ImportSummary

NOT_MIGRATED = "espace: la base de données n'est pas migrée. Lancez d'abord : espace migrate"


class ProgressBar:
    """A progress bar on stderr (redrawn at most ten times a second)."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        filled = self.width * done // max(total, 1)
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r  [{bar}] {done}/{total} offres")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def print_summary(summary: ImportSummary, out: TextIO, err: TextIO) -> None:
    for bad in summary.rejected:
        ident = f" (id {bad.record_id})" if bad.record_id else ""
        err.write(f"espace: offre n° {bad.index}{ident} rejetée : {' ; '.join(bad.reasons)}\n")
    counts = (
        (summary.created, "créée"),
        (summary.updated, "mise à jour"),
        (summary.unchanged, "inchangée"),
        (summary.duplicates, "en double"),
        (len(summary.rejected), "rejetée"),
    )
    parts = ", ".join(f"{n} {_plural(label, n)}" for n, label in counts)
    read = f"{_plural('offre', summary.total)} {_plural('lue', summary.total)}"
    out.write(f"espace: {summary.total} {read} : {parts}.\n")


def _plural(word: str, count: int) -> str:
    """« 1 offre », « 2 offres », « 2 mises à jour », « 2 en double »."""
    if count < 2 or word.startswith("en "):
        return word
    head, _, tail = word.partition(" ")
    return f"{head}s {tail}" if tail else f"{word}s"


def read_records(path: Path) -> list[Any] | None:
    from resolvers.offers.import_export import records_of

    try:
        return records_of(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        print(f"espace: impossible de lire {path} : {exc}", file=sys.stderr)
        return None


async def run_import(settings: Settings, records: list[Any], origin: str) -> int:
    from ground.migrate import is_at_head
    from ground.runtime import Runtime
    from resolvers.alerts.matching import match_offer
    from resolvers.core.unit_of_work import RuntimeWork
    from resolvers.offers.import_export import import_offers

    runtime = Runtime.create(settings.for_batch())
    work = RuntimeWork(runtime)
    try:
        if not await is_at_head(runtime.engine):
            print(NOT_MIGRATED, file=sys.stderr)
            return 1
        summary = await import_offers(
            work,
            runtime.refdata,
            records,
            default_origin=origin,
            progress=ProgressBar(sys.stderr),
            on_published=lambda session, offer: match_offer(session, runtime, offer),
        )
    finally:
        await work.close()
        await runtime.close()
    print_summary(summary, sys.stdout, sys.stderr)
    return 0


async def run_export(settings: Settings, path: Path) -> int:
    from ground.migrate import is_at_head
    from ground.runtime import Runtime
    from resolvers.offers.import_export import export_records

    runtime = Runtime.create(settings.for_batch())
    count = 0
    try:
        if not await is_at_head(runtime.engine):
            print(NOT_MIGRATED, file=sys.stderr)
            return 1
        async with runtime.sessionmaker() as session:
            with path.open("w", encoding="utf-8") as out:
                out.write('{"resultats": [')
                records = export_records(session, lambda n: settings.link(f"/offres/{n}"))
                async for record in records:
                    out.write(",\n" if count else "\n")
                    out.write(json.dumps(record, ensure_ascii=False))
                    count += 1
                out.write("\n]}\n")
    finally:
        await runtime.close()
    print(f"espace: {count} offres publiées écrites dans {path}.")
    return 0


async def run_expire(settings: Settings) -> int:
    from ground.runtime import Runtime
    from models.base import utcnow
    from resolvers.core.unit_of_work import RuntimeWork
    from resolvers.offers.manage import expire_offers

    runtime = Runtime.create(settings.for_batch())
    work = RuntimeWork(runtime)
    try:
        async with work.write() as session:
            closed = await expire_offers(session, utcnow())
    finally:
        await work.close()
        await runtime.close()
    print(f"espace: {closed} offres échues clôturées.")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    settings = _settings()
    records = read_records(Path(args.file))
    if records is None:
        return 1
    return asyncio.run(run_import(settings, records, args.origin))


def cmd_export(args: argparse.Namespace) -> int:
    return asyncio.run(run_export(_settings(), Path(args.file)))


def cmd_expire(_args: argparse.Namespace) -> int:
    return asyncio.run(run_expire(_settings()))


def add_offers_parser(sub: Any) -> None:
    """The ``offers`` command and its subcommands."""
    offers = sub.add_parser("offers", help="les offres d'emploi (JSON « Offres d'emploi v2 »)")
    offers_sub = offers.add_subparsers(dest="offers_command", required=True)
    load = offers_sub.add_parser("import", help="importer un fichier JSON (FT v2)")
    load.add_argument("file", help="réponse de /offres/search ou liste d'offres")
    load.add_argument(
        "--origin", default="FT", help="origine des offres qui n'en donnent pas (FT par défaut)"
    )
    load.set_defaults(func=cmd_import)
    dump = offers_sub.add_parser("export", help="écrire les offres publiées (FT v2)")
    dump.add_argument("file")
    dump.set_defaults(func=cmd_export)
    expire = offers_sub.add_parser("expire", help="clôturer les offres dont la date est passée")
    expire.set_defaults(func=cmd_expire)
