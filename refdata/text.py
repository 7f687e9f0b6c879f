"""Text normalisation shared by the reference data and the rest of the project.

`normalize` is the one canonical way to compare human-typed French text: it is used
for job-title search and may be reused for secret-answer comparison, so its output
for a given input must stay stable across releases.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

__all__ = ["normalize", "word_keys", "words"]

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
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
_SPACES_RE = re.compile(" {2,}")
_ASCII_NON_WORD = "".join(chr(i) for i in range(128) if not (chr(i).isalnum() or chr(i) in "_\n"))


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


def word_keys(texts: Iterable[str]) -> list[str]:
    """`[" ".join(words(normalize(t))) for t in texts]`, computed in bulk.

    Much faster than the per-text version for thousands of strings (loading the
    job-title search index): every step runs once over the joined texts.
    The texts must not contain a newline.
    """
    items = list(texts)
    if not items:
        return []
    joined = "\n".join(items)
    if joined.count("\n") != len(items) - 1:
        raise ValueError("word_keys: texts must not contain newlines")
    decomposed = unicodedata.normalize("NFKD", _fold_extra(joined))
    non_ascii = set(_NON_ASCII_RE.findall(decomposed))
    for mark in sorted(ch for ch in non_ascii if unicodedata.combining(ch)):
        decomposed = decomposed.replace(mark, "")
    folded = decomposed.casefold()
    # casefold works character by character: these are all the characters of `folded`
    # that may not be word characters (in the sense of the `\w` of `words`).
    candidates = set(_ASCII_NON_WORD).union(
        *(ch.casefold() for ch in non_ascii if not unicodedata.combining(ch))
    )
    for separator in sorted(ch for ch in candidates if not (ch.isalnum() or ch in "_\n")):
        folded = folded.replace(separator, " ")
    collapsed = _SPACES_RE.sub(" ", folded).replace(" \n", "\n").replace("\n ", "\n")
    return collapsed.strip(" ").split("\n")


def words(normalized: str) -> list[str]:
    """The words (runs of letters/digits) of an already normalised text."""
    return _WORD_RE.findall(normalized)
