"""A short-lived, bounded, in-process cache of bearer-token session checks.

Keyed by the token's hash; each entry names the account it belongs to, so that a committed
change to that account or its sessions (sign-out, revocation, password change, erasure, a
profile edit) drops it at once: in the writing process directly (``Runtime.after_commit``)
and in every other process through the broker (``CHANNEL``). The domain decides what an
entry holds and when it is still valid; this module only keeps, bounds and forgets.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

# Broker channel of the invalidations (every process subscribes to it).
CHANNEL = "sessions"
# Message type on it: the same as the per-account message that closes live sockets.
MESSAGE_TYPE = "sessions_revoked"
# session.info key: the accounts whose sessions or data the transaction changed.
CHANGED_KEY = "espace.session_cache_changed"
# Entries kept at most (least recently used go first).
MAX_ENTRIES = 10_000


def mark_accounts_changed(session: AsyncSession | Session, account_ids: Iterable[int]) -> None:
    """Drop the cached checks of these accounts once the transaction commits."""
    session.info.setdefault(CHANGED_KEY, set()).update(account_ids)


def take_changed(session: Session) -> set[int]:
    changed: set[int] = session.info.pop(CHANGED_KEY, set())
    return changed


@dataclass(frozen=True, slots=True)
class Entry:
    account_id: int
    value: Any
    stored_at: float  # time.monotonic()


class SessionCache:
    """Token hash → what the domain needs of its session, for ``seconds`` at most."""

    def __init__(self, seconds: float, max_entries: int = MAX_ENTRIES) -> None:
        self.seconds = seconds
        self.max_entries = max_entries
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        # Moves on at every invalidation: a check read from the database before one must not
        # be stored after it (it may predate the change).
        self.generation = 0

    @property
    def enabled(self) -> bool:
        return self.seconds > 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: str) -> Any | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if time.monotonic() - entry.stored_at >= self.seconds:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return entry.value

    def put(self, key: str, account_id: int, value: Any, generation: int) -> None:
        """Store ``value`` unless an invalidation happened since ``generation`` was read."""
        if not self.enabled or generation != self.generation:
            return
        self._entries[key] = Entry(account_id, value, time.monotonic())
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def replace(self, key: str, value: Any) -> None:
        """Change a live entry's value (e.g. after moving its idle expiry on)."""
        entry = self._entries.get(key)
        if entry is not None:
            self._entries[key] = Entry(entry.account_id, value, entry.stored_at)

    def clear(self) -> None:
        self.generation += 1
        self._entries.clear()

    def drop(self, key: str) -> None:
        self.generation += 1
        self._entries.pop(key, None)

    def drop_accounts(self, account_ids: Iterable[int]) -> None:
        ids = set(account_ids)
        self.generation += 1
        if not ids:
            return
        for key in [k for k, e in self._entries.items() if e.account_id in ids]:
            del self._entries[key]

    def on_message(self, channel: str, message: dict[str, Any]) -> None:
        """Broker listener: another process (or this one) changed these accounts."""
        if message.get("type") == MESSAGE_TYPE:
            self.drop_accounts(int(i) for i in message.get("account_ids") or ())
