"""ROME 4.0 métiers and appellations (job titles), with job-title search."""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from pathlib import Path

from refdata.text import normalize, word_keys, words

__all__ = [
    "APPELLATIONS_COLUMNS",
    "APPELLATIONS_FILE",
    "METIERS_COLUMNS",
    "METIERS_FILE",
    "JobTitle",
    "Metier",
    "RomeTable",
]

METIERS_FILE = "rome_metiers.tsv.gz"
APPELLATIONS_FILE = "rome_appellations.tsv.gz"
METIERS_COLUMNS = ("code_rome", "libelle")
# An empty libelle_court means "same as libelle" (keeps the file small).
APPELLATIONS_COLUMNS = ("code_ogr", "libelle", "libelle_court", "code_rome")

_ROME_CODE_RE = re.compile(r"[A-Z][0-9]{4}")

# Ranks of a search hit, best first.
_RANK_CODE = 0  # the query is the appellation's ROME code
_RANK_LABEL_PREFIX = 1  # the label starts with the query
_RANK_WORD_PREFIX = 2  # every query word starts a word of the label
_RANK_SUBSTRING = 3  # every query word occurs inside the label


@dataclass(frozen=True, slots=True)
class Metier:
    code: str
    libelle: str


@dataclass(frozen=True, slots=True)
class JobTitle:
    code_ogr: str
    libelle: str
    libelle_court: str
    code_rome: str
    metier_libelle: str


def _read_tsv(path: Path, columns: tuple[str, ...]) -> list[list[str]]:
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    lines = text.split("\n")
    header = tuple(lines[0].split("\t"))
    if header != columns:
        raise ValueError(f"{path}: unexpected header {header!r}")
    rows = [line.split("\t") for line in lines[1:] if line]
    for row in rows:
        if len(row) != len(columns):
            raise ValueError(f"{path}: bad row {row!r}")
    return rows


class RomeTable:
    __slots__ = ("_appellations", "_by_rome", "_haystacks", "_metiers")

    def __init__(self, metiers: list[list[str]], appellations: list[list[str]]) -> None:
        self._metiers: dict[str, str] = {code: libelle for code, libelle in metiers}
        for row in appellations:
            if row[3] not in self._metiers:
                raise ValueError(f"appellation {row[0]}: unknown ROME code {row[3]!r}")
        # Each label as its normalised words, " word word word": the leading space lets
        # `" " + token in haystack` test whether a token starts a word of the label.
        keys = word_keys(row[1] for row in appellations)
        # Sorted once by label, so that every search result tier is already in order.
        labels = [row[1] for row in appellations]
        code_ogrs = map(int, (row[0] for row in appellations))
        ranked = sorted(zip(keys, labels, code_ogrs, range(len(keys)), strict=True))
        order = [item[3] for item in ranked]
        self._appellations: tuple[tuple[str, str, str, str], ...] = tuple(
            (a[0], a[1], a[2] or a[1], a[3]) for a in (appellations[i] for i in order)
        )
        self._haystacks: tuple[str, ...] = tuple(" " + keys[i] for i in order)
        by_rome: dict[str, list[int]] = {}
        for index, appellation in enumerate(self._appellations):
            by_rome.setdefault(appellation[3], []).append(index)
        self._by_rome = by_rome

    @classmethod
    def from_directory(cls, directory: Path) -> RomeTable:
        return cls(
            _read_tsv(directory / METIERS_FILE, METIERS_COLUMNS),
            _read_tsv(directory / APPELLATIONS_FILE, APPELLATIONS_COLUMNS),
        )

    @property
    def metier_count(self) -> int:
        return len(self._metiers)

    @property
    def appellation_count(self) -> int:
        return len(self._appellations)

    def metier(self, code_rome: str) -> Metier | None:
        code = code_rome.strip().upper()
        libelle = self._metiers.get(code)
        return Metier(code=code, libelle=libelle) if libelle is not None else None

    def metiers(self) -> list[Metier]:
        return [Metier(code=c, libelle=lib) for c, lib in sorted(self._metiers.items())]

    def _job_title(self, index: int) -> JobTitle:
        code_ogr, libelle, libelle_court, code_rome = self._appellations[index]
        return JobTitle(
            code_ogr=code_ogr,
            libelle=libelle,
            libelle_court=libelle_court,
            code_rome=code_rome,
            metier_libelle=self._metiers[code_rome],
        )

    def job_titles_for_metier(self, code_rome: str) -> list[JobTitle]:
        return [self._job_title(i) for i in self._by_rome.get(code_rome.strip().upper(), ())]

    def _matches(self, search: str) -> list[int]:
        query = normalize(search)
        tokens = words(query)
        ranked: list[list[int]] = [[], [], [], []]
        code = query.upper()
        code_hits = self._by_rome.get(code, []) if _ROME_CODE_RE.fullmatch(code) else []
        ranked[_RANK_CODE].extend(code_hits)
        if tokens:
            haystacks = self._haystacks
            first, *others = tokens
            candidates = [i for i, hay in enumerate(haystacks) if first in hay]
            for token in others:
                candidates = [i for i in candidates if token in haystacks[i]]
            label_prefix = " " + " ".join(tokens)
            word_prefixes = [" " + token for token in tokens]
            seen = set(code_hits)
            for i in candidates:
                if i in seen:
                    continue
                hay = haystacks[i]
                if hay.startswith(label_prefix):
                    ranked[_RANK_LABEL_PREFIX].append(i)
                elif all(prefix in hay for prefix in word_prefixes):
                    ranked[_RANK_WORD_PREFIX].append(i)
                else:
                    ranked[_RANK_SUBSTRING].append(i)
        return [i for tier in ranked for i in tier]

    def count_job_titles(self, search: str) -> int:
        """How many job titles match ``search`` (as ``search_job_titles`` matches)."""
        return len(self._matches(search))

    def search_job_titles(
        self, search: str, first: int, offset: int = 0
    ) -> tuple[list[JobTitle], bool]:
        """One page of the job titles matching `search`, and whether more follow.

        Matching is accent- and case-insensitive (see `refdata.text.normalize`):
        every word of the query must occur in the appellation's label. Results are
        ranked: exact ROME code (e.g. "D1102": all its appellations), label starting
        with the query, every query word starting a word of the label, then plain
        substring matches; each tier is sorted by label. A blank query matches nothing.
        """
        if first < 0 or offset < 0:
            raise ValueError("first and offset must be >= 0")
        hits = self._matches(search)
        page = [self._job_title(i) for i in hits[offset : offset + first]]
        return page, len(hits) > offset + first
