"""An open-loop HTTP/1.1 load client: requests leave at a fixed rate whatever the answers.

    python -m bench.open_load URL REQUESTS_FILE --rate 400 --duration 20

Request ``i`` is due at ``start + i / rate``. It goes out on an idle keep-alive connection,
or a new one (up to ``--connections``), or waits for one; its latency is measured from when
it was due, not from when it left, so a server that falls behind shows it in the figures
(no coordinated omission). Prints one JSON line: offered and achieved rate, p50/p90/p99/max
latency in ms, errors, and how many requests were still unanswered ``--grace`` seconds
after the last one was due (counted as errors).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from urllib.parse import urlsplit

from bench.load import build_request, read_response

Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class Pool:
    """Keep-alive connections: reuse an idle one, open another, or wait for one."""

    def __init__(self, host: str, port: int, limit: int) -> None:
        self.host, self.port, self.limit = host, port, limit
        self.idle: asyncio.Queue[Connection] = asyncio.Queue()
        self.opened = 0

    async def get(self) -> Connection:
        if self.idle.empty() and self.opened < self.limit:
            self.opened += 1
            return await asyncio.open_connection(self.host, self.port)
        return await self.idle.get()

    def put(self, conn: Connection) -> None:
        self.idle.put_nowait(conn)

    def close(self) -> None:
        while not self.idle.empty():
            self.idle.get_nowait()[1].close()


async def one(
    pool: Pool,
    request: bytes,
    due: float,
    latencies: list[float],
    errors: list[str],
    finished: list[float],
) -> None:
    try:
        reader, writer = await pool.get()
    except OSError as exc:
        errors.append(f"connect: {exc!r}")
        return
    try:
        writer.write(request)
        status, body = await read_response(reader)
    except (OSError, asyncio.IncompleteReadError) as exc:
        writer.close()
        pool.opened -= 1
        errors.append(f"io: {exc!r}")
        return
    latencies.append(time.perf_counter() - due)
    finished[0] = max(finished[0], time.perf_counter())
    if status != 200 or b'"errors"' in body:
        errors.append(f"{status} {body[:200]!r}")
    pool.put((reader, writer))


async def run(
    url: str, requests: list[bytes], rate: float, duration: float, limit: int, grace: float
) -> dict[str, object]:
    parts = urlsplit(url)
    pool = Pool(parts.hostname or "127.0.0.1", parts.port or 80, limit)
    latencies: list[float] = []
    errors: list[str] = []
    total = int(rate * duration)
    tasks: set[asyncio.Task[None]] = set()
    start = time.perf_counter() + 0.1
    finished = [start]
    for i in range(total):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.create_task(
            one(pool, requests[i % len(requests)], due, latencies, errors, finished)
        )
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    sent_until = time.perf_counter()
    pending = list(tasks)
    unanswered = 0
    if pending:
        _done, still = await asyncio.wait(pending, timeout=grace)
        unanswered = len(still)
        for task in still:
            task.cancel()
    elapsed = max(finished[0], sent_until) - start
    pool.close()
    latencies.sort()

    def pct(p: float) -> float | None:
        if not latencies:
            return None
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 2)

    return {
        "offered_rps": rate,
        "requests": total,
        "answered": len(latencies),
        "errors": len(errors) + unanswered,
        "unanswered": unanswered,
        "first_error": errors[0] if errors else None,
        "send_seconds": round(sent_until - start, 2),
        "seconds": round(elapsed, 2),
        "achieved_rps": round(len(latencies) / elapsed, 1),
        "connections": pool.opened,
        "p50_ms": pct(0.50),
        "p90_ms": pct(0.90),
        "p99_ms": pct(0.99),
        "max_ms": pct(1.0),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("requests_file", help="JSON list of {body, token}")
    parser.add_argument("--rate", type=float, default=400.0)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--connections", type=int, default=256)
    parser.add_argument("--grace", type=float, default=30.0)
    args = parser.parse_args()
    with open(args.requests_file, encoding="utf-8") as fh:
        specs = json.load(fh)
    requests = [build_request(args.url, s["body"].encode(), s.get("token")) for s in specs]
    result = asyncio.run(
        run(args.url, requests, args.rate, args.duration, args.connections, args.grace)
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
