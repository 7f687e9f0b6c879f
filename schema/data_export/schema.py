"""Data exports (RGPD art. 15 and 20): ``dataExportRequest`` queues the archive; the
candidat follows it in ``viewer.dataExports`` and downloads it through the mailed link
(``espace.web.data_export_files``)."""

from __future__ import annotations

import strawberry

from models.data_export import DataExport as DataExportModel
from resolvers.data_export import requests
from resolvers.data_export.worker import wake_worker
from schema.core.base import UserError
from schema.core.context import Info
from schema.core.runner import run_mutation
from schema.data_export.types import DataExport


@strawberry.type(description="The result of dataExportRequest.")
class DataExportRequestPayload:
    data_export: DataExport | None = strawberry.field(
        description="The queued request, or null if refused."
    )
    user_errors: list[UserError] = strawberry.field(description="What was wrong.")


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="A candidat asks for the archive of everything the service holds about "
        "them (their data in JSON with a French README, their files, the mails sent to "
        "them). It is prepared in the background; when ready, a DATA_EXPORT_READY event is "
        "pushed live and a mail brings a single-use link, valid 7 days by default, that "
        "downloads it with the same bearer token. One request in progress at a time "
        "(EXPORT_IN_PROGRESS), a few a day (THROTTLED); NO_EMAIL without a confirmed "
        "e-mail address to send the link to; WRONG_ACCOUNT_KIND for other accounts."
    )
    async def data_export_request(self, info: Info) -> DataExportRequestPayload:
        runtime = info.context.runtime

        def done(row: DataExportModel) -> DataExportRequestPayload:
            wake_worker(runtime)
            return DataExportRequestPayload(
                data_export=DataExport.from_model(row, runtime.clock.now()), user_errors=[]
            )

        return await run_mutation(
            info,
            DataExportRequestPayload,
            lambda session, viewer: requests.request_export(session, runtime, viewer.account),
            done,
        )
