"""The app factory: ``create_app(settings)`` builds the Starlette app and its lifespan."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import strawberry
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Route, WebSocketRoute
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from espace import scheduler
from espace.cors import cors_middleware
from espace.graphql_view import create_view
from espace.limits import UPLOAD_MARGIN, BodySizeLimit, InFlight, RequestBounds
from espace.observability import Observability
from espace.persisted import PersistedQueries
from espace.sse import EventStreams
from espace.web import (
    actualisation_files,
    agenda_files,
    alert_pages,
    attestation_pages,
    cv_files,
    data_export_files,
    dev_mails,
    email_pages,
    identity_pages,
    landing,
    letter_files,
    message_files,
    pages,
)
from espace.ws import Hub
from ground.migrate import is_at_head
from ground.runtime import Runtime
from ground.settings import Settings
from resolvers.data_export.worker import PLUGIN as EXPORTS
from resolvers.data_export.worker import ExportWorker
from resolvers.file_wiring import wire


class NotMigratedError(RuntimeError):
    pass


def create_app(settings: Settings, runtime: Runtime | None = None) -> Starlette:
    """Build the app; its runtime (engine, broker, mailer) starts and stops in the lifespan."""
    rt = runtime or Runtime.create(settings)
    wire(rt)  # the unemployment file's domains plugged together (declarations, payments, ...)
    persisted = PersistedQueries.create(settings)  # APQ store and trusted documents
    view = create_view(rt, persisted)
    assert isinstance(view.schema, strawberry.Schema)
    hub = Hub(rt, view.schema, persisted)  # the WebSocket side of /graphql
    exports = ExportWorker(rt)  # prepares data export archives in the background
    if settings.data_export_worker_enabled:
        rt.plugins[EXPORTS] = exports

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        if not await is_at_head(rt.engine):
            await rt.engine.dispose()
            raise NotMigratedError(
                "La base de données n'est pas à jour : lancez « espace migrate » d'abord."
            )
        await rt.start()
        await hub.start()
        if settings.data_export_worker_enabled:
            await exports.start()
        jobs = (
            asyncio.create_task(scheduler.run_forever(rt)) if settings.scheduler_enabled else None
        )
        try:
            yield
        finally:
            if jobs is not None:
                jobs.cancel()
                await asyncio.gather(jobs, return_exceptions=True)
            await exports.stop()
            await hub.close()
            await persisted.close()
            await rt.close()

    routes: list[BaseRoute] = [
        # JSON requests go to the view; text/event-stream ones become graphql-sse streams.
        Route("/graphql", EventStreams(view, hub), methods=["GET", "POST"]),
        WebSocketRoute("/graphql", hub),
        *pages.routes(rt),
        *landing.routes(settings),
        *email_pages.routes(rt),
        *identity_pages.routes(rt),
        *alert_pages.routes(rt),
        *cv_files.routes(rt),
        *message_files.routes(rt),
        *actualisation_files.routes(rt),
        *letter_files.routes(rt),
        *agenda_files.routes(rt),
        *attestation_pages.routes(rt),
        *data_export_files.routes(rt),
    ]
    if view.graphiql is not None:
        routes.extend(view.graphiql.routes())
    if settings.debug or settings.demo:
        routes.extend(dev_mails.routes(rt))
    in_flight = InFlight()
    middleware = [
        # Outermost: refusals (413, 503…) carry the CORS headers too, so pages can read them.
        *cors_middleware(settings),
        Middleware(Observability, runtime=rt),  # request IDs, logs, metrics (inside CORS)
        # The body is read (bounded in size) before the request counts and its deadline
        # starts: a CV upload on a slow link is not cut off after 10 s.
        Middleware(
            BodySizeLimit,
            max_bytes=settings.max_body_bytes,
            upload_max_bytes=settings.max_upload_bytes + UPLOAD_MARGIN,
        ),
        Middleware(
            RequestBounds,
            max_in_flight=settings.max_requests_in_flight,
            timeout=settings.request_timeout,
            in_flight=in_flight,
        ),
    ]
    if settings.trusted_proxies:
        # The client address (sign-in limits, logs) comes from X-Forwarded-For only when the
        # peer is one of these proxies; `espace serve` leaves uvicorn's own handling off.
        middleware.insert(
            0, Middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
        )
    app = Starlette(debug=False, routes=routes, lifespan=lifespan, middleware=middleware)
    app.state.runtime = rt
    app.state.hub = hub
    app.state.schema = view.schema  # its compiled reads and their counts (tests, bench)
    app.state.in_flight = in_flight
    return app
