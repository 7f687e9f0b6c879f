"""`ReferenceData`: the loaded shipped reference files, with their lookups."""

from __future__ import annotations

from pathlib import Path

from refdata.geo import COMMUNES_FILE, Commune, CommuneTable, is_valid_postal_code
from refdata.rome import JobTitle, Metier, RomeTable

__all__ = ["DATA_DIR", "ReferenceData"]

DATA_DIR = Path(__file__).resolve().parent / "data"


class ReferenceData:
    """Communes and ROME reference data, read from `directory` by `load`.

    Immutable once loaded; safe to share between requests and threads.
    """

    __slots__ = ("_communes", "_rome")

    def __init__(self, communes: CommuneTable, rome: RomeTable) -> None:
        self._communes = communes
        self._rome = rome

    @classmethod
    def load(cls, directory: Path | None = None) -> ReferenceData:
        """Read the shipped files (default: the package's `data` directory)."""
        directory = DATA_DIR if directory is None else Path(directory)
        return cls(
            CommuneTable.from_file(directory / COMMUNES_FILE),
            RomeTable.from_directory(directory),
        )

    # --- communes -------------------------------------------------------------

    @staticmethod
    def is_valid_postal_code(code: str) -> bool:
        """Five ASCII digits (format only; see `communes_for_postal_code`)."""
        return is_valid_postal_code(code)

    def communes_for_postal_code(self, code: str) -> list[Commune]:
        """Communes served by `code`, sorted by name; [] if ill-formed or unknown."""
        return self._communes.for_postal_code(code)

    def commune(self, insee: str, postal_code: str | None = None) -> Commune | None:
        """The commune with INSEE code `insee` (for `postal_code` if given, else for
        its lowest postal code); None if unknown."""
        return self._communes.commune(insee, postal_code)

    @property
    def commune_count(self) -> int:
        """Number of (postal code, commune) rows."""
        return len(self._communes)

    # --- ROME -----------------------------------------------------------------

    def metier(self, code_rome: str) -> Metier | None:
        return self._rome.metier(code_rome)

    def metiers(self) -> list[Metier]:
        return self._rome.metiers()

    def job_titles_for_metier(self, code_rome: str) -> list[JobTitle]:
        return self._rome.job_titles_for_metier(code_rome)

    def count_job_titles(self, search: str) -> int:
        """How many job titles match ``search``."""
        return self._rome.count_job_titles(search)

    def search_job_titles(
        self, search: str, first: int, offset: int = 0
    ) -> tuple[list[JobTitle], bool]:
        """A page of job titles (appellations) matching `search`, and has_next.

        See `refdata.rome.RomeTable.search_job_titles` for matching and ranking.
        """
        return self._rome.search_job_titles(search, first, offset)

    @property
    def metier_count(self) -> int:
        return self._rome.metier_count

    @property
    def job_title_count(self) -> int:
        return self._rome.appellation_count
