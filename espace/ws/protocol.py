"""graphql-transport-ws messages: check what a client sends, build what the server sends.

https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md. Every malformed message
(bad JSON, unknown type, missing or mistyped field) is a ``ProtocolError`` with close code
4400; the connection turns it into a close frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

SUBPROTOCOL = "graphql-transport-ws"

# Close codes of the protocol (and two of RFC 6455).
GOING_AWAY = 1001
MESSAGE_TOO_BIG = 1009
TRY_AGAIN_LATER = 1013
BAD_REQUEST = 4400
UNAUTHORIZED = 4401
FORBIDDEN = 4403
SUBPROTOCOL_NOT_ACCEPTABLE = 4406
INIT_TIMEOUT = 4408
SUBSCRIBER_EXISTS = 4409
TOO_MANY_INIT = 4429
INTERNAL_ERROR = 4500

# A close frame's reason is at most 123 bytes (RFC 6455, 5.5).
MAX_REASON_BYTES = 123


class ProtocolError(Exception):
    """The socket must close with ``code`` and ``reason``."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ConnectionInit:
    payload: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class Ping:
    payload: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class Pong:
    payload: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class Subscribe:
    id: str
    query: str
    operation_name: str | None
    variables: dict[str, Any] | None
    extensions: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class Complete:
    id: str


ClientMessage = ConnectionInit | Ping | Pong | Subscribe | Complete

# Types only a server sends: a client sending them breaks the protocol.
SERVER_ONLY = frozenset({"connection_ack", "next", "error"})


def _bad(reason: str) -> ProtocolError:
    return ProtocolError(BAD_REQUEST, reason)


def _optional_object(message: dict[str, Any], key: str) -> dict[str, Any] | None:
    value = message.get(key)
    if value is not None and not isinstance(value, dict):
        raise _bad(f'"{key}" must be an object')
    return value


def _id(message: dict[str, Any]) -> str:
    value = message.get("id")
    if not isinstance(value, str) or not value:
        raise _bad('"id" must be a non-empty string')
    return value


def parse_message(data: str | bytes) -> ClientMessage:
    """Parse and check one client message; raise ``ProtocolError`` (4400) when invalid."""
    try:
        message = orjson.loads(data)
    except orjson.JSONDecodeError:
        raise _bad("Invalid JSON") from None
    if not isinstance(message, dict):
        raise _bad("A message must be a JSON object")
    kind = message.get("type")
    if not isinstance(kind, str):
        raise _bad('"type" must be a string')
    if kind == "connection_init":
        return ConnectionInit(_optional_object(message, "payload"))
    if kind == "ping":
        return Ping(_optional_object(message, "payload"))
    if kind == "pong":
        return Pong(_optional_object(message, "payload"))
    if kind == "complete":
        return Complete(_id(message))
    if kind == "subscribe":
        return _subscribe(message)
    if kind in SERVER_ONLY:
        raise _bad(f'Unexpected message of type "{kind}" received')
    raise _bad(f'Unknown message type "{kind[:40]}"')


def _subscribe(message: dict[str, Any]) -> Subscribe:
    op_id = _id(message)
    payload = message.get("payload")
    if not isinstance(payload, dict):
        raise _bad('"payload" must be an object')
    query = payload.get("query")
    if not isinstance(query, str):
        raise _bad('"payload.query" must be a string')
    operation_name = payload.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise _bad('"payload.operationName" must be a string or null')
    return Subscribe(
        id=op_id,
        query=query,
        operation_name=operation_name,
        variables=_optional_object(payload, "variables"),
        extensions=_optional_object(payload, "extensions"),
    )


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


CONNECTION_ACK = '{"type":"connection_ack"}'
PING = '{"type":"ping"}'


def pong(payload: dict[str, Any] | None) -> str:
    if payload is None:
        return '{"type":"pong"}'
    return _dumps({"type": "pong", "payload": payload})


def next_prefix(op_id: str) -> str:
    """The start of every ``next`` message of one operation: JSON-encode the id once."""
    return '{"id":' + _dumps(op_id) + ',"type":"next","payload":'


def next_message(prefix: str, payload: str) -> str:
    """A ``next`` message around an already serialized execution result."""
    return prefix + payload + "}"


def error_message(op_id: str, errors: list[dict[str, Any]]) -> str:
    return _dumps({"id": op_id, "type": "error", "payload": errors})


def complete_message(op_id: str) -> str:
    return '{"id":' + _dumps(op_id) + ',"type":"complete"}'


def close_reason(reason: str) -> str:
    """``reason`` cut to what a close frame can carry."""
    encoded = reason.encode()
    if len(encoded) <= MAX_REASON_BYTES:
        return reason
    return encoded[:MAX_REASON_BYTES].decode(errors="ignore")
