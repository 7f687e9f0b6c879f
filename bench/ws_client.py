"""The WebSocket load client of the live benchmarks, run in its own process.

    python -m bench.ws_client URL TOKENS_FILE --out RESULTS_FILE [--operations e,p]

It opens one graphql-transport-ws socket per token (connection_init with the token), and
subscribes each to the operations of ``--operations`` (``dashboardEvents`` by default; see
``OPERATIONS``); on the command ``announcements`` it subscribes each socket to
``announcements`` too. It records, per received message, the node's id (and ``subjectId``,
if selected) with the wall-clock receive time, and writes them on the command ``dump``.
Commands arrive as lines on stdin; each is acknowledged on stdout, so the driver can
sequence the benchmark.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

import websockets

EVENTS = "subscription { dashboardEvents { id kind } }"
NEWS = "subscription { announcements { id title } }"
# What a candidat's dashboard shows of a new event and of a new proposal.
DASHBOARD = "subscription { dashboardEvents { id kind message subjectId } }"
PROPOSALS = (
    "subscription { proposalReceived { id cursor status title message sentAt company { name } } }"
)
# Operation id -> (document, root field).
OPERATIONS = {
    "e": (EVENTS, "dashboardEvents"),
    "a": (NEWS, "announcements"),
    "d": (DASHBOARD, "dashboardEvents"),
    "p": (PROPOSALS, "proposalReceived"),
}


class Client:
    def __init__(self, url: str, token: str, operations: tuple[str, ...] = ("e",)) -> None:
        self.url = url
        self.token = token
        self.operations = operations
        self.ws: Any = None
        self.received: list[tuple[str, str, float, str | None]] = []

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
        for op_id in self.operations:
            await self.subscribe(op_id, OPERATIONS[op_id][0])

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
                node = message["payload"]["data"][OPERATIONS[message["id"]][1]]
                self.received.append((message["id"], str(node["id"]), now, node.get("subjectId")))


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("tokens_file")
    parser.add_argument("--out", required=True)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--operations", default="e", help="operation ids, see OPERATIONS")
    args = parser.parse_args()
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    tokens = json.loads(Path(args.tokens_file).read_text())  # noqa: ASYNC240 - before any socket
    operations = tuple(args.operations.split(","))
    clients = [Client(args.url, t, operations) for t in tokens]
    readers = []
    for start in range(0, len(clients), args.batch):
        batch = clients[start : start + args.batch]
        await asyncio.gather(*(c.connect() for c in batch))
        readers += [asyncio.create_task(c.read()) for c in batch]
    # The client is the measuring instrument: a full collection over 10k sockets' objects
    # would stall it for a second and count as push latency. What exists now stays alive.
    gc.collect()
    gc.freeze()
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
