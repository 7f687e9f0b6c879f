"""Where uploaded files are kept (``FileStorage``), and the local folder that keeps them.

Files never go to the database: a row keeps only the storage key, the file's name and size.
``LocalFileStorage`` (the default) keeps them in a local folder; another backend (an object
store) only has to implement the three methods of ``FileStorage``. What is accepted is
checked above, in ``resolvers.core.uploads``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Download:
    """A stored file someone may download: its storage key and the name to give it."""

    key: str
    name: str


_KEY = re.compile(r"[0-9a-f]{32}")


class FileStorage(Protocol):
    """Where uploaded files are kept. Keys are opaque strings chosen by the storage."""

    async def put(self, data: bytes, content_type: str) -> str:
        """Store ``data``; returns the new key."""
        ...

    async def get(self, key: str) -> bytes | None:
        """The stored bytes, or None when there is no such file."""
        ...

    async def delete(self, key: str) -> None:
        """Forget the file (nothing happens when it is already gone)."""
        ...


class LocalFileStorage:
    """Files in a local folder, named by random keys (``root/ab/ab12…``).

    A key is 32 lowercase hex digits chosen here; any other string is refused before a path
    is built, so no key can reach outside ``root``. Writes go to a temporary file in the
    same folder, then are renamed: a reader never sees half a file. The content type is not
    kept: callers store what they need next to the key.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path | None:
        if not _KEY.fullmatch(key):
            return None
        return self.root / key[:2] / key

    async def put(self, data: bytes, content_type: str) -> str:
        key = secrets.token_hex(16)
        path = self._path(key)
        assert path is not None
        await asyncio.to_thread(_write_atomically, path, data)
        return key

    async def get(self, key: str) -> bytes | None:
        path = self._path(key)
        if path is None:
            return None
        try:
            return await asyncio.to_thread(path.read_bytes)
        except FileNotFoundError:
            return None

    async def delete(self, key: str) -> None:
        path = self._path(key)
        if path is not None:
            await asyncio.to_thread(path.unlink, missing_ok=True)


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
