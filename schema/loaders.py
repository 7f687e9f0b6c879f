"""Per-request DataLoaders, named ``<X>By<Key>Loader``. Built lazily by the context."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from strawberry.dataloader import DataLoader

from models.dashboard import Announcement, Event
from models.dossiers import Agency
from models.offers import Company, Offer
from resolvers.agencies import agencies_by_ids
from resolvers.classeur import saved_offer_ids
from resolvers.companies import companies_by_ids
from resolvers.dashboard import announcements_by_ids, events_by_ids
from resolvers.offers import offers_by_ids

if TYPE_CHECKING:
    from schema.context import Context


class AgencyByIdLoader(DataLoader[int, Agency | None]):
    """Agencies by id, one query per batch (None for an unknown id)."""

    def __init__(self, context: Context) -> None:
        async def load(ids: list[int]) -> list[Agency | None]:
            found = await agencies_by_ids(context.read_session(), ids)
            return [found.get(i) for i in ids]

        super().__init__(load_fn=load)


class EventByIdLoader(DataLoader[int, Event | None]):
    """Dashboard events by id, one query per batch."""

    def __init__(self, context: Context) -> None:
        async def load(ids: list[int]) -> list[Event | None]:
            found = await events_by_ids(context.read_session(), ids)
            return [found.get(i) for i in ids]

        super().__init__(load_fn=load)


class AnnouncementByIdLoader(DataLoader[int, Announcement | None]):
    """Announcements by id, one query per batch."""

    def __init__(self, context: Context) -> None:
        async def load(ids: list[int]) -> list[Announcement | None]:
            found = await announcements_by_ids(context.read_session(), ids)
            return [found.get(i) for i in ids]

        super().__init__(load_fn=load)


class OfferByIdLoader(DataLoader[int, Offer | None]):
    """Offers by id, one query per batch (visibility is the caller's check)."""

    def __init__(self, context: Context) -> None:
        async def load(ids: list[int]) -> list[Offer | None]:
            found = await offers_by_ids(context.read_session(), ids)
            return [found.get(i) for i in ids]

        super().__init__(load_fn=load)


class CompanyByIdLoader(DataLoader[int, Company | None]):
    """Companies by id, one query per batch."""

    def __init__(self, context: Context) -> None:
        async def load(ids: list[int]) -> list[Company | None]:
            found = await companies_by_ids(context.read_session(), ids)
            return [found.get(i) for i in ids]

        super().__init__(load_fn=load)


class ClasseurFlagByOfferIdLoader(DataLoader[int, bool]):
    """Whether the signed-in account keeps each offer in its classeur, one query per batch."""

    def __init__(self, context: Context) -> None:
        async def load(ids: list[int]) -> list[bool]:
            viewer = context.viewer
            if viewer is None:
                return [False for _ in ids]
            saved = await saved_offer_ids(context.read_session(), viewer.account.id, ids)
            return [i in saved for i in ids]

        super().__init__(load_fn=load)


class Loaders:
    """One set of DataLoaders per request, so that nothing is loaded row by row."""

    def __init__(self, context: Context) -> None:
        self.context = context

    @cached_property
    def agency_by_id(self) -> AgencyByIdLoader:
        return AgencyByIdLoader(self.context)

    @cached_property
    def event_by_id(self) -> EventByIdLoader:
        return EventByIdLoader(self.context)

    @cached_property
    def announcement_by_id(self) -> AnnouncementByIdLoader:
        return AnnouncementByIdLoader(self.context)

    @cached_property
    def offer_by_id(self) -> OfferByIdLoader:
        return OfferByIdLoader(self.context)

    @cached_property
    def company_by_id(self) -> CompanyByIdLoader:
        return CompanyByIdLoader(self.context)

    @cached_property
    def classeur_flag_by_offer_id(self) -> ClasseurFlagByOfferIdLoader:
        return ClasseurFlagByOfferIdLoader(self.context)
