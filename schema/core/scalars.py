"""Scalars whose wire format the API fixes: every DateTime leaves the server in UTC."""

from __future__ import annotations

from datetime import UTC, datetime

from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.types.scalar import ScalarDefinition


def serialize_datetime(value: datetime) -> str:
    """ISO 8601 in UTC, whatever offset the value carries (naive values are UTC already:
    the models store UTC)."""
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return aware.isoformat()


def parse_datetime(value: object) -> datetime:
    """An ISO 8601 date-time as the client sent it (its offset is kept for the domain to
    check; the answer is in UTC)."""
    if not isinstance(value, str):
        raise StrawberryInputCoercionError(f'Value cannot represent a DateTime: "{value}".')
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise StrawberryInputCoercionError(
            f'Value cannot represent a DateTime: "{value}".'
        ) from None


UtcDateTime = ScalarDefinition(
    name="DateTime",
    description=(
        "A date and time, ISO 8601. The server always answers in UTC (`+00:00`), whatever "
        "offset a client sent; inputs carry their offset (e.g. 2030-06-30T18:00:00+02:00)."
    ),
    specified_by_url=None,
    serialize=serialize_datetime,
    parse_value=parse_datetime,
    parse_literal=None,
    origin=datetime,
)
