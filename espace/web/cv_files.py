"""``GET /cvs/{id}/file``: download the PDF attached to a CV (``Cv.file.url``).

The owner downloads it; an employer only for a CV published with the candidat's name (never
an anonymous one); anyone else gets 404 (``espace.web.downloads``).
"""

from __future__ import annotations

from starlette.routing import Route

from espace.web.downloads import pdf_route
from ground.runtime import Runtime
from resolvers.cvs.files import downloadable


def routes(runtime: Runtime) -> list[Route]:
    return [pdf_route(runtime, "/cvs/{id}/file", "Cv", downloadable, "Ce fichier est introuvable.")]
