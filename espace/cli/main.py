"""The ``espace`` command: serve, migrate, demo, schema export, adviser create, offers."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from espace.cli.actualisation import add_actualisation_parser
from espace.cli.indemnisation import add_indemnisation_parser
from espace.cli.offers import add_offers_parser
from espace.cli.settings import load_settings as _settings

if TYPE_CHECKING:
    from ground.settings import Settings

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "graphql" / "schema.graphql"


def cmd_serve(args: argparse.Namespace) -> int:
    from espace.logs import logging_config
    from ground.migrate import is_at_head
    from ground.runtime import Runtime

    settings = _settings()

    async def check() -> bool:
        runtime = Runtime.create(settings)
        try:
            return await is_at_head(runtime.engine)
        finally:
            await runtime.engine.dispose()

    if not asyncio.run(check()):
        print(
            "espace: la base de données n'est pas migrée. Lancez d'abord : espace migrate",
            file=sys.stderr,
        )
        return 1
    # Prometheus' multiprocess mode: every worker writes its metrics to a fresh directory
    # (set before prometheus_client is imported anywhere), removed when the server stops.
    metrics_dir = _fresh_metrics_dir()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    # uvicorn re-raises SIGTERM once shut down: with the default handler the process would
    # die before removing the directory.
    signal.signal(signal.SIGTERM, _exit_quietly)
    try:
        _run_uvicorn(args, settings, logging_config(settings))
    finally:
        shutil.rmtree(metrics_dir, ignore_errors=True)
    return 0


METRICS_DIR_PREFIX = "espace-metrics-"


def _fresh_metrics_dir() -> Path:
    """A new metrics directory named after this process; those of dead servers (killed
    before they could clean up) are removed."""
    for old in Path(tempfile.gettempdir()).glob(METRICS_DIR_PREFIX + "*-*"):
        pid = old.name.removeprefix(METRICS_DIR_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{METRICS_DIR_PREFIX}{os.getpid()}-"))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _exit_quietly(_signum: int, _frame: object) -> None:
    raise SystemExit(0)


def _run_uvicorn(args: argparse.Namespace, settings: Settings, log_config: dict[str, Any]) -> None:
    import uvicorn

    from espace.sse import SHUTDOWN_GRACE_SECONDS

    if args.workers > 1 and not settings.redis_url and settings.session_cache_seconds > 0:
        # Without Redis the workers never hear of each other's sign-outs and revocations:
        # their session checks are not cached (ESPACE_SESSION_CACHE_SECONDS), never stale.
        os.environ["ESPACE_SESSION_CACHE_SECONDS"] = "0"
    uvicorn.run(
        "espace.asgi:app_factory",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_config=log_config,  # structured lines (espace.logs), in every worker
        access_log=False,  # espace.request writes one line per request
        # A worker must answer the supervisor's ping within this; 5 s (uvicorn's default) is
        # too short for a worker starting on a busy machine, which is then killed, again.
        timeout_worker_healthcheck=30,
        # Compression would re-compress each fan-out payload per socket and cost ~40 KiB
        # of memory per connection (measured); dashboards send small JSON.
        ws_per_message_deflate=False,
        # X-Forwarded-For is believed only from ESPACE_TRUSTED_PROXIES (espace.app).
        proxy_headers=False,
        # graphql-sse streams never end by themselves (uvicorn tells sockets, not HTTP
        # responses, that it is stopping): they are cancelled after this grace.
        timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
    )


def cmd_migrate(_args: argparse.Namespace) -> int:
    from ground.migrate import upgrade

    settings = _settings()
    upgrade(settings.database_url)
    print("espace: base de données à jour.")
    return 0


def cmd_jobs_run(_args: argparse.Namespace) -> int:
    from espace.scheduler import run_due_jobs

    return asyncio.run(run_due_jobs(_settings()))


def cmd_demo(args: argparse.Namespace) -> int:
    from espace.cli.demo import run_demo

    return run_demo(host=args.host, port=args.port)


def cmd_schema_export(args: argparse.Namespace) -> int:
    from schema import build_schema

    settings = _settings(debug=True)
    sdl = build_schema(settings).as_str() + "\n"
    if args.output == "-":
        sys.stdout.write(sdl)
    else:
        Path(args.output).write_text(sdl, encoding="utf-8")
        print(f"espace: schéma écrit dans {args.output}")
    return 0


def cmd_adviser_create(args: argparse.Namespace) -> int:
    from espace.cli.admin import create_adviser

    password = args.password or getpass.getpass("Mot de passe du conseiller : ")
    settings = _settings()
    return asyncio.run(
        create_adviser(
            settings, email=args.email, name=args.name, password=password, agency_code=args.agency
        )
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="espace", description="Espace Candidat")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="servir l'API GraphQL")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(func=cmd_serve)

    migrate = sub.add_parser("migrate", help="mettre la base à jour (Alembic, head)")
    migrate.set_defaults(func=cmd_migrate)

    demo = sub.add_parser("demo", help="démo : SQLite, données fictives, SMTP embarqué")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.set_defaults(func=cmd_demo)

    schema = sub.add_parser("schema", help="le schéma GraphQL")
    schema_sub = schema.add_subparsers(dest="schema_command", required=True)
    export = schema_sub.add_parser("export", help="écrire le SDL")
    export.add_argument("--output", "-o", default=str(SCHEMA_PATH))
    export.set_defaults(func=cmd_schema_export)

    adviser = sub.add_parser("adviser", help="les conseillers")
    adviser_sub = adviser.add_subparsers(dest="adviser_command", required=True)
    create = adviser_sub.add_parser("create", help="créer un conseiller")
    create.add_argument("--email", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--agency", help="code de l'agence", default=None)
    create.add_argument("--password", help="sinon demandé au terminal", default=None)
    create.set_defaults(func=cmd_adviser_create)

    jobs = sub.add_parser("jobs", help="les tâches périodiques (résumés d'alertes, expirations)")
    jobs_sub = jobs.add_subparsers(dest="jobs_command", required=True)
    run = jobs_sub.add_parser(
        "run", help="lancer maintenant les tâches dues (pour cron, si le serveur ne le fait pas)"
    )
    run.set_defaults(func=cmd_jobs_run)

    add_offers_parser(sub)
    add_actualisation_parser(sub)
    add_indemnisation_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
