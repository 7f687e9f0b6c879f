"""How letters map to tables, for the compiled reads (``schema.core.compiled``): « Mes
courriers », the candidat's own letters, newest first, as ``schema.letters.types`` reads
them (``unreadOnly``, ``unreadCount``, the download link)."""

from __future__ import annotations

from models.identity import AccountKind
from models.letters import Letter
from schema.core.compiled.declare import Link, Many, NodeId, Table, Value
from schema.letters.types import DOWNLOAD_PATH

LETTER = Table(
    Letter,
    {
        "id": NodeId(),
        "kind": Value(lambda t: t.kind),
        "title": Value(lambda t: t.title),
        "issuedAt": Value(lambda t: t.created_at),
        "readAt": Value(lambda t: t.read_at),
        "read": Value(lambda t: t.read_at.is_not(None)),
        "downloadUrl": Link(DOWNLOAD_PATH.format(id="{}")),
    },
)

VIEWER_LETTERS = Many(
    "Letter",
    key=lambda t: t.id,
    descending=True,
    gate=lambda v: v.kind == AccountKind.CANDIDAT.value,
    filters={"unreadOnly": lambda t: t.read_at.is_(None)},
    counts={"unreadCount": lambda t: t.read_at.is_(None)},
)
"""``viewer.letters``: a candidat's own, newest first; empty (and none unread) for others."""

TABLES = {"Letter": LETTER}
