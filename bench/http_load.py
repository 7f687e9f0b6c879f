"""A query over HTTP against ``espace serve``: requests per second, one or more workers."""

from __future__ import annotations

import asyncio
import json
import subprocess
import tempfile

from bench.common import SECRET, database, python, server
from bench.queries import VIEWER_DOSSIERS
from bench.seed import seed
from ground.db import create_engine
from ground.passwords import Hasher
from ground.settings import Settings


def run(
    backend: str,
    candidats: int,
    duration: float,
    concurrency: int,
    workers: int = 1,
    query: str = VIEWER_DOSSIERS,
    events_each: int = 0,
) -> dict[str, object]:
    with database(backend) as url:
        settings = Settings(database_url=url, secret_key=SECRET)

        async def do_seed() -> list[str]:
            engine = create_engine(settings)
            try:
                seeded = await seed(
                    engine, SECRET, candidats, 3, Hasher(2, 19 * 1024, 1), events_each
                )
            finally:
                await engine.dispose()
            return seeded.tokens

        tokens = asyncio.run(do_seed())
        body = json.dumps({"query": query})
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
            json.dump([{"body": body, "token": t} for t in tokens], fh)
            requests_file = fh.name
        with server(url, workers=workers) as base:
            out = subprocess.run(
                [
                    python(),
                    "-m",
                    "bench.load",
                    base + "/graphql",
                    requests_file,
                    "--concurrency",
                    str(concurrency),
                    "--duration",
                    str(duration),
                ],
                check=True,
                capture_output=True,
                text=True,
            )
        result: dict[str, object] = json.loads(out.stdout)
        result.update(backend=backend, workers=workers, candidats=candidats, dossiers_each=3)
        return result
