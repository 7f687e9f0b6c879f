"""French A4 documents (letters, attestations) with fpdf2.

The PDF's built-in Helvetica covers French with the Windows-1252 encoding (accents, « », œ,
€), so no font file is shipped and nothing depends on the system's fonts. Text that is not
in that encoding (a name in another script) is printed with ``?`` rather than failing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

from fpdf import FPDF
from fpdf.enums import XPos, YPos

ENCODING = "windows-1252"
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
BLUE = (28, 63, 148)


PARIS = ZoneInfo("Europe/Paris")


def paris_date(moment: datetime) -> date:
    """The calendar day of a moment in France (what a French document is dated)."""
    return moment.astimezone(PARIS).date()


def french_date(day: date) -> str:
    """« 5 décembre 2026 » (« 1er » for the first of the month)."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def printable(text: str) -> str:
    """The text as the core font can print it."""
    text = text.replace("\u202f", "\u00a0").replace("\u2019", "'")
    return text.encode(ENCODING, "replace").decode(ENCODING)


@dataclass(frozen=True, slots=True)
class Address:
    """An address block: a name, then its lines."""

    name: str
    lines: tuple[str, ...]


class Document:
    """One French A4 page: sender block, recipient block (at the window of a DL envelope),
    place and date, subject, paragraphs, signature."""

    def __init__(self, title: str) -> None:
        pdf = FPDF(format="A4", unit="mm")
        pdf.core_fonts_encoding = ENCODING
        pdf.set_title(printable(title))
        pdf.set_author("Espace Candidat")
        pdf.set_creator("Espace Candidat")
        pdf.set_auto_page_break(auto=True, margin=20)
        pdf.set_margins(20, 18, 20)
        pdf.add_page()
        self.pdf = pdf

    def _line(self, text: str, size: float = 10, style: str = "", height: float = 5) -> None:
        self.pdf.set_font("Helvetica", style, size)
        self.pdf.cell(0, height, printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def header(self, sender: Address) -> None:
        """The service's name and the sending agency, top left."""
        self.pdf.set_text_color(*BLUE)
        self._line("Espace Candidat", 14, "B", 7)
        self.pdf.set_text_color(0, 0, 0)
        self._line(sender.name, 10, "B")
        for line in sender.lines:
            self._line(line)

    def recipient(self, to: Address) -> None:
        """The recipient's block, right-hand side, where an envelope's window is."""
        pdf = self.pdf
        pdf.set_xy(110, 50)
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(0, 5, printable(to.name), new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_font("Helvetica", "", 10)
        for line in to.lines:
            pdf.cell(0, 5, printable(line), new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_x(pdf.l_margin)

    def place_and_date(self, place: str, day: date) -> None:
        self.pdf.set_xy(110, max(self.pdf.get_y() + 10, 85))
        self.pdf.set_font("Helvetica", "", 10)
        text = f"{place}, le {french_date(day)}" if place else f"Le {french_date(day)}"
        self.pdf.cell(0, 5, printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.ln(8)

    def subject(self, text: str) -> None:
        self._line(f"Objet : {text}", 10, "B")
        self.pdf.ln(4)

    def title(self, text: str) -> None:
        self.pdf.ln(4)
        self.pdf.set_text_color(*BLUE)
        self._line(text, 15, "B", 8)
        self.pdf.set_text_color(0, 0, 0)
        self.pdf.ln(2)

    def paragraphs(self, texts: Sequence[str]) -> None:
        self.pdf.set_font("Helvetica", "", 10)
        for text in texts:
            self.pdf.multi_cell(0, 5, printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.pdf.ln(3)

    def facts(self, rows: Sequence[tuple[str, str]]) -> None:
        """Label / value lines."""
        for label, value in rows:
            self.pdf.set_font("Helvetica", "B", 10)
            self.pdf.cell(70, 6, printable(label))
            self.pdf.set_font("Helvetica", "", 10)
            self.pdf.multi_cell(0, 6, printable(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.ln(3)

    def image_png(self, data: bytes, x: float, y: float, size: float) -> None:
        self.pdf.image(BytesIO(data), x=x, y=y, w=size, h=size)

    def small(self, text: str) -> None:
        self.pdf.set_font("Helvetica", "", 8)
        self.pdf.multi_cell(0, 4, printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def output(self) -> bytes:
        return bytes(self.pdf.output())
