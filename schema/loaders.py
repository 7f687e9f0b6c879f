"""Per-request DataLoaders, named ``<X>By<Key>Loader``. Built lazily by the context."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from schema.context import Context


class Loaders:
    """One set of DataLoaders per request, so that nothing is loaded row by row."""

    def __init__(self, context: Context) -> None:
        self.context = context
