"""How proposals map to tables, for the compiled reads (``schema.core.compiled``): the
proposals addressed to the candidat, newest first, as ``schema.proposals.types`` reads them.

The status (EXPIRED past the deadline) and ``pendingOnly`` are the SQL of
``resolvers.proposals.reads`` at the request's time; the title is ``title_from`` in the
post-pass. The employer's ``sentProposals``, the CV, the candidate's contact (which the
access log records) and the dossier need the interpreter: the dossier's declaration brings
its lists (CVs, alerts), too deep under a proposal for SQLite's parser."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from models.identity import AccountKind
from models.offers import Offer
from models.proposals import Proposal
from resolvers.proposals.manage import title_from
from resolvers.proposals.reads import effective_status, pending
from schema.core.base import encode_cursor
from schema.core.compiled.declare import Computed, Many, NodeId, Table, ToOne, Value, request_time


def _intitule(t: Any) -> Any:
    """The proposed offer's intitulé; null without one (or once deleted)."""
    offer = aliased(Offer)
    return select(offer.intitule).where(offer.id == t.offer_id).scalar_subquery()


def cursor_of(_runtime: Any, row_id: int) -> str:
    """A row's ``cursor`` field: its keyset cursor (``encode_cursor``)."""
    return encode_cursor(row_id)


PROPOSAL = Table(
    Proposal,
    {
        "id": NodeId(),
        "status": Value(lambda t: effective_status(t, request_time())),
        "text": Value(lambda t: t.text),
        "message": Value(lambda t: t.message),
        "deadline": Value(lambda t: t.deadline),
        "sentAt": Value(lambda t: t.created_at),
        "answeredAt": Value(lambda t: t.answered_at),
        "answerMessage": Value(lambda t: t.answer_message),
        "cursor": Computed((lambda t: t.id,), cursor_of),
        "title": Computed((_intitule, lambda t: t.text), lambda _rt, i, x: title_from(i, x)),
        "offer": ToOne(lambda t: t.offer_id),
        "company": ToOne(lambda t: t.company_id),
    },
)

VIEWER_PROPOSALS = Many(
    "Proposal",
    key=lambda p: p.id,
    descending=True,
    gate=lambda v: v.kind == AccountKind.CANDIDAT.value,
    filters={"pendingOnly": lambda p: pending(p, request_time())},
)
"""``viewer.proposals``: those addressed to a candidat, newest first; empty for others."""

TABLES = {"Proposal": PROPOSAL}
