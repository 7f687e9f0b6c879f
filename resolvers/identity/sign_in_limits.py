"""Sign-in attempts past the limits per client and for the whole service
(``ground.sign_in_limits`` counts them): refused with THROTTLED and a French message."""

from __future__ import annotations

from ground.runtime import Runtime
from ground.sign_in_limits import Refused
from resolvers.core.errors import ErrorCode, FieldError
from resolvers.identity.throttle import french_duration


def refusal(refused: Refused) -> FieldError:
    """THROTTLED, saying whose limit was reached and when to try again."""
    who = (
        "Le service reçoit trop de tentatives de connexion."
        if refused.whole_service
        else "Trop de tentatives de connexion depuis votre adresse."
    )
    return FieldError(
        None, ErrorCode.THROTTLED, f"{who} Réessayez dans {french_duration(refused.wait_seconds)}."
    )


async def attempt(runtime: Runtime, client: str) -> FieldError | None:
    """Count one sign-in attempt from ``client``; THROTTLED (and not counted) past a limit."""
    refused = await runtime.sign_in_limits.attempt(client)
    return refusal(refused) if refused is not None else None
