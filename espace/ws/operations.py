"""What a ``subscribe`` message starts.

- A query or mutation runs once (``next`` then ``complete``), with the viewer of the
  connection's token as it is now.
- A subscription to a registered topic joins its fan-out group (no task of its own).
- Any other subscription runs its Strawberry generator through ``schema.subscribe``, in
  one task per operation.

Parse and validation errors answer an ``error`` message; errors found while running
(variables, cursor, resolvers) answer ``next`` with the errors, then ``complete``, as
graphql-ws does.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import aclosing
from typing import TYPE_CHECKING, Any, cast

from graphql import GraphQLError, OperationType
from strawberry.types.execution import PreExecutionError

from espace.persisted import NOT_TRUSTED
from espace.responses import format_result
from espace.ws.documents import serialize
from espace.ws.protocol import SUBSCRIBER_EXISTS, ProtocolError, Subscribe
from schema.core.context import Context
from schema.core.error_codes import ApiErrorCode

if TYPE_CHECKING:
    from espace.ws.peer import Peer

log = logging.getLogger(__name__)

UNKNOWN_OPERATION = (
    "Opération introuvable : donnez « operationName » quand le document en contient plusieurs."
)


async def start(conn: Peer, message: Subscribe) -> None:
    """Start the operation of a ``subscribe`` message."""
    hub = conn.hub
    op_id = message.id
    if op_id in conn.ops:
        raise ProtocolError(SUBSCRIBER_EXISTS, f"Subscriber for {op_id} already exists")
    limit = hub.settings.ws_max_subscriptions
    if len(conn.ops) >= limit:
        conn.send_error(op_id, [_too_many(limit)])
        return
    if not hub.persisted.trusts(message.query):
        conn.send_error(op_id, [_not_trusted()])
        return
    documents = hub.documents
    prepared = await documents.prepare(message.query)
    if prepared.document is None:
        conn.send_error(op_id, documents.error_message_payload(prepared.errors))
        return
    operation = documents.operation(prepared.document, message.operation_name)
    if operation is None:
        error = GraphQLError(UNKNOWN_OPERATION)
        conn.send_error(op_id, documents.error_message_payload([error]))
        return
    if operation.operation != OperationType.SUBSCRIPTION:
        await _run_once(conn, message)
        return
    root = documents.root_field(prepared.document, message.operation_name, message.variables)
    if isinstance(root, list):
        _single(conn, op_id, documents.errors_payload(root))
        return
    topic = hub.topics.get(root.name)
    if topic is None:
        _start_stream(conn, message)
        return
    try:
        position = topic.start(root.arguments)
    except GraphQLError as error:  # e.g. a malformed cursor
        _single(conn, op_id, documents.errors_payload([error]))
        return
    await hub.join(conn, message, topic, position)


def _not_trusted() -> dict[str, object]:
    return {"message": NOT_TRUSTED, "extensions": {"code": "DOCUMENT_NOT_TRUSTED"}}


def _too_many(limit: int) -> dict[str, object]:
    return {
        "message": f"Trop d'abonnements sur cette connexion ({limit} au maximum) : "
        "terminez-en un avant d'en ouvrir un autre.",
        "extensions": {"code": ApiErrorCode.TOO_MANY_SUBSCRIPTIONS.value},
    }


def _single(conn: Peer, op_id: str, payload: str) -> None:
    conn.send_next(conn.next_prefix(op_id), payload)
    conn.send_complete(op_id)


async def _run_once(conn: Peer, message: Subscribe) -> None:
    runtime = conn.hub.runtime
    context = Context(runtime=runtime, request=conn.request(), viewer=await conn.current_viewer())
    try:
        result = await conn.hub.schema.execute(
            message.query,
            variable_values=message.variables,
            context_value=context,
            operation_name=message.operation_name,
        )
    finally:
        await context.close()
    _single(conn, message.id, serialize(result))


def _start_stream(conn: Peer, message: Subscribe) -> None:
    task = asyncio.get_running_loop().create_task(_stream(conn, message))
    conn.ops[message.id] = task


async def _stream(conn: Peer, message: Subscribe) -> None:
    """Run a subscription through Strawberry's own generator until it ends."""
    op_id = message.id
    context = Context(runtime=conn.hub.runtime, request=conn.request(), viewer=conn.viewer)
    prefix = conn.next_prefix(op_id)
    try:
        results = await conn.hub.schema.subscribe(
            message.query,
            variable_values=message.variables,
            context_value=context,
            operation_name=message.operation_name,
        )
        async with aclosing(results):
            async for result in results:
                if isinstance(result, PreExecutionError):  # already masked by Strawberry
                    errors = format_result(result).get("errors") or []
                    conn.send_error(op_id, cast(list[dict[str, Any]], errors))
                    return
                conn.send_next(prefix, serialize(result))
        conn.send_complete(op_id)
    except asyncio.CancelledError:
        raise  # the client completed it, or the socket closed
    except Exception:
        log.exception("subscription %s failed", op_id)
        conn.send_error(op_id, [_internal()])
    finally:
        await context.close()
        if conn.ops.get(op_id) is asyncio.current_task():
            del conn.ops[op_id]


def _internal() -> dict[str, object]:
    return {
        "message": "Erreur interne du serveur.",
        "extensions": {"code": ApiErrorCode.INTERNAL_SERVER_ERROR.value},
    }
