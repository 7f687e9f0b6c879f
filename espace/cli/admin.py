"""Administration commands behind ``espace adviser create``."""

from __future__ import annotations

import sys

from ground.migrate import is_at_head
from ground.runtime import Runtime
from ground.settings import Settings
from resolvers.core.errors import DomainError
from resolvers.core.unit_of_work import RuntimeWork
from resolvers.identity import sign_up as identity_sign_up

FIELD_LABELS = {
    "email": "--email",
    "name": "--name",
    "password": "mot de passe",
    "agency": "--agency",
}


async def create_adviser(
    settings: Settings, *, email: str, name: str, password: str, agency_code: str | None
) -> int:
    """Create an adviser account; print the result in French; return the exit code."""
    runtime = Runtime.create(settings)
    work = RuntimeWork(runtime)
    try:
        if not await is_at_head(runtime.engine):
            print(
                "espace: la base de données n'est pas migrée. Lancez d'abord : espace migrate",
                file=sys.stderr,
            )
            return 1
        account = await identity_sign_up.adviser_create(
            work, runtime, email=email, name=name, password=password, agency_code=agency_code
        )
    except DomainError as e:
        for error in e.errors:
            label = FIELD_LABELS.get(error.field or "", "")
            prefix = f"{label} : " if label else ""
            print(f"espace: {prefix}{error.message} ({error.code.value})", file=sys.stderr)
        return 1
    finally:
        await work.close()
        await runtime.engine.dispose()
    agency = f", agence {agency_code.strip().upper()}" if agency_code else ""
    print(f"espace: conseiller créé : {account.display_name} <{account.email}>{agency}.")
    print("espace: il se connecte avec cette adresse e-mail et ce mot de passe.")
    return 0
