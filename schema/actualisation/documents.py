"""Supporting documents: ``supportingDocumentUpload`` (GraphQL multipart, PDF or JPEG),
``supportingDocumentDecide`` (an adviser of the candidat's agency) and
``viewer.supportingDocuments``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

from models.actualisation import DocumentStatus
from models.actualisation import SupportingDocument as DocumentModel
from models.privacy_log import AccessKind
from resolvers.actualisation import documents
from resolvers.actualisation.documents import DocumentCode
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.paging import Window, count_rows, keyset_page
from resolvers.identity.sessions import Viewer as SignedIn
from schema.access_log.note import saw
from schema.core.base import UserError, described_enum
from schema.core.context import Info
from schema.core.ids import database_id, decode_global_id
from schema.core.paging import TOTAL_COUNT, count_of, paged_connection
from schema.core.runner import run_mutation, run_signed_in

DocumentCodeEnum = described_enum(
    DocumentCode,
    "SupportingDocumentCode",
    "The kind of a supporting document.",
    {
        DocumentCode.BDS: "Bulletin de salaire: a payslip.",
        DocumentCode.AEMP: "Attestation employeur: the employer's certificate at the end of a "
        "contract.",
        DocumentCode.ASF: "Attestation de stage ou de formation: a certificate of internship or "
        "training.",
        DocumentCode.AAT: "Avis d'arrêt de travail: a sick-leave notice.",
        DocumentCode.NRAV: "Notification de pension de retraite: a retirement pension notice.",
        DocumentCode.NINV: "Notification de pension d'invalidité: a disability pension notice.",
    },
)
DocumentStatusEnum = described_enum(
    DocumentStatus,
    "SupportingDocumentStatus",
    "Where a supporting document stands.",
    {
        DocumentStatus.PENDING: "Waiting for an adviser of the agency to check it.",
        DocumentStatus.ACCEPTED: "Accepted by an adviser.",
        DocumentStatus.REFUSED: "Refused by an adviser, with a reason.",
    },
)


@strawberry.type(
    description="A supporting document (justificatif); seen by the candidat who sent it and "
    "by the advisers of their agency."
)
class SupportingDocument(relay.Node):
    id: relay.NodeID[int]
    code: DocumentCodeEnum = strawberry.field(description="What it is.")  # type: ignore[valid-type]
    label: str = strawberry.field(description="What it is, in French.")
    period: date | None = strawberry.field(description="The month it is for, if any.")
    name: str = strawberry.field(description="The file's name.")
    size: int = strawberry.field(description="Size in bytes.")
    content_type: str = strawberry.field(description="application/pdf or image/jpeg.")
    status: DocumentStatusEnum = strawberry.field(description="Where it stands.")  # type: ignore[valid-type]
    reason: str | None = strawberry.field(description="The adviser's reason (a refusal's).")
    created_at: datetime = strawberry.field(description="When it was sent (UTC).")
    decided_at: datetime | None = strawberry.field(description="When it was decided (UTC).")

    @strawberry.field(description="Where to download it, with the same bearer token.")
    def url(self) -> str:
        return f"/justificatifs/{relay.to_base64('SupportingDocument', self.id)}/fichier"

    @classmethod
    def from_model(cls, row: DocumentModel) -> SupportingDocument:
        return cls(
            id=row.id,
            code=DocumentCode(row.code),
            label=documents.LABELS[DocumentCode(row.code)],
            period=row.period,
            name=row.name,
            size=row.size,
            content_type=row.content_type,
            status=DocumentStatus(row.status),
            reason=row.reason,
            created_at=row.created_at,
            decided_at=row.decided_at,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[SupportingDocument | None]:
        ids = [database_id(i) or 0 for i in node_ids]
        viewer = info.context.viewer
        if viewer is None:
            return [None for _ in ids]
        found = await documents.documents_by_ids(info.context.read_session(), viewer.account, ids)
        for row in found.values():
            saw(info, row.account_id, AccessKind.DOCUMENT_OPENED, row.id)
        return [cls.from_model(found[i]) if i in found else None for i in ids]


@strawberry.type(description="A page of supporting documents, newest first.")
class SupportingDocumentConnection(relay.Connection[SupportingDocument]):
    @strawberry.field(description=TOTAL_COUNT)
    async def total_count(self) -> int:
        return await count_of(self)


async def viewer_documents(
    info: Info, status: DocumentStatus | None, asked: Window
) -> SupportingDocumentConnection:
    """The candidat's own documents, or an adviser's agency's, newest first."""
    viewer = info.context.require_viewer()
    session = info.context.read_session()
    stmt = documents.documents_select(viewer.account, status)
    page = await keyset_page(session, stmt, DocumentModel.id, True, asked)
    for row in page.rows:
        saw(info, row.account_id, AccessKind.DOCUMENT_OPENED, row.id)
    return paged_connection(
        SupportingDocumentConnection,
        page,
        SupportingDocument.from_model,
        key=lambda r: r.id,
        count=lambda: count_rows(session, stmt),
    )


@strawberry.input(description="A supporting document to send (multipart request).")
class SupportingDocumentUploadInput:
    code: DocumentCodeEnum = strawberry.field(description="What it is.")  # type: ignore[valid-type]
    period: date | None = strawberry.field(
        default=None, description="The month it is for (any day of it), if any."
    )
    file: Upload = strawberry.field(description="The file: PDF or JPEG (checked by content).")


@strawberry.input(description="An adviser's decision on a supporting document.")
class SupportingDocumentDecideInput:
    id: strawberry.ID = strawberry.field(description="The document's global ID.")
    status: DocumentStatusEnum = strawberry.field(description="ACCEPTED or REFUSED.")  # type: ignore[valid-type]
    reason: str | None = strawberry.field(
        default=None, description="Required to refuse (500 characters max)."
    )


@strawberry.type(description="The result of a supporting-document mutation.")
class SupportingDocumentPayload:
    document: SupportingDocument | None = strawberry.field(description="It, or null if refused.")
    user_errors: list[UserError] = strawberry.field(description="What was wrong.")


async def _read(file: Any, limit: int) -> tuple[bytes, str | None]:
    read = getattr(file, "read", None)
    if read is None:
        raise DomainError.single(
            "file", ErrorCode.REQUIRED, "Joignez un fichier PDF ou JPEG (requête multipart)."
        )
    return bytes(await read(limit + 1)), getattr(file, "filename", None)


@strawberry.type
class DocumentMutation:
    @strawberry.mutation(
        description="Send a supporting document (GraphQL multipart request): a PDF or a JPEG, "
        "checked by its content (NOT_PDF_OR_JPEG, FILE_TOO_LARGE, FILE_EMPTY). It is PENDING "
        "until an adviser of the agency decides."
    )
    async def supporting_document_upload(
        self,
        info: Info,
        input: Annotated[
            SupportingDocumentUploadInput,
            strawberry.argument(
                description="The declaration the document supports, its code and the file."
            ),
        ],
    ) -> SupportingDocumentPayload:
        ctx = info.context
        limit = ctx.settings.max_upload_bytes

        async def upload(viewer: SignedIn) -> DocumentModel:
            data, name = await _read(input.file, limit)
            return await documents.upload_document(
                ctx,
                ctx.runtime.storage,
                viewer.account,
                DocumentCode(input.code),
                input.period,
                data,
                name,
                limit,
                ctx.runtime.clock.now(),
            )

        return await run_signed_in(info, SupportingDocumentPayload, upload, _done)

    @strawberry.mutation(
        description="An adviser of the candidat's agency accepts or refuses (with a reason) a "
        "supporting document; anyone else gets NOT_FOUND. The candidat sees it live."
    )
    async def supporting_document_decide(
        self,
        info: Info,
        input: Annotated[
            SupportingDocumentDecideInput,
            strawberry.argument(
                description="The document and the adviser's decision (with a reason when refused)."
            ),
        ],
    ) -> SupportingDocumentPayload:
        now = info.context.runtime.clock.now()
        doc_id = decode_global_id(str(input.id), "SupportingDocument") or 0
        return await run_mutation(
            info,
            SupportingDocumentPayload,
            lambda session, viewer: documents.decide_document(
                session, viewer.account, doc_id, DocumentStatus(input.status), input.reason, now
            ),
            _done,
        )


def _done(row: DocumentModel) -> SupportingDocumentPayload:
    return SupportingDocumentPayload(document=SupportingDocument.from_model(row), user_errors=[])
