"""A small, fast HTTP/1.1 keep-alive load client (asyncio streams), run in its own process.

    python -m bench.load URL BODY_FILE --token T --concurrency 32 --duration 10

Prints one JSON line: requests, errors, seconds, rps, p50/p90/p99 latency in ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from urllib.parse import urlsplit


def build_request(url: str, body: bytes, token: str | None) -> bytes:
    parts = urlsplit(url)
    headers = [
        f"POST {parts.path or '/'} HTTP/1.1",
        f"Host: {parts.netloc}",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        "Connection: keep-alive",
    ]
    if token:
        headers.append(f"Authorization: Bearer {token}")
    return ("\r\n".join(headers) + "\r\n\r\n").encode() + body


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    chunked = False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value.strip())
        elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if not chunked:
        return status, await reader.readexactly(length)
    body = b""
    while True:
        size = int((await reader.readuntil(b"\r\n")).strip(), 16)
        chunk = await reader.readexactly(size + 2)
        if size == 0:
            return status, body
        body += chunk[:-2]


async def worker(
    host: str,
    port: int,
    requests: list[bytes],
    deadline: float,
    latencies: list[float],
    errors: list[str],
    index: int,
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    i = index
    try:
        while time.perf_counter() < deadline:
            request = requests[i % len(requests)]
            i += 1
            start = time.perf_counter()
            writer.write(request)
            status, body = await read_response(reader)
            latencies.append(time.perf_counter() - start)
            if status != 200 or b'"errors"' in body:
                errors.append(f"{status} {body[:200]!r}")
    finally:
        writer.close()


async def run(
    url: str, requests: list[bytes], concurrency: int, duration: float
) -> dict[str, object]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    latencies: list[float] = []
    errors: list[str] = []
    # Warm-up: one request per connection path before timing.
    await worker(host, port, requests, time.perf_counter() + 0.5, [], [], 0)
    start = time.perf_counter()
    deadline = start + duration
    await asyncio.gather(
        *(worker(host, port, requests, deadline, latencies, errors, i) for i in range(concurrency))
    )
    elapsed = time.perf_counter() - start
    latencies.sort()

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 2)

    return {
        "requests": len(latencies),
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
        "seconds": round(elapsed, 2),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": pct(0.50),
        "p90_ms": pct(0.90),
        "p99_ms": pct(0.99),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 2) if latencies else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("requests_file", help="JSON list of {body, token}")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--duration", type=float, default=10.0)
    args = parser.parse_args()
    with open(args.requests_file, encoding="utf-8") as fh:
        specs = json.load(fh)
    requests = [build_request(args.url, s["body"].encode(), s.get("token")) for s in specs]
    print(json.dumps(asyncio.run(run(args.url, requests, args.concurrency, args.duration))))


if __name__ == "__main__":
    main()
