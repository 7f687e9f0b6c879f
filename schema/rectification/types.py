"""GraphQL types of the personal-data history: ``PersonalDataChange`` and its connection."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import strawberry
from strawberry import relay

from models.identity import AccountKind
from models.privacy_log import ChangeActor
from models.privacy_log import PersonalDataChange as ChangeModel
from resolvers.core.paging import Window, count_rows, keyset_page
from resolvers.rectification.history import changes_by_ids, changes_select, label_of
from schema.core.base import described_enum
from schema.core.context import Info
from schema.core.ids import database_id
from schema.core.paging import TOTAL_COUNT, count_of, empty_page, paged_connection

ChangeActorEnum = described_enum(
    ChangeActor,
    "PersonalDataChangeActor",
    "Who changed a personal datum.",
    {
        ChangeActor.CANDIDAT: "The candidat, in their personal space.",
        ChangeActor.CONSEILLER: "An adviser of the candidat's agency.",
        ChangeActor.LINK: "Someone who followed a mailed link (« ce n'est pas mon adresse »).",
    },
)


@strawberry.type(
    description="One change to the candidat's personal data (rectification, RGPD art. 16): "
    "who, when, which field, the old and the new value. An IBAN is shown masked."
)
class PersonalDataChange(relay.Node):
    id: relay.NodeID[int]
    at: datetime = strawberry.field(description="When the change was made (UTC).")
    actor: ChangeActorEnum = strawberry.field(description="Who made it.")  # type: ignore[valid-type]
    subject: str = strawberry.field(
        description="What holds the datum: dossier (a job-search dossier) or bank_account."
    )
    subject_name: str | None = strawberry.field(
        description="The dossier's name, for a dossier; null otherwise."
    )
    field: str = strawberry.field(description="The field, as the API names it (e.g. prenom).")
    label: str = strawberry.field(description="The field's French name (e.g. Prénom).")
    old_value: str | None = strawberry.field(description="The value before; null: none.")
    new_value: str | None = strawberry.field(description="The value after; null: removed.")

    @classmethod
    def from_model(cls, row: ChangeModel) -> PersonalDataChange:
        return cls(
            id=row.id,
            at=row.at,
            actor=ChangeActor(row.actor),
            subject=row.subject,
            subject_name=row.subject_name,
            field=row.field,
            label=label_of(row.field),
            old_value=row.old_value,
            new_value=row.new_value,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[PersonalDataChange | None]:
        """The viewer's own changes; others are not found."""
        ids = [database_id(i) or 0 for i in node_ids]
        viewer = info.context.viewer
        if viewer is None:
            return [None for _ in ids]
        found = await changes_by_ids(info.context.read_session(), viewer.account.id, ids)
        return [cls.from_model(found[i]) if i in found else None for i in ids]


@strawberry.type(description="A page of personal-data changes, newest first.")
class PersonalDataChangeConnection(relay.Connection[PersonalDataChange]):
    @strawberry.field(description=TOTAL_COUNT)
    async def total_count(self) -> int:
        return await count_of(self)


async def viewer_personal_data_changes(
    info: Info, account_id: int, kind: str, asked: Window
) -> PersonalDataChangeConnection:
    """``viewer.personalDataChanges``: the candidat's own history; empty for others."""
    if kind != AccountKind.CANDIDAT:
        return paged_connection(
            PersonalDataChangeConnection, empty_page(), PersonalDataChange.from_model, _key
        )
    session = info.context.read_session()
    stmt = changes_select(account_id)
    page = await keyset_page(session, stmt, ChangeModel.id, True, asked)
    return paged_connection(
        PersonalDataChangeConnection,
        page,
        PersonalDataChange.from_model,
        _key,
        count=lambda: count_rows(session, stmt),
    )


def _key(row: ChangeModel) -> int:
    return row.id
