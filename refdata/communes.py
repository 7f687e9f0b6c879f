"""The communes table of the reference build: INSEE's communes joined with La Poste's postal
codes and the coordinates (names matched across sources)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from refdata.geo import default_libelle_acheminement
from refdata.sources import (
    _ARRONDISSEMENT_RE,
    CODES_POSTAUX,
    COORD_DECIMALS,
    DECOUPAGE,
    Json,
    read_tarball_json,
)
from refdata.text import normalize


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
