"""The viewer's data-rights fields (issue 14): ``personalDataChanges``, ``accessLog`` and
``dataExports``, a base class of the ``Viewer`` so that its module keeps its size."""

from __future__ import annotations

from typing import Protocol, cast

import strawberry

from models.identity import AccountKind
from schema.access_log.types import AccessLogConnection, viewer_access_log
from schema.core.base import After, First
from schema.core.context import Info
from schema.core.paging import Before, Last, window
from schema.data_export.types import DataExportConnection, viewer_data_exports
from schema.rectification.types import (
    PersonalDataChangeConnection,
    viewer_personal_data_changes,
)


class Owner(Protocol):
    """The part of the ``Viewer`` these fields read."""

    id: int
    kind: AccountKind


@strawberry.type
class ViewerDataRights:
    """Fields only; the ``Viewer`` that inherits them has the ``id`` and ``kind``."""

    @strawberry.field(
        description="The history of changes to the candidat's personal data (civilité, nom, "
        "prénom, address, phones, e-mail, bank account), newest first: who, when, old → new. "
        "Empty for other accounts."
    )
    async def personal_data_changes(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> PersonalDataChangeConnection:
        asked = window(info, first, after, last, before)
        owner = cast(Owner, self)
        return await viewer_personal_data_changes(info, owner.id, owner.kind, asked)

    @strawberry.field(
        description="Who saw the candidat's data, newest first: employers (published CVs, "
        "applications) and advisers (the candidat's file). Kept for a bounded time. Empty "
        "for other accounts."
    )
    async def access_log(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> AccessLogConnection:
        asked = window(info, first, after, last, before)
        owner = cast(Owner, self)
        return await viewer_access_log(info, owner.id, owner.kind, asked)

    @strawberry.field(
        description="The candidat's data export requests and their state, newest first."
    )
    async def data_exports(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> DataExportConnection:
        asked = window(info, first, after, last, before)
        owner = cast(Owner, self)
        return await viewer_data_exports(info, owner.id, owner.kind, asked)
