"""The background loop: run a batch, then sleep until woken or the poll interval passes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("mailer")


class Worker:
    """Calls ``run_once`` again and again on the running event loop.

    A full batch is followed at once by the next one; otherwise the loop sleeps
    for ``poll_interval`` or until ``wake()`` (called after each commit).
    """

    def __init__(
        self,
        run_once: Callable[[], Awaitable[int]],
        *,
        poll_interval: float,
        batch_size: int,
        stop_grace: float,
    ) -> None:
        self._run_once = run_once
        self._poll_interval = poll_interval
        self._batch_size = batch_size
        self._stop_grace = stop_grace
        self._event: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def wake(self) -> None:
        if self._event is not None:
            self._event.set()

    async def start(self) -> None:
        if self.running:
            return
        # Created here, on the loop that will wait on it.
        self._event = asyncio.Event()
        self._stopping = False
        self._task = asyncio.create_task(self._loop(), name="mailer-outbox")

    async def stop(self) -> None:
        """Let the current batch finish (up to the grace period), then cancel.

        A batch cut short leaves its mails claimed; they are sent again once
        the lease expires, with the same Message-ID.
        """
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping = True
        self.wake()
        done, _pending = await asyncio.wait({task}, timeout=self._stop_grace)
        if not done:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def _loop(self) -> None:
        assert self._event is not None
        while not self._stopping:
            self._event.clear()
            try:
                attempted = await self._run_once()
            except Exception:  # the database may be away; keep the loop alive
                log.exception("outbox: batch failed")
                attempted = 0
            if attempted >= self._batch_size:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._event.wait(), self._poll_interval)
