"""Our graphql-transport-ws server for ``/graphql`` sockets.

``protocol`` parses and builds messages, ``connection`` is one socket's state machine,
``operations`` starts what a ``subscribe`` asks for, ``hub`` is the process-wide registry,
dispatcher and heartbeat, ``topics`` the event-driven subscription fields, ``groups`` the
fan-out groups, ``channels`` the broker subscriptions and ``documents`` parsing, validation
and execution.
"""

from espace.ws.hub import Hub

__all__ = ["Hub"]
