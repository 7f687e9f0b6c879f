"""DataLoaders of the declaration domain."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from models.actualisation import ActualisationVersion
from resolvers.actualisation.submit import versions_of
from schema.core.loader_context import LoaderContext


class VersionsByActualisationIdLoader(DataLoader[int, list[ActualisationVersion]]):
    """Each declaration's versions, oldest first, one query per batch."""

    def __init__(self, context: LoaderContext) -> None:
        async def load(ids: list[int]) -> list[list[ActualisationVersion]]:
            found = await versions_of(context.read_session(), ids)
            return [found.get(i, []) for i in ids]

        super().__init__(load_fn=load)
