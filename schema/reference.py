"""GraphQL types and operations of the reference domain."""

from __future__ import annotations
