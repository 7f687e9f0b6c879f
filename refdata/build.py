"""Rebuild the shipped reference files in `refdata/data/` from the open-data sources.

Usage (from the repository root)::

    python -m refdata.build --shared ../shared/data [--npm-dir DIR] [--out refdata/data]

Inputs:
  * ``--shared``: directory with ``geo/communes-departement-region.csv`` and
    ``rome/unix_referentiel_{code_rome,appellation}_v460_utf8.csv``;
  * ``--npm-dir``: directory holding the npm tarballs
    ``etalab-decoupage-administratif-6.0.0.tgz`` and ``codes-postaux-4.1.2.tgz``
    (as written by ``npm pack``). Without it, ``npm pack`` is run into a temporary
    directory (needs ``npm`` and access to the npm registry).

The output is deterministic: same inputs, byte-identical files.
This module is a build tool; it is never imported at run time.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
from collections.abc import Sequence
from pathlib import Path

from refdata.communes import build_communes
from refdata.geo import COMMUNES_COLUMNS, COMMUNES_FILE
from refdata.reference import ReferenceData
from refdata.rome import APPELLATIONS_COLUMNS, APPELLATIONS_FILE, METIERS_COLUMNS, METIERS_FILE
from refdata.sources import (
    CODES_POSTAUX,
    DECOUPAGE,
    DEFAULT_OUT,
    GEO_CSV,
    ROME_APPELLATIONS_CSV,
    ROME_METIERS_CSV,
    _log,
    npm_pack,
    sha256,
    write_tsv_gz,
)

# --- ROME ------------------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def clean(text: str) -> str:
    return " ".join(text.split())


def build_rome(shared: Path) -> tuple[list[list[str]], list[list[str]]]:
    metiers = sorted(
        (
            [clean(r["code_rome"]), clean(r["libelle_rome"])]
            for r in read_csv(shared / ROME_METIERS_CSV)
        ),
        key=lambda r: r[0],
    )
    codes = {r[0] for r in metiers}
    if len(codes) != len(metiers):
        raise ValueError("duplicate ROME codes")
    appellations: list[list[str]] = []
    for r in read_csv(shared / ROME_APPELLATIONS_CSV):
        libelle = clean(r["libelle_appellation_long"])
        court = clean(r["libelle_appellation_court"])
        code_rome = clean(r["code_rome"])
        if code_rome not in codes:
            raise ValueError(f"appellation {r['code_ogr']}: unknown ROME code {code_rome}")
        appellations.append(
            [clean(r["code_ogr"]), libelle, "" if court == libelle else court, code_rome]
        )
    appellations.sort(key=lambda r: int(r[0]))
    if len({r[0] for r in appellations}) != len(appellations):
        raise ValueError("duplicate appellation codes")
    return metiers, appellations


# --- main ------------------------------------------------------------------------


def check(out: Path) -> None:
    """Sanity checks on the written files, through the run-time loader."""
    ref = ReferenceData.load(out)
    names = [c.name for c in ref.communes_for_postal_code("22200")]
    expected = [
        "Grâces",
        "Guingamp",
        "Le Merzer",
        "Moustéru",
        "Pabu",
        "Plouisy",
        "Pommerit-le-Vicomte",
        "Saint-Agathon",
        "Squiffiec",
        "Trégonneau",
    ]
    if names != expected:
        raise SystemExit(f"check failed: 22200 gives {names}")
    if not any(c.insee == "97411" for c in ref.communes_for_postal_code("97400")):
        raise SystemExit("check failed: 97400 has no Saint-Denis (97411)")
    titles, _ = ref.search_job_titles("boulang", 10)
    if not any(t.code_rome == "D1102" for t in titles):
        raise SystemExit("check failed: 'boulang' finds no D1102 job title")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m refdata.build", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument(
        "--shared",
        type=Path,
        default=Path(__file__).resolve().parents[2] / "shared" / "data",
        help="directory of the shared open-data CSV files (default: ../shared/data)",
    )
    parser.add_argument(
        "--npm-dir",
        type=Path,
        default=None,
        help="directory with the npm tarballs; default: run `npm pack` into a temp dir",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    args = parser.parse_args(argv)

    shared: Path = args.shared
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="refdata-npm-") as tmp:
        npm_dir: Path = args.npm_dir if args.npm_dir is not None else Path(tmp)
        for package, version, tarball in (DECOUPAGE, CODES_POSTAUX):
            if not (npm_dir / tarball).exists():
                if args.npm_dir is not None:
                    raise SystemExit(
                        f"{npm_dir / tarball} not found (run: npm pack {package}@{version})"
                    )
                npm_pack(f"{package}@{version}", npm_dir)
        decoupage_tgz = npm_dir / DECOUPAGE[2]
        codes_postaux_tgz = npm_dir / CODES_POSTAUX[2]
        inputs = [decoupage_tgz, codes_postaux_tgz, shared / GEO_CSV]
        inputs += [shared / ROME_METIERS_CSV, shared / ROME_APPELLATIONS_CSV]
        for path in inputs:
            _log(f"input {path.name}: sha256 {sha256(path)}")

        rows, stats = build_communes(decoupage_tgz, codes_postaux_tgz, shared / GEO_CSV)

    write_tsv_gz(out / COMMUNES_FILE, COMMUNES_COLUMNS, rows)
    metiers, appellations = build_rome(shared)
    write_tsv_gz(out / METIERS_FILE, METIERS_COLUMNS, metiers)
    write_tsv_gz(out / APPELLATIONS_FILE, APPELLATIONS_COLUMNS, appellations)

    _log("communes: " + ", ".join(f"{k}={v}" for k, v in sorted(stats.items())))
    _log(f"métiers: {len(metiers)}, appellations: {len(appellations)}")
    for name in (COMMUNES_FILE, METIERS_FILE, APPELLATIONS_FILE):
        path = out / name
        _log(f"wrote {path} ({path.stat().st_size} bytes, sha256 {sha256(path)})")
    check(out)
    _log("checks passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
