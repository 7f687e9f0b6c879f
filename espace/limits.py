"""ASGI middleware bounding HTTP requests: body size, requests in flight, deadline."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from espace.responses import error_response, overloaded
from schema.core.error_codes import ApiErrorCode

TOO_LARGE_MESSAGE = "Le corps de la requête dépasse la taille maximale autorisée."


UPLOAD_MARGIN = 64 * 1024  # the multipart envelope around a file: operations, map, headers


class BodySizeLimit:
    """Buffers at most ``max_bytes`` of an HTTP body, and answers 413 past that.

    A multipart POST to ``upload_path`` (a GraphQL file upload) has its own limit,
    ``upload_max_bytes`` (when set): the largest file and the multipart envelope.
    """

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        upload_max_bytes: int = 0,
        upload_path: str = "/graphql",
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_max_bytes = upload_max_bytes
        self.upload_path = upload_path

    def limit(self, scope: Scope) -> int:
        """The size allowed for this request's body."""
        if not self.upload_max_bytes or scope.get("method") != "POST":
            return self.max_bytes
        if scope.get("path") != self.upload_path:
            return self.max_bytes
        for name, value in scope.get("headers", []):
            if name == b"content-type" and value.lower().startswith(b"multipart/form-data"):
                return self.upload_max_bytes
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self.limit(scope)
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > max_bytes:
                await self._refuse(scope, receive, send)
                return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            body = message.get("body", b"")
            size += len(body)
            if size > max_bytes:
                await self._refuse(scope, receive, send)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(413, ApiErrorCode.PAYLOAD_TOO_LARGE, TOO_LARGE_MESSAGE)
        await response(scope, receive, send)


TIMEOUT_MESSAGE = "La requête a dépassé le temps maximal de traitement et a été interrompue."


@dataclass
class InFlight:
    """The HTTP requests this process is serving now (shared with tests and metrics)."""

    count: int = 0


class RequestBounds:
    """A bounded number of HTTP requests in flight, each with a deadline.

    Past ``max_in_flight`` requests, a request is answered 503 OVERLOADED with Retry-After
    at once rather than queued. A request that has not started its response after
    ``timeout`` seconds is cancelled (what it holds is released on the way out: sessions
    close, transactions roll back) and answered 504 TIMEOUT. Once its response starts, a
    request leaves the count and its deadline: a download or an event stream (SSE) is then
    paced by its client.
    """

    def __init__(
        self,
        app: ASGIApp,
        max_in_flight: int,
        timeout: float,
        in_flight: InFlight | None = None,
        exempt: frozenset[str] = frozenset({"/healthz", "/readyz", "/metrics"}),
    ) -> None:
        self.app = app
        self.max_in_flight = max_in_flight
        self.timeout = timeout
        self.exempt = exempt
        self.in_flight = in_flight or InFlight()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in self.exempt:
            await self.app(scope, receive, send)
            return
        if self.max_in_flight > 0 and self.in_flight.count >= self.max_in_flight:
            await overloaded()(scope, receive, send)
            return
        self.in_flight.count += 1
        counted = True
        deadline = asyncio.timeout(self.timeout if self.timeout > 0 else None)

        def release() -> None:
            nonlocal counted
            if counted:
                counted = False
                self.in_flight.count -= 1

        async def tracked(message: Message) -> None:
            if message["type"] == "http.response.start":
                release()
                deadline.reschedule(None)
            await send(message)

        try:
            async with deadline:
                await self.app(scope, receive, tracked)
        except TimeoutError:
            if not deadline.expired():
                raise
            if counted:  # nothing was sent yet
                await error_response(504, ApiErrorCode.TIMEOUT, TIMEOUT_MESSAGE)(
                    scope, receive, send
                )
        finally:
            release()
