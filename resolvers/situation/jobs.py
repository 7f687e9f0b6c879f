"""The scheduler's part of the changes of situation: once a training is over (the day after
its last day, Paris time), the registration gets back the category it had before the
training moved it to category 4, unless something else changed the category meanwhile."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from ground.db import begin_write
from ground.runtime import Runtime
from models.registration import Registration, RegistrationState
from models.situation import SituationChange, SituationKind
from resolvers.core.pdf import paris_date
from resolvers.situation.rules import CATEGORY_NOT_AVAILABLE

BATCH = 500


async def end_trainings(runtime: Runtime, now: datetime) -> int:
    """Give the category back after each training ended before today; returns how many."""
    today = paris_date(now)
    ended = 0
    async with runtime.sessionmaker() as session, session.begin():
        await begin_write(session)
        rows = await session.execute(
            select(SituationChange, Registration)
            .join(Registration, Registration.account_id == SituationChange.account_id)
            .where(
                SituationChange.kind == SituationKind.TRAINING.value,
                SituationChange.end_date < today,
                SituationChange.ended_at.is_(None),
            )
            .order_by(SituationChange.id)
            .limit(BATCH)
            .with_for_update()
        )
        for change, registration in rows.all():
            change.ended_at = now
            before = int(change.effects.get("categoryBefore", 0))
            if (
                registration.state == RegistrationState.INSCRIT
                and registration.category == CATEGORY_NOT_AVAILABLE
                and before
            ):
                registration.category = before
                registration.updated_at = now
                ended += 1
    return ended
