"""SQL statements per ``viewer { dossiers }`` request, counted on the engine, in process."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from sqlalchemy import event

from bench.common import SECRET, database
from bench.queries import VIEWER_DOSSIERS
from bench.seed import seed
from espace.app import create_app
from ground.settings import Settings


def run(
    backends: tuple[str, ...] = ("sqlite", "postgres"),
    query: str = VIEWER_DOSSIERS,
    compiled: bool = True,
) -> dict[str, object]:
    """Statements per request with the compiled reads on (``compiled``) or off."""
    results: dict[str, object] = {}
    for backend in backends:
        with database(backend) as url:
            results[backend] = asyncio.run(_count(url, query, compiled))
    results["target"] = 3
    results["compiled_reads"] = compiled
    return results


async def _count(url: str, query: str, compiled: bool) -> dict[str, Any]:
    # Only the request's own statements: the periodic jobs and the export worker stay off.
    settings = Settings(
        database_url=url,
        secret_key=SECRET,
        outbox_enabled=False,
        scheduler_enabled=False,
        data_export_worker_enabled=False,
        compiled_reads=compiled,
    )
    app = create_app(settings)
    runtime = app.state.runtime
    seeded = await seed(runtime.engine, SECRET, 10, 3, runtime.hasher, events_each=25)
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]).split("\n")[0][:80])

    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            headers = {"Authorization": f"Bearer {seeded.tokens[0]}"}
            await client.post("/graphql", json={"query": query}, headers=headers)
            event.listen(runtime.engine.sync_engine, "before_cursor_execute", count)
            response = await client.post("/graphql", json={"query": query}, headers=headers)
            event.remove(runtime.engine.sync_engine, "before_cursor_execute", count)
    body = response.json()
    assert "errors" not in body, body
    control = [s for s in statements if s.split()[0] in {"BEGIN", "COMMIT", "ROLLBACK"}]
    return {
        "statements": len(statements) - len(control),
        "transaction_control": len(control),
        "sql": statements,
    }
