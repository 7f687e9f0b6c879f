"""GraphQL types of the access log: ``AccessLogEntry`` and ``viewer.accessLog``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import strawberry
from strawberry import relay

from models.identity import AccountKind
from models.privacy_log import AccessKind
from resolvers.access_log.reads import Seen, log_page, log_select, seen_by_ids
from resolvers.core.paging import Window, count_rows
from schema.core.base import described_enum
from schema.core.context import Info
from schema.core.ids import database_id
from schema.core.paging import TOTAL_COUNT, count_of, empty_page, paged_connection

AccessKindEnum = described_enum(
    AccessKind,
    "AccessKind",
    "What someone saw of the candidat's data.",
    {
        AccessKind.CV_LISTED: "A CV of yours was shown in an employer's CV search.",
        AccessKind.CV_OPENED: "An employer opened one of your CVs.",
        AccessKind.APPLICATION_OPENED: "An employer read one of your applications (your name "
        "and contact).",
        AccessKind.CONTACT_OPENED: "An employer read your name and contact, disclosed when "
        "you accepted their proposal.",
        AccessKind.FILE_OPENED: "An adviser opened your allowance file.",
        AccessKind.DOCUMENT_OPENED: "An adviser read one of your supporting documents.",
    },
)

SUBJECT_TYPES = {
    AccessKind.CV_LISTED: "Cv",
    AccessKind.CV_OPENED: "Cv",
    AccessKind.APPLICATION_OPENED: "Application",
    AccessKind.DOCUMENT_OPENED: "SupportingDocument",
    AccessKind.CONTACT_OPENED: "Proposal",
}


@strawberry.type(
    description="Someone other than you saw your data: an employer (a published CV, an "
    "application) or an adviser of your agency (your file). Repeated views of the same "
    "object by the same account within a few minutes are one entry."
)
class AccessLogEntry(relay.Node):
    id: relay.NodeID[int]
    at: datetime = strawberry.field(description="When (UTC).")
    kind: AccessKindEnum = strawberry.field(description="What was seen.")  # type: ignore[valid-type]
    subject_id: relay.GlobalID | None = strawberry.field(
        description="The global ID of what was seen (a CV, an application, a proposal, a "
        "supporting document); null for the allowance file."
    )
    by_employer: bool = strawberry.field(description="True: an employer; false: an adviser.")
    company_name: str | None = strawberry.field(
        description="The employer's company name; null for an adviser, or once the account is gone."
    )
    adviser_name: str | None = strawberry.field(
        description="The adviser's name; null for an employer, or once the account is gone."
    )
    agency_name: str | None = strawberry.field(
        description="The adviser's agency; null for an employer."
    )

    @classmethod
    def from_seen(cls, seen: Seen) -> AccessLogEntry:
        row = seen.entry
        kind = AccessKind(row.kind)
        employer = row.viewer_kind == AccountKind.EMPLOYEUR
        subject_type = SUBJECT_TYPES.get(kind)
        return cls(
            id=row.id,
            at=row.at,
            kind=kind,
            subject_id=relay.GlobalID(subject_type, str(row.subject_id)) if subject_type else None,
            by_employer=employer,
            company_name=seen.company if employer else None,
            adviser_name=None if employer else seen.person,
            agency_name=None if employer else seen.agency,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[AccessLogEntry | None]:
        """The viewer's own entries; others are not found."""
        ids = [database_id(i) or 0 for i in node_ids]
        viewer = info.context.viewer
        if viewer is None:
            return [None for _ in ids]
        found = await seen_by_ids(info.context.read_session(), viewer.account.id, ids)
        return [cls.from_seen(found[i]) if i in found else None for i in ids]


@strawberry.type(description="A page of the access log, newest first.")
class AccessLogConnection(relay.Connection[AccessLogEntry]):
    @strawberry.field(description=TOTAL_COUNT)
    async def total_count(self) -> int:
        return await count_of(self)


async def viewer_access_log(
    info: Info, account_id: int, kind: str, asked: Window
) -> AccessLogConnection:
    """``viewer.accessLog``: the candidat's own log; empty for other accounts."""
    if kind != AccountKind.CANDIDAT:
        return paged_connection(AccessLogConnection, empty_page(), AccessLogEntry.from_seen, _key)
    session = info.context.read_session()
    page = await log_page(session, account_id, asked)
    return paged_connection(
        AccessLogConnection,
        page,
        AccessLogEntry.from_seen,
        _key,
        count=lambda: count_rows(session, log_select(account_id)),
    )


def _key(seen: Seen) -> int:
    return seen.entry.id
