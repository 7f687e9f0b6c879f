"""The files an export builds from rows: letters', attestations' and declaration receipts'
PDFs (rendered as their download routes render them) and the outbox's mails (``.eml``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from models.actualisation import Actualisation
from models.attestations import Attestation
from models.letters import Letter
from resolvers.actualisation.receipt import receipt_pdf
from resolvers.attestations.issue import VERIFY_PATH
from resolvers.attestations.pdf import attestation_file_name, attestation_pdf
from resolvers.data_export.declarations import ExportContext
from resolvers.letters.pdf import letter_file_name, letter_pdf

_UNSAFE = re.compile(r"[^\w.\- ]+")


def safe_name(row_id: object, name: str | None, default: str) -> str:
    """A file name inside the archive: the row's id first (names repeat), no path parts."""
    cleaned = _UNSAFE.sub("_", (name or "").replace("/", "_").replace("\\", "_")).strip(" .")
    return f"{row_id}-{cleaned[:120] or default}"


def letter(row: Mapping[str, Any], ctx: ExportContext) -> tuple[str, bytes]:
    model = Letter(**row)
    return letter_file_name(model), letter_pdf(model)


def attestation(row: Mapping[str, Any], ctx: ExportContext) -> tuple[str, bytes]:
    model = Attestation(**row)
    url = ctx.settings.link(VERIFY_PATH.format(code=model.code))
    return f"{model.id}-{attestation_file_name(model)}", attestation_pdf(model, url)


def receipt(row: Mapping[str, Any], ctx: ExportContext) -> tuple[str, bytes]:
    model = Actualisation(**row)
    name = f"recepisse-{model.period:%Y-%m}-v{model.version}.pdf"
    return name, receipt_pdf(model, ctx.identifiant)


def mail(row: Mapping[str, Any], ctx: ExportContext) -> tuple[str, bytes]:
    """The mail as it was sent (RFC 5322), text and HTML."""
    message = EmailMessage()
    message["Message-ID"] = row["message_id"]
    message["To"] = row["to_addr"]
    message["Subject"] = row["subject"]
    message["Date"] = format_datetime(row["sent_at"] or row["created_at"])
    for name, value in (row.get("headers") or {}).items():
        message[name] = value
    message.set_content(row["text_body"])
    message.add_alternative(row["html_body"], subtype="html")
    return f"{row['id']}.eml", message.as_bytes()
