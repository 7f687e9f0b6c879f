"""A graphql-sse client for tests ("distinct connections" mode), over httpx streaming.

    async with sse_stream(http, DASHBOARD_EVENTS, token=token) as stream:
        event = await stream.next_data()

It reads the response as the EventSource spec does: ``event:`` and ``data:`` fields, a blank
line ends an event, lines starting with ``:`` are comments (the server's keep-alives).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import orjson


@dataclass(frozen=True)
class Event:
    event: str
    data: str

    def json(self) -> dict[str, Any]:
        value: dict[str, Any] = orjson.loads(self.data)
        return value


class SSEStream:
    """The events of one response, read by a task into a queue (a timeout while waiting
    must not break the response's line iterator)."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.comments = 0
        self.events: asyncio.Queue[Event | None] = asyncio.Queue()
        self.reader = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        kind, data = "message", []
        try:
            async for line in self.response.aiter_lines():
                if line == "":
                    if data or kind != "message":
                        self.events.put_nowait(Event(kind, "\n".join(data)))
                    kind, data = "message", []
                elif line.startswith(":"):
                    self.comments += 1
                else:
                    name, _, value = line.partition(":")
                    value = value.removeprefix(" ")
                    if name == "event":
                        kind = value
                    elif name == "data":
                        data.append(value)
        except httpx.HTTPError:  # the response was closed under the reader
            pass
        finally:
            self.events.put_nowait(None)

    async def receive(self, timeout: float = 5.0) -> Event | None:
        """The next event; None once the server has ended the response."""
        return await asyncio.wait_for(self.events.get(), timeout)

    async def aclose(self) -> None:
        self.reader.cancel()
        await asyncio.gather(self.reader, return_exceptions=True)

    async def next_payload(self, timeout: float = 5.0) -> dict[str, Any]:
        """The execution result of the next ``next`` event."""
        event = await self.receive(timeout)
        assert event is not None and event.event == "next", event
        return event.json()

    async def next_data(self, timeout: float = 5.0) -> dict[str, Any]:
        """The data of the next ``next`` event (failing on errors)."""
        payload = await self.next_payload(timeout)
        assert "errors" not in payload, payload
        data: dict[str, Any] = payload["data"]
        return data

    async def completed(self, timeout: float = 5.0) -> None:
        """The next event is ``complete`` and the response ends there."""
        event = await self.receive(timeout)
        assert event is not None and event.event == "complete", event
        assert await self.receive(timeout) is None

    async def nothing_for(self, seconds: float) -> None:
        """Fail if an event arrives within ``seconds`` (comments do not count)."""
        try:
            event = await self.receive(timeout=seconds)
        except TimeoutError:
            return
        raise AssertionError(f"unexpected event: {event}")


def sse_headers(token: str | None) -> dict[str, str]:
    headers = {"accept": "text/event-stream"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    return headers


@asynccontextmanager
async def sse_stream(
    http: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    token: str | None = None,
    extensions: dict[str, Any] | None = None,
) -> AsyncIterator[SSEStream]:
    """POST one operation with ``Accept: text/event-stream``; the stream must open (200)."""
    body: dict[str, Any] = {"query": query, "variables": variables or {}}
    if extensions is not None:
        body["extensions"] = extensions
    async with http.stream("POST", "/graphql", json=body, headers=sse_headers(token)) as response:
        assert response.status_code == 200, (await response.aread()).decode()
        assert response.headers["content-type"].startswith("text/event-stream")
        stream = SSEStream(response)
        try:
            yield stream
        finally:
            await stream.aclose()
