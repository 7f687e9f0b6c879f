"""French communes by postal code (shipped file `data/communes.tsv.gz`)."""

from __future__ import annotations

import gzip
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from pathlib import Path

from refdata.text import normalize

__all__ = [
    "COMMUNES_COLUMNS",
    "COMMUNES_FILE",
    "Commune",
    "CommuneTable",
    "default_libelle_acheminement",
    "is_valid_postal_code",
]

COMMUNES_FILE = "communes.tsv.gz"
# In the file an empty libelle_acheminement stands for
# `default_libelle_acheminement(name)` (true of most rows; keeps the file small).
COMMUNES_COLUMNS = (
    "postal_code",
    "insee",
    "name",
    "libelle_acheminement",
    "departement_code",
    "departement_name",
    "region_code",
    "region_name",
    "latitude",
    "longitude",
)

PARSED_POSTAL_CODES = 1024
"""How many postal codes' communes stay parsed (a code serves about six communes)."""

_POSTAL_CODE_RE = re.compile(r"[0-9]{5}")
_INSEE_RE = re.compile(r"(?:[0-9]{2}|2A|2B)[0-9]{3}")


def default_libelle_acheminement(name: str) -> str:
    """The commune name in upper case without accents: "Trégonneau" -> "TREGONNEAU"."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).upper()


def is_valid_postal_code(code: str) -> bool:
    """True when `code` is exactly five ASCII digits (format check only)."""
    return _POSTAL_CODE_RE.fullmatch(code) is not None


@dataclass(frozen=True, slots=True)
class Commune:
    """One (postal code, commune) pair.

    Paris, Lyon and Marseille are given per arrondissement municipal
    (e.g. 75011 -> 75111 "Paris 11e Arrondissement"), like La Poste does.
    For overseas collectivities (975, 977, 978, 986, 987, 988, 989) the
    region code and name are those of the collectivity itself.
    """

    insee: str
    name: str
    postal_code: str
    libelle_acheminement: str
    departement_code: str
    departement_name: str
    region_code: str
    region_name: str
    latitude: float | None
    longitude: float | None


def _parse(line: str) -> Commune:
    (
        postal_code,
        insee,
        name,
        libelle,
        dep_code,
        dep_name,
        reg_code,
        reg_name,
        lat,
        lon,
    ) = line.split("\t")
    return Commune(
        insee=insee,
        name=name,
        postal_code=postal_code,
        libelle_acheminement=libelle or default_libelle_acheminement(name),
        departement_code=dep_code,
        departement_name=dep_name,
        region_code=reg_code,
        region_name=reg_name,
        latitude=float(lat) if lat else None,
        longitude=float(lon) if lon else None,
    )


def _sort_key(commune: Commune) -> tuple[str, str, str]:
    return (normalize(commune.name), commune.name, commune.insee)


class CommuneTable:
    """Index of the communes file. Rows stay as raw lines until asked for."""

    __slots__ = ("_by_insee", "_by_postal_code", "_count", "_parsed")

    def __init__(self, lines: list[str]) -> None:
        # Fixed layout: "PPPPP\tIIIII\t..." (postal code, INSEE code). The indexes are
        # built with C-level keys (itemgetter, groupby, dict(zip)) so loading is fast;
        # rows are only split into fields when asked for.
        lines = sorted(lines)
        self._by_postal_code: dict[str, list[str]] = {
            code: list(group) for code, group in groupby(lines, key=itemgetter(slice(0, 5)))
        }
        # INSEE -> row of its lowest postal code (the last write wins: iterate backwards).
        backwards = lines[::-1]
        self._by_insee: dict[str, str] = dict(
            zip(map(itemgetter(slice(6, 11)), backwards), backwards, strict=True)
        )
        self._count = len(lines)
        # Lookups repeat (a form's postal code, an agency's, a search's): the recent ones
        # are kept parsed and sorted, bounded. The rows are frozen, so they are shared.
        self._parsed = lru_cache(maxsize=PARSED_POSTAL_CODES)(self._parse_postal_code)

    @classmethod
    def from_file(cls, path: Path) -> CommuneTable:
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
        lines = text.split("\n")
        header = lines[0].split("\t")
        if tuple(header) != COMMUNES_COLUMNS:
            raise ValueError(f"{path}: unexpected header {header!r}")
        return cls([line for line in lines[1:] if line])

    def __len__(self) -> int:
        return self._count

    def for_postal_code(self, code: str) -> list[Commune]:
        if not is_valid_postal_code(code):
            return []
        return list(self._parsed(code))

    def _parse_postal_code(self, code: str) -> tuple[Commune, ...]:
        communes = [_parse(line) for line in self._by_postal_code.get(code, ())]
        communes.sort(key=_sort_key)
        return tuple(communes)

    def commune(self, insee: str, postal_code: str | None = None) -> Commune | None:
        insee = insee.upper()
        if _INSEE_RE.fullmatch(insee) is None:
            return None
        if postal_code is None:
            line = self._by_insee.get(insee)
        else:
            prefix = f"{postal_code}\t{insee}\t"
            line = next(
                (
                    row
                    for row in self._by_postal_code.get(postal_code, ())
                    if row.startswith(prefix)
                ),
                None,
            )
        return _parse(line) if line is not None else None

    def postal_codes(self) -> list[str]:
        return sorted(self._by_postal_code)
