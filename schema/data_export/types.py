"""GraphQL types of data exports: ``DataExport`` and the ``viewer.dataExports`` connection."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

import strawberry
from strawberry import relay

from models.data_export import DataExport as DataExportModel
from models.identity import AccountKind
from resolvers.core.paging import Window, count_rows, keyset_page
from resolvers.data_export import requests
from schema.core.base import described_enum
from schema.core.context import Info
from schema.core.ids import database_id
from schema.core.paging import TOTAL_COUNT, count_of, empty_page, paged_connection


class ExportState(StrEnum):
    PENDING = "pending"
    PREPARING = "preparing"
    READY = "ready"
    DOWNLOADED = "downloaded"
    EXPIRED = "expired"
    FAILED = "failed"


DataExportStatusEnum = described_enum(
    ExportState,
    "DataExportStatus",
    "Where a data export request is.",
    {
        ExportState.PENDING: "Asked for; waiting to be prepared.",
        ExportState.PREPARING: "The archive is being prepared.",
        ExportState.READY: "The archive is ready: the single-use link was sent by mail.",
        ExportState.DOWNLOADED: "The archive was downloaded; its link no longer works.",
        ExportState.EXPIRED: "The link expired before the archive was downloaded.",
        ExportState.FAILED: "The archive could not be prepared: ask for a new export.",
    },
)


@strawberry.type(
    description="A request for the archive of everything the service holds about the "
    "account (« Mes données »): prepared in the background, then downloaded once through "
    "the link sent by mail, with the account's bearer token."
)
class DataExport(relay.Node):
    id: relay.NodeID[int]
    status: DataExportStatusEnum = strawberry.field(description="Where the request is.")  # type: ignore[valid-type]
    requested_at: datetime = strawberry.field(description="When it was asked for (UTC).")
    ready_at: datetime | None = strawberry.field(
        description="When the archive was ready; null before."
    )
    expires_at: datetime | None = strawberry.field(
        description="Until when its link works; null before the archive is ready."
    )
    downloaded_at: datetime | None = strawberry.field(
        description="When the archive was downloaded; null until then."
    )
    size_bytes: int | None = strawberry.field(
        description="The archive's size in bytes; null before it is ready."
    )

    @classmethod
    def from_model(cls, row: DataExportModel, now: datetime) -> DataExport:
        return cls(
            id=row.id,
            status=ExportState(requests.shown_status(row, now)),
            requested_at=row.created_at,
            ready_at=row.ready_at,
            expires_at=row.expires_at,
            downloaded_at=row.downloaded_at,
            size_bytes=row.archive_size,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[DataExport | None]:
        """The viewer's own requests; others are not found."""
        ids = [database_id(i) or 0 for i in node_ids]
        viewer = info.context.viewer
        if viewer is None:
            return [None for _ in ids]
        session = info.context.read_session()
        found = await requests.exports_by_ids(session, viewer.account.id, ids)
        now = info.context.runtime.clock.now()
        return [cls.from_model(found[i], now) if i in found else None for i in ids]


@strawberry.type(description="A page of data export requests, newest first.")
class DataExportConnection(relay.Connection[DataExport]):
    @strawberry.field(description=TOTAL_COUNT)
    async def total_count(self) -> int:
        return await count_of(self)


async def viewer_data_exports(
    info: Info, account_id: int, kind: str, asked: Window
) -> DataExportConnection:
    """``viewer.dataExports``: the candidat's requests, newest first; empty for others."""
    now = info.context.runtime.clock.now()

    def node(row: DataExportModel) -> DataExport:
        return DataExport.from_model(row, now)

    if kind != AccountKind.CANDIDAT:
        return paged_connection(DataExportConnection, empty_page(), node, key=lambda r: r.id)
    session = info.context.read_session()
    stmt = requests.exports_select(account_id)
    page = await keyset_page(session, stmt, DataExportModel.id, True, asked)
    return paged_connection(
        DataExportConnection,
        page,
        node,
        key=lambda r: r.id,
        count=lambda: count_rows(session, stmt),
    )
