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
import gzip
import hashlib
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from refdata.geo import COMMUNES_COLUMNS, COMMUNES_FILE, default_libelle_acheminement
from refdata.reference import ReferenceData
from refdata.rome import APPELLATIONS_COLUMNS, APPELLATIONS_FILE, METIERS_COLUMNS, METIERS_FILE
from refdata.text import normalize

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


def name_key(name: str) -> str:
    """Key to match commune names across sources ("St-Denis" ~ "Saint Denis")."""
    text = normalize(name.replace("-", " ").replace("'", " ").replace("’", " "))
    replaced = {"st": "saint", "ste": "sainte"}
    return " ".join(replaced.get(word, word) for word in text.split())


def acheminement_from_name(name: str) -> str:
    """La Poste style: upper case, no accents, no punctuation, SAINT -> ST."""
    text = name_key(name).upper()
    replaced = {"SAINT": "ST", "SAINTE": "STE"}
    return " ".join(replaced.get(word, word) for word in text.split())


def format_coord(value: float | None) -> str:
    if value is None:
        return ""
    text = f"{value:.{COORD_DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


# --- communes --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GeoIndex:
    """Coordinates and libellés from the La Poste based CSV, by (postal code, name)."""

    by_cp_name: dict[tuple[str, str], tuple[float, float] | None]
    by_dep_name: dict[tuple[str, str], tuple[float, float]]
    libelle_by_cp_name: dict[tuple[str, str], str]
    names_by_cp: dict[str, set[str]]


def read_geo(path: Path) -> GeoIndex:
    by_cp_name: dict[tuple[str, str], tuple[float, float] | None] = {}
    by_dep_name: dict[tuple[str, str], tuple[float, float]] = {}
    libelle_by_cp_name: dict[tuple[str, str], str] = {}
    names_by_cp: dict[str, set[str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            postal_code = row["code_postal"].strip().zfill(5)
            dep = row["code_departement"].strip()
            dep = dep.zfill(2) if dep.isdigit() else dep
            key = name_key(row["nom_commune_complet"])
            names_by_cp.setdefault(postal_code, set()).add(key)
            coords = (
                (float(row["latitude"]), float(row["longitude"]))
                if row["latitude"].strip() and row["longitude"].strip()
                else None
            )
            # First row with coordinates wins (file order is stable).
            if by_cp_name.get((postal_code, key)) is None:
                by_cp_name[(postal_code, key)] = coords
            if coords is not None:
                by_dep_name.setdefault((dep, key), coords)
            libelle = row["libelle_acheminement"].strip()
            # Keep the libellé that is the commune itself rather than a lieu-dit.
            if (postal_code, key) not in libelle_by_cp_name or name_key(libelle) == key:
                libelle_by_cp_name[(postal_code, key)] = libelle
    return GeoIndex(by_cp_name, by_dep_name, libelle_by_cp_name, names_by_cp)


def geo_name_key(commune: Json) -> str:
    """Name key as the La Poste CSV spells it ("Paris 01" for the 1st arrondissement)."""
    match = _ARRONDISSEMENT_RE.fullmatch(commune["nom"])
    if match:
        return name_key(f"{match.group(1)} {int(match.group(2)):02d}")
    return name_key(commune["nom"])


def _contains_words(longer: str, shorter: str) -> bool:
    """True when the words of `shorter` occur, contiguous, among those of `longer`."""
    return f" {shorter} " in f" {longer} "


def _coords_by_partial_name(
    geo: GeoIndex, postal_code: str, keys: Sequence[str], taken: set[str]
) -> tuple[float, float] | None:
    """Coordinates of a La Poste name of this postal code that is part of one of the
    commune's names, or contains it, and is not the name of another current commune."""
    for geo_key in sorted(geo.names_by_cp.get(postal_code, ())):
        if geo_key in taken:
            continue
        for key in keys:
            if _contains_words(key, geo_key) or _contains_words(geo_key, key):
                coords = geo.by_cp_name.get((postal_code, geo_key))
                if coords is not None:
                    return coords
    return None


def build_communes(
    decoupage_tgz: Path, codes_postaux_tgz: Path, geo_csv: Path
) -> tuple[list[list[str]], dict[str, int]]:
    communes: list[Json] = read_tarball_json(decoupage_tgz, "data/communes.json", DECOUPAGE[1])
    departements: list[Json] = read_tarball_json(
        decoupage_tgz, "data/departements.json", DECOUPAGE[1]
    )
    regions: list[Json] = read_tarball_json(decoupage_tgz, "data/regions.json", DECOUPAGE[1])
    codes_postaux: list[Json] = read_tarball_json(
        codes_postaux_tgz, "codes-postaux.json", CODES_POSTAUX[1]
    )
    geo = read_geo(geo_csv)

    dep_names = {d["code"]: d["nom"] for d in departements}
    reg_names = {r["code"]: r["nom"] for r in regions}

    libelle_by_pair: dict[tuple[str, str], str] = {}
    libelle_by_insee: dict[str, str] = {}
    for entry in sorted(codes_postaux, key=lambda e: (e["codeCommune"], e["codePostal"])):
        libelle = entry["libelleAcheminement"].strip()
        libelle_by_pair[(entry["codePostal"], entry["codeCommune"])] = libelle
        libelle_by_insee.setdefault(entry["codeCommune"], libelle)

    # Former names of each current commune (communes déléguées / associées): the
    # La Poste CSV sometimes still lists a commune nouvelle under its chef-lieu's name.
    former_names: dict[str, list[tuple[int, str, str]]] = {}
    for c in communes:
        if c["type"] in ("commune-deleguee", "commune-associee") and c.get("chefLieu"):
            rank = 0 if c["code"] == c["chefLieu"] else 1
            former_names.setdefault(c["chefLieu"], []).append((rank, c["code"], c["nom"]))

    # Paris, Lyon and Marseille are listed by arrondissement municipal, as La Poste
    # and codes-postaux do; the parent communes' postal codes are all covered.
    arrondissements = [c for c in communes if c["type"] == "arrondissement-municipal"]
    split_parents = {c["commune"] for c in arrondissements}
    selected = [
        c for c in communes if c["type"] == "commune-actuelle" and c["code"] not in split_parents
    ] + arrondissements
    for parent in split_parents:
        parent_cps = {cp for c in communes if c["code"] == parent for cp in c["codesPostaux"]}
        covered = {
            cp for c in arrondissements if c["commune"] == parent for cp in c["codesPostaux"]
        }
        if not parent_cps <= covered:
            raise ValueError(
                f"{parent}: postal codes {parent_cps - covered} not in arrondissements"
            )

    keys_by_cp: dict[str, set[str]] = {}
    for c in selected:
        for postal_code in c.get("codesPostaux") or []:
            keys_by_cp.setdefault(postal_code, set()).add(geo_name_key(c))

    stats = {"no_coordinates": 0, "libelle_derived": 0, "coords_by_other_name": 0}
    rows: list[list[str]] = []
    for c in selected:
        insee = c["code"]
        dep_code = c["departement"]
        reg_code = c["region"]
        keys = [geo_name_key(c)] + [
            name_key(nom) for _, _, nom in sorted(former_names.get(insee, []))
        ]
        for postal_code in sorted(set(c.get("codesPostaux") or [])):
            coords: tuple[float, float] | None = None
            for key in keys:
                coords = geo.by_cp_name.get((postal_code, key))
                if coords is not None:
                    break
            if coords is None:
                # Same commune under another postal code of its département.
                coords = geo.by_dep_name.get((dep_code, keys[0]))
            if coords is None:
                # Renamed or merged commune: "Évry" for "Évry-Courcouronnes".
                coords = _coords_by_partial_name(geo, postal_code, keys, keys_by_cp[postal_code])
            if coords is not None and coords != geo.by_cp_name.get((postal_code, keys[0])):
                stats["coords_by_other_name"] += 1
            if coords is None:
                stats["no_coordinates"] += 1

            libelle = libelle_by_pair.get((postal_code, insee))
            if libelle is None:
                libelle = geo.libelle_by_cp_name.get((postal_code, keys[0]))
            if libelle is None:
                libelle = libelle_by_insee.get(insee)
            if libelle is None:
                libelle = acheminement_from_name(c["nom"])
                stats["libelle_derived"] += 1

            rows.append(
                [
                    postal_code,
                    insee,
                    c["nom"],
                    "" if libelle == default_libelle_acheminement(c["nom"]) else libelle,
                    dep_code,
                    dep_names[dep_code],
                    reg_code,
                    reg_names[reg_code],
                    format_coord(coords[0] if coords else None),
                    format_coord(coords[1] if coords else None),
                ]
            )
    rows.sort(key=lambda r: (r[0], r[1]))
    pairs = {(r[0], r[1]) for r in rows}
    if len(pairs) != len(rows):
        raise ValueError("duplicate (postal code, INSEE) rows")
    stats["rows"] = len(rows)
    stats["postal_codes"] = len({r[0] for r in rows})
    stats["communes"] = len({r[1] for r in rows})
    return rows, stats


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
