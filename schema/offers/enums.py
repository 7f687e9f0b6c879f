"""The enums of the offers domain (FT v2 codes), each value described by its label."""

from __future__ import annotations

from models.offers import OfferStatus
from resolvers.offers import fields as f
from schema.core.base import described_enum

OfferStatusEnum = described_enum(
    OfferStatus,
    "OfferStatus",
    "Where an offer is in its life: DRAFT -> PUBLISHED <-> PAUSED -> CLOSED.",
    {
        OfferStatus.DRAFT: "Brouillon: only its employer sees it.",
        OfferStatus.PUBLISHED: "Publiée: everyone finds it.",
        OfferStatus.PAUSED: "Suspendue: hidden until published again.",
        OfferStatus.CLOSED: "Clôturée: for good.",
    },
)
TypeContratEnum = described_enum(
    f.TypeContrat, "TypeContrat", "Type de contrat (FT v2 codes).", f.TYPE_CONTRAT_LABELS
)
NatureContratEnum = described_enum(
    f.NatureContrat, "NatureContrat", "Nature du contrat (FT v2 codes).", f.NATURE_CONTRAT_LABELS
)
ExperienceExigeEnum = described_enum(
    f.ExperienceExige, "ExperienceExige", "Expérience demandée (FT v2).", f.EXPERIENCE_LABELS
)
SalaryPeriodEnum = described_enum(
    f.SalaryPeriod,
    "SalaryPeriod",
    "What a salary amount is for; monthly = hourly x 151.67 = yearly / 12.",
    f.SALARY_PERIOD_LABELS,
)
DureeTravailEnum = described_enum(
    f.DureeTravail, "DureeTravail", "Temps plein ou partiel.", f.DUREE_TRAVAIL_LABELS
)
NiveauFormationEnum = described_enum(
    f.NiveauFormation, "NiveauFormation", "Niveau de formation.", f.NIVEAU_FORMATION_LABELS
)
ExigenceEnum = described_enum(
    f.Exigence, "Exigence", "E (exigé) or S (souhaité).", f.EXIGENCE_LABELS
)
CompanySizeEnum = described_enum(
    f.CompanySize, "CompanySize", "Tranche d'effectif salarié.", f.COMPANY_SIZE_LABELS
)
