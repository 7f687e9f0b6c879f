"""GraphQL types and operations of the dossiers domain."""

from __future__ import annotations
