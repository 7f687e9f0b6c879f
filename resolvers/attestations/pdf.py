"""An attestation's PDF: its statement, its facts, its verification code and a QR code
(``segno``) that opens the public verification page."""

from __future__ import annotations

import io
from datetime import date

import segno

from models.attestations import Attestation
from resolvers.core.pdf import Address, Document, french_date

QR_SIZE_MM = 34


def qr_png(url: str) -> bytes:
    """The QR code of ``url`` as a PNG (error correction M, 4 pixels a module)."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=4, border=4)
    return out.getvalue()


def attestation_pdf(row: Attestation, verify_url: str) -> bytes:
    facts = row.facts
    issued = date.fromisoformat(facts["issuedOn"])
    doc = Document(str(facts["title"]))
    doc.header(Address("France Travail", ("Service des attestations",)))
    doc.title(str(facts["title"]))
    doc.paragraphs([str(facts["statement"])])
    doc.facts([(str(label), str(value)) for label, value in facts["rows"]])
    doc.paragraphs([f"Fait le {french_date(issued)}, pour servir et valoir ce que de droit."])
    y = doc.pdf.get_y() + 4
    doc.image_png(qr_png(verify_url), x=doc.pdf.l_margin, y=y, size=QR_SIZE_MM)
    doc.pdf.set_xy(doc.pdf.l_margin + QR_SIZE_MM + 6, y + 4)
    doc.pdf.set_left_margin(doc.pdf.l_margin + QR_SIZE_MM + 6)
    doc.paragraphs(
        [
            f"Code de vérification : {row.code}",
            "Vérifiez l'authenticité de ce document en scannant le QR code ou sur :",
            verify_url,
        ]
    )
    return doc.output()


def attestation_file_name(row: Attestation) -> str:
    return f"attestation-{row.kind.lower()}-{row.created_at:%Y-%m-%d}.pdf"
