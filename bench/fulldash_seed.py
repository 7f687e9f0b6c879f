"""Bulk seed of issue 5's full-dashboard benchmark: candidats holding realistic data.

Per candidat: 1-3 dossiers; 1-3 CVs per dossier (0-3 experiences, 0-2 formations each);
0-3 alerts per dossier; 0-10 applications to a pool of offers (with their history row);
~50 dashboard events over 60 days and a last visit 1-10 days ago; 1-3 conversations of
1-6 messages, partly read; a proposal for about a third of them. Employers own companies
and the offers (``bench.offers_gen`` rows). Everything goes through PostgreSQL COPY with
explicit ids (sequences are moved on at the end); nothing goes through the API.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg

from bench.offers_gen import row_factory
from models.applications import ApplicationStatus
from models.dashboard import EventKind
from models.identity import AccountKind
from models.messages import ConversationKind
from resolvers.identifiant import check_letter
from resolvers.offer_criteria import OfferCriteria
from resolvers.offer_fields import TypeContrat
from resolvers.passwords import Hasher

PASSWORD = "mot de passe de démonstration bench"
PRENOMS = ["Camille", "Dominique", "Claude", "Alix", "Sacha", "Maël", "Lou", "Noa", "Eden", "Yael"]
NOMS = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy"]
JOBS = [
    ("D1102", "Boulanger / Boulangère"),
    ("G1602", "Cuisinier / Cuisinière"),
    ("K2204", "Agent / Agente d'entretien"),
    ("N1103", "Préparateur / Préparatrice de commandes"),
    ("M1607", "Secrétaire"),
    ("J1501", "Aide-soignant / Aide-soignante"),
]
SKILLS = ["accueil", "travail en équipe", "hygiène", "HACCP", "caisse", "inventaire", "tri"]
KINDS = list(EventKind)
STATUSES = list(ApplicationStatus)


class Ids:
    """Explicit ids per table (the database is fresh)."""

    def __init__(self) -> None:
        self.last: dict[str, int] = {}

    def next(self, table: str) -> int:
        self.last[table] = self.last.get(table, 0) + 1
        return self.last[table]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


async def _copy(conn: asyncpg.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    encoded = (
        tuple(_json(v) if isinstance(v, list | dict) else v for v in row.values()) for row in rows
    )
    await conn.copy_records_to_table(table, records=encoded, columns=columns)


class Seeder:
    """Builds the rows of every table in memory, candidat by candidat, then COPYs them."""

    def __init__(self, candidats: int, seed: int = 5) -> None:
        self.n = candidats
        self.rng = random.Random(seed)
        self.now = datetime.now(UTC)
        self.ids = Ids()
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.password_hash = Hasher(2, 19 * 1024, 1).hash(PASSWORD)

    def add(self, table: str, **values: Any) -> int:
        if "id" not in values and table != "conversation_reads":
            values = {"id": self.ids.next(table), **values}
        self.rows.setdefault(table, []).append(values)
        return int(values.get("id", 0))

    def ago(self, low_days: float, high_days: float) -> datetime:
        return self.now - timedelta(days=self.rng.uniform(low_days, high_days))

    def build(self) -> dict[str, list[dict[str, Any]]]:
        agency = self.add(
            "agencies",
            code="BENCH5",
            name="Agence de Guingamp (fictive)",
            address="1 rue de la Gare",
            postal_code="22200",
            commune_insee="22070",
            created_at=self.now,
        )
        employers = [self._employer(e) for e in range(max(20, self.n // 100))]
        offers = self._offers(employers, max(500, self.n // 5))
        identifiants = self._identifiants()
        for n, ident in enumerate(identifiants):
            self._candidat(n, ident, agency, employers, offers)
        return self.rows

    def _employer(self, e: int) -> tuple[int, int]:
        account = self.add(
            "accounts",
            kind=AccountKind.EMPLOYEUR.value,
            email=f"employeur{e}@example.org",
            display_name=f"Employeur fictif {e}",
            password_hash=self.password_hash,
            secret_failures=0,
            created_at=self.now,
        )
        company = self.add(
            "companies",
            account_id=account,
            name=f"Entreprise fictive {e}",
            created_at=self.now,
            updated_at=self.now,
        )
        return account, company

    def _offers(self, employers: list[tuple[int, int]], count: int) -> list[tuple[int, int, str]]:
        make = row_factory(False, 42)
        pool = []
        for i in range(count):
            account, company = employers[i % len(employers)]
            row = make(i) | {"account_id": account, "company_id": company}
            offer = self.add("offers", **row)
            pool.append((offer, account, str(row["intitule"])))
        return pool

    def _identifiants(self) -> list[str]:
        seen: dict[str, None] = {}
        while len(seen) < self.n:
            digits = f"{self.rng.randrange(10**7):07d}"
            seen[digits + check_letter(digits)] = None
        return list(seen)

    def _candidat(
        self,
        n: int,
        ident: str,
        agency: int,
        employers: list[tuple[int, int]],
        offers: list[tuple[int, int, str]],
    ) -> None:
        rng = self.rng
        account = self.add(
            "accounts",
            kind=AccountKind.CANDIDAT.value,
            identifiant=ident,
            password_hash=self.password_hash,
            postal_code="22200",
            secret_failures=0,
            last_visit_at=self.ago(1, 10),
            created_at=self.ago(60, 400),
        )
        dossiers = [self._dossier(account, n, d, ident, agency) for d in range(rng.randint(1, 3))]
        cvs = {d: [self._cv(account, d) for _ in range(rng.randint(1, 3))] for d in dossiers}
        for d in dossiers:
            for a in range(rng.randint(0, 3)):
                self._alert(account, d, a)
        for offer, employer, title in rng.sample(offers, rng.randint(0, 10)):
            d = rng.choice(dossiers)
            self._application(account, d, rng.choice(cvs[d]), offer, employer, title)
        self._events(account)
        for _ in range(rng.randint(1, 3)):
            self._conversation(account, agency, rng.choice(employers)[0])
        if rng.random() < 0.35:
            employer, company = rng.choice(employers)
            d = rng.choice(dossiers)
            self.add(
                "proposals",
                employer_id=employer,
                company_id=company,
                candidate_id=account,
                dossier_id=d,
                cv_id=rng.choice(cvs[d]),
                offer_id=None,
                message="Votre profil nous intéresse, seriez-vous disponible ?",
                deadline=self.now + timedelta(days=rng.randint(-3, 20)),
                status="PENDING",
                created_at=self.ago(0, 20),
            )

    def _dossier(self, account: int, n: int, d: int, ident: str, agency: int) -> int:
        rng = self.rng
        confirmed = rng.random() < 0.85
        return self.add(
            "dossiers",
            account_id=account,
            name=f"DRE{d + 1}",
            civilite=rng.choice(["MADAME", "MONSIEUR"]),
            nom=rng.choice(NOMS),
            prenom=rng.choice(PRENOMS),
            pays="FR",
            adresse=f"{n % 90 + 1} rue de la Trinité",
            complement1=None,
            complement2=None,
            postal_code="22200",
            commune_insee="22070",
            commune_name="Guingamp",
            acheminement=None,
            phone_mobile="+33612345678",
            phone_fixe=None,
            email=f"bench{n}.{d}@example.org",
            email_confirmed_at=self.ago(30, 60) if confirmed else None,
            registered=d == 0,
            registered_identifiant=ident if d == 0 else None,
            agency_id=agency if d == 0 else None,
            birth_date=date(1970, 1, 1) + timedelta(days=rng.randrange(15000)),
            situation="DEMANDEUR_EMPLOI",
            qualification=rng.randint(1, 9),
            created_at=self.ago(60, 300),
            updated_at=self.ago(0, 60),
        )

    def _cv(self, account: int, dossier: int) -> int:
        rng = self.rng
        rome, label = rng.choice(JOBS)
        published = rng.random() < 0.5
        cv = self.add(
            "cvs",
            account_id=account,
            dossier_id=dossier,
            title=f"{label} — {rng.randint(1, 20)} ans d'expérience",
            visibility=rng.choice(["PUBLISHED", "ANONYMOUS"]) if published else "PRIVATE",
            rome_code=rome,
            appellation_code=None,
            metier_libelle=label,
            summary="Sérieux, ponctuel, disponible rapidement." if rng.random() < 0.7 else None,
            skills=rng.sample(SKILLS, rng.randint(0, 4)),
            languages=[{"language": "anglais", "level": "B1"}] if rng.random() < 0.4 else [],
            driving_licences=["B"] if rng.random() < 0.6 else [],
            search_text=f" {label.lower()} ",
            published_at=self.ago(0, 30) if published else None,
            created_at=self.ago(30, 300),
            updated_at=self.ago(0, 30),
        )
        for position in range(rng.randint(0, 3)):
            start = date(2010, 1, 1) + timedelta(days=rng.randrange(4000))
            self.add(
                "cv_experiences",
                cv_id=cv,
                position=position,
                job=label,
                employer=f"Employeur fictif {rng.randrange(100)}",
                place="Guingamp",
                start_date=start,
                end_date=start + timedelta(days=rng.randrange(30, 900)),
                description="Missions variées.",
            )
        for position in range(rng.randint(0, 2)):
            self.add(
                "cv_educations",
                cv_id=cv,
                position=position,
                diploma="CAP",
                level="3",
                domain=label,
                year=rng.randint(1990, 2022),
            )
        return cv

    def _alert(self, account: int, dossier: int, a: int) -> None:
        rome, label = self.rng.choice(JOBS)
        criteria = OfferCriteria(
            keywords=label.split(" ")[0].lower(),
            departements=("22",),
            types_contrat=(TypeContrat("CDI"),),
        )
        self.add(
            "alerts",
            account_id=account,
            dossier_id=dossier,
            name=f"{label.split(' ')[0]} {a + 1}",
            criteria=criteria.to_json(),
            frequency=self.rng.choice(["INSTANT", "DAILY", "WEEKLY"]),
            unsubscribe_salt=f"{self.rng.getrandbits(128):032x}",
            last_sent_at=None,
            created_at=self.ago(10, 100),
            updated_at=self.ago(0, 10),
        )

    def _application(
        self, account: int, dossier: int, cv: int, offer: int, employer: int, title: str
    ) -> None:
        at = self.ago(0, 60)
        status = self.rng.choice(STATUSES).value
        application = self.add(
            "applications",
            account_id=account,
            dossier_id=dossier,
            cv_id=cv,
            offer_id=offer,
            employer_id=employer,
            message=f"Bonjour, je suis intéressé(e) par votre offre « {title} ».",
            status=status,
            created_at=at,
            updated_at=at,
        )
        self.add(
            "application_changes",
            application_id=application,
            status="SENT",
            at=at,
            by="CANDIDAT",
            message=None,
        )

    def _events(self, account: int) -> None:
        rng = self.rng
        count = rng.randint(40, 60)
        times = sorted(self.ago(0, 60) for _ in range(count))
        for at in times:
            kind = rng.choice(KINDS)
            payload = {"name": "DRE1", "offer": "Boulanger", "statusLabel": "envoyée"}
            self.add(
                "events",
                account_id=account,
                kind=kind.value,
                occurred_at=at,
                payload=payload,
                subject_type=None,
                subject_id=None,
            )

    def _conversation(self, account: int, agency: int, employer: int) -> None:
        rng = self.rng
        kind = rng.choice(list(ConversationKind))
        other = {
            ConversationKind.ADVISER: None,
            ConversationKind.EMPLOYER: employer,
            ConversationKind.SYSTEM: None,
        }[kind]
        conversation = self.ids.next("conversations")
        messages = []
        for m in range(rng.randint(1, 6)):
            author = account if m % 2 else (other if kind != ConversationKind.SYSTEM else None)
            messages.append(
                self.add(
                    "messages",
                    conversation_id=conversation,
                    author_id=author,
                    body="Bonjour, voici les informations demandées.",
                    created_at=self.ago(0, 30),
                )
            )
        self.add(
            "conversations",
            id=conversation,
            kind=kind.value,
            candidat_id=account,
            employer_id=other,
            agency_id=agency if kind == ConversationKind.ADVISER else None,
            subject_type=None,
            subject_id=None,
            title="Échange fictif",
            last_message_id=messages[-1],
            last_message_at=self.ago(0, 5),
            created_at=self.ago(5, 30),
        )
        if rng.random() < 0.6:
            self.add(
                "conversation_reads",
                conversation_id=conversation,
                account_id=account,
                last_read_message_id=rng.choice(messages),
                read_at=self.ago(0, 5),
            )


# Parents before children (foreign keys); conversations before their messages.
ORDER = (
    "agencies",
    "accounts",
    "companies",
    "offers",
    "dossiers",
    "cvs",
    "cv_experiences",
    "cv_educations",
    "alerts",
    "applications",
    "application_changes",
    "events",
    "conversations",
    "messages",
    "conversation_reads",
    "proposals",
)


async def seed(dsn: str, candidats: int, progress: Callable[[str], None]) -> dict[str, int]:
    """Fill the (migrated, empty) database; returns the row count of each table."""
    rows = Seeder(candidats).build()
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            # conversations.last_message_id has no foreign key, messages.conversation_id has.
            for table in ORDER:
                await _copy(conn, table, rows.get(table, []))
                progress(f"{table}: {len(rows.get(table, [])):,}")
            for table in _with_ids(rows):
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()
    return {table: len(rows.get(table, [])) for table in ORDER}


def _with_ids(rows: dict[str, list[dict[str, Any]]]) -> Iterable[str]:
    return [t for t in ORDER if t != "conversation_reads" and rows.get(t)]
