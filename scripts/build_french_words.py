"""Rebuild resolvers/identity/data/french-words.tsv.gz, the French dictionaries of the password
strength estimate (zxcvbn), from the npm package @zxcvbn-ts/language-fr (MIT; its word
frequencies come from OpenSubtitles 2024 via OPUS, ODC-BY, and French Wikipedia).

    cd /tmp && npm pack @zxcvbn-ts/language-fr@4.1.2 && cd -
    .venv/bin/python scripts/build_french_words.py /tmp/zxcvbn-ts-language-fr-4.1.2.tgz

The output is deterministic (gzip without timestamp): the same tarball gives the same bytes.
Each row is ``dictionary<TAB>word``; within a dictionary, rows are in rank order (most
frequent first), which zxcvbn uses as the number of guesses.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import sys
import tarfile
from pathlib import Path

VERSION = "4.1.2"
OUT = (
    Path(__file__).resolve().parent.parent
    / "resolvers"
    / "identity"
    / "data"
    / "french-words.tsv.gz"
)
LIMITS = {"commonWords": 20000, "wikipedia": 15000, "firstnames": 10000, "lastnames": 10000}
NAMES = {
    "commonWords": "fr_common",
    "wikipedia": "fr_wikipedia",
    "firstnames": "fr_names",
    "lastnames": "fr_names",
}

# Local additions: French passwords and AZERTY keyboard walks that zxcvbn's (QWERTY)
# keyboard graphs and the package's word lists do not hold. Written by hand.
FRENCH_PASSWORDS = """
azerty azertyuiop azertyuiopqsdfghjklm qsdfghjklm qsdfgh wxcvbn wxcvbnazerty aqwzsx
azeqsdwxc azerqsdf poiuytreza mlkjhgfdsq nbvcxw motdepasse mdp bonjour bonsoir salut
soleil doudou loulou chouchou titi toto tata jetaime jtm amour mamour bisous coucou
marseille paris lyon toulouse nantes bordeaux lille bretagne france francais om psg
chocolat fromage baguette princesse nounours tigrou pokemon vacances famille cheval
liberte egalite fraternite bienvenue bonheur nicolas camille julien thomas sebastien
emploi travail chomage poleemploi francetravail candidat espace espacecandidat
"""


def words(raw: list[str], limit: int) -> list[str]:
    kept: list[str] = []
    seen: set[str] = set()
    for word in raw:
        w = word.strip().lower()
        if len(w) < 3 or "'" in w or " " in w or w in seen:
            continue
        seen.add(w)
        kept.append(w)
        if len(kept) >= limit:
            break
    return kept


def build(tarball: Path) -> bytes:
    with tarfile.open(tarball) as tar:
        meta = json.load(tar.extractfile("package/package.json"))  # type: ignore[arg-type]
        assert meta["version"] == VERSION, meta["version"]

        def load(name: str) -> list[str]:
            member = tar.extractfile(f"package/src/{name}.json")
            assert member is not None
            data: list[str] = json.load(member)
            return data

        rows: list[tuple[str, str]] = []
        done: dict[str, set[str]] = {}
        for source, limit in LIMITS.items():
            dictionary = NAMES[source]
            seen = done.setdefault(dictionary, set())
            for w in words(load(source), limit):
                if w not in seen:
                    seen.add(w)
                    rows.append((dictionary, w))
    for w in dict.fromkeys(FRENCH_PASSWORDS.split()):
        rows.append(("fr_passwords", w))
    text = "dictionary\tword\n" + "".join(f"{d}\t{w}\n" for d, w in rows)
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        gz.write(text.encode("utf-8"))
    return buffer.getvalue()


def main() -> None:
    tarball = Path(sys.argv[1])
    print(f"input {tarball.name}: sha256 {hashlib.sha256(tarball.read_bytes()).hexdigest()}")
    data = build(tarball)
    OUT.write_bytes(data)
    print(f"output {OUT.name}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}")


if __name__ == "__main__":
    main()
