"""Text normalisation shared by the reference data and the rest of the project.

`normalize` is the one canonical way to compare human-typed French text: it is used
for job-title search and may be reused for secret-answer comparison, so its output
for a given input must stay stable across releases.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

__all__ = ["normalize", "normalize_many", "words"]

# Characters that Unicode does not decompose but that users type interchangeably
# with their plain-letter spelling ("oeuvre" / "œuvre"), plus typographic quotes.
# (str.replace chains are much faster than str.translate on long texts.)
_EXTRA_FOLDING: tuple[tuple[str, str], ...] = (
    ("œ", "oe"),
    ("Œ", "oe"),
    ("æ", "ae"),
    ("Æ", "ae"),
    ("’", "'"),
    ("‘", "'"),
    ("ʼ", "'"),
)


def _fold_extra(text: str) -> str:
    for old, new in _EXTRA_FOLDING:
        if old in text:
            text = text.replace(old, new)
    return text


_WORD_RE = re.compile(r"\w+")


def normalize(text: str) -> str:
    """Lowercase, strip accents and collapse whitespace.

    >>> normalize("  Boulangère-Pâtissière  ŒUVRE ")
    'boulangere-patissiere oeuvre'

    Steps: fold œ/æ ligatures and typographic apostrophes, Unicode NFKD decomposition,
    removal of combining marks (accents), `str.casefold` (a stronger `lower`), then
    every run of whitespace becomes one space and the ends are stripped.
    Punctuation other than apostrophes is kept as is.
    """
    decomposed = unicodedata.normalize("NFKD", _fold_extra(text))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def normalize_many(texts: Iterable[str]) -> list[str]:
    """`[normalize(t) for t in texts]`, computed in bulk (much faster for many strings).

    The texts must not contain a newline; they are joined with one, normalised as a
    single string, and split back.
    """
    items = list(texts)
    if not items:
        return []
    joined = "\n".join(items)
    if joined.count("\n") != len(items) - 1:
        raise ValueError("normalize_many: texts must not contain newlines")
    decomposed = unicodedata.normalize("NFKD", _fold_extra(joined))
    marks = "".join(sorted(ch for ch in set(decomposed) if unicodedata.combining(ch)))
    if marks:
        decomposed = re.sub("[" + re.escape(marks) + "]", "", decomposed)
    folded = decomposed.casefold()
    return [" ".join(line.split()) for line in folded.split("\n")]


def words(normalized: str) -> list[str]:
    """The words (runs of letters/digits) of an already normalised text."""
    return _WORD_RE.findall(normalized)
