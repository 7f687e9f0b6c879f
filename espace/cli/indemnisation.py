"""``espace indemnisation import FILE.json``: rights and payments from an upstream system
(France Travail-like JSON, see ``resolvers.indemnisation.importer``), and
``espace indemnisation pay``: make the payments whose day has come (the scheduler does it
each night; this is for cron or a catch-up)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from espace.cli.settings import load_settings as _settings

if TYPE_CHECKING:
    from ground.settings import Settings
    from resolvers.indemnisation.importer import ImportSummary

NOT_MIGRATED = "espace: la base de données n'est pas migrée. Lancez d'abord : espace migrate"


def print_summary(summary: ImportSummary, out: TextIO, err: TextIO) -> None:
    """One line per rejected record on ``err``, the counts on ``out``."""
    for bad in summary.rejected:
        ident = f" ({bad.identifiant})" if bad.identifiant else ""
        err.write(f"espace: demandeur n° {bad.index}{ident} rejeté : {' ; '.join(bad.reasons)}\n")
    out.write(
        f"espace: {summary.total} demandeur(s) lu(s) : {summary.created} créé(s), "
        f"{summary.updated} mis à jour, {summary.duplicates} en double, "
        f"{len(summary.rejected)} rejeté(s) ; {summary.payments_added} paiement(s) ajouté(s), "
        f"{summary.payments_known} déjà connu(s).\n"
    )


def read_records(path: Path) -> list[Any] | None:
    from resolvers.indemnisation.importer import records_of

    try:
        return records_of(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        print(f"espace: impossible de lire {path} : {exc}", file=sys.stderr)
        return None


async def run_import(settings: Settings, records: list[Any]) -> int:
    from ground.migrate import is_at_head
    from ground.runtime import Runtime
    from resolvers.core.unit_of_work import RuntimeWork
    from resolvers.indemnisation.importer import import_rights

    runtime = Runtime.create(settings)
    work = RuntimeWork(runtime)
    try:
        if not await is_at_head(runtime.engine):
            print(NOT_MIGRATED, file=sys.stderr)
            return 1
        summary = await import_rights(work, records, runtime.clock.now())
    finally:
        await work.close()
        await runtime.close()
    print_summary(summary, sys.stdout, sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    settings = _settings()
    records = read_records(Path(args.file))
    if records is None:
        return 1
    return asyncio.run(run_import(settings, records))


async def run_pay(settings: Settings) -> int:
    from ground.migrate import is_at_head
    from ground.runtime import Runtime
    from resolvers.indemnisation.payrun import pay_due

    runtime = Runtime.create(settings.for_batch())
    try:
        if not await is_at_head(runtime.engine):
            print(NOT_MIGRATED, file=sys.stderr)
            return 1
        await runtime.start()  # the broker pushes the events live, as ``espace jobs run``
        made = await pay_due(runtime, runtime.clock.now())
    finally:
        await runtime.close()
    print(f"espace: {made} paiement(s) effectué(s).")
    return 0


def cmd_pay(args: argparse.Namespace) -> int:
    return asyncio.run(run_pay(_settings()))


def add_indemnisation_parser(sub: Any) -> None:
    """The ``indemnisation`` command and its subcommands."""
    top = sub.add_parser("indemnisation", help="droits et paiements (JSON France Travail)")
    top_sub = top.add_subparsers(dest="indemnisation_command", required=True)
    load = top_sub.add_parser("import", help="importer droits et paiements d'un fichier JSON")
    load.add_argument("file", help='liste de demandeurs, ou {"demandeurs": [...]}')
    load.set_defaults(func=cmd_import)
    pay = top_sub.add_parser("pay", help="effectuer les paiements arrivés à échéance")
    pay.set_defaults(func=cmd_pay)
