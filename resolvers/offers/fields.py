"""The vocabulary of offers, as France Travail's "Offres d'emploi v2" API: codes and labels."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class TypeContrat(StrEnum):
    """Type de contrat (FT ``typeContrat`` codes)."""

    CDI = "CDI"
    CDD = "CDD"
    MIS = "MIS"
    SAI = "SAI"
    CCE = "CCE"
    FRA = "FRA"
    LIB = "LIB"
    REP = "REP"
    TTI = "TTI"
    DDI = "DDI"
    DIN = "DIN"
    DDT = "DDT"


TYPE_CONTRAT_LABELS = {
    TypeContrat.CDI: "Contrat à durée indéterminée",
    TypeContrat.CDD: "Contrat à durée déterminée",
    TypeContrat.MIS: "Mission intérimaire",
    TypeContrat.SAI: "Contrat travail saisonnier",
    TypeContrat.CCE: "Profession commerciale",
    TypeContrat.FRA: "Franchise",
    TypeContrat.LIB: "Profession libérale",
    TypeContrat.REP: "Reprise d'entreprise",
    TypeContrat.TTI: "Contrat travail temporaire insertion",
    TypeContrat.DDI: "Contrat durée déterminée insertion",
    TypeContrat.DIN: "CDI intérimaire",
    TypeContrat.DDT: "CDD tremplin",
}

# Contracts with an end: their length in months may be given.
FIXED_TERM = frozenset(
    {TypeContrat.CDD, TypeContrat.MIS, TypeContrat.SAI, TypeContrat.TTI, TypeContrat.DDI}
    | {TypeContrat.DDT}
)


class NatureContrat(StrEnum):
    """Nature du contrat (FT ``natureContrat`` codes)."""

    E1 = "E1"
    E2 = "E2"
    FA = "FA"
    FJ = "FJ"
    FS = "FS"
    FT = "FT"
    FU = "FU"
    I1 = "I1"
    NS = "NS"
    FV = "FV"
    FW = "FW"
    FX = "FX"
    FY = "FY"
    PS = "PS"
    PR = "PR"
    CC = "CC"
    CU = "CU"
    EE = "EE"
    ER = "ER"
    CI = "CI"


NATURE_CONTRAT_LABELS = {
    NatureContrat.E1: "Contrat travail",
    NatureContrat.E2: "Contrat apprentissage",
    NatureContrat.FA: "Act. Formation pré.recrut.",
    NatureContrat.FJ: "Contrat pacte",
    NatureContrat.FS: "Cont. professionnalisation",
    NatureContrat.FT: "CUI - CAE",
    NatureContrat.FU: "CUI - CIE",
    NatureContrat.I1: "Insertion par l'activ.éco.",
    NatureContrat.NS: "Emploi non salarié",
    NatureContrat.FV: "Prépa.opérationnel.emploi",
    NatureContrat.FW: "Emploi Avenir non marchand",
    NatureContrat.FX: "Emploi Avenir marchand",
    NatureContrat.FY: "Emploi Avenir Professeur",
    NatureContrat.PS: "Portage salarial",
    NatureContrat.PR: "Contrat PrAB",
    NatureContrat.CC: "CDI de chantier ou d'opération",
    NatureContrat.CU: "Contrat d'usage",
    NatureContrat.EE: "Contrat d'Engagement Educatif",
    NatureContrat.ER: "Engagement à servir dans la réserve",
    NatureContrat.CI: "Contrat intermittent",
}


class ExperienceExige(StrEnum):
    """Expérience: D (débutant accepté), S (souhaitée), E (exigée)."""

    D = "D"
    S = "S"
    E = "E"


EXPERIENCE_LABELS = {
    ExperienceExige.D: "Débutant accepté",
    ExperienceExige.S: "Expérience souhaitée",
    ExperienceExige.E: "Expérience exigée",
}


class SalaryPeriod(StrEnum):
    HOURLY = "HOURLY"
    MONTHLY = "MONTHLY"
    YEARLY = "YEARLY"


SALARY_PERIOD_LABELS = {
    SalaryPeriod.HOURLY: "Horaire",
    SalaryPeriod.MONTHLY: "Mensuel",
    SalaryPeriod.YEARLY: "Annuel",
}

HOURS_PER_MONTH = 151.67  # 35 h x 52 weeks / 12 months


def monthly(amount: float, period: SalaryPeriod) -> float:
    """The amount per month: hourly x 151.67, yearly / 12."""
    if period == SalaryPeriod.HOURLY:
        value = Decimal(str(amount)) * Decimal(str(HOURS_PER_MONTH))
    elif period == SalaryPeriod.YEARLY:
        value = Decimal(str(amount)) / 12
    else:
        return amount
    return float(value.quantize(Decimal("0.01"), ROUND_HALF_UP))


class DureeTravail(StrEnum):
    TEMPS_PLEIN = "TEMPS_PLEIN"
    TEMPS_PARTIEL = "TEMPS_PARTIEL"


DUREE_TRAVAIL_LABELS = {
    DureeTravail.TEMPS_PLEIN: "Temps plein",
    DureeTravail.TEMPS_PARTIEL: "Temps partiel",
}


class NiveauFormation(StrEnum):
    """Niveau de formation, with the labels FT v2 uses in ``formations[].niveauLibelle``."""

    AUCUN = "AUCUN"
    BREVET = "BREVET"
    CAP_BEP = "CAP_BEP"
    BAC = "BAC"
    BAC_2 = "BAC_2"
    BAC_3_4 = "BAC_3_4"
    BAC_5 = "BAC_5"


NIVEAU_FORMATION_LABELS = {
    NiveauFormation.AUCUN: "Aucune formation scolaire",
    NiveauFormation.BREVET: "3ème achevée ou Brevet",
    NiveauFormation.CAP_BEP: "CAP, BEP et équivalents",
    NiveauFormation.BAC: "Bac ou équivalent",
    NiveauFormation.BAC_2: "Bac+2 ou équivalents",
    NiveauFormation.BAC_3_4: "Bac+3, Bac+4 ou équivalents",
    NiveauFormation.BAC_5: "Bac+5 et plus ou équivalents",
}


class Exigence(StrEnum):
    """Whether a requirement is E (exigé) or S (souhaité)."""

    E = "E"
    S = "S"


EXIGENCE_LABELS = {Exigence.E: "Exigé", Exigence.S: "Souhaité"}


class CompanySize(StrEnum):
    """Tranche d'effectif salarié (INSEE bands)."""

    SALARIES_0 = "SALARIES_0"
    SALARIES_1_2 = "SALARIES_1_2"
    SALARIES_3_5 = "SALARIES_3_5"
    SALARIES_6_9 = "SALARIES_6_9"
    SALARIES_10_19 = "SALARIES_10_19"
    SALARIES_20_49 = "SALARIES_20_49"
    SALARIES_50_99 = "SALARIES_50_99"
    SALARIES_100_199 = "SALARIES_100_199"
    SALARIES_200_249 = "SALARIES_200_249"
    SALARIES_250_499 = "SALARIES_250_499"
    SALARIES_500_999 = "SALARIES_500_999"
    SALARIES_1000_1999 = "SALARIES_1000_1999"
    SALARIES_2000_4999 = "SALARIES_2000_4999"
    SALARIES_5000_9999 = "SALARIES_5000_9999"
    SALARIES_10000_PLUS = "SALARIES_10000_PLUS"


COMPANY_SIZE_LABELS = {
    CompanySize.SALARIES_0: "0 salarié",
    CompanySize.SALARIES_1_2: "1 ou 2 salariés",
    CompanySize.SALARIES_3_5: "3 à 5 salariés",
    CompanySize.SALARIES_6_9: "6 à 9 salariés",
    CompanySize.SALARIES_10_19: "10 à 19 salariés",
    CompanySize.SALARIES_20_49: "20 à 49 salariés",
    CompanySize.SALARIES_50_99: "50 à 99 salariés",
    CompanySize.SALARIES_100_199: "100 à 199 salariés",
    CompanySize.SALARIES_200_249: "200 à 249 salariés",
    CompanySize.SALARIES_250_499: "250 à 499 salariés",
    CompanySize.SALARIES_500_999: "500 à 999 salariés",
    CompanySize.SALARIES_1000_1999: "1 000 à 1 999 salariés",
    CompanySize.SALARIES_2000_4999: "2 000 à 4 999 salariés",
    CompanySize.SALARIES_5000_9999: "5 000 à 9 999 salariés",
    CompanySize.SALARIES_10000_PLUS: "10 000 salariés et plus",
}


def months_label(months: int) -> str:
    """FT v2's durations: « 2 An(s) » for whole years, « 6 Mois » otherwise."""
    return f"{months // 12} An(s)" if months % 12 == 0 else f"{months} Mois"


def experience_label(exige: ExperienceExige, months: int | None) -> str:
    """« Débutant accepté », « Expérience exigée de 2 An(s) »…"""
    if exige == ExperienceExige.D:
        return EXPERIENCE_LABELS[exige]
    if months is None:
        return EXPERIENCE_LABELS[exige]
    return f"{EXPERIENCE_LABELS[exige]} de {months_label(months)}"


def hours_label(hours: float) -> str:
    """35 -> « 35H », 24.5 -> « 24H30 »."""
    whole = int(hours)
    minutes = round((hours - whole) * 60)
    return f"{whole}H{minutes:02d}" if minutes else f"{whole}H"
