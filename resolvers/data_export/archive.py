"""Building one account's archive (a zip): ``LISEZMOI.md``, one JSON document per domain
in ``donnees/``, the account's files in ``fichiers/`` and its mails in ``mails/``.

Everything is read in one read session; a row changed while the archive is built may show
its old or its new value (no snapshot across statements is promised). PDFs are rendered
off the event loop. The archive is built in memory: its size is bounded by what one account
holds (uploads are at most ``max_upload_bytes`` each).
"""

from __future__ import annotations

import asyncio
import io
import logging
import zipfile
from collections.abc import Mapping
from typing import Any

from ground.runtime import Runtime
from models.identity import Account
from resolvers.data_export.collect import account_addresses, omitted, rows_select, to_json
from resolvers.data_export.declarations import (
    ExportContext,
    RenderedFile,
    StoredFile,
    TablePart,
)
from resolvers.data_export.parts import DOMAINS, parts_by_table
from resolvers.data_export.readme import readme
from resolvers.data_export.renderers import safe_name

log = logging.getLogger(__name__)


async def build_archive(runtime: Runtime, account_id: int) -> bytes:
    """The zip of everything held about the account."""
    parts = parts_by_table()
    out = io.BytesIO()
    async with runtime.read_sessionmaker() as session:
        account = await session.get(Account, account_id)
        if account is None:
            raise LookupError(f"account {account_id} is gone")
        addresses = await account_addresses(session, account)
        ctx = ExportContext(runtime.settings, account.identifiant)
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("LISEZMOI.md", readme())
            for domain in DOMAINS:
                tables: dict[str, list[dict[str, Any]]] = {}
                for part in domain.tables:
                    stmt = rows_select(part, parts, account_id, addresses)
                    rows = (await session.execute(stmt)).mappings().all()
                    tables[part.table] = [
                        await _item(runtime, archive, part, row, ctx) for row in rows
                    ]
                document = {"fichier": domain.file, "titre": domain.title, "tables": tables}
                archive.writestr(f"donnees/{domain.file}", to_json(document))
    return out.getvalue()


async def _item(
    runtime: Runtime,
    archive: zipfile.ZipFile,
    part: TablePart,
    row: Mapping[str, Any],
    ctx: ExportContext,
) -> dict[str, Any]:
    left_out = omitted(part)
    item = {name: value for name, value in row.items() if name not in left_out}
    if part.files is not None:
        item["fichier"] = await _add_file(runtime, archive, part.files, row, ctx)
    return item


async def _add_file(
    runtime: Runtime,
    archive: zipfile.ZipFile,
    files: StoredFile | RenderedFile,
    row: Mapping[str, Any],
    ctx: ExportContext,
) -> str | None:
    """Put the row's file in the archive; its path there, or None when it has none."""
    if isinstance(files, StoredFile):
        key = row[files.key]
        if not key:
            return None
        data = await runtime.storage.get(key)
        if data is None:
            log.error("stored file %s (%s %s) is missing", key, files.folder, row["id"])
            return None
        name = safe_name(row["id"], row[files.name], "fichier")
    else:
        built = await asyncio.to_thread(files.render, row, ctx)
        if built is None:
            return None
        name, data = built
    path = f"{files.folder}/{name}"
    archive.writestr(path, data)
    return path
