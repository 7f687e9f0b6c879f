"""``GET /messages/attachments/{id}``: download a PDF attached to a message
(``MessageAttachment.url``).

Only the readers of the conversation (``resolvers.messages.conversations.visible``)
download it; anyone else gets 404 (``espace.web.downloads``).
"""

from __future__ import annotations

from starlette.routing import Route

from espace.web.downloads import pdf_route
from ground.runtime import Runtime
from resolvers.messages.files import downloadable

PATH = "/messages/attachments/{id}"


def routes(runtime: Runtime) -> list[Route]:
    return [
        pdf_route(
            runtime, PATH, "MessageAttachment", downloadable, "Cette pièce jointe est introuvable."
        )
    ]
