"""Prometheus metrics (prometheus-client), one ``Metrics`` object per app.

With several workers (``espace serve --workers N``) the library's multiprocess mode is on:
``espace serve`` points ``PROMETHEUS_MULTIPROC_DIR`` at a fresh directory, every worker
writes its values there, and whichever worker answers ``/metrics`` adds them all up. Gauges
of the process (sockets, subscriptions, pool) are summed over the living workers.
Outbox counts are read from the database at scrape time, so every worker tells the same.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from ground.runtime import Runtime
from models.mail import OutboxMail

if TYPE_CHECKING:
    from espace.ws import Hub

log = logging.getLogger(__name__)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
MAX_OPERATION_NAMES = 200  # past this, new client-chosen names count as "other"
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,63}")


def multiprocess_dir() -> str | None:
    """The multiprocess directory when this process runs under ``espace serve``."""
    return os.environ.get(MULTIPROC_ENV) or None


class Metrics:
    """The metrics of one app (its own registry, so that apps in one process stay apart)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.http_requests = Counter(
            "espace_http_requests",
            "HTTP requests by route (path template), method and status.",
            ["route", "method", "status"],
            registry=r,
        )
        self.http_latency = Histogram(
            "espace_http_request_duration_seconds",
            "Time to answer an HTTP request, by route (path template).",
            ["route"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.graphql_requests = Counter(
            "espace_graphql_requests",
            "GraphQL requests over HTTP by operation name and outcome "
            "(ok, user_error, error, refused).",
            ["operation", "outcome"],
            registry=r,
        )
        self.graphql_latency = Histogram(
            "espace_graphql_request_duration_seconds",
            "Time to answer a GraphQL request over HTTP, by operation name.",
            ["operation"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.websockets = Gauge(
            "espace_websocket_connections",
            "Open WebSocket connections.",
            registry=r,
            multiprocess_mode="livesum",
        )
        self.subscriptions = Gauge(
            "espace_websocket_subscriptions",
            "Operations running on WebSocket connections (subscriptions).",
            registry=r,
            multiprocess_mode="livesum",
        )
        self.pool_in_use = Gauge(
            "espace_db_pool_connections_in_use",
            "Database connections checked out of the pool.",
            registry=r,
            multiprocess_mode="livesum",
        )
        self.pool_size = Gauge(
            "espace_db_pool_size",
            "Connections the database pool keeps (in use or idle).",
            registry=r,
            multiprocess_mode="livesum",
        )
        self._operations: set[str] = set()

    def operation_label(self, name: str | None) -> str:
        """A bounded label for a client-chosen operation name."""
        if not name:
            return "anonymous"
        if name in self._operations:
            return name
        if not _NAME.fullmatch(name) or len(self._operations) >= MAX_OPERATION_NAMES:
            return "other"
        self._operations.add(name)
        return name

    def sample(self, runtime: Runtime, hub: Hub | None) -> None:
        """Refresh this process's gauges that are read, not counted."""
        pool = runtime.engine.pool
        checked_out = getattr(pool, "checkedout", None)
        size = getattr(pool, "size", None)
        if callable(checked_out):
            self.pool_in_use.set(checked_out())
        if callable(size):
            self.pool_size.set(size())
        if hub is not None:
            self.subscriptions.set(sum(len(c.ops) for c in list(hub.connections)))

    def text(self, extra: Iterable[Metric] = ()) -> bytes:
        """The exposition text: every worker's values in multiprocess mode, then ``extra``."""
        path = multiprocess_dir()
        if path is None:
            body = generate_latest(self.registry)
        else:
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry, path=path)  # type: ignore[no-untyped-call]
            body = generate_latest(registry)
        extras = CollectorRegistry()
        extras.register(_Fixed(list(extra)))
        return body + generate_latest(extras)

    @staticmethod
    def process_exited() -> None:
        """Drop this worker's live gauges (called at the end of its lifespan)."""
        if multiprocess_dir() is not None:
            multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]


class _Fixed(Collector):
    def __init__(self, metrics: list[Metric]) -> None:
        self.metrics = metrics

    def collect(self) -> Iterable[Metric]:
        return self.metrics


async def outbox_counts(runtime: Runtime) -> dict[str, int]:
    """Mails in the outbox by status (pending, sending, sent, dead)."""
    async with runtime.read_sessionmaker() as session:
        rows = await session.execute(
            select(OutboxMail.status, func.count()).group_by(OutboxMail.status)
        )
        return {str(status): int(count) for status, count in rows.all()}


async def _outbox_family(runtime: Runtime) -> list[Metric]:
    family = GaugeMetricFamily(
        "espace_outbox_mails", "Mails in the outbox by status (read at scrape).", labels=["status"]
    )
    try:
        async with asyncio.timeout(runtime.settings.readiness_timeout):
            counts = await outbox_counts(runtime)
    except Exception as exc:  # a scrape must still answer while the database is down
        log.warning("metrics: outbox counts unavailable: %s", type(exc).__name__)
        return []
    for status in ("pending", "sending", "sent", "dead"):
        counts.setdefault(status, 0)
    for status, count in sorted(counts.items()):
        family.add_metric([status], count)
    return [family]


def allowed(request: Request, token: str | None) -> bool:
    """Without a configured token, anyone who reaches the port; with one, its bearer."""
    if token is None:
        return True
    scheme, _, sent = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(sent.strip(), token)


async def metrics_endpoint(
    request: Request, runtime: Runtime, metrics: Metrics, hub: Hub | None
) -> Response:
    """``GET /metrics``: Prometheus text format."""
    if not allowed(request, runtime.settings.metrics_token):
        return PlainTextResponse(
            "Jeton requis pour /metrics.",
            status_code=401,
            headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
        )
    metrics.sample(runtime, hub)
    body = metrics.text(await _outbox_family(runtime))
    return Response(body, media_type=CONTENT_TYPE_LATEST)
