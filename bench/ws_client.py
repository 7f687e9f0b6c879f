"""The WebSocket load client of the live benchmarks, run in its own process.

    python -m bench.ws_client URL TOKENS_FILE --out RESULTS_FILE --control FIFO_DIR

It opens one graphql-transport-ws socket per token (connection_init with the token), and
subscribes each to ``dashboardEvents``; on the command ``announcements`` it subscribes each
socket to ``announcements`` too. It records, per received message, the wall-clock receive
time, and writes them on the command ``dump``. Commands arrive as lines on stdin; each is
acknowledged on stdout, so the driver can sequence the benchmark.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

import websockets

EVENTS = "subscription { dashboardEvents { id kind } }"
NEWS = "subscription { announcements { id title } }"


class Client:
    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self.token = token
        self.ws: Any = None
        self.received: list[tuple[str, str, float]] = []

    async def connect(self) -> None:
        self.ws = await websockets.connect(
            self.url,
            subprotocols=["graphql-transport-ws"],
            max_queue=None,
            ping_interval=None,
            open_timeout=120,
            compression=None,
        )
        await self.ws.send(
            json.dumps(
                {"type": "connection_init", "payload": {"authorization": f"Bearer {self.token}"}}
            )
        )
        ack = json.loads(await self.ws.recv())
        assert ack["type"] == "connection_ack", ack
        await self.subscribe("e", EVENTS)

    async def subscribe(self, op_id: str, query: str) -> None:
        await self.ws.send(
            json.dumps({"id": op_id, "type": "subscribe", "payload": {"query": query}})
        )

    async def read(self) -> None:
        async for raw in self.ws:
            now = time.time()
            message = json.loads(raw)
            if message.get("type") == "ping":
                await self.ws.send('{"type":"pong"}')
            elif message.get("type") == "next":
                data = message["payload"]["data"]
                key = "dashboardEvents" if message["id"] == "e" else "announcements"
                self.received.append((message["id"], str(data[key]["id"]), now))


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("tokens_file")
    parser.add_argument("--out", required=True)
    parser.add_argument("--batch", type=int, default=50)
    args = parser.parse_args()
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    tokens = json.loads(Path(args.tokens_file).read_text())  # noqa: ASYNC240 - before any socket
    clients = [Client(args.url, t) for t in tokens]
    readers = []
    for start in range(0, len(clients), args.batch):
        batch = clients[start : start + args.batch]
        await asyncio.gather(*(c.connect() for c in batch))
        readers += [asyncio.create_task(c.read()) for c in batch]
    print("connected", len(clients), flush=True)
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while line := (await reader.readline()).decode().strip():
        if line == "announcements":
            for start in range(0, len(clients), args.batch):
                await asyncio.gather(
                    *(c.subscribe("a", NEWS) for c in clients[start : start + args.batch])
                )
            print("subscribed", flush=True)
        elif line == "dump":
            rows = [(i, *r) for i, c in enumerate(clients) for r in c.received]
            Path(args.out).write_text(json.dumps(rows))  # noqa: ASYNC240 - measuring is over
            print("dumped", len(rows), flush=True)
        elif line == "quit":
            break
    for task in readers:
        task.cancel()
    await asyncio.gather(*(c.ws.close() for c in clients), return_exceptions=True)


if __name__ == "__main__":
    asyncio.run(main())
