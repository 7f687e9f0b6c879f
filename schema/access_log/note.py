"""What resolvers call when they show a candidat's data to someone else: a note in the
request's ``AccessRecorder`` (memory only); the request's end writes the batch."""

from __future__ import annotations

from models.privacy_log import AccessKind
from schema.core.context import Info


def saw(info: Info, candidat_id: int, kind: AccessKind, subject_id: int) -> None:
    """The viewer was shown the candidat's ``subject_id`` (ignored for the candidat
    themself and for anyone not signed in)."""
    viewer = info.context.viewer
    info.context.access.saw(viewer.account if viewer else None, candidat_id, kind, subject_id)
