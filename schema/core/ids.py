"""Global IDs (Relay) and the database ids behind them."""

from __future__ import annotations

from strawberry import relay

MAX_ID_DIGITS = 18  # BIGINT holds every 18-digit number


def decode_global_id(raw: str, type_name: str) -> int | None:
    """The database id behind a global ID of ``type_name``; None for anything else."""
    try:
        gid = relay.GlobalID.from_id(raw)
    except ValueError:  # GlobalIDValueError is a ValueError
        return None
    return database_id(gid.node_id) if gid.type_name == type_name else None


def database_id(node_id: str) -> int | None:
    """A node id as a database id (None when it cannot be one)."""
    ok = node_id.isascii() and node_id.isdigit() and len(node_id) <= MAX_ID_DIGITS
    return int(node_id) if ok else None
