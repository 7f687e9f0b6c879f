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
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bench import live
from bench.common import RESULTS, SECRET, database
from bench.offers_gen import bench_number, row_factory
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
OFFERS_EACH = 5
PER_DAY = Settings().proposals_per_day if False else 50  # the default of Settings
MESSAGE = "Bonjour, votre profil correspond à notre besoin. Seriez-vous disponible ?"
JOB = "Préparateur de commandes\nEntrepôt de Guingamp, CDI, 35 heures."


@dataclass
class Seeded:
    tokens: list[str]  # candidats' bearer tokens
    candidats: list[int]  # their account ids, in the same order
    cvs: dict[int, int]  # candidat account id -> published CV id
    employers: list[Account]  # detached, as a mutation's viewer holds its account
    offers: dict[int, list[int]]  # employer account id -> published offer ids


async def seed_proposals(engine: AsyncEngine, candidats: int, employers: int) -> Seeded:
    """Candidats with a published CV each; employers with a company and published offers."""
    base = await seed(engine, SECRET, candidats, 1, Hasher(2, 19 * 1024, 1))
    now = utcnow()
    async with engine.begin() as conn:
        dossiers = (await conn.execute(select(Dossier.id, Dossier.account_id))).all()
        cv_rows = [
            {
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
            for dossier_id, account_id in dossiers
        ]
        cvs: dict[int, int] = {}
        for chunk in range(0, len(cv_rows), 1000):
            rows = await conn.execute(
                insert(Cv).returning(Cv.id, Cv.account_id), cv_rows[chunk : chunk + 1000]
            )
            cvs.update((int(account_id), int(cv_id)) for cv_id, account_id in rows)
        employer_rows = [
            {
                "kind": AccountKind.EMPLOYEUR.value,
                "email": f"employeur{i}@example.org",
                "display_name": f"Entreprise fictive {i}",
                "password_hash": "bench-no-sign-in",
                "created_at": now,
                "secret_failures": 0,
            }
            for i in range(employers)
        ]
        employer_ids = list(
            (await conn.execute(insert(Account).returning(Account.id), employer_rows)).scalars()
        )
        company_rows = [
            {"account_id": e, "name": f"Entreprise fictive {i}", "created_at": now}
            for i, e in enumerate(employer_ids)
        ]
        companies = list(
            (await conn.execute(insert(Company).returning(Company.id), company_rows)).scalars()
        )
        make = row_factory(False, 5)
        offer_rows = []
        for i, (employer, company) in enumerate(zip(employer_ids, companies, strict=True)):
            for j in range(OFFERS_EACH):
                row = make(i * OFFERS_EACH + j)
                number = bench_number(10**8 + i * OFFERS_EACH + j)  # clear of generated ones
                row.update(
                    number=number, origin_number=number, account_id=employer, company_id=company
                )
                offer_rows.append(row)
        found = await conn.execute(insert(Offer).returning(Offer.id, Offer.account_id), offer_rows)
        offers: dict[int, list[int]] = {}
        for offer_id, account_id in found:
            offers.setdefault(int(account_id), []).append(int(offer_id))
    async with engine.connect() as conn:
        pass
    return Seeded(base.tokens, base.account_ids, cvs, [], offers)


async def _employer_accounts(runtime: Runtime, ids: list[int]) -> list[Account]:
    async with runtime.sessionmaker() as session:
        found = (await session.scalars(select(Account).where(Account.id.in_(ids)))).all()
    return sorted(found, key=lambda a: a.id)


class Proposer:
    """Sends proposals as ``proposalSend`` does, on a runtime with the server's Redis."""

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

    async def start(self) -> None:
        await self.runtime.start()

    async def send(self, employer: Account, cv_id: int, offer_id: int | None) -> tuple[int, float]:
        """Commit one proposal; returns its id and the time just after the commit."""
        work = RuntimeWork(self.runtime)
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
        return proposal.id, committed

    async def close(self) -> None:
        await self.runtime.close()
