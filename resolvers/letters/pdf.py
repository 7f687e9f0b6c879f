"""A letter's PDF, rendered from its frozen facts (French business-letter layout)."""

from __future__ import annotations

from datetime import date
from typing import Any

from models.letters import Letter
from resolvers.core.pdf import Address, Document


def _address(raw: dict[str, Any] | None) -> Address | None:
    if not raw:
        return None
    return Address(str(raw.get("name", "")), tuple(str(x) for x in raw.get("lines", [])))


def letter_pdf(letter: Letter) -> bytes:
    """The letter as a one- or two-page A4 PDF."""
    facts = letter.facts
    doc = Document(str(facts.get("title", letter.title)))
    doc.header(_address(facts.get("sender")) or Address("France Travail", ()))
    recipient = _address(facts.get("recipient"))
    if recipient is not None:
        doc.recipient(recipient)
    doc.place_and_date(str(facts.get("place", "")), date.fromisoformat(facts["issuedOn"]))
    doc.subject(str(facts.get("title", letter.title)))
    doc.paragraphs(
        [
            str(facts.get("salutation", "Madame, Monsieur,")),
            *(str(p) for p in facts.get("paragraphs", [])),
            "Nous vous prions d'agréer nos salutations distinguées.",
        ]
    )
    doc.paragraphs([str(facts.get("signature", "Votre agence France Travail"))])
    doc.small(
        f"Courrier n° {letter.id} — consultable dans votre Espace Candidat, « Mes courriers »."
    )
    return doc.output()


def letter_file_name(letter: Letter) -> str:
    return f"courrier-{letter.id}-{letter.created_at:%Y-%m-%d}.pdf"
