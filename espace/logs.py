"""Structured logs: every stdlib log record (ours, uvicorn's, SQLAlchemy's) goes through one
structlog renderer, as JSON lines (production) or readable lines (development).

Code logs with the stdlib (``logging.getLogger(...)``, fields in ``extra=``); structlog's
``ProcessorFormatter`` adds the request ID bound for the current request (contextvars),
the time, the level and the process, removes secrets, and renders.
"""

from __future__ import annotations

import logging
import logging.config
import os
import re
import uuid
from collections.abc import MutableMapping
from typing import TYPE_CHECKING, Any

import orjson
import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

if TYPE_CHECKING:  # uvicorn imports this module in each worker before it answers its pings
    from ground.settings import Settings

REQUEST_ID_HEADER = "x-request-id"
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._~:+=/-]{1,128}")

# Never logged: credentials by key, and the local part of e-mail addresses anywhere.
SECRET_KEYS = frozenset(
    {"authorization", "password", "token", "secret", "cookie", "new_password", "answer"}
)
_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")
# Libraries whose debug lines carry statement parameters or message bodies (personal data,
# token hashes): held at WARNING whatever the level (issue 14 §6).
QUIET_LOGGERS = (
    "aiosqlite",
    "asyncpg",
    "sqlalchemy.engine",
    "aiosmtplib",
    "mail.log",
    "httpx",
    "httpcore",
)
# uvicorn passes a coloured copy of its message; the JSON line has the plain one.
_DROPPED_KEYS = ("color_message",)


def request_id(sent: str | None) -> str:
    """The client's ``X-Request-ID`` when it is short and made of safe characters, else a
    fresh one (32 hex digits)."""
    if sent is not None and _SAFE_REQUEST_ID.fullmatch(sent):
        return sent
    return uuid.uuid4().hex


def mask_emails(text: str) -> str:
    """``jean.dupont@example.fr`` becomes ``j***@example.fr``."""
    return _EMAIL.sub(r"\1***@\2", text)


def redact(_logger: WrappedLogger, _name: str, event_dict: EventDict) -> EventDict:
    """Drop secrets by key and mask e-mail addresses in every string value."""
    for key in list(event_dict):
        value = event_dict[key]
        if key.lower() in SECRET_KEYS:
            event_dict[key] = "[redacted]"
        elif key in _DROPPED_KEYS:
            del event_dict[key]
        elif isinstance(value, str) and "@" in value:
            event_dict[key] = mask_emails(value)
    return event_dict


def _add_process(_logger: WrappedLogger, _name: str, event_dict: EventDict) -> EventDict:
    event_dict["pid"] = os.getpid()
    return event_dict


def _json_dumps(data: MutableMapping[str, Any], **_kwargs: Any) -> str:
    return orjson.dumps(data, default=str).decode()


def _shared_processors() -> list[Processor]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.ExtraAdder(),
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _add_process,
    ]


def formatter(style: str = "json") -> logging.Formatter:
    """The formatter for every handler: ``json`` (one object per line) or ``console``."""
    renderer: Processor
    if style == "console":
        renderer = structlog.dev.ConsoleRenderer(colors=False)
        final: list[Processor] = [redact, renderer]
    else:
        renderer = structlog.processors.JSONRenderer(serializer=_json_dumps)
        final = [structlog.processors.format_exc_info, redact, renderer]
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_shared_processors(),
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *final],
    )


def logging_config(settings: Settings) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for the server, uvicorn's loggers included (``espace
    serve`` hands it to uvicorn, which applies it in every worker)."""
    level = settings.log_level
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {"()": "espace.logs.formatter", "style": settings.log_format},
        },
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "formatter": "structured",
                "stream": "ext://sys.stderr",
            },
        },
        "root": {"handlers": ["default"], "level": level},
        "loggers": {
            # uvicorn's own handlers are replaced: its records reach the root handler.
            "uvicorn": {"handlers": [], "level": level, "propagate": True},
            "uvicorn.error": {"handlers": [], "level": level, "propagate": True},
            # One line per request is ours (espace.request); uvicorn's access log is off.
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": True},
            **{name: {"level": "WARNING"} for name in QUIET_LOGGERS},
        },
    }


def configure_logging(settings: Settings) -> None:
    """Route every stdlib logger, and structlog's own loggers, to the structured renderer."""
    logging.config.dictConfig(logging_config(settings))
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *(p for p in _shared_processors() if not isinstance(p, structlog.stdlib.ExtraAdder)),
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
