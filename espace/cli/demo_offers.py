"""Fictional offers for ``espace demo`` (and the vocabulary of ``bench/offers_gen.py``).

Every company, person and offer here is made up. The offers spread over several régions,
métiers (ROME v460) and contract types; the demo employer posts three of them itself, the
others come in through the FT v2 import, as an import from a partner would.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from models.base import utcnow
from models.identity import Account
from resolvers.core.unit_of_work import RuntimeWork
from resolvers.dossiers.fields import Qualification
from resolvers.offers import manage as offers
from resolvers.offers.fields import (
    SALARY_PERIOD_LABELS,
    DureeTravail,
    ExperienceExige,
    SalaryPeriod,
    TypeContrat,
)
from resolvers.offers.import_export import import_offers
from resolvers.offers.input import OfferInput, RequirementInput, SalaryInput

DEMO_ORIGIN = "DEMO"


@dataclass(frozen=True, slots=True)
class Template:
    """One métier: what its offers look like."""

    rome: str
    titles: tuple[str, ...]
    description: str
    skills: tuple[str, ...]
    contracts: tuple[str, ...]
    qualification: int
    salary: tuple[float, float, SalaryPeriod]


TEMPLATES = (
    Template(
        "D1102",
        ("Boulanger / Boulangère", "Boulanger de nuit (H/F)", "Ouvrier boulanger (H/F)"),
        "Fabrication du pain au levain et des viennoiseries dans un fournil artisanal.",
        ("Façonner des pâtons", "Conduire un four à bois"),
        ("CDI", "CDD", "SAI"),
        3,
        (1850, 2200, SalaryPeriod.MONTHLY),
    ),
    Template(
        "D1104",
        ("Pâtissier / Pâtissière", "Commis pâtissier (H/F)"),
        "Entremets, tartes et chocolats pour un salon de thé ; travail en équipe de quatre.",
        ("Réaliser des entremets", "Tempérer le chocolat"),
        ("CDI", "CDD"),
        6,
        (1900, 2300, SalaryPeriod.MONTHLY),
    ),
    Template(
        "D1106",
        ("Vendeur / Vendeuse en boulangerie", "Vendeuse en épicerie fine (H/F)"),
        "Accueil des clients, conseil, encaissement et mise en valeur de la vitrine.",
        ("Encaisser un règlement", "Conseiller un client"),
        ("CDD", "CDI", "SAI"),
        5,
        (11.88, 12.5, SalaryPeriod.HOURLY),
    ),
    Template(
        "G1602",
        ("Commis de cuisine (H/F)", "Aide de cuisine (H/F)"),
        "Préparations froides et chaudes, plonge et mise en place pour un restaurant.",
        ("Préparer les légumes", "Respecter les règles HACCP"),
        ("SAI", "CDD", "MIS"),
        5,
        (11.88, 12.2, SalaryPeriod.HOURLY),
    ),
    Template(
        "G1803",
        ("Serveur / Serveuse en restauration", "Chef de rang (H/F)"),
        "Service en salle et en terrasse, prise de commandes et encaissement.",
        ("Dresser une table", "Prendre une commande"),
        ("SAI", "CDD", "CDI"),
        5,
        (1800, 1950, SalaryPeriod.MONTHLY),
    ),
    Template(
        "J1501",
        ("Aide-soignant / Aide-soignante", "Aide-soignant de nuit (H/F)"),
        "Soins d'hygiène et de confort auprès de résidents d'un EHPAD.",
        ("Réaliser des soins d'hygiène", "Surveiller l'état de santé"),
        ("CDI", "CDD", "MIS"),
        5,
        (1950, 2250, SalaryPeriod.MONTHLY),
    ),
    Template(
        "J1506",
        ("Infirmier / Infirmière en soins généraux", "Infirmier de bloc (H/F)"),
        "Soins infirmiers dans un service de médecine ; roulement jour et nuit.",
        ("Administrer un traitement", "Tenir le dossier de soins"),
        ("CDI", "CDD"),
        8,
        (2300, 2900, SalaryPeriod.MONTHLY),
    ),
    Template(
        "K1303",
        ("Garde d'enfants à domicile (H/F)", "Baby-sitter (H/F)"),
        "Garde d'enfants de 3 et 6 ans après l'école : goûter, devoirs, jeux.",
        ("Assurer la sécurité des enfants",),
        ("CDI", "CDD"),
        5,
        (12.0, 13.5, SalaryPeriod.HOURLY),
    ),
    Template(
        "M1805",
        ("Développeur / Développeuse Python", "Développeur web (H/F)"),
        "Développement d'API et de services web pour des collectivités ; télétravail partiel.",
        ("Python", "PostgreSQL", "GraphQL"),
        ("CDI", "CDD", "LIB"),
        9,
        (38000, 52000, SalaryPeriod.YEARLY),
    ),
    Template(
        "M1607",
        ("Secrétaire administratif (H/F)", "Assistant administratif / Assistante administrative"),
        "Accueil téléphonique, courrier, agendas et classement pour un cabinet.",
        ("Gérer un agenda", "Rédiger un courrier"),
        ("CDI", "CDD", "MIS"),
        6,
        (1850, 2100, SalaryPeriod.MONTHLY),
    ),
    Template(
        "M1203",
        ("Comptable (H/F)", "Comptable fournisseurs (H/F)"),
        "Saisie, rapprochements bancaires et préparation des clôtures mensuelles.",
        ("Réaliser un rapprochement bancaire",),
        ("CDI", "CDD"),
        7,
        (28000, 34000, SalaryPeriod.YEARLY),
    ),
    Template(
        "N4101",
        ("Conducteur / Conductrice de poids lourd", "Chauffeur PL régional (H/F)"),
        "Livraisons régionales au départ de l'entrepôt, retour chaque soir.",
        ("Conduire un poids lourd", "Arrimer une charge"),
        ("CDI", "MIS", "CDD"),
        4,
        (13.5, 14.5, SalaryPeriod.HOURLY),
    ),
    Template(
        "N1103",
        ("Préparateur / Préparatrice de commandes", "Cariste préparateur (H/F)"),
        "Préparation de commandes en entrepôt, scanner et chariot.",
        ("Utiliser un scanner", "Conduire un chariot"),
        ("MIS", "CDD", "TTI"),
        2,
        (11.88, 12.3, SalaryPeriod.HOURLY),
    ),
    Template(
        "F1603",
        ("Plombier / Plombière sanitaire", "Plombier chauffagiste (H/F)"),
        "Installation et dépannage sanitaire chez des particuliers.",
        ("Souder", "Poser des sanitaires"),
        ("CDI", "CDD", "DDI"),
        4,
        (2000, 2500, SalaryPeriod.MONTHLY),
    ),
    Template(
        "K2204",
        ("Agent / Agente de nettoyage", "Agent d'entretien (H/F)"),
        "Entretien de bureaux tôt le matin, produits écologiques.",
        ("Appliquer un protocole de nettoyage",),
        ("CDI", "DDI", "DIN", "DDT"),
        1,
        (11.88, 12.0, SalaryPeriod.HOURLY),
    ),
)

# INSEE codes across régions: Bretagne, Pays de la Loire, Île-de-France, Auvergne-Rhône-
# Alpes, Provence-Alpes-Côte d'Azur, Occitanie, Nouvelle-Aquitaine, Grand Est,
# Hauts-de-France, Normandie, Bourgogne-Franche-Comté, Centre-Val de Loire, La Réunion.
PLACES = (
    "22070", "22278", "35238", "29019", "44109", "75111", "69381", "63113", "13201",
    "31555", "34172", "33063", "67482", "59350", "76540", "21231", "45234", "97411",
)  # fmt: skip

EMPLOYERS = (
    "Fournil du Trieux (fictif)",
    "Octets de Bretagne (fictif)",
    "Résidence des Tilleuls (fictive)",
    "Transports du Ponant (fictif)",
    "Cabinet Exemple & Associés (fictif)",
    "Brasserie de la Démo (fictive)",
    "Propreté Modèle (fictive)",
    "Plomberie Imaginaire (fictive)",
)


def salary_libelle(low: float, high: float, period: SalaryPeriod) -> str:
    return f"{SALARY_PERIOD_LABELS[period]} de {low:.2f} Euros à {high:.2f} Euros"


def demo_records(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """``count`` fictional FT v2 records, the same ones for the same seed."""
    rng = random.Random(seed)
    now = utcnow()
    records = []
    for index in range(count):
        t = rng.choice(TEMPLATES)
        contract = rng.choice(t.contracts)
        low, high, period = t.salary
        letters = "".join(rng.choice(string.ascii_uppercase) for _ in range(4))
        months = rng.choice((2, 3, 6, 12)) if contract in {"CDD", "MIS", "SAI"} else None
        label = {"CDI": "Contrat à durée indéterminée"}.get(contract, contract)
        experience = rng.choice(("D", "S", "E"))
        created = now - timedelta(days=rng.randrange(0, 30), hours=rng.randrange(0, 24))
        records.append(
            {
                "id": f"{index % 1000:03d}{letters}",
                "intitule": rng.choice(t.titles),
                "description": t.description,
                "dateCreation": created.isoformat(),
                "lieuTravail": {"commune": rng.choice(PLACES)},
                "romeCode": t.rome,
                "entreprise": {"nom": rng.choice(EMPLOYERS)},
                "typeContrat": contract,
                "typeContratLibelle": f"{label} - {months} Mois" if months else label,
                "natureContrat": "Contrat travail",
                "experienceExige": experience,
                "experienceLibelle": "Débutant accepté" if experience == "D" else "1 An(s)",
                "competences": [{"libelle": s, "exigence": "S"} for s in t.skills],
                "salaire": {"libelle": salary_libelle(low, high, period)},
                "dureeTravailLibelle": "35H Horaires normaux",
                "dureeTravailLibelleConverti": rng.choice(("Temps plein", "Temps partiel")),
                "nombrePostes": rng.choice((1, 1, 1, 2, 3)),
                "accessibleTH": rng.random() < 0.3,
                "qualificationCode": str(t.qualification),
                "origineOffre": {"origine": DEMO_ORIGIN},
            }
        )
    return records


async def seed_offers(runtime: Any, employer: Account, count: int = 60) -> int:
    """The demo employer's three offers, and ``count`` imported ones; how many in all."""
    work = RuntimeWork(runtime)
    try:
        async with work.write() as session:
            for title, rome, contract, insee in (
                ("Boulanger / Boulangère", "D1102", TypeContrat.CDI, "22070"),
                ("Vendeur / Vendeuse en boulangerie", "D1106", TypeContrat.CDD, "22278"),
                ("Pâtissier / Pâtissière", "D1104", TypeContrat.SAI, "35238"),
            ):
                offer = await offers.create_offer(
                    session,
                    runtime.refdata,
                    employer,
                    OfferInput(
                        intitule=title,
                        description="Boulangerie fictive de démonstration : "
                        "pain au levain, viennoiseries, accueil des clients.",
                        commune_insee=insee,
                        rome_code=rome,
                        type_contrat=contract,
                        duree_contrat_mois=None if contract == TypeContrat.CDI else 6,
                        experience_exige=ExperienceExige.D,
                        qualification=Qualification.OUVRIER_QUALIFIE_P1_P2,
                        salaire=SalaryInput(1850, 2100, SalaryPeriod.MONTHLY),
                        duree_travail=DureeTravail.TEMPS_PLEIN,
                        heures_hebdo=35,
                        competences=(RequirementInput("Façonner des pâtons"),),
                    ),
                )
                await offers.change_status(session, employer, offer.id, "publish")
        summary = await import_offers(work, runtime.refdata, demo_records(count))
    finally:
        await work.close()
    return 3 + summary.created
