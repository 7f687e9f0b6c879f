"""Reading CVs: pages per dossier with their item counts, and batches for the DataLoaders."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ScalarSelect, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.cvs import Cv, CvEducation, CvExperience
from models.dossiers import Dossier
from resolvers.core.owners import owned_by
from resolvers.core.page_union import Param
from resolvers.core.paging import KeysetPage, Window, first_per_group, windows_per_group
from resolvers.cvs.manage import MAX_ID

CvRow = tuple[Cv, int, int]  # a CV, its experiences and formations counted


def _item_counts() -> tuple[ScalarSelect[int], ScalarSelect[int]]:
    """How many experiences and formations the CV of the enclosing select has."""
    experiences = select(func.count()).where(CvExperience.cv_id == Cv.id).scalar_subquery()
    educations = select(func.count()).where(CvEducation.cv_id == Cv.id).scalar_subquery()
    return experiences, educations


def cvs_select(
    account_id: Param, dossiers: Sequence[int] | Select[int], after_id: Param | None
) -> Select[Cv, int, int]:
    """The account's CVs in ``dossiers`` (ids, or a select of ids) after ``after_id``, each
    with its counts of experiences and formations (what ``completeness`` needs)."""
    experiences, educations = _item_counts()
    stmt = select(Cv, experiences.label("experiences"), educations.label("educations")).where(
        owned_by(Cv, account_id), Cv.dossier_id.in_(dossiers)
    )
    if after_id is not None:
        stmt = stmt.where(Cv.id > after_id)
    return stmt


async def cvs_pages(
    session: AsyncSession,
    account_id: int,
    dossier_ids: Sequence[int],
    after_id: int | None,
    limit: int,
) -> dict[int, tuple[list[CvRow], bool]]:
    """Oldest first: one page of CVs (with their item counts) for each of the account's
    dossiers, in one statement."""
    stmt = cvs_select(account_id, dossier_ids, after_id)
    return await first_per_group(session, stmt, Cv, Cv.dossier_id, Cv.id, dossier_ids, limit)


async def cv_windows(
    session: AsyncSession, account_id: int, dossier_ids: Sequence[int], window: Window
) -> dict[int, KeysetPage]:
    """Any window of each dossier's CVs (oldest first, with their item counts), in one
    statement."""
    stmt = cvs_select(account_id, dossier_ids, None)
    return await windows_per_group(
        session, stmt, Cv, Cv.dossier_id, Cv.id, False, dossier_ids, window
    )


def account_cvs(account_id: int) -> Select[Cv]:
    """The account's CVs (``totalCount`` of each dossier's list groups them)."""
    return select(Cv).where(owned_by(Cv, account_id))


async def item_counts_by_cv_ids(
    session: AsyncSession, ids: Sequence[int]
) -> dict[int, tuple[int, int]]:
    """How many experiences and formations each CV has (absent: an unknown CV)."""
    wanted = [i for i in ids if 0 < i <= MAX_ID]
    if not wanted:
        return {}
    experiences, educations = _item_counts()
    rows = await session.execute(select(Cv.id, experiences, educations).where(Cv.id.in_(wanted)))
    return {int(i): (int(e), int(d)) for i, e, d in rows.all()}


async def cvs_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, tuple[Cv, Dossier]]:
    """CVs with their dossiers, whoever owns them (``audience`` decides who sees one)."""
    wanted = [i for i in ids if 0 < i <= MAX_ID]
    if not wanted:
        return {}
    stmt = select(Cv, Dossier).join(Dossier, Dossier.id == Cv.dossier_id).where(Cv.id.in_(wanted))
    return {cv.id: (cv, d) for cv, d in await session.execute(stmt)}


async def experiences_by_cv_ids(
    session: AsyncSession, ids: Sequence[int]
) -> dict[int, list[CvExperience]]:
    found: dict[int, list[CvExperience]] = {i: [] for i in ids}
    if not found:
        return found
    rows = await session.scalars(
        select(CvExperience)
        .where(CvExperience.cv_id.in_(list(found)))
        .order_by(CvExperience.cv_id, CvExperience.position)
    )
    for row in rows:
        found[row.cv_id].append(row)
    return found


async def educations_by_cv_ids(
    session: AsyncSession, ids: Sequence[int]
) -> dict[int, list[CvEducation]]:
    found: dict[int, list[CvEducation]] = {i: [] for i in ids}
    if not found:
        return found
    rows = await session.scalars(
        select(CvEducation)
        .where(CvEducation.cv_id.in_(list(found)))
        .order_by(CvEducation.cv_id, CvEducation.position)
    )
    for row in rows:
        found[row.cv_id].append(row)
    return found
