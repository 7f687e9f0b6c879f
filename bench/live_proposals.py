"""Proposal push latency at scale (issue 5): commit to client, on PostgreSQL + Redis.

``python -m bench --only proposals [--sockets 1000,5000,10000]``. The database holds 10k
candidats (one dossier and one published CV each) and a few employers with published
offers. For each socket count a fresh ``espace serve`` (one worker, Redis broker) is
started, and a client process opens that many sockets (``bench.live.connected``), each
subscribed to ``proposalReceived`` and ``dashboardEvents`` as a candidat's dashboard is.

Each sample sends a real proposal from the bench process to a random connected candidat:
``resolvers.proposals.send_proposal`` in its own write transaction on a ``Runtime`` whose
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
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from bench import live
from bench.common import RESULTS, SECRET, database
from bench.offers_gen import row_factory
from bench.seed import seed
from espace.db import create_engine
from espace.runtime import Runtime
from espace.settings import Settings
from models.base import utcnow
from models.cvs import Cv, CvVisibility
from models.dossiers import Dossier
from models.identity import Account, AccountKind
from models.offers import Company, Offer
from resolvers.passwords import Hasher
from resolvers.proposals import send_proposal
from resolvers.unit_of_work import RuntimeWork

OUT = RESULTS / "proposals_live.json"
OPERATIONS = "p,d"  # bench.ws_client.OPERATIONS: proposalReceived and dashboardEvents
OFFERS_EACH = 5
MESSAGE = "Bonjour, votre profil correspond à notre besoin. Seriez-vous disponible ?"
JOB = "Préparateur de commandes\nEntrepôt de Guingamp, CDI, 35 heures."


@dataclass
class Seeded:
    tokens: list[str]  # candidats' bearer tokens
    candidats: list[int]  # their account ids, in the same order
    cvs: dict[int, int]  # candidat account id -> published CV id
    employers: list[int]  # employer account ids
    offers: dict[int, list[int]]  # employer account id -> published offer ids


def _cv_row(account_id: int, dossier_id: int, now: datetime) -> dict[str, Any]:
    return {
        "account_id": account_id,
        "dossier_id": dossier_id,
        "title": "Préparateur de commandes",
        "visibility": CvVisibility.PUBLISHED.value,
        "rome_code": "N1103",
        "metier_libelle": "Magasinage et préparation de commandes",
        "summary": "Cinq ans en entrepôt, CACES 1 et 3.",
        "skills": ["Préparation de commandes", "CACES 1"],
        "languages": [],
        "driving_licences": ["B"],
        "search_text": "preparateur commandes entrepot caces",
        "published_at": now,
        "created_at": now,
        "updated_at": now,
    }


async def seed_proposals(engine: AsyncEngine, candidats: int, employers: int) -> Seeded:
    """Candidats with one dossier and one published CV each (bench.seed, then multi-row
    INSERTs); employers with a company and OFFERS_EACH published offers each."""
    base = await seed(engine, SECRET, candidats, 1, Hasher(2, 19 * 1024, 1))
    now = utcnow()
    cvs: dict[int, int] = {}
    offers: dict[int, list[int]] = {}
    async with engine.begin() as conn:
        dossiers = (await conn.execute(select(Dossier.id, Dossier.account_id))).all()
        cv_rows = [_cv_row(account_id, dossier_id, now) for dossier_id, account_id in dossiers]
        for chunk in range(0, len(cv_rows), 1000):
            found = await conn.execute(
                insert(Cv).returning(Cv.id, Cv.account_id), cv_rows[chunk : chunk + 1000]
            )
            cvs.update((int(account_id), int(cv_id)) for cv_id, account_id in found)
        employer_rows = [
            {
                "kind": AccountKind.EMPLOYEUR.value,
                "email": f"employeur{i}@example.org",
                "display_name": f"Entreprise fictive {i}",
                "password_hash": "bench: never signs in",
                "created_at": now,
                "secret_failures": 0,
            }
            for i in range(employers)
        ]
        employer_ids = [
            int(i)
            for i in (await conn.execute(insert(Account).returning(Account.id), employer_rows))
            .scalars()
            .all()
        ]
        company_rows = [
            {"account_id": e, "name": f"Entreprise fictive {i}", "created_at": now}
            for i, e in enumerate(employer_ids)
        ]
        companies = (
            (await conn.execute(insert(Company).returning(Company.id), company_rows))
            .scalars()
            .all()
        )
        make = row_factory(False, 5)
        offer_rows = []
        for i, (employer, company) in enumerate(zip(employer_ids, companies, strict=True)):
            for j in range(OFFERS_EACH):
                row = make(i * OFFERS_EACH + j)
                row.update(account_id=employer, company_id=company)
                offer_rows.append(row)
        found = await conn.execute(insert(Offer).returning(Offer.id, Offer.account_id), offer_rows)
        for offer_id, account_id in found:
            offers.setdefault(int(account_id), []).append(int(offer_id))
    return Seeded(base.tokens, base.account_ids, cvs, employer_ids, offers)


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

    async def accounts(self, ids: list[int]) -> dict[int, Account]:
        """The employers' accounts, loaded once as a request's viewer holds its account."""
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
        employers = await proposer.accounts(seeded.employers)
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
        sample = sent.get(proposal_id) if proposal_id is not None else None
        if sample is None:
            continue
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
