"""The viewer's unemployment-file fields (issue 13): registration, declarations, allowance,
bank account, letters, agenda, workshops and attestations.

Resolvers with a ``root`` (the ``Viewer``), attached to the type in schema/viewer/schema.py,
so that the Viewer keeps one field list while this module holds their arguments."""

from __future__ import annotations

from typing import Annotated, Protocol

import strawberry

from models.actualisation import DocumentStatus
from models.identity import AccountKind
from schema.actualisation.documents import SupportingDocumentConnection, viewer_documents
from schema.actualisation.types import (
    ActualisationConnection,
    ActualisationWindow,
    viewer_actualisations,
    viewer_window,
)
from schema.agenda.types import AgendaConnection, viewer_agenda
from schema.agenda.workshops import WorkshopConnection, viewer_workshops
from schema.attestations.types import AttestationConnection, viewer_attestations
from schema.bank.types import BankAccountInfo, bank_account_info
from schema.core.base import After, First
from schema.core.context import Info
from schema.core.paging import Before, Last, window
from schema.data_export.types import DataExportConnection, viewer_data_exports
from schema.indemnisation.types import Indemnisation, viewer_indemnisation
from schema.letters.types import LetterConnection, viewer_letters
from schema.registration.schema import Registration, viewer_registration

FORWARD_ONLY = (
    " Pages forward only (`first`/`after`): it is in start-time order, a cursor of several "
    "keys (time, kind, id), so neither `last`/`before` nor `totalCount` is offered."
)


class Owner(Protocol):
    """The part of the ``Viewer`` these resolvers read."""

    id: int
    kind: AccountKind


async def indemnisation(root: Owner, info: Info) -> Indemnisation | None:
    """``viewer.indemnisation``."""
    return await viewer_indemnisation(info, root.id)


async def bank_account(root: Owner, info: Info) -> BankAccountInfo | None:
    """``viewer.bankAccount``: null for other account kinds than candidat."""
    if root.kind != AccountKind.CANDIDAT:
        return None
    return await bank_account_info(info, root.id)


async def registration(root: Owner, info: Info) -> Registration | None:
    """``viewer.registration``."""
    return await viewer_registration(info, root.id)


async def actualisation_window(root: Owner, info: Info) -> ActualisationWindow | None:
    """``viewer.actualisationWindow``."""
    return await viewer_window(info, root.id, root.kind)


async def actualisations(
    root: Owner,
    info: Info,
    first: First = None,
    after: After = None,
    last: Last = None,
    before: Before = None,
) -> ActualisationConnection:
    """``viewer.actualisations``."""
    asked = window(info, first, after, last, before)
    return await viewer_actualisations(info, root.id, root.kind, asked)


async def supporting_documents(
    root: Owner,
    info: Info,
    status: Annotated[
        DocumentStatus | None,
        strawberry.argument(
            description="Only the documents in this status (PENDING: those an adviser has "
            "still to check); every status when omitted."
        ),
    ] = None,
    first: First = None,
    after: After = None,
    last: Last = None,
    before: Before = None,
) -> SupportingDocumentConnection:
    """``viewer.supportingDocuments``."""
    asked = window(info, first, after, last, before)
    return await viewer_documents(info, status, asked)


async def letters(
    root: Owner,
    info: Info,
    first: First = None,
    after: After = None,
    unread_only: Annotated[
        bool, strawberry.argument(description="Only the letters not yet read.")
    ] = False,
    last: Last = None,
    before: Before = None,
) -> LetterConnection:
    """``viewer.letters``."""
    asked = window(info, first, after, last, before)
    return await viewer_letters(info, root.id, root.kind, asked, unread_only)


async def agenda(
    root: Owner,
    info: Info,
    first: First = None,
    after: After = None,
    upcoming_only: Annotated[
        bool,
        strawberry.argument(description="Only the appointments and workshops not yet started."),
    ] = False,
) -> AgendaConnection:
    """``viewer.agenda``."""
    return await viewer_agenda(info, first, after, upcoming_only)


async def workshops(
    root: Owner, info: Info, first: First = None, after: After = None
) -> WorkshopConnection:
    """``viewer.workshops``."""
    return await viewer_workshops(info, first, after)


async def attestations(
    root: Owner,
    info: Info,
    first: First = None,
    after: After = None,
    last: Last = None,
    before: Before = None,
) -> AttestationConnection:
    """``viewer.attestations``."""
    asked = window(info, first, after, last, before)
    return await viewer_attestations(info, root.id, root.kind, asked)


async def data_exports(
    root: Owner,
    info: Info,
    first: First = None,
    after: After = None,
    last: Last = None,
    before: Before = None,
) -> DataExportConnection:
    """``viewer.dataExports``."""
    asked = window(info, first, after, last, before)
    return await viewer_data_exports(info, root.id, root.kind, asked)
