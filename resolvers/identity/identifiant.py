"""The candidat's identifiant: 7 digits and a check letter.

Algorithm (stable: identifiants are printed on letters and typed by people)::

    digits  d1 d2 d3 d4 d5 d6 d7
    weights  2  3  4  5  6  7  8
    letter = "ABCDEFGHJKLMNPQRSTUVWXYZ"[(2*d1 + 3*d2 + ... + 8*d7) mod 23]

Example: ``1234567`` -> sum 2+6+12+20+30+42+56 = 168, 168 mod 23 = 7 -> ``H``, so
the identifiant is ``1234567H``.

Why it catches typos: 23 is prime and every weight is between 1 and 22, so
changing one digit by δ (1 ≤ |δ| ≤ 9) changes the sum by ``w·δ``, never a
multiple of 23; swapping two digits changes it by ``(wi - wj)(dj - di)``, and the
weights are distinct, so that is never a multiple of 23 either. A wrong letter
is caught trivially. (``I`` and ``O`` are not in the alphabet: they read as 1
and 0; ``Z`` is never produced.)
"""

from __future__ import annotations

import re
import secrets

LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
WEIGHTS = (2, 3, 4, 5, 6, 7, 8)
MODULUS = 23
_SHAPE = re.compile(r"[0-9]{7}[A-Z]")


def check_letter(digits: str) -> str:
    """The check letter of 7 digits."""
    if len(digits) != 7 or not digits.isascii() or not digits.isdigit():
        raise ValueError("seven ASCII digits expected")
    total = sum(w * int(d) for w, d in zip(WEIGHTS, digits, strict=True))
    return LETTERS[total % MODULUS]


def normalize_identifiant(raw: str) -> str:
    """What people type, as stored: spaces removed, letter upper-cased."""
    return "".join(raw.split()).upper()


def is_valid_identifiant(identifiant: str) -> bool:
    """True for 7 digits followed by their check letter (already normalised)."""
    if not _SHAPE.fullmatch(identifiant):
        return False
    return check_letter(identifiant[:7]) == identifiant[7]


def new_identifiant() -> str:
    """A random identifiant (uniqueness is checked by the caller, against the database)."""
    digits = f"{secrets.randbelow(10**7):07d}"
    return digits + check_letter(digits)
