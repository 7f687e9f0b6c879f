"""Proposal push latency at scale (issue 5): commit to client, on PostgreSQL + Redis.

``python -m bench --only proposals [--sockets 1000,5000,10000]``. The database holds as
many candidats as the largest socket count (one dossier and one published CV each) and a
few employers with published offers (``bench.proposals_seed``). For each socket count a
fresh ``espace serve`` (one worker, Redis broker) is started, and a client process opens
that many sockets (``bench.live.connected``), each subscribed to ``proposalReceived`` and
``dashboardEvents`` as a candidat's dashboard is.

Each sample sends a real proposal from the bench process to a random connected candidat:
``resolvers.proposals.manage.send_proposal`` in its own write transaction on a ``Runtime`` whose
broker is the same Redis, exactly as the ``proposalSend`` mutation runs it (the runtime
publishes after commit). Latency runs from just after the commit returns to the client's
receive time of the ``next`` message. Results go to ``bench/results/proposals_live.json``.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from strawberry import relay

from bench import live
from bench.common import RESULTS, SECRET, database
from bench.proposals_seed import Seeded, seed_proposals
from ground.db import create_engine
from ground.runtime import Runtime
from ground.settings import Settings
from models.identity import Account
from resolvers.core.unit_of_work import RuntimeWork
from resolvers.proposals.manage import send_proposal

OUT = RESULTS / "proposals_live.json"
OPERATIONS = "p,d"  # bench.ws_client.OPERATIONS: proposalReceived and dashboardEvents
MESSAGE = "Bonjour, votre profil correspond à notre besoin. Seriez-vous disponible ?"
JOB = "Préparateur de commandes\nEntrepôt de Guingamp, CDI, 35 heures."


class Proposer:
    """Sends proposals as ``proposalSend`` does, on a runtime publishing to the server's Redis."""

    def __init__(self, url: str, prefix: str) -> None:
        settings = Settings(
            database_url=url,
            secret_key=SECRET,
            redis_url=live.REDIS_URL,
            redis_prefix=prefix,
            outbox_enabled=False,
            scheduler_enabled=False,
        )
        self.runtime = Runtime.create(settings)

    async def start(self, ids: list[int]) -> dict[int, Account]:
        """Start the broker; returns the employers' accounts, loaded once as a request's
        viewer holds its account."""
        await self.runtime.start()
        async with self.runtime.sessionmaker() as session:
            found = (await session.scalars(select(Account).where(Account.id.in_(ids)))).all()
        return {a.id: a for a in found}

    async def send(
        self, employer: Account, cv_id: int, offer_id: int | None
    ) -> tuple[int, float, float]:
        """Commit one proposal: (its id, time before the transaction, time just after commit).
        The runtime publishes the notifications after commit, in the background."""
        work = RuntimeWork(self.runtime)
        began = time.time()
        async with work.write() as session:
            proposal = await send_proposal(
                session,
                employer,
                self.runtime.settings.proposals_per_day,
                cv_id,
                offer_id,
                JOB if offer_id is None else None,
                MESSAGE,
                None,
            )
        committed = time.time()
        await work.close()
        return proposal.id, began, committed

    async def close(self) -> None:
        await self.runtime.close()


@dataclass
class Sent:
    socket: int  # index of the addressee's socket
    began: float
    committed: float


async def _drive(url: str, prefix: str, seeded: Seeded, n: int, samples: int) -> dict[int, Sent]:
    """``samples`` proposals, one at a time 20 ms apart, each to a random connected candidat
    from the next employer in turn (so no employer reaches the daily limit); one in four
    describes a job instead of proposing an offer."""
    proposer = Proposer(url, prefix)
    sent: dict[int, Sent] = {}
    try:
        employers = await proposer.start(seeded.employers)
        rng = random.Random(11)
        for i in range(samples):
            socket = rng.randrange(n)
            employer = employers[seeded.employers[i % len(seeded.employers)]]
            offer_id = None if i % 4 == 3 else rng.choice(seeded.offers[employer.id])
            cv_id = seeded.cvs[seeded.candidats[socket]]
            proposal_id, began, committed = await proposer.send(employer, cv_id, offer_id)
            sent[proposal_id] = Sent(socket, began, committed)
            await asyncio.sleep(0.02)
        await asyncio.sleep(2)  # stragglers
    finally:
        await proposer.close()
    return sent


def _proposal_of(global_id: str | None) -> int | None:
    """The proposal a message is about: the proposal itself, or a dashboard event's subject."""
    if not global_id:
        return None
    type_name, raw = relay.from_base64(global_id)
    return int(raw) if type_name == "Proposal" else None


def _deliveries(rows: list[list[Any]], op: str, sent: dict[int, Sent]) -> dict[str, Any]:
    """Latency from commit to receipt of each proposal's ``next`` message on ``op``."""
    latencies: list[float] = []
    seen: set[int] = set()
    duplicates = wrong_socket = 0
    for socket, op_id, node, received, subject in rows:
        if op_id != op:
            continue
        proposal_id = _proposal_of(node if op == "p" else subject)
        if proposal_id is None or proposal_id not in sent:
            continue
        sample = sent[proposal_id]
        if proposal_id in seen:
            duplicates += 1
            continue
        seen.add(proposal_id)
        wrong_socket += socket != sample.socket
        latencies.append(received - sample.committed)
    return {
        "sent": len(sent),
        "received": len(latencies),
        "lost": len(sent) - len(seen),
        "duplicates": duplicates,
        "wrong_socket": wrong_socket,
        "p50_ms": live.pct(latencies, 0.5) if latencies else None,
        "p90_ms": live.pct(latencies, 0.9) if latencies else None,
        "p99_ms": live.pct(latencies, 0.99) if latencies else None,
        "max_ms": live.pct(latencies, 1.0) if latencies else None,
    }


def run_one(url: str, seeded: Seeded, n: int, samples: int) -> dict[str, Any]:
    load_before = os.getloadavg()[0]
    with live.connected(url, seeded.tokens, n, OPERATIONS) as sockets:
        cpu0, _ = live.proc_stat(sockets.pid)
        started = time.monotonic()
        sent = asyncio.run(_drive(url, sockets.prefix, seeded, n, samples))
        window = time.monotonic() - started
        cpu1, rss_end = live.proc_stat(sockets.pid)
        rows = sockets.received()
    commits = [s.committed - s.began for s in sent.values()]
    mib = 1024 * 1024
    return {
        "sockets": n,
        "subscriptions_per_socket": len(OPERATIONS.split(",")),
        "connect_s": round(sockets.connect_s, 1),
        "load_avg_1m": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
        "server_rss_mib": {
            "without_sockets": round(sockets.rss_before / mib, 1),
            "connected": round(sockets.rss_after / mib, 1),
            "after_samples": round(rss_end / mib, 1),
        },
        "rss_per_socket_kib": round((sockets.rss_after - sockets.rss_before) / n / 1024, 1),
        "server_cpu_share_while_sending": round((cpu1 - cpu0) / window, 3),
        "send_transaction_ms": {"p50": live.pct(commits, 0.5), "p99": live.pct(commits, 0.99)},
        "proposal_received": _deliveries(rows, "p", sent),
        "dashboard_event": _deliveries(rows, "d", sent),
    }


def run(counts: tuple[int, ...] = (1000, 5000, 10000), samples: int = 300) -> dict[str, Any]:
    """Seed once (max(counts) candidats), then measure each socket count on a fresh server."""
    live.raise_nofile()
    per_day = Settings(secret_key=SECRET).proposals_per_day
    employers = -(-samples * len(counts) // per_day) + 1
    results: dict[str, Any] = {
        "target": {"proposal_p99_ms": 50},
        "samples_per_count": samples,
        "cores": os.cpu_count(),
    }
    with database("postgres") as url:

        async def do_seed() -> Seeded:
            engine = create_engine(Settings(database_url=url, secret_key=SECRET))
            try:
                return await seed_proposals(engine, max(counts), employers)
            finally:
                await engine.dispose()

        began = time.monotonic()
        seeded = asyncio.run(do_seed())
        results["seed_s"] = round(time.monotonic() - began, 1)
        print(f"proposals: seeded in {results['seed_s']} s", flush=True)
        for n in counts:
            results[str(n)] = run_one(url, seeded, n, samples)
            print(f"proposals, {n} sockets:", json.dumps(results[str(n)]), flush=True)
    RESULTS.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return results
