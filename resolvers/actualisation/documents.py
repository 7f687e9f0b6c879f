"""Supporting documents (justificatifs): sent by a candidat (PDF or JPEG, checked by their
content, stored like CV files), then ACCEPTED or REFUSED with a reason by an adviser of the
candidat's agency. Advisers of other agencies, and other candidats, get NOT_FOUND."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from ground.storage import FileStorage
from models.actualisation import DocumentStatus, SupportingDocument
from models.dashboard import EventKind
from models.identity import Account, AccountKind
from models.registration import Registration
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.unit_of_work import UnitOfWork
from resolvers.core.uploads import JPEG_TYPE, check_pdf_or_jpeg
from resolvers.dashboard.events import record_event

MAX_ID = 2**63 - 1
REASON_MAX = 500
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\"\\/:*?<>|]")


class DocumentCode(StrEnum):
    """The codes of the real service's supporting documents."""

    BDS = "BDS"
    AEMP = "AEMP"
    ASF = "ASF"
    AAT = "AAT"
    NRAV = "NRAV"
    NINV = "NINV"


LABELS = {
    DocumentCode.BDS: "Bulletin de salaire",
    DocumentCode.AEMP: "Attestation employeur",
    DocumentCode.ASF: "Attestation de stage ou de formation",
    DocumentCode.AAT: "Avis d'arrêt de travail",
    DocumentCode.NRAV: "Notification de pension de retraite",
    DocumentCode.NINV: "Notification de pension d'invalidité",
}
STATUS_LABELS = {DocumentStatus.ACCEPTED: "accepté", DocumentStatus.REFUSED: "refusé"}


def clean_name(name: str | None, content_type: str) -> str:
    """A name safe to show and to send back (no folders, no control characters)."""
    base = re.split(r"[\\/]", name or "")[-1]
    text = _UNSAFE.sub("_", unicodedata.normalize("NFC", base)).strip(" .")
    suffix = ".jpg" if content_type == JPEG_TYPE else ".pdf"
    if not text:
        text = "justificatif" + suffix
    return text[-200:]


async def upload_document(
    work: UnitOfWork,
    storage: FileStorage,
    account: Account,
    code: DocumentCode,
    period: date | None,
    data: bytes,
    name: str | None,
    max_bytes: int,
    now: datetime,
) -> SupportingDocument:
    """Store a candidat's document as PENDING (the file first; removed if the row fails)."""
    if account.kind != AccountKind.CANDIDAT:
        raise DomainError.single(
            None, ErrorCode.FORBIDDEN, "Seuls les demandeurs d'emploi envoient des justificatifs."
        )
    content_type = check_pdf_or_jpeg(data, max_bytes, "file")
    key = await storage.put(data, content_type)
    try:
        async with work.write() as session:
            row = SupportingDocument(
                account_id=account.id,
                period=period.replace(day=1) if period else None,
                code=code.value,
                storage_key=key,
                name=clean_name(name, content_type),
                content_type=content_type,
                size=len(data),
                status=DocumentStatus.PENDING,
                created_at=now,
            )
            session.add(row)
            await session.flush()
            await record_event(
                session,
                account.id,
                EventKind.DOCUMENT_SUBMITTED,
                {"name": LABELS[code]},
                "document",
                row.id,
            )
    except BaseException:
        await storage.delete(key)
        raise
    return row


def _visible(reader: Account) -> Select[SupportingDocument]:
    """The documents a reader may see: their own (candidat), their agency's (adviser)."""
    stmt = select(SupportingDocument)
    if reader.kind == AccountKind.CONSEILLER and reader.agency_id is not None:
        agency_accounts = select(Registration.account_id).where(
            Registration.agency_id == reader.agency_id
        )
        return stmt.where(SupportingDocument.account_id.in_(agency_accounts))
    if reader.kind == AccountKind.CANDIDAT:
        return stmt.where(SupportingDocument.account_id == reader.id)
    return stmt.where(SupportingDocument.id.is_(None))


async def documents_by_ids(
    session: AsyncSession, reader: Account, ids: Sequence[int]
) -> dict[int, SupportingDocument]:
    """The documents among ``ids`` the reader may see; others are not found."""
    if not ids:
        return {}
    rows = await session.scalars(_visible(reader).where(SupportingDocument.id.in_(ids)))
    return {r.id: r for r in rows}


def documents_select(reader: Account, status: DocumentStatus | None) -> Select[SupportingDocument]:
    """The reader's documents (or their agency's), optionally of one status (keyset by id)."""
    stmt = _visible(reader)
    if status is not None:
        stmt = stmt.where(SupportingDocument.status == status.value)
    return stmt


async def decide_document(
    session: AsyncSession,
    adviser: Account,
    document_id: int,
    status: DocumentStatus,
    reason: str | None,
    now: datetime,
) -> SupportingDocument:
    """An adviser of the candidat's agency accepts or refuses (with a reason) a document."""
    if adviser.kind != AccountKind.CONSEILLER:
        raise DomainError.single(
            None, ErrorCode.FORBIDDEN, "Seuls les conseillers examinent les justificatifs."
        )
    found = await documents_by_ids(session, adviser, [document_id])
    row = found.get(document_id)
    if row is None:
        raise DomainError.single("id", ErrorCode.NOT_FOUND, "Ce justificatif est introuvable.")
    text = (reason or "").strip()
    if status == DocumentStatus.PENDING:
        raise DomainError.single(
            "status", ErrorCode.INVALID, "Acceptez ou refusez le justificatif."
        )
    if status == DocumentStatus.REFUSED and not text:
        raise DomainError.single("reason", ErrorCode.REQUIRED, "Indiquez le motif du refus.")
    if len(text) > REASON_MAX:
        raise DomainError.single(
            "reason", ErrorCode.TOO_LONG, f"{REASON_MAX} caractères au maximum."
        )
    row.status = status.value
    row.reason = text or None
    row.decided_by = adviser.id
    row.decided_at = now
    await session.flush()
    await record_event(
        session,
        row.account_id,
        EventKind.DOCUMENT_DECIDED,
        {"name": LABELS[DocumentCode(row.code)], "statusLabel": STATUS_LABELS[status]},
        "document",
        row.id,
    )
    return row
