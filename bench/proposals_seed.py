"""The data of the proposal push benchmark (bench/live_proposals.py), in bulk.

Candidats with one dossier, one open session and one published CV each (``bench.seed``,
then multi-row INSERTs of CVs); employers with a company and a few published offers each
(rows from ``bench.offers_gen``). Fictional names, example.org addresses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.common import SECRET
from bench.offers_gen import row_factory
from bench.seed import seed
from ground.passwords import Hasher
from models.base import utcnow
from models.cvs import Cv, CvVisibility
from models.dossiers import Dossier
from models.identity import Account, AccountKind
from models.offers import Company, Offer

OFFERS_EACH = 5


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
        found = await conn.execute(insert(Account).returning(Account.id), employer_rows)
        employer_ids = [int(i) for i in found.scalars()]
        company_rows = [
            {"account_id": e, "name": f"Entreprise fictive {i}", "created_at": now}
            for i, e in enumerate(employer_ids)
        ]
        found = await conn.execute(insert(Company).returning(Company.id), company_rows)
        companies = [int(i) for i in found.scalars()]
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
