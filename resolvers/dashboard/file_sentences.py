"""The sentences of « Mon dossier de demandeur d'emploi », as the seed's espace personnel
words them, and where the month's declaration stands."""

from __future__ import annotations

import calendar
from datetime import timedelta
from enum import StrEnum

from models.actualisation import Actualisation
from models.agenda import Appointment
from resolvers.actualisation.windows import day_label, period_label, window_sentence
from resolvers.agenda.manage import when_label
from resolvers.core.pdf import paris_date
from resolvers.dashboard.file_parts import FileSummary


class DeclarationState(StrEnum):
    """Where this month's declaration stands for the candidat."""

    TO_DECLARE = "TO_DECLARE"
    DECLARED = "DECLARED"
    NOT_OPEN = "NOT_OPEN"
    NOT_REGISTERED = "NOT_REGISTERED"


def declaration_state(file: FileSummary) -> DeclarationState:
    state = file.window
    if state is None:
        return DeclarationState.NOT_REGISTERED
    if not state.is_open:
        return DeclarationState.NOT_OPEN
    return DeclarationState.DECLARED if state.declared else DeclarationState.TO_DECLARE


def window_sentence_while_open(file: FileSummary) -> str | None:
    """« Je m'actualise du 28 septembre au 15 octobre », while that window is open."""
    state = file.window
    return window_sentence(state.window) if state is not None and state.is_open else None


def declaration_sentence(file: FileSummary) -> str:
    """Where the month's declaration stands, in French."""
    state = file.window
    match declaration_state(file):
        case DeclarationState.NOT_REGISTERED:
            return "Vous n'êtes pas inscrit comme demandeur d'emploi : pas d'actualisation."
        case DeclarationState.NOT_OPEN:
            assert state is not None
            last = state.window.closes_at - timedelta(seconds=1)
            return (
                f"Prochaine actualisation, pour {period_label(state.window.period)} : "
                f"du {day_label(state.window.opens_at)} au {day_label(last)}."
            )
        case DeclarationState.DECLARED:
            assert state is not None
            return f"Actualisation de {period_label(state.window.period)} : enregistrée."
        case DeclarationState.TO_DECLARE:
            assert state is not None
            last = state.window.closes_at - timedelta(seconds=1)
            return (
                f"Actualisation de {period_label(state.window.period)} : à faire "
                f"jusqu'au {day_label(last)}."
            )


def last_actualisation_sentence(row: Actualisation | None) -> str | None:
    """« Ma dernière actualisation a été validée le 30/09/2011 (pour la période du 01/09/2011
    au 30/09/2011) »: the day of its last version, Paris time."""
    if row is None:
        return None
    last_day = row.period.replace(day=calendar.monthrange(row.period.year, row.period.month)[1])
    return (
        f"Ma dernière actualisation a été validée le {paris_date(row.submitted_at):%d/%m/%Y} "
        f"(pour la période du {row.period:%d/%m/%Y} au {last_day:%d/%m/%Y})"
    )


def next_appointment_sentence(row: Appointment | None) -> str | None:
    """« Mon prochain rendez-vous : le 8 octobre 2026 à 10 h 00 (heure de Paris), … »."""
    if row is None:
        return None
    return f"Mon prochain rendez-vous : {when_label(row.starts_at)}, {row.theme}"


def unread_letters_sentence(count: int) -> str:
    if count == 0:
        return "Aucun nouveau courrier"
    if count == 1:
        return "1 courrier non lu"
    return f"{count} courriers non lus"
