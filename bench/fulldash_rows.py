"""Row builders of ``bench.fulldash_seed``: one candidat's belongings, as column dicts
with explicit ids (dossiers, CVs and their items, alerts, applications, events,
conversations with their messages)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ground.passwords import Hasher
from models.applications import ApplicationStatus
from models.dashboard import EventKind
from models.messages import ConversationKind
from resolvers.offers.criteria import OfferCriteria
from resolvers.offers.fields import TypeContrat

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


class Rows:
    """The rows of every table, built in memory, with their ids."""

    def __init__(self, seed: int) -> None:
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
        _rome, label = self.rng.choice(JOBS)
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
