"""Our graphql-transport-ws server for ``/graphql`` sockets.

``protocol`` parses and builds messages, ``connection`` is one socket's state machine (run
by the ASGI connection task, with no task or queue of its own), ``operations`` starts what
a ``subscribe`` asks for, ``hub`` is the process-wide registry, broker dispatcher and
heartbeat, ``topics`` the event-driven subscription fields, ``groups`` the fan-out groups,
``channels`` the broker subscriptions and ``documents`` parsing, validation and execution.

Choices the protocol leaves open:

- A client that does not offer ``graphql-transport-ws`` (e.g. only the legacy
  ``graphql-ws``) is accepted without a subprotocol and closed with 4406, as the
  reference server does.
- With ``allowed_origins`` empty any Origin may connect; otherwise a handshake carrying an
  Origin outside the list is refused with HTTP 403 (clients without one are not browsers),
  except the server's own origin (the Origin naming the Host: GraphiQL's page). The same
  list is the HTTP CORS allowlist (``espace.cors``).
- The token is read from the ``connection_init`` payload wherever clients put it
  (``espace.ws.auth``); a refusal closes with 4403 and a French reason.
- Queries and mutations over the socket run once (``next``, ``complete``).
- A peer that stops reading is closed with 1013 once 256 messages wait for it.
"""

from espace.ws.hub import Hub

__all__ = ["Hub"]
