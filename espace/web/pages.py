"""Plain HTTP endpoints beside GraphQL: health check."""

from __future__ import annotations

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ground.runtime import Runtime


def routes(runtime: Runtime) -> list[Route]:
    async def healthz(_request: Request) -> JSONResponse:
        try:
            async with runtime.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as exc:  # any database failure makes the instance unhealthy
            return JSONResponse(
                {"status": "error", "database": type(exc).__name__}, status_code=503
            )
        return JSONResponse({"status": "ok", "database": "ok"})

    return [Route("/healthz", healthz, methods=["GET"])]
