"""Bulk seed for benchmarks: N candidats with D dossiers each, and one open session each."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from ground.passwords import Hasher
from models.base import utcnow
from models.dashboard import Event, EventKind
from models.dossiers import Agency, Dossier
from models.identity import Account, AccountKind, AuthSession
from resolvers.core.tokens import hash_token, new_token
from resolvers.identity.identifiant import check_letter

PRENOMS = ["Camille", "Dominique", "Claude", "Alix", "Sacha", "Maël", "Lou", "Noa", "Eden", "Yael"]
NOMS = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy"]
GUINGAMP = ("22200", "22070", "Guingamp")


@dataclass
class Seeded:
    tokens: list[str]
    identifiants: list[str]
    account_ids: list[int]
    password: str


async def seed(
    engine: AsyncEngine,
    secret_key: str,
    candidats: int,
    dossiers_each: int,
    hasher: Hasher,
    events_each: int = 0,
) -> Seeded:
    """Insert the rows in a few multi-row statements; returns the bearer tokens."""
    rng = random.Random(42)
    password = "mot de passe de démonstration bench"
    password_hash = hasher.hash(password)
    now = utcnow()
    tokens: list[str] = []
    identifiants: list[str] = []
    seen: set[str] = set()
    while len(identifiants) < candidats:
        digits = f"{rng.randrange(10**7):07d}"
        ident = digits + check_letter(digits)
        if ident not in seen:
            seen.add(ident)
            identifiants.append(ident)
    async with engine.begin() as conn:
        agency_id = (
            await conn.execute(
                insert(Agency).returning(Agency.id),
                [
                    {
                        "code": "BENCH1",
                        "name": "Agence de Guingamp (fictive)",
                        "address": "1 rue X",
                        "postal_code": "22200",
                        "commune_insee": "22070",
                        "created_at": now,
                    }
                ],
            )
        ).scalar_one()
        accounts = [
            {
                "kind": AccountKind.CANDIDAT.value,
                "identifiant": ident,
                "password_hash": password_hash,
                "postal_code": "22200",
                "created_at": now,
                "secret_failures": 0,
            }
            for ident in identifiants
        ]
        ids = list((await conn.execute(insert(Account).returning(Account.id), accounts)).scalars())
        sessions = []
        dossiers = []
        for n, account_id in enumerate(ids):
            token = new_token(32)
            tokens.append(token)
            sessions.append(
                {
                    "account_id": account_id,
                    "token_hash": hash_token(secret_key, token),
                    "created_at": now,
                    "last_seen_at": now,
                    "expires_at": now + timedelta(days=30),
                }
            )
            for d in range(dossiers_each):
                dossiers.append(
                    {
                        "account_id": account_id,
                        "name": f"DRE{d + 1}",
                        "civilite": "MADAME",
                        "nom": rng.choice(NOMS),
                        "prenom": rng.choice(PRENOMS),
                        "pays": "FR",
                        "adresse": f"{n % 90 + 1} rue de la Trinité",
                        "complement1": "escalier C",
                        "complement2": None,
                        "postal_code": GUINGAMP[0],
                        "commune_insee": GUINGAMP[1],
                        "commune_name": GUINGAMP[2],
                        "acheminement": None,
                        "phone_mobile": "+33612345678",
                        "phone_fixe": None,
                        "email": f"bench{n}.{d}@example.org",
                        "email_confirmed_at": now,
                        "registered": True,
                        "registered_identifiant": identifiants[n],
                        "agency_id": agency_id,
                        "birth_date": date(1990, 1, 1) + timedelta(days=n),
                        "situation": "DEMANDEUR_EMPLOI",
                        "qualification": 6,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
        for chunk in range(0, len(sessions), 500):
            await conn.execute(insert(AuthSession), sessions[chunk : chunk + 500])
        for chunk in range(0, len(dossiers), 500):
            await conn.execute(insert(Dossier), dossiers[chunk : chunk + 500])
        events = [
            {
                "account_id": account_id,
                "kind": EventKind.DOSSIER_UPDATED.value,
                "occurred_at": now,
                "payload": {"name": "DRE1", "changed": ["email"]},
                "subject_type": "dossier",
                "subject_id": None,
            }
            for account_id in ids
            for _ in range(events_each)
        ]
        for chunk in range(0, len(events), 1000):
            await conn.execute(insert(Event), events[chunk : chunk + 1000])
    return Seeded(tokens=tokens, identifiants=identifiants, account_ids=ids, password=password)
