"""The reference build's inputs and outputs: the npm tarballs and CSV files it reads, checksums,
and the gzipped TSV writer."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import subprocess
import sys
import tarfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

DECOUPAGE = ("@etalab/decoupage-administratif", "6.0.0", "etalab-decoupage-administratif-6.0.0.tgz")
CODES_POSTAUX = ("codes-postaux", "4.1.2", "codes-postaux-4.1.2.tgz")
GEO_CSV = Path("geo/communes-departement-region.csv")
ROME_METIERS_CSV = Path("rome/unix_referentiel_code_rome_v460_utf8.csv")
ROME_APPELLATIONS_CSV = Path("rome/unix_referentiel_appellation_v460_utf8.csv")
DEFAULT_OUT = Path(__file__).resolve().parent / "data"

COORD_DECIMALS = 4  # ~11 m: plenty for the centre of a commune

_ARRONDISSEMENT_RE = re.compile(r"(Paris|Marseille|Lyon) (\d+)(?:er|e) Arrondissement")

Json = Any


# --- helpers ---------------------------------------------------------------------


def _log(message: str) -> None:
    print(message, file=sys.stderr)


def write_tsv_gz(path: Path, columns: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    """Write a gzip TSV deterministically (no timestamp, no file name in the header)."""
    lines = ["\t".join(columns)]
    for row in rows:
        if len(row) != len(columns):
            raise ValueError(f"{path.name}: row {row!r} has {len(row)} fields")
        for field in row:
            if "\t" in field or "\n" in field or "\r" in field:
                raise ValueError(f"{path.name}: bad character in {field!r}")
        lines.append("\t".join(row))
    data = ("\n".join(lines) + "\n").encode("utf-8")
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(data)
    path.write_bytes(buffer.getvalue())
    return len(lines) - 1


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def npm_pack(spec: str, directory: Path) -> None:
    _log(f"npm pack {spec}")
    subprocess.run(
        ["npm", "pack", spec, "--silent"],
        cwd=directory,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def read_tarball_json(tarball: Path, member: str, expected_version: str) -> Json:
    with tarfile.open(tarball, "r:gz") as tar:
        package_file = tar.extractfile("package/package.json")
        data_file = tar.extractfile(f"package/{member}")
        if package_file is None or data_file is None:
            raise ValueError(f"{tarball}: missing package.json or {member}")
        version = json.load(package_file)["version"]
        if version != expected_version:
            raise ValueError(f"{tarball}: version {version}, expected {expected_version}")
        return json.load(data_file)
