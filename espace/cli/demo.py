"""``espace demo``: the whole product on one machine, with fictional data.

A fresh SQLite database under ``var/``, an embedded SMTP catcher (aiosmtpd) that the mailer
sends to, the caught mails on ``/dev/mails``, and the server on http://HOST:PORT.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import uvicorn
from aiosmtpd.controller import Controller

from espace.app import create_app
from espace.cli.demo_cvs import seed_cv
from espace.cli.demo_file import seed_file
from espace.cli.demo_mail import _Catcher, _free_port, _listen
from espace.cli.demo_offers import seed_offers
from espace.sse import SHUTDOWN_GRACE_SECONDS
from ground.migrate import upgrade
from ground.runtime import Runtime
from ground.settings import Settings
from models.alerts import AlertFrequency
from models.base import utcnow
from models.dashboard import AnnouncementKind
from models.dossiers import Agency
from resolvers.alerts.manage import create_alert
from resolvers.core.unit_of_work import RuntimeWork
from resolvers.dashboard import events as dashboard
from resolvers.dossiers.fields import Civilite, DossierInput, Qualification, Situation
from resolvers.dossiers.manage import create_dossier
from resolvers.identity import sign_up as identity_sign_up
from resolvers.offers.criteria import OfferCriteria

DEMO_DIR = Path("var")
DEMO_PASSWORD = "Chaussette bleue sur la lune 42"

# Frontend dev servers that may call the demo from a browser (CORS and WebSocket Origin):
# Vite's default port, then Create React App's (and Next.js's).
DEV_ORIGINS = (
    "http://localhost:5173",
    "http://127.0.0.1:5173",
    "http://localhost:3000",
    "http://127.0.0.1:3000",
)

AGENCIES = [
    ("DEMO22", "Agence de Guingamp (fictive)", "1 place du Champ au Roy", "22200", "22070"),
    ("DEMO35", "Agence de Rennes Nord (fictive)", "10 rue de la Démo", "35000", "35238"),
    ("DEMO974", "Agence de Saint-Denis (fictive)", "5 rue de l'Exemple", "97400", "97411"),
]


@dataclass
class DemoAccount:
    label: str
    login: str
    postal_code: str | None


async def seed(runtime: Runtime) -> list[DemoAccount]:
    """Fictional agencies, an adviser, an employer, offers and two candidats with dossiers
    and published CVs; Camille's unemployment file (``demo_file``)."""
    work = RuntimeWork(runtime)
    accounts: list[DemoAccount] = []
    try:
        async with work.write() as session:
            agencies = [
                Agency(code=c, name=n, address=a, postal_code=p, commune_insee=i)
                for c, n, a, p, i in AGENCIES
            ]
            session.add_all(agencies)
            await session.flush()
            agency_ids = [a.id for a in agencies]
        adviser = await identity_sign_up.adviser_create(
            work,
            runtime,
            email="conseiller.demo@example.org",
            name="Claude Conseil (fictif)",
            password=DEMO_PASSWORD,
            agency_code="DEMO22",
        )
        accounts.append(DemoAccount("Conseiller", adviser.email or "", None))
        employer = await identity_sign_up.employer_sign_up(
            work,
            runtime,
            email="recrutement@boulangerie-exemple.example",
            password=DEMO_PASSWORD,
            company_name="Boulangerie Exemple (fictive)",
        )
        accounts.append(DemoAccount("Employeur", employer.email or "", None))
        await seed_offers(runtime, employer)
        people = [
            (
                "22200",
                Civilite.MADAME,
                "Exemple",
                "Camille",
                "22070",
                "+33612345678",
                "camille.exemple@example.org",
                False,
                agency_ids[0],
            ),
            (
                "97400",
                Civilite.MONSIEUR,
                "Démo",
                "Dominique",
                "97411",
                None,
                "dominique.demo@example.org",
                True,
                None,
            ),
        ]
        for cp, civ, nom, prenom, insee, phone, mail, confirmed, agency_id in people:
            account = await identity_sign_up.candidate_sign_up(
                work, runtime, password=DEMO_PASSWORD, postal_code=cp, email=None
            )
            async with work.write() as session:
                dossier = await create_dossier(
                    session,
                    runtime,
                    account,
                    DossierInput(
                        name="DRE1",
                        civilite=civ,
                        nom=nom,
                        prenom=prenom,
                        adresse="3 rue des Exemples",
                        complement_adresse1="escalier C",
                        postal_code=cp,
                        commune_insee=insee,
                        phone_mobile=phone,
                        email=mail,
                        inscrit_pole_emploi=agency_id is not None,
                        identifiant_pole_emploi=account.identifiant if agency_id else None,
                        agency_id=agency_id,
                        birth_date=date(1990, 5, 17),
                        situation=Situation.DEMANDEUR_EMPLOI,
                        qualification=Qualification.EMPLOYE_QUALIFIE,
                        secret_question="Le nom de mon premier animal de compagnie ?",
                        secret_answer="Filou",
                    ),
                )
                await seed_cv(session, runtime, account, dossier.id, mail)
                if confirmed:
                    dossier.email_confirmed_at = utcnow()
                    await session.flush()
                    commune = runtime.refdata.commune(insee)
                    # An instant alert: offers the demo employer publishes in the région
                    # reach this candidat's mailbox (/dev/mails) and dashboard at once.
                    await create_alert(
                        session,
                        runtime.refdata,
                        account,
                        dossier.id,
                        "Offres dans ma région",
                        OfferCriteria(region=commune.region_code if commune else None),
                        AlertFrequency.INSTANT,
                    )
            accounts.append(
                DemoAccount(f"Candidat ({prenom} {nom})", account.identifiant or "", cp)
            )
            if agency_id is not None:  # registered at the adviser's agency: the whole file
                await seed_file(runtime, adviser, account, DEMO_PASSWORD)
        async with work.write() as session:
            await dashboard.publish_announcement(
                session,
                adviser,
                AnnouncementKind.ACTUALITE,
                "Nouveau : suivez votre tableau de bord en direct",
                "Les nouveaux événements de votre dossier s'affichent sans recharger la page.",
                None,
                None,
            )
            await dashboard.publish_announcement(
                session,
                adviser,
                AnnouncementKind.EVENEMENT,
                "Forum de l'emploi de Guingamp (fictif)",
                "Rencontrez des employeurs de la région, sans rendez-vous.",
                "53",
                date(2027, 3, 18),
            )
    finally:
        await work.close()
    return accounts


def run_demo(host: str = "127.0.0.1", port: int = 8000) -> int:
    """Check the port, create a fresh demo database (every run starts over), start the SMTP
    catcher and serve; prints how to sign in."""
    listener = _listen(host, port)
    if listener is None:
        return 1
    print(
        "espace demo : nouvelle base de démonstration (les données repartent de zéro)…",
        flush=True,
    )
    DEMO_DIR.mkdir(exist_ok=True)
    database = DEMO_DIR / "demo.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    smtp_port = _free_port()
    catcher = Controller(_Catcher(), hostname="127.0.0.1", port=smtp_port)
    catcher.start()
    public = f"http://{'127.0.0.1' if host in {'0.0.0.0', '::'} else host}:{port}"
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{database}",
        demo=True,
        debug=True,
        public_url=public,
        smtp_host="127.0.0.1",
        smtp_port=smtp_port,
        outbox_poll_interval=0.5,
    )
    settings = demo_origins(settings)
    try:
        upgrade(settings.database_url)
        seed_runtime = Runtime.create(settings)

        async def do_seed() -> list[DemoAccount]:
            try:
                return await seed(seed_runtime)
            finally:
                await seed_runtime.engine.dispose()

        accounts = asyncio.run(do_seed())
        _banner(public, accounts)
        config = uvicorn.Config(
            create_app(settings),
            log_level="warning",
            ws_per_message_deflate=False,
            # Event streams never end by themselves: cancel them at shutdown after a grace.
            timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
        )
        uvicorn.Server(config).run(sockets=[listener])
    finally:
        catcher.stop()
        listener.close()
    return 0


def demo_origins(settings: Settings) -> Settings:
    """The settings with the dev servers' origins added to ``ESPACE_ALLOWED_ORIGINS``."""
    origins = list(dict.fromkeys([*settings.allowed_origins, *DEV_ORIGINS]))
    return settings.model_copy(update={"allowed_origins": origins})


def _banner(public: str, accounts: list[DemoAccount]) -> None:
    print()
    print("Espace Candidat — démonstration (données fictives)")
    print(f"  Accueil             {public}/")
    print(f"  GraphiQL            {public}/graphql")
    print(f"  Courriels reçus     {public}/dev/mails")
    print(f"  Santé               {public}/healthz")
    print(f"  Origines autorisées (CORS) : {', '.join(DEV_ORIGINS)}")
    print()
    print(f"  Mot de passe de tous les comptes : {DEMO_PASSWORD}")
    for a in accounts:
        extra = f"  code postal {a.postal_code}" if a.postal_code else ""
        print(f"  {a.label:<32} {a.login}{extra}")
    print(flush=True)
