"""``espace actualisation window YYYY-MM [--opens DATE --closes DATE]``: show a month's
declaration window, or change it (an operator's decision, e.g. around public holidays).
Dates are Paris days, both inclusive."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date, timedelta

from espace.cli.settings import load_settings as _settings


def _month(text: str) -> date:
    try:
        return date.fromisoformat(text + "-01")
    except ValueError:
        raise argparse.ArgumentTypeError(f"mois attendu sous la forme AAAA-MM : {text}") from None


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"date attendue sous la forme AAAA-MM-JJ : {text}"
        ) from None


def cmd_window(args: argparse.Namespace) -> int:
    from ground.db import begin_write
    from ground.runtime import Runtime
    from resolvers.actualisation.windows import PARIS, ensure_windows, period_label, set_window
    from resolvers.core.errors import DomainError

    if (args.opens is None) != (args.closes is None):
        print("espace: donnez --opens et --closes ensemble.", file=sys.stderr)
        return 2

    async def run() -> int:
        runtime = Runtime.create(_settings())
        try:
            async with runtime.sessionmaker() as session, session.begin():
                await begin_write(session)
                if args.opens is not None:
                    window = await set_window(session, args.period, args.opens, args.closes)
                else:
                    window = (await ensure_windows(session, [args.period]))[args.period]
            opens = window.opens_at.astimezone(PARIS).date()
            closes = (window.closes_at - timedelta(seconds=1)).astimezone(PARIS).date()
            print(
                f"espace: actualisation de {period_label(window.period)} : du "
                f"{opens:%d/%m/%Y} au {closes:%d/%m/%Y} inclus (heure de Paris)."
            )
            return 0
        except DomainError as error:
            print(f"espace: {error.errors[0].message}", file=sys.stderr)
            return 1
        finally:
            await runtime.close()

    return asyncio.run(run())


def add_actualisation_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``espace actualisation …``."""
    parser = sub.add_parser("actualisation", help="les périodes d'actualisation mensuelle")
    commands = parser.add_subparsers(dest="actualisation_command", required=True)
    window = commands.add_parser(
        "window", help="voir ou changer la période d'actualisation d'un mois"
    )
    window.add_argument("period", type=_month, help="le mois déclaré, AAAA-MM")
    window.add_argument("--opens", type=_day, default=None, help="premier jour, AAAA-MM-JJ")
    window.add_argument("--closes", type=_day, default=None, help="dernier jour, AAAA-MM-JJ")
    window.set_defaults(func=cmd_window)
