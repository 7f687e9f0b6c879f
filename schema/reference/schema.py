"""Reference data: communes by postal code, ROME métiers and job titles (appellations)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from refdata import Commune as CommuneData
from refdata import JobTitle as JobTitleData
from refdata import Metier as MetierData
from resolvers.core.paging import KeysetPage
from schema.core.base import After, First
from schema.core.context import Info
from schema.core.paging import Before, Last, count_of, paged_connection, window


@strawberry.type(description="A département (INSEE code and name).")
class Departement:
    code: str = strawberry.field(description="INSEE code, e.g. 22 or 2A or 974.")
    name: str = strawberry.field(description="Name, e.g. Côtes-d'Armor.")


@strawberry.type(description="A région (INSEE code and name).")
class Region:
    code: str = strawberry.field(description="INSEE code, e.g. 53.")
    name: str = strawberry.field(description="Name, e.g. Bretagne.")


@strawberry.type(description="A commune served by a postal code.")
class Commune:
    insee_code: str = strawberry.field(description="The commune's INSEE code (code officiel).")
    name: str = strawberry.field(description="Official name, e.g. Guingamp.")
    postal_code: str = strawberry.field(description="The postal code it was looked up with.")
    libelle_acheminement: str = strawberry.field(
        description="Libellé d'acheminement: the line La Poste prints above the postal code."
    )
    departement: Departement = strawberry.field(description="The commune's département.")
    region: Region = strawberry.field(description="The commune's région.")
    latitude: float | None = strawberry.field(description="Latitude of the commune centre.")
    longitude: float | None = strawberry.field(description="Longitude of the commune centre.")

    @classmethod
    def from_data(cls, c: CommuneData) -> Commune:
        return cls(
            insee_code=c.insee,
            name=c.name,
            postal_code=c.postal_code,
            libelle_acheminement=c.libelle_acheminement,
            departement=Departement(code=c.departement_code, name=c.departement_name),
            region=Region(code=c.region_code, name=c.region_name),
            latitude=c.latitude,
            longitude=c.longitude,
        )


@strawberry.type(description="A métier of the ROME 4.0 (v460) classification.")
class Metier:
    code: str = strawberry.field(description="ROME code, e.g. D1102.")
    libelle: str = strawberry.field(description="Label of the métier.")

    @classmethod
    def from_data(cls, m: MetierData) -> Metier:
        return cls(code=m.code, libelle=m.libelle)


@strawberry.type(description="A job title (appellation) of the ROME, with its métier.")
class JobTitle:
    code_ogr: str = strawberry.field(description="The appellation's OGR code.")
    libelle: str = strawberry.field(description="Full label, e.g. Boulanger / Boulangère.")
    libelle_court: str = strawberry.field(description="Short label.")
    metier: Metier = strawberry.field(description="The ROME métier it belongs to.")

    @classmethod
    def from_data(cls, j: JobTitleData) -> JobTitle:
        return cls(
            code_ogr=j.code_ogr,
            libelle=j.libelle,
            libelle_court=j.libelle_court,
            metier=Metier(code=j.code_rome, libelle=j.metier_libelle),
        )


@strawberry.type(description="A page of job titles.")
class JobTitleConnection(relay.Connection[JobTitle]):  # type: ignore[type-var]
    @strawberry.field(description="How many job titles match the search, across all pages.")
    async def total_count(self) -> int:
        return await count_of(self)


async def _count(value: int) -> int:
    return value


@strawberry.type
class Query:
    @strawberry.field(
        description=(
            "The communes served by a postal code, sorted by name (22200 gives ten). "
            "An ill-formed or unknown postal code gives an empty list."
        )
    )
    def communes(
        self,
        info: Info,
        postal_code: Annotated[
            str, strawberry.argument(description="A French postal code, 5 digits (e.g. 22200).")
        ],
    ) -> list[Commune]:
        found = info.context.runtime.refdata.communes_for_postal_code(postal_code.strip())
        return [Commune.from_data(c) for c in found]

    @strawberry.field(
        description=(
            "Job titles (ROME appellations) matching a search, accent- and case-insensitive, "
            "word prefixes first; a ROME code (e.g. D1102) gives that métier's titles."
        )
    )
    def job_titles(
        self,
        info: Info,
        search: Annotated[
            str,
            strawberry.argument(
                description="Words of a job title, or a ROME code; the first 200 characters count."
            ),
        ],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> JobTitleConnection:
        asked = window(info, first, after, last, before)
        ref = info.context.runtime.refdata
        query = search[:200]
        start = asked.after or 0  # cursors are 1-based positions in the ranking
        if asked.before is not None:
            end = asked.before - 1
        else:  # reading from the end needs the end; a forward page does not
            end = ref.count_job_titles(query) if asked.from_end else start + asked.limit
        if asked.from_end:
            start = max(start, end - asked.limit)
        size = max(0, min(asked.limit, end - start))
        titles, more = ref.search_job_titles(query, size, start)
        rows = list(enumerate(titles, start=start + 1))
        page = KeysetPage(
            rows,
            has_next=asked.before is not None if asked.from_end else more,
            has_previous=start > 0,
        )
        return paged_connection(
            JobTitleConnection,
            page,
            lambda row: JobTitle.from_data(row[1]),
            key=lambda row: row[0],
            count=lambda: _count(ref.count_job_titles(query)),
        )

    @strawberry.field(description="A ROME métier by its code, or null when unknown.")
    def metier(
        self,
        info: Info,
        code: Annotated[str, strawberry.argument(description="A ROME code, e.g. D1102.")],
    ) -> Metier | None:
        found = info.context.runtime.refdata.metier(code.strip().upper())
        return Metier.from_data(found) if found else None
