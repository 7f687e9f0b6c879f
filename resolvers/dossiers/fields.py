"""The vocabulary of the dossier form: enums with their French labels, and the input data."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from enum import IntEnum, StrEnum


class Civilite(StrEnum):
    MADAME = "MADAME"
    MONSIEUR = "MONSIEUR"


CIVILITE_LABELS = {Civilite.MADAME: "Madame", Civilite.MONSIEUR: "Monsieur"}


class Country(StrEnum):
    """Countries of residence offered by the form; the value is the ISO 3166-1 code."""

    FRANCE = "FR"
    ALGERIE = "DZ"
    ALLEMAGNE = "DE"
    ANDORRE = "AD"
    BELGIQUE = "BE"
    CANADA = "CA"
    ESPAGNE = "ES"
    ITALIE = "IT"
    LUXEMBOURG = "LU"
    MAROC = "MA"
    MONACO = "MC"
    PAYS_BAS = "NL"
    PORTUGAL = "PT"
    ROYAUME_UNI = "GB"
    SUISSE = "CH"
    TUNISIE = "TN"


COUNTRY_NAMES = {
    Country.FRANCE: "France",
    Country.ALGERIE: "Algérie",
    Country.ALLEMAGNE: "Allemagne",
    Country.ANDORRE: "Andorre",
    Country.BELGIQUE: "Belgique",
    Country.CANADA: "Canada",
    Country.ESPAGNE: "Espagne",
    Country.ITALIE: "Italie",
    Country.LUXEMBOURG: "Luxembourg",
    Country.MAROC: "Maroc",
    Country.MONACO: "Monaco",
    Country.PAYS_BAS: "Pays-Bas",
    Country.PORTUGAL: "Portugal",
    Country.ROYAUME_UNI: "Royaume-Uni",
    Country.SUISSE: "Suisse",
    Country.TUNISIE: "Tunisie",
}


class Situation(StrEnum):
    """Situation professionnelle actuelle, as the France Travail forms list it."""

    SALARIE = "SALARIE"
    TRAVAILLEUR_INDEPENDANT = "TRAVAILLEUR_INDEPENDANT"
    DEMANDEUR_EMPLOI = "DEMANDEUR_EMPLOI"
    ETUDIANT = "ETUDIANT"
    EN_FORMATION = "EN_FORMATION"
    SANS_ACTIVITE = "SANS_ACTIVITE"
    RETRAITE = "RETRAITE"
    AUTRE = "AUTRE"


SITUATION_LABELS = {
    Situation.SALARIE: "Salarié(e)",
    Situation.TRAVAILLEUR_INDEPENDANT: "Travailleur(se) indépendant(e), créateur(trice)",
    Situation.DEMANDEUR_EMPLOI: "Demandeur(se) d'emploi",
    Situation.ETUDIANT: "Étudiant(e), élève",
    Situation.EN_FORMATION: "En formation",
    Situation.SANS_ACTIVITE: "Sans activité professionnelle",
    Situation.RETRAITE: "Retraité(e)",
    Situation.AUTRE: "Autre situation",
}


class Qualification(IntEnum):
    """Niveau de qualification: the France Travail codes 1 to 9."""

    MANOEUVRE = 1
    OUVRIER_SPECIALISE = 2
    OUVRIER_QUALIFIE_P1_P2 = 3
    OUVRIER_QUALIFIE_P3_P4_OHQ = 4
    EMPLOYE_NON_QUALIFIE = 5
    EMPLOYE_QUALIFIE = 6
    TECHNICIEN_DESSINATEUR = 7
    AGENT_DE_MAITRISE = 8
    CADRE = 9


QUALIFICATION_LABELS = {
    Qualification.MANOEUVRE: "1 — Manœuvre",
    Qualification.OUVRIER_SPECIALISE: "2 — Ouvrier spécialisé (OS)",
    Qualification.OUVRIER_QUALIFIE_P1_P2: "3 — Ouvrier qualifié (P1, P2)",
    Qualification.OUVRIER_QUALIFIE_P3_P4_OHQ: "4 — Ouvrier qualifié (P3, P4, OHQ)",
    Qualification.EMPLOYE_NON_QUALIFIE: "5 — Employé non qualifié",
    Qualification.EMPLOYE_QUALIFIE: "6 — Employé qualifié",
    Qualification.TECHNICIEN_DESSINATEUR: "7 — Technicien, dessinateur",
    Qualification.AGENT_DE_MAITRISE: "8 — Agent de maîtrise",
    Qualification.CADRE: "9 — Cadre",
}


@dataclass(frozen=True, slots=True)
class DossierInput:
    """What the form sends. Everything may be missing: the checks say what is required."""

    name: str | None = None
    civilite: Civilite | None = None
    nom: str | None = None
    prenom: str | None = None
    pays: Country | None = None
    adresse: str | None = None
    complement_adresse1: str | None = None
    complement_adresse2: str | None = None
    postal_code: str | None = None
    commune_insee: str | None = None
    commune_name: str | None = None
    acheminement: str | None = None
    phone_mobile: str | None = None
    phone_fixe: str | None = None
    email: str | None = None
    inscrit_pole_emploi: bool | None = None
    identifiant_pole_emploi: str | None = None
    agency_id: int | None = None
    birth_date: date | None = None
    situation: Situation | None = None
    qualification: Qualification | None = None
    secret_question: str | None = None
    secret_answer: str | None = None


INPUT_FIELDS: frozenset[str] = frozenset(f.name for f in fields(DossierInput))

# The GraphQL input field names that userErrors point at.
FIELD = {
    "name": "name",
    "civilite": "civilite",
    "nom": "nom",
    "prenom": "prenom",
    "pays": "pays",
    "adresse": "adresse",
    "complement_adresse1": "complementAdresse1",
    "complement_adresse2": "complementAdresse2",
    "postal_code": "postalCode",
    "commune_insee": "communeInsee",
    "commune_name": "communeName",
    "acheminement": "acheminement",
    "phone_mobile": "phoneMobile",
    "phone_fixe": "phoneFixe",
    "email": "email",
    "inscrit_pole_emploi": "inscritPoleEmploi",
    "identifiant_pole_emploi": "identifiantPoleEmploi",
    "agency_id": "agencyId",
    "birth_date": "birthDate",
    "situation": "situation",
    "qualification": "qualification",
    "secret_question": "secretQuestion",
    "secret_answer": "secretAnswer",
}
