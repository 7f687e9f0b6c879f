"""The tests' in-process server: uvicorn running the app in the test's event loop."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import Iterator

import uvicorn

from espace.app import create_app
from ground.runtime import Runtime
from ground.settings import Settings
from refdata import ReferenceData


class _TestServer(uvicorn.Server):
    """uvicorn without its signal handlers, so that Ctrl-C and `timeout` still end the tests."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.exit_requested = asyncio.Event()

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def main_loop(self) -> None:
        """uvicorn's loop (a tick every 0.1 s), ending as soon as stop() asks rather than at
        the next tick: a tenth of a second less for each of the suite's thousand servers."""
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 1) % 864000
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.exit_requested.wait(), 0.1)


class LiveServer:
    """A real uvicorn server running the app in this event loop."""

    def __init__(
        self,
        settings: Settings,
        port: int = 0,
        refdata: ReferenceData | None = None,
        sock: socket.socket | None = None,
    ) -> None:
        self.settings = settings
        self.app = create_app(settings, Runtime.create(settings, refdata=refdata))
        self.runtime: Runtime = self.app.state.runtime
        self.server = _TestServer(
            uvicorn.Config(
                self.app,
                host="127.0.0.1",
                port=port,
                log_level="warning",
                lifespan="on",
                # Longer than any pause in a test: a client reusing a pooled connection just
                # as the server closes it for idleness reads a reset (httpx.ReadError).
                timeout_keep_alive=120,
                # As `espace serve`: X-Forwarded-For only through ESPACE_TRUSTED_PROXIES.
                proxy_headers=False,
            )
        )
        self._task: asyncio.Task[None] | None = None
        self._sock = sock  # a socket already bound to ``port`` (``reserved_port``)
        self.url = ""

    async def start(self) -> None:
        sockets = [self._sock] if self._sock is not None else None
        self._task = asyncio.create_task(self.server.serve(sockets=sockets))
        # Up to a minute (it used to be 5 s): two busy cores at a load of 10 start slowly.
        deadline = time.monotonic() + 60
        while not self.server.started:
            if self._task.done():
                try:
                    self._task.result()
                except SystemExit as exc:  # uvicorn's own exit (e.g. a port taken): this
                    # test fails alone, where SystemExit would upset the runner for the rest
                    raise RuntimeError(f"the test server did not start ({exc.code})") from None
            assert time.monotonic() < deadline, "the test server did not start in 60 s"
            await asyncio.sleep(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        self.server.should_exit = True
        self.server.exit_requested.set()
        if self._task is not None:
            await self._task
        if self._sock is not None:
            self._sock.close()


def reserved_port() -> socket.socket:
    """A socket bound to a free port of 127.0.0.1 and kept until its server listens on it:
    between ``free_port()`` and the server's own bind, another process could take the
    port (address already in use, seen once in a full run)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock
