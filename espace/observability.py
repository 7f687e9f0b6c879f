"""Operations, as one outermost ASGI middleware: request IDs, one log line per request,
Prometheus metrics (``GET /metrics``) and the readiness probe (``GET /readyz``).

- Every HTTP response and every accepted WebSocket handshake carries ``X-Request-ID``: the
  client's own when it is short and safe (see ``espace.logs.request_id``), else a new one.
  Every log line written while serving the request carries it too (structlog contextvars).
- One ``espace.request`` line per HTTP request (method, route template, status, duration;
  for GraphQL the operation name and outcome) and one per WebSocket at its end. Probes and
  scrapes are logged at DEBUG.
- Gauges read from the process (pool, subscriptions) are sampled every second.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from structlog.contextvars import bound_contextvars

from espace.logs import REQUEST_ID_HEADER, request_id
from espace.metrics import Metrics, metrics_endpoint
from espace.probes import readyz
from ground.runtime import Runtime
from schema.core.observed import GRAPHQL_STATE, outcome_of

if TYPE_CHECKING:
    from espace.ws import Hub

log = logging.getLogger("espace.request")

SAMPLE_SECONDS = 1.0
QUIET_ROUTES = frozenset({"/healthz", "/readyz", "/metrics"})
_HEADER = REQUEST_ID_HEADER.encode()


class Observability:
    """The outermost middleware of the app (see the module docstring)."""

    def __init__(self, app: ASGIApp, runtime: Runtime) -> None:
        self.app = app
        self.runtime = runtime
        self.metrics = Metrics()
        self._routes: dict[int, str] = {}
        self._sampler: asyncio.Task[None] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self._http(scope, receive, send)
        elif kind == "websocket":
            await self._websocket(scope, receive, send)
        elif kind == "lifespan":
            await self.app(scope, receive, self._lifespan_send(scope, send))
        else:
            await self.app(scope, receive, send)

    # --- HTTP ------------------------------------------------------------------------

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        rid = request_id(_header(scope, _HEADER))
        started = time.perf_counter()
        status = 0  # no response started yet

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = _with_header(message, rid)
            await send(message)

        with bound_contextvars(request_id=rid):
            route = scope["path"]
            try:
                if not await self._own_route(scope, receive, send_with_id):
                    route = ""
                    await self.app(scope, receive, send_with_id)
            except Exception:
                if status:
                    raise  # too late for an answer of ours: uvicorn ends the response
                # A bug: logged with its traceback, answered with a stable code and the ID.
                log.exception("unhandled error")
                await _internal_error()(scope, receive, send_with_id)
            finally:
                route = route or self._route(scope)
                self._observe(scope, route, status, time.perf_counter() - started)

    async def _own_route(self, scope: Scope, receive: Receive, send: Send) -> bool:
        """Answer ``/metrics`` and ``/readyz`` here, where the metrics live."""
        path, method = scope["path"], scope["method"]
        if method not in ("GET", "HEAD"):
            return False
        request = Request(scope, receive)
        if path == "/metrics" and self.runtime.settings.metrics_enabled:
            response = await metrics_endpoint(request, self.runtime, self.metrics, _hub(scope))
        elif path == "/readyz":
            response = await readyz(request, self.runtime)
        else:
            return False
        await response(scope, receive, send)
        return True

    def _observe(self, scope: Scope, route: str, status: int, seconds: float) -> None:
        m = self.metrics
        method = scope["method"]
        m.http_requests.labels(route, method, str(status)).inc()
        m.http_latency.labels(route).observe(seconds)
        fields: dict[str, Any] = {
            "method": method,
            "route": route,
            "status": status,
            "duration_ms": round(seconds * 1000, 2),
        }
        if route == "unmatched":
            fields["path"] = scope["path"][:200]
        execution = (scope.get("state") or {}).get(GRAPHQL_STATE)
        if execution is not None or (route == "/graphql" and status >= 400):
            operation, outcome = outcome_of(execution, status)
            label = m.operation_label(operation)
            m.graphql_requests.labels(label, outcome).inc()
            m.graphql_latency.labels(label).observe(seconds)
            fields["operation"] = label
            fields["outcome"] = outcome
        level = logging.ERROR if status >= 500 else logging.INFO
        if route in QUIET_ROUTES and status < 500:
            level = logging.DEBUG
        log.log(level, "request", extra=fields)

    def _route(self, scope: Scope) -> str:
        """The matched route's path template (never the raw path: it may hold a token)."""
        endpoint = scope.get("endpoint")
        if endpoint is None:
            return "unmatched"
        found = self._routes.get(id(endpoint))
        if found is None:
            app = scope.get("app")
            for route in getattr(app, "routes", ()):
                if getattr(route, "endpoint", None) is endpoint:
                    found = str(route.path)
                    break
            found = found or "unknown"
            self._routes[id(endpoint)] = found
        return found

    # --- WebSocket -------------------------------------------------------------------

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        rid = request_id(_header(scope, _HEADER))
        started = time.perf_counter()
        accepted = False
        close_code: int | None = None
        gauge = self.metrics.websockets

        async def send_with_id(message: Message) -> None:
            nonlocal accepted, close_code
            kind = message["type"]
            if kind == "websocket.accept":
                message = _with_header(message, rid)
                accepted = True
                gauge.inc()
            elif kind == "websocket.close":
                close_code = message.get("code", 1000)
            await send(message)

        with bound_contextvars(request_id=rid):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                if accepted:
                    gauge.dec()
                log.info(
                    "websocket",
                    extra={
                        "route": self._route(scope),
                        "accepted": accepted,
                        "close_code": close_code,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    },
                )

    # --- lifespan --------------------------------------------------------------------

    def _lifespan_send(self, scope: Scope, send: Send) -> Send:
        async def lifespan_send(message: Message) -> None:
            kind = message["type"]
            if kind == "lifespan.startup.complete":
                self._sampler = asyncio.get_running_loop().create_task(
                    self._sample_forever(scope), name="metrics-sampler"
                )
            elif kind.startswith("lifespan.shutdown"):
                if self._sampler is not None:
                    self._sampler.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await self._sampler
                    self._sampler = None
                self.metrics.process_exited()
            await send(message)

        return lifespan_send

    async def _sample_forever(self, scope: Scope) -> None:
        while True:
            try:
                self.metrics.sample(self.runtime, _hub(scope))
            except Exception:  # metrics must never take the worker down
                log.exception("metrics: sampling failed")
            await asyncio.sleep(SAMPLE_SECONDS)


def _internal_error() -> JSONResponse:
    error = {
        "message": "Erreur interne du serveur.",
        "extensions": {"code": "INTERNAL_SERVER_ERROR"},
    }
    return JSONResponse({"errors": [error]}, status_code=500)


def _hub(scope: Scope) -> Hub | None:
    app = scope.get("app")
    state = getattr(app, "state", None)
    return getattr(state, "hub", None)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def _with_header(message: Message, rid: str) -> Message:
    headers = [(k, v) for k, v in message.get("headers", ()) if bytes(k).lower() != _HEADER]
    headers.append((_HEADER, rid.encode("ascii")))
    return {**message, "headers": headers}
