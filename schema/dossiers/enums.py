"""The enums of the dossiers domain, each value described by its French label."""

from __future__ import annotations

from resolvers.dossiers.fields import (
    CIVILITE_LABELS,
    COUNTRY_NAMES,
    QUALIFICATION_LABELS,
    SITUATION_LABELS,
    Civilite,
    Country,
    Qualification,
    Situation,
)
from schema.core.base import described_enum

CiviliteEnum = described_enum(Civilite, "Civilite", "Civilité.", CIVILITE_LABELS)
PaysEnum = described_enum(
    Country, "Pays", "Country of residence (France, or one of a few others).", COUNTRY_NAMES
)
SituationEnum = described_enum(
    Situation, "SituationProfessionnelle", "Situation professionnelle actuelle.", SITUATION_LABELS
)
QualificationEnum = described_enum(
    Qualification,
    "Qualification",
    "Niveau de qualification, France Travail codes 1 to 9.",
    QUALIFICATION_LABELS,
)
