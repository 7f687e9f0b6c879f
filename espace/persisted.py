"""Persisted documents: Apollo's automatic persisted queries (APQ) and trusted documents.

APQ (``extensions.persistedQuery = {version: 1, sha256Hash}``): a request carrying only the
hash runs the document stored under it, or answers ``PERSISTED_QUERY_NOT_FOUND`` (message
``PersistedQueryNotFound``, which Apollo's persisted-queries link matches) so that the
client sends hash and document together; those are checked (``PERSISTED_QUERY_HASH_MISMATCH``)
and stored, in memory (a bounded LRU) or in Redis when ``redis_url`` is set.

Trusted documents (``trusted_documents``, for production): only the documents of the
manifest run, the ``*.graphql`` files of ``trusted_documents_dir``. A document is
identified by the SHA-256 of its text, either exactly as in the file or as graphql-core
prints it (comments and layout dropped), so a client may send the file, its hash, or the
printed document. Operation names are not trusted on their own: any document can be
given a known name. Anything else is refused with ``DOCUMENT_NOT_TRUSTED``.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import OrderedDict
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from graphql import GraphQLError, parse, print_ast
from redis.exceptions import RedisError

from ground.settings import Settings
from schema.core.error_codes import ApiErrorCode

log = logging.getLogger(__name__)

VERSION = 1
HASH = re.compile(r"[0-9a-fA-F]{64}")
# The memory store also bounds what it holds in characters, whatever the entry count.
MEMORY_BUDGET_CHARS = 8 * 1024 * 1024


NOT_TRUSTED = (
    "Ce serveur n'exécute que les documents de sa liste de confiance (graphql/operations)."
)


class Refusal(Exception):
    """A request refused before execution: HTTP status, stable code, French message (a
    persisted-document problem, or a subscription sent as plain JSON)."""

    def __init__(self, status: int, code: ApiErrorCode, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def not_found() -> Refusal:
    # Apollo's link retries with the document on this message or this code.
    return Refusal(200, ApiErrorCode.PERSISTED_QUERY_NOT_FOUND, "PersistedQueryNotFound")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class Store(Protocol):
    """Where APQ documents are kept, by hash."""

    async def get(self, digest: str) -> str | None: ...
    async def put(self, digest: str, document: str) -> None: ...
    async def close(self) -> None: ...


class MemoryStore:
    """A bounded LRU of documents (entries and characters), for one process."""

    def __init__(self, max_entries: int, budget: int = MEMORY_BUDGET_CHARS) -> None:
        self.max_entries = max_entries
        self.budget = budget
        self.size = 0
        self._entries: OrderedDict[str, str] = OrderedDict()

    async def get(self, digest: str) -> str | None:
        found = self._entries.get(digest)
        if found is not None:
            self._entries.move_to_end(digest)
        return found

    async def put(self, digest: str, document: str) -> None:
        if len(document) > self.budget or self.max_entries <= 0:
            return
        old = self._entries.pop(digest, None)
        self.size -= len(old) if old is not None else 0
        self._entries[digest] = document
        self.size += len(document)
        while len(self._entries) > self.max_entries or self.size > self.budget:
            _, evicted = self._entries.popitem(last=False)
            self.size -= len(evicted)

    async def close(self) -> None:
        return None


class RedisStore:
    """Documents shared by every process, under ``<prefix>apq:<hash>`` with a TTL."""

    def __init__(self, url: str, prefix: str, ttl_seconds: int) -> None:
        import redis.asyncio as redis

        self.redis = redis.Redis.from_url(url)
        self.prefix = prefix + "apq:"
        self.ttl = ttl_seconds

    async def get(self, digest: str) -> str | None:
        try:
            found = await self.redis.get(self.prefix + digest)
        except RedisError:  # unreachable: the client sends the document again
            log.exception("persisted queries: reading Redis failed")
            return None
        return found.decode() if isinstance(found, bytes) else None

    async def put(self, digest: str, document: str) -> None:
        try:
            await self.redis.set(self.prefix + digest, document.encode(), ex=self.ttl)
        except RedisError:  # the request still runs; the hash is asked for again later
            log.exception("persisted queries: writing Redis failed")

    async def close(self) -> None:
        await self.redis.aclose()


@lru_cache(maxsize=256)
def printed(document: str, max_tokens: int | None = None) -> str | None:
    """The document as graphql-core prints it; None when it does not parse."""
    try:
        return print_ast(parse(document, max_tokens=max_tokens))
    except GraphQLError:
        return None


class Manifest:
    """The trusted documents, by the SHA-256 of their text and of their printed form."""

    def __init__(self, documents: Mapping[str, str], max_tokens: int | None = None) -> None:
        self.by_hash = dict(documents)
        self.max_tokens = max_tokens

    @classmethod
    def load(cls, folder: Path, max_tokens: int | None = None) -> Manifest:
        documents: dict[str, str] = {}
        for path in sorted(folder.glob("*.graphql")):
            text = path.read_text(encoding="utf-8")
            documents[sha256(text)] = text
            canonical = printed(text)
            if canonical is not None:
                documents.setdefault(sha256(canonical), text)
        return cls(documents, max_tokens)

    def get(self, digest: str) -> str | None:
        return self.by_hash.get(digest.lower())

    def trusts(self, document: str) -> bool:
        if sha256(document) in self.by_hash:
            return True
        canonical = printed(document, self.max_tokens)
        return canonical is not None and sha256(canonical) in self.by_hash


class PersistedQueries:
    """Resolves the document of a request from its ``query`` and ``extensions``."""

    def __init__(self, store: Store, manifest: Manifest | None, max_tokens: int) -> None:
        self.store = store
        self.manifest = manifest  # set: trusted-documents mode
        self.max_tokens = max_tokens

    @classmethod
    def create(cls, settings: Settings) -> PersistedQueries:
        store: Store
        if settings.redis_url:
            store = RedisStore(
                settings.redis_url, settings.redis_prefix, settings.apq_redis_ttl_seconds
            )
        else:
            store = MemoryStore(settings.apq_cache_size)
        manifest = (
            Manifest.load(settings.trusted_documents_dir, settings.max_tokens)
            if settings.trusted_documents
            else None
        )
        return cls(store, manifest, settings.max_tokens)

    async def resolve(self, query: str | None, extensions: Mapping[str, Any] | None) -> str | None:
        """The document to run (None: no document, the caller's usual error), or raise
        ``Refusal``."""
        digest = _persisted_hash(extensions)
        if digest is None:
            if query is not None and self.manifest is not None:
                self._check_trusted(query)
            return query
        if query is None:
            found = await self._lookup(digest)
            if found is None:
                raise not_found()
            return found
        if sha256(query) != digest:
            raise Refusal(
                400,
                ApiErrorCode.PERSISTED_QUERY_HASH_MISMATCH,
                "L'empreinte « sha256Hash » ne correspond pas au document envoyé.",
            )
        if self.manifest is not None:
            self._check_trusted(query)
        elif printed(query, self.max_tokens) is not None:  # only documents that parse are kept
            await self.store.put(digest, query)
        return query

    async def _lookup(self, digest: str) -> str | None:
        if self.manifest is not None:
            return self.manifest.get(digest)
        return await self.store.get(digest)

    def _check_trusted(self, query: str) -> None:
        assert self.manifest is not None
        if not self.manifest.trusts(query):
            raise Refusal(403, ApiErrorCode.DOCUMENT_NOT_TRUSTED, NOT_TRUSTED)

    def trusts(self, query: str) -> bool:
        """Whether a document may run (always, outside trusted-documents mode)."""
        return self.manifest is None or self.manifest.trusts(query)

    async def close(self) -> None:
        await self.store.close()


def _persisted_hash(extensions: Mapping[str, Any] | None) -> str | None:
    """The ``sha256Hash`` of ``extensions.persistedQuery``; None when there is none."""
    if not extensions or extensions.get("persistedQuery") is None:
        return None
    persisted = extensions["persistedQuery"]
    if not isinstance(persisted, Mapping) or persisted.get("version") != VERSION:
        raise Refusal(
            400,
            ApiErrorCode.PERSISTED_QUERY_VERSION_UNSUPPORTED,
            "Seule la version 1 des requêtes persistées (persistedQuery) est prise en charge.",
        )
    digest = persisted.get("sha256Hash")
    if not isinstance(digest, str) or not HASH.fullmatch(digest):
        raise Refusal(
            400,
            ApiErrorCode.BAD_REQUEST,
            "« persistedQuery.sha256Hash » doit être une empreinte SHA-256 en hexadécimal.",
        )
    return digest.lower()
