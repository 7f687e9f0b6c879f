"""Who may use a socket: where graphql-transport-ws clients put the bearer token, the
reasons of a refusal, and the server's own origin.

Clients send it in the ``connection_init`` payload, each in its own way:
``{"Authorization": "Bearer …"}`` (Apollo's and urql's docs), ``{"authorization": …}``, or
``{"headers": {"Authorization": …}}`` (GraphiQL sends its headers object). All are read; the
header name is case-insensitive, and so is the ``Bearer`` scheme, as over HTTP.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from espace.responses import bearer_token

# Close reasons of 4403 (a close frame carries at most 123 bytes).
MISSING = 'Jeton manquant : envoyez {"Authorization": "Bearer <jeton>"} dans connection_init'
MALFORMED = "Authorization invalide : « Bearer <jeton> » attendu"
REFUSED = "Jeton invalide ou expiré"
SESSION_ENDED = "Session terminée : jeton révoqué ou expiré"


def authorization_of(payload: Mapping[str, Any] | None) -> object:
    """The ``Authorization`` value of a ``connection_init`` payload (top level first, then
    ``headers``), whatever the case of its name; None when absent."""
    if not payload:
        return None
    for source in (payload, payload.get("headers")):
        if isinstance(source, Mapping):
            for key, value in source.items():
                if isinstance(key, str) and key.lower() == "authorization":
                    return value
    return None


def token_of(payload: Mapping[str, Any] | None) -> tuple[str | None, str]:
    """The bearer token of a payload, or None with the reason to close 4403."""
    raw = authorization_of(payload)
    if raw is None or raw == "":
        return None, MISSING
    token = bearer_token(raw) if isinstance(raw, str) else None
    if token is None:
        return None, MALFORMED
    return token, REFUSED


def same_origin(origin: str, host: bytes | None) -> bool:
    """The (normalized) Origin names the host the request was sent to."""
    if host is None:
        return False
    _scheme, _, netloc = origin.partition("://")
    host_name = host.decode("latin-1").lower()
    return netloc in {host_name, host_name.removesuffix(":80"), host_name.removesuffix(":443")}
