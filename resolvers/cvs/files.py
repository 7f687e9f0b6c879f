"""The PDF attached to a CV: upload, removal, and who may download it.

The bytes go to the file storage, the row keeps the key. A new file is stored before the
transaction that points the CV at it (and removed again if that transaction fails); the
file it replaces is removed only after the commit, so a CV never points at a missing file.

An anonymous CV's file is never given to employers: a PDF carries the candidat's name,
contact details and address in its text and metadata, and nothing here can prove that a
given PDF does not.
"""

from __future__ import annotations

import logging
import re
import unicodedata

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ground.storage import Download, FileStorage
from models.base import utcnow
from models.cvs import Cv
from models.dashboard import EventKind
from models.identity import Account
from resolvers.core.unit_of_work import UnitOfWork
from resolvers.core.uploads import PDF_TYPE, check_pdf
from resolvers.cvs.manage import SUBJECT, Audience, audience, owned_cv, require_candidat
from resolvers.cvs.reads import cvs_by_ids
from resolvers.dashboard.events import record_event

log = logging.getLogger(__name__)

DEFAULT_NAME = "cv.pdf"
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\"\\/:*?<>|]")


def clean_file_name(name: str | None) -> str:
    """A name safe to show and to send back in Content-Disposition (no folders, no control
    or quoting characters, at most 200 characters, ending in .pdf)."""
    base = re.split(r"[\\/]", name or "")[-1]
    text = _UNSAFE_NAME.sub("_", unicodedata.normalize("NFC", base)).strip(" .")
    if not text:
        return DEFAULT_NAME
    if not text.lower().endswith(".pdf"):
        text += ".pdf"
    return text[-200:]


async def upload_cv_file(
    work: UnitOfWork,
    storage: FileStorage,
    account: Account,
    cv_id: int,
    data: bytes,
    name: str | None,
    max_bytes: int,
) -> Cv:
    """Attach a PDF (checked by its content) to the account's CV, replacing any other."""
    require_candidat(account)
    await owned_cv(work.read_session(), account.id, cv_id)  # NOT_FOUND before storing
    check_pdf(data, max_bytes, "file")
    key = await storage.put(data, PDF_TYPE)
    try:
        async with work.write() as session:
            cv = await owned_cv(session, account.id, cv_id)
            old = cv.file_key
            cv.file_key = key
            cv.file_name = clean_file_name(name)
            cv.file_size = len(data)
            cv.file_uploaded_at = cv.updated_at = utcnow()
            await session.flush()
            payload = {"name": cv.title, "file": "attached"}
            await record_event(session, account.id, EventKind.CV_UPDATED, payload, SUBJECT, cv.id)
    except BaseException:
        await storage.delete(key)
        raise
    await forget_file(storage, old)
    return cv


async def remove_cv_file(
    work: UnitOfWork, storage: FileStorage, account: Account, cv_id: int
) -> Cv:
    """Detach the CV's file (nothing happens when it has none)."""
    require_candidat(account)
    async with work.write() as session:
        cv = await owned_cv(session, account.id, cv_id)
        old = cv.file_key
        if old is not None:
            cv.file_key = cv.file_name = cv.file_size = cv.file_uploaded_at = None
            cv.updated_at = utcnow()
            await session.flush()
            payload = {"name": cv.title, "file": "removed"}
            await record_event(session, account.id, EventKind.CV_UPDATED, payload, SUBJECT, cv.id)
    await forget_file(storage, old)
    return cv


async def dossier_file_keys(session: AsyncSession, account_id: int, dossier_id: int) -> list[str]:
    """The stored files of a dossier's CVs (to remove once the dossier's deletion commits)."""
    rows = await session.scalars(
        select(Cv.file_key).where(
            Cv.account_id == account_id, Cv.dossier_id == dossier_id, Cv.file_key.is_not(None)
        )
    )
    return [key for key in rows.all() if key is not None]


async def forget_file(storage: FileStorage, key: str | None) -> None:
    """Remove a file no row points at any more (a failure leaves an orphan, logged)."""
    if key is None:
        return
    try:
        await storage.delete(key)
    except OSError:
        log.exception("could not delete stored file %s", key)


def file_visible(cv: Cv, seen_as: Audience | None) -> bool:
    """The owner sees the file; employers only that of a CV published with the name."""
    return cv.file_key is not None and seen_as in (Audience.OWNER, Audience.EMPLOYER)


async def downloadable(work: UnitOfWork, account: Account | None, cv_id: int) -> Download | None:
    """The file ``account`` may download for this CV, or None (not found, as for a CV it
    may not see)."""
    found = await cvs_by_ids(work.read_session(), [cv_id])
    if cv_id not in found:
        return None
    cv = found[cv_id][0]
    if not file_visible(cv, audience(cv, account)) or cv.file_key is None:
        return None
    return Download(cv.file_key, cv.file_name or DEFAULT_NAME)
