"""Cursors of the agenda's lists: keyset on (start, 0 appointment | 1 workshop, id)."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime

from schema.core.base import api_error
from schema.core.error_codes import ApiErrorCode


def encode_key(key: tuple[datetime, int, int]) -> str:
    at, rank, ident = key
    micros = int(at.timestamp() * 1_000_000)
    return base64.urlsafe_b64encode(f"a:{micros}:{rank}:{ident}".encode()).decode().rstrip("=")


def decode_agenda_cursor(cursor: str | None) -> tuple[datetime, int, int] | None:
    """(starts_at, 0 for an appointment or 1 for a workshop, id); BAD_CURSOR otherwise."""
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, micros, rank, ident = raw.split(":")
        if prefix != "a" or rank not in ("0", "1") or not 0 <= int(ident) < 2**63:
            raise ValueError(raw)
        return datetime.fromtimestamp(int(micros) / 1_000_000, UTC), int(rank), int(ident)
    except (ValueError, binascii.Error, UnicodeDecodeError, OverflowError, OSError) as exc:
        raise api_error(ApiErrorCode.BAD_CURSOR, "Curseur de pagination invalide.") from exc
