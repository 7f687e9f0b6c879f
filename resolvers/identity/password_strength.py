"""How hard a password is to guess: zxcvbn, fed with French words and the person's own data.

zxcvbn (Dropbox's estimator, PyPI ``zxcvbn``) finds the weakest way to build a password from
dictionary words (its English lists plus ours: French common words, French Wikipedia words,
first names and surnames, common French passwords and AZERTY keyboard walks, shipped in
``resolvers/identity/data/french-words.tsv.gz``, see ``resolvers/identity/data/README.md``),
repetitions
(``abcabc``), sequences (``1234``), keyboard walks, dates and years, with l33t and reversed
variants, and counts the guesses each way needs. A password needs ``MIN_SCORE`` (4: about
10^10 guesses; NIST 800-63B's "dictionary words, repetitive or sequential characters and
context-specific words", and the classic « Printemps2024! », all fall below).
The refusal says why, in French.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from zxcvbn import matching, zxcvbn

from resolvers.core.errors import ErrorCode, FieldError

FRENCH_WORDS_FILE = Path(__file__).resolve().parent / "data" / "french-words.tsv.gz"
MIN_SCORE = 4
# Matching is quadratic in the length: the first 64 characters are estimated (a longer
# password whose first 64 are strong is strong).
ESTIMATED_LENGTH = 64

REASONS = {
    "repeat": "il répète les mêmes caractères ou le même motif (comme « abcabc »)",
    "sequence": "il suit une suite de lettres ou de chiffres (comme « abcd » ou « 1234 »)",
    "spatial": "il suit des touches voisines du clavier",
    "keyboard": "il suit des touches voisines du clavier (comme « azerty »)",
    "date": "il contient une date",
    "year": "il contient une année",
    "personal": "il contient vos informations personnelles",
    "password": "il repose sur un mot de passe très utilisé (comme « motdepasse »)",
    "word": "il repose sur un mot courant, même déguisé (majuscule, chiffres, « 4 » pour « a »)",
}
KEYBOARD_WALKS = ("azerty", "qsdf", "wxcv", "aqwz", "poiuy", "mlkj", "nbvc")


@cache
def load_french_dictionaries() -> int:
    """Add the shipped French lists to zxcvbn's dictionaries (once); returns their words."""
    lists: dict[str, list[str]] = {}
    with gzip.open(FRENCH_WORDS_FILE, "rt", encoding="utf-8") as rows:
        next(rows)  # header
        for row in rows:
            dictionary, word = row.rstrip("\n").split("\t")
            lists.setdefault(dictionary, []).append(word)
    matching.add_frequency_lists(lists)
    return sum(map(len, lists.values()))


def _reason(match: dict[str, Any]) -> str:
    pattern = match["pattern"]
    if pattern == "dictionary":
        name = match.get("dictionary_name")
        if name == "user_inputs":
            return REASONS["personal"]
        if name == "passwords" or name == "fr_passwords":
            token = str(match.get("matched_word", "")).lower()
            return REASONS["keyboard"] if token.startswith(KEYBOARD_WALKS) else REASONS["password"]
        return REASONS["word"]
    if pattern == "regex":
        return REASONS["year"]
    return REASONS.get(pattern, REASONS["word"])


def weakness(password: str, personal: Iterable[str] = ()) -> str | None:
    """Why ``password`` is too easy to guess (in French), or None when it is strong enough."""
    load_french_dictionaries()
    estimated = password[:ESTIMATED_LENGTH]
    result = zxcvbn(estimated, user_inputs=list(personal), max_length=ESTIMATED_LENGTH)
    if result["score"] >= MIN_SCORE:
        return None
    guessable = [m for m in result["sequence"] if m["pattern"] != "bruteforce"]
    if not guessable:
        return REASONS["word"]
    worst = max(guessable, key=lambda m: len(m["token"]))
    return _reason(worst)


def weak_password(field: str, reason: str) -> FieldError:
    return FieldError(
        field,
        ErrorCode.PASSWORD_TOO_WEAK,
        f"Ce mot de passe est trop facile à deviner : {reason}. Choisissez par exemple une "
        "phrase de plusieurs mots sans rapport entre eux.",
    )
