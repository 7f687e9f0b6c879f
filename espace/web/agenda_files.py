"""Calendar files of the agenda (``icalendar``):

- ``GET /agenda/rendez-vous/{id}.ics``: one appointment, with the bearer token (the candidat
  or an adviser of the agency; anyone else 404);
- ``GET /agenda/flux/{token}.ics``: the candidat's private feed for phone calendars (no
  sign-in: the secret token is the key; an unknown or revoked token answers 404).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from espace.graphql_view import authenticate
from espace.responses import bearer_token, error_response
from espace.web.letter_files import unauthenticated
from ground.runtime import Runtime
from resolvers.agenda.feed import feed_appointments
from resolvers.agenda.ics import calendar
from resolvers.agenda.reads import appointment_for
from resolvers.core.unit_of_work import RuntimeWork
from schema.core.error_codes import ApiErrorCode
from schema.core.ids import decode_global_id

ICS_TYPE = "text/calendar; charset=utf-8"
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
    "Referrer-Policy": "no-referrer",
}


def routes(runtime: Runtime) -> list[Route]:
    settings = runtime.settings

    async def one(request: Request) -> Response:
        token = bearer_token(request.headers.get("authorization"))
        if token is None:
            return unauthenticated("Vous devez être connecté(e).")
        appointment_id = decode_global_id(request.path_params["id"], "Appointment") or 0
        work = RuntimeWork(runtime)
        try:
            viewer = await authenticate(runtime, work.read_session(), token)
            if viewer is None:
                return unauthenticated("Session inconnue ou expirée.")
            row = await appointment_for(work.read_session(), viewer.account, appointment_id)
        finally:
            await work.close()
        if row is None:
            return error_response(404, ApiErrorCode.NOT_FOUND, "Ce rendez-vous est introuvable.")
        body = calendar([row], settings.public_url, runtime.clock.now(), "Rendez-vous")
        headers = {
            **HEADERS,
            "Content-Disposition": f'attachment; filename="rendez-vous-{row.id}.ics"',
        }
        return Response(body, media_type=ICS_TYPE, headers=headers)

    async def feed(request: Request) -> Response:
        token = str(request.path_params["token"])[:100]
        async with runtime.read_sessionmaker() as session:
            rows = await feed_appointments(session, settings.secret_key, token, runtime.clock.now())
        if rows is None:
            return error_response(
                404, ApiErrorCode.NOT_FOUND, "Ce calendrier n'existe pas ou a été révoqué."
            )
        body = calendar(rows, settings.public_url, runtime.clock.now(), "Mon agenda France Travail")
        return Response(body, media_type=ICS_TYPE, headers=HEADERS)

    return [
        Route("/agenda/rendez-vous/{id}.ics", one, methods=["GET"]),
        Route("/agenda/flux/{token}.ics", feed, methods=["GET"]),
    ]
