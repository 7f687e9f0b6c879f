"""CPU seconds that chosen processes use over a span, read from /proc (Linux only).

On a shared machine requests per second move with the other load; CPU per request much less.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

# (process group id, raw /proc/<pid>/cmdline) -> is this one of ours?
Select = Callable[[int, bytes], bool]


def snapshot(select: Select, seen: dict[int, bool] | None = None) -> dict[int, float]:
    """CPU seconds (user + system) so far of each selected live process.

    ``seen`` remembers which pids were selected, so that repeated snapshots only read the
    command line of new processes.
    """
    seen = {} if seen is None else seen
    tick = os.sysconf("SC_CLK_TCK")
    found: dict[int, float] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit() or seen.get(int(name)) is False:
            continue
        try:
            stat = Path("/proc", name, "stat").read_text()
            # After the parenthesised command name: state ppid pgrp ... utime(11) stime(12).
            fields = stat.rsplit(")", 1)[1].split()
            pid = int(name)
            if pid not in seen:
                seen[pid] = select(int(fields[2]), Path("/proc", name, "cmdline").read_bytes())
        except OSError:
            continue
        if seen[pid]:
            found[pid] = (int(fields[11]) + int(fields[12])) / tick
    return found


def used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two snapshots (processes started in between count whole)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


class Meter:
    """CPU seconds of the selected processes inside a ``with`` block.

    Samples every ``interval`` so that processes exiting in between (a pool closing overflow
    connections) still count up to their last sample; one living less than that is missed.
    """

    def __init__(self, select: Select, interval: float = 0.2) -> None:
        self.select = select
        self.interval = interval
        self.seconds = 0.0
        self._seen: dict[int, bool] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> Meter:
        self._before = snapshot(self.select, self._seen)
        self._last = dict(self._before)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(self.interval):
            self._last.update(snapshot(self.select, self._seen))

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()
        self._last.update(snapshot(self.select, self._seen))
        self.seconds = used(self._before, self._last)


def process_group(pgid: int) -> Select:
    return lambda pgrp, _cmdline: pgrp == pgid


def command_line(*args: str) -> Select:
    """Processes whose argument list contains ``args`` in a row."""
    needle = b"\0" + "\0".join(args).encode() + b"\0"
    return lambda _pgrp, cmdline: needle in b"\0" + cmdline


def postgres_backends(database: str) -> Select:
    """PostgreSQL backends serving ``database`` (their title names it)."""
    name = database.encode()
    return lambda _pgrp, cmdline: cmdline.startswith(b"postgres: ") and name in cmdline
