"""GraphQL types of attestations: ``Attestation`` and the ``viewer.attestations`` connection."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import strawberry
from strawberry import relay

from models.attestations import Attestation as AttestationModel
from models.attestations import AttestationKind
from models.identity import AccountKind
from resolvers.attestations import issue
from resolvers.core.paging import Window, count_rows, keyset_page
from schema.core.base import described_enum
from schema.core.context import Info
from schema.core.ids import database_id
from schema.core.paging import TOTAL_COUNT, count_of, empty_page, paged_connection

AttestationKindEnum = described_enum(
    AttestationKind,
    "AttestationKind",
    "The kind of an attestation.",
    {
        AttestationKind.SITUATION: "Attestation de situation: the candidat's current situation.",
        AttestationKind.HISTORIQUE_INSCRIPTIONS: "Historique des inscriptions: the past "
        "registrations.",
        AttestationKind.PERIODES_INDEMNISEES: "Périodes indemnisées: the periods an allowance "
        "was paid for.",
        AttestationKind.FISCALE: "Attestation fiscale: the total paid in a calendar year, for "
        "the tax return.",
        AttestationKind.DERNIER_PAIEMENT: "Dernier paiement: the last payment.",
        AttestationKind.CAISSE_RETRAITE: "Caisse de retraite: the paid periods, for a pension "
        "fund.",
    },
)

DOWNLOAD_PATH = "/attestations/{id}"


@strawberry.type(description="One line of an attestation: a label and its value.")
class AttestationFact:
    label: str = strawberry.field(description="What it is, in French.")
    value: str = strawberry.field(description="Its value, formatted the French way.")


@strawberry.type(
    description="An attestation the candidat asked for: a PDF with a verification code and a "
    "QR code that anyone holding the document can check on the public verification page."
)
class Attestation(relay.Node):
    id: relay.NodeID[int]
    kind: AttestationKindEnum = strawberry.field(description="Which attestation.")  # type: ignore[valid-type]
    title: str = strawberry.field(description="Its title, in French.")
    code: str = strawberry.field(description="The verification code printed on it.")
    issued_at: datetime = strawberry.field(description="When it was issued (UTC).")
    statement: str = strawberry.field(description="What it attests, in French.")
    facts: list[AttestationFact] = strawberry.field(description="Its facts, as printed.")
    gid: strawberry.Private[str]

    @strawberry.field(description="The public page that confirms it (no sign-in).")
    def verification_url(self, info: Info) -> str:
        return str(info.context.settings.link(issue.VERIFY_PATH.format(code=self.code)))

    @strawberry.field(description="Where its PDF downloads (GET with `Authorization: Bearer`).")
    def download_url(self, info: Info) -> str:
        return str(info.context.settings.link(DOWNLOAD_PATH.format(id=self.gid)))

    @classmethod
    def from_model(cls, row: AttestationModel) -> Attestation:
        return cls(
            id=row.id,
            kind=AttestationKind(row.kind),
            title=str(row.facts["title"]),
            code=row.code,
            issued_at=row.created_at,
            statement=str(row.facts["statement"]),
            facts=[AttestationFact(label=str(a), value=str(b)) for a, b in row.facts["rows"]],
            gid=str(relay.to_base64("Attestation", row.id)),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Attestation | None]:
        """The viewer's own attestations; others are not found."""
        ids = [database_id(i) or 0 for i in node_ids]
        viewer = info.context.viewer
        if viewer is None:
            return [None for _ in ids]
        found = await issue.attestations_by_ids(info.context.read_session(), viewer.account.id, ids)
        return [cls.from_model(found[i]) if i in found else None for i in ids]


@strawberry.type(description="A page of attestations, newest first.")
class AttestationConnection(relay.Connection[Attestation]):
    @strawberry.field(description=TOTAL_COUNT)
    async def total_count(self) -> int:
        return await count_of(self)


async def viewer_attestations(
    info: Info, account_id: int, kind: str, asked: Window
) -> AttestationConnection:
    """``viewer.attestations``: the candidat's, newest first; empty for other accounts."""
    if kind != AccountKind.CANDIDAT:
        return paged_connection(
            AttestationConnection, empty_page(), Attestation.from_model, key=lambda r: r.id
        )
    session = info.context.read_session()
    stmt = issue.attestations_select(account_id)
    page = await keyset_page(session, stmt, AttestationModel.id, True, asked)
    return paged_connection(
        AttestationConnection,
        page,
        Attestation.from_model,
        key=lambda r: r.id,
        count=lambda: count_rows(session, stmt),
    )
