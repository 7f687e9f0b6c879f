"""Random tokens: generated with ``secrets``, stored only as a keyed hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token(nbytes: int = 32) -> str:
    """A URL-safe random token (32 bytes = 256 bits by default)."""
    return secrets.token_urlsafe(nbytes)


def hash_token(secret_key: str, token: str) -> str:
    """HMAC-SHA256 of a token, hex. The database never holds the token itself."""
    return hmac.new(secret_key.encode(), token.encode(), hashlib.sha256).hexdigest()
