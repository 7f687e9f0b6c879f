"""The receipt (récépissé) of a declaration: its number, « enregistrée le … à … », and the
PDF, drawn with fpdf2 from the stored declaration whenever it is downloaded (the same
declaration always gives the same document)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from fpdf import FPDF

from models.actualisation import Actualisation
from resolvers.actualisation.windows import period_label

PARIS = ZoneInfo("Europe/Paris")
REASONS = {"EMPLOI": "reprise d'emploi", "RETRAITE": "retraite", "AUTRE": "autre motif"}


def receipt_number(account_id: int, period: date, version: int) -> str:
    """One number per version of a declaration: A<yyyymm>-<account>-<version>."""
    return f"A{period:%Y%m}-{account_id:08d}-{version}"


def registered_parts(at: datetime) -> tuple[str, str]:
    """(« 29/09/2026 », « 10:15 »), Paris time."""
    local = at.astimezone(PARIS)
    return local.strftime("%d/%m/%Y"), local.strftime("%H:%M")


def registered_sentence(at: datetime) -> str:
    """« Déclaration enregistrée le 29/09/2026 à 10:15 »."""
    day, hour = registered_parts(at)
    return f"Déclaration enregistrée le {day} à {hour}"


def euros(cents: int | None) -> str:
    """« 1 234,56 EUR » (the PDF core fonts have no euro sign)."""
    value = cents or 0
    whole = f"{value // 100:,}".replace(",", " ")
    return f"{whole},{value % 100:02d} EUR"


def _fr(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def statements(answers: dict[str, Any]) -> list[str]:
    """The seven statements as the candidat answered them, in French."""
    lines = []
    if answers.get("stillLooking"):
        lines.append("1. Je recherche toujours un emploi : oui")
    else:
        reason = REASONS.get(answers.get("stopReason") or "", "")
        since = _fr(answers["stopDate"])
        lines.append(f"1. Je recherche toujours un emploi : non, depuis le {since} ({reason})")
    if answers.get("worked"):
        lines.append("2. J'ai travaillé : oui")
        for e in answers.get("employers") or []:
            ended = ", contrat terminé" if e.get("contractEnded") else ""
            lines.append(
                f"    - {e['name']} : {e['hours']} h, {euros(e['grossPayCents'])} brut{ended}"
            )
    else:
        lines.append("2. J'ai travaillé : non")
    for key, number, label in (("training", 3, "formation ou stage"), ("sick", 4, "arrêt maladie")):
        span = answers.get(key)
        text = f"oui, du {_fr(span['start'])} au {_fr(span['end'])}" if span else "non"
        lines.append(f"{number}. {label.capitalize()} : {text}")
    for key, number, label in (
        ("maternity", 5, "congé maternité ou paternité"),
        ("retirement", 6, "pension de retraite"),
        ("invalidity", 7, "pension d'invalidité"),
    ):
        day = answers.get(key)
        lines.append(f"{number}. {label.capitalize()} : {'oui, le ' + _fr(day) if day else 'non'}")
    return lines


def receipt_pdf(row: Actualisation, identifiant: str | None) -> bytes:
    """The receipt as a PDF (A4, French)."""
    pdf = FPDF(format="A4")
    pdf.set_compression(False)  # a small document, and its text stays searchable
    pdf.set_title(f"Récépissé d'actualisation {row.number}")
    pdf.set_creation_date(row.submitted_at)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, "Récépissé d'actualisation mensuelle", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    head = [
        f"Période : {period_label(row.period)}",
        f"Récépissé n° {row.number}",
        f"{registered_sentence(row.submitted_at)}.",
    ]
    if identifiant:
        head.insert(0, f"Identifiant : {identifiant}")
    if row.version > 1:
        head.append(f"Déclaration corrigée (version {row.version}).")
    for line in head:
        pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 8, "Ma déclaration", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    for line in statements(row.answers):
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
