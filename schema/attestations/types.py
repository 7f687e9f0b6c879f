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
from schema.core.base import build_connection, decode_cursor, page_size
from schema.core.context import Info
from schema.core.ids import database_id

AttestationKindEnum = strawberry.enum(
    AttestationKind,
    name="AttestationKind",
    description="SITUATION, HISTORIQUE_INSCRIPTIONS, PERIODES_INDEMNISEES, FISCALE (total "
    "paid in a calendar year), DERNIER_PAIEMENT, CAISSE_RETRAITE (for a pension fund).",
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
    pass


async def viewer_attestations(
    info: Info, account_id: int, kind: str, first: int | None, after: str | None
) -> AttestationConnection:
    """``viewer.attestations``: the candidat's; empty for other accounts."""
    size = page_size(info, first)
    before = decode_cursor(after)
    rows: list[AttestationModel] = []
    has_next = False
    if kind == AccountKind.CANDIDAT:
        found, has_next = await issue.attestations_page(
            info.context.read_session(), account_id, before, size
        )
        rows = list(found)
    return build_connection(
        AttestationConnection,
        rows,
        has_next,
        Attestation.from_model,
        key=lambda r: r.id,
        has_previous=before is not None,
    )
