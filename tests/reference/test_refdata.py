"""Unit tests of the shipped reference data (`refdata`)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from refdata import Commune, JobTitle, ReferenceData, normalize
from refdata.reference import DATA_DIR
from refdata.text import word_keys, words

GUINGAMP_AREA = [
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


@pytest.fixture(scope="module")
def ref() -> ReferenceData:
    return ReferenceData.load()


# --- text ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Boulangère", "boulangere"),
        ("  BOULANGÈRE   Pâtissière ", "boulangere patissiere"),
        ("Œnologue", "oenologue"),
        ("l’Étang", "l'etang"),
        ("Straße", "strasse"),
        ("a\u00a0\tb\nc", "a b c"),
        ("", ""),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected
    assert normalize(expected) == expected  # idempotent


def test_word_keys_matches_per_text_version() -> None:
    texts = ["Aide-boulanger / Aide-boulangère", "  Chef(fe) d’équipe ", "", "«Œuvre» ½ İ"]
    assert word_keys(texts) == [" ".join(words(normalize(t))) for t in texts]
    assert word_keys([]) == []
    with pytest.raises(ValueError):
        word_keys(["a\nb"])


# --- communes --------------------------------------------------------------------


def test_22200_gives_the_ten_communes_sorted_by_name(ref: ReferenceData) -> None:
    communes = ref.communes_for_postal_code("22200")
    assert [c.name for c in communes] == GUINGAMP_AREA
    assert all(c.postal_code == "22200" for c in communes)
    guingamp = communes[1]
    assert guingamp.insee == "22070"
    assert guingamp.libelle_acheminement == "GUINGAMP"
    assert (guingamp.departement_code, guingamp.departement_name) == ("22", "Côtes-d'Armor")
    assert (guingamp.region_code, guingamp.region_name) == ("53", "Bretagne")
    assert guingamp.latitude is not None and guingamp.longitude is not None
    assert guingamp.latitude == pytest.approx(48.56, abs=0.05)
    assert guingamp.longitude == pytest.approx(-3.15, abs=0.05)


def test_commune_is_a_frozen_dataclass(ref: ReferenceData) -> None:
    commune = ref.communes_for_postal_code("22200")[0]
    assert isinstance(commune, Commune)
    with pytest.raises(dataclasses.FrozenInstanceError):
        commune.name = "x"  # type: ignore[misc]


def test_leading_zero_postal_code(ref: ReferenceData) -> None:
    names = {c.name for c in ref.communes_for_postal_code("01000")}
    assert "Bourg-en-Bresse" in names
    assert all(c.departement_code == "01" for c in ref.communes_for_postal_code("01000"))


def test_overseas_postal_code(ref: ReferenceData) -> None:
    communes = ref.communes_for_postal_code("97400")
    assert [(c.insee, c.name) for c in communes] == [("97411", "Saint-Denis")]
    saint_denis = communes[0]
    assert saint_denis.departement_code == "974"
    assert saint_denis.departement_name == "La Réunion"
    assert saint_denis.region_name == "La Réunion"
    assert saint_denis.latitude is not None and saint_denis.latitude < 0


def test_corsica_and_paris(ref: ReferenceData) -> None:
    ajaccio = ref.commune("2A004")
    assert ajaccio is not None
    assert (ajaccio.name, ajaccio.departement_code) == ("Ajaccio", "2A")
    paris_11 = ref.communes_for_postal_code("75011")
    assert [(c.insee, c.name) for c in paris_11] == [("75111", "Paris 11e Arrondissement")]


@pytest.mark.parametrize("code", ["2220", "ABCDE", "", "222000", " 22200", "2220A", "٢٢٢٠٠"])
def test_ill_formed_postal_codes(ref: ReferenceData, code: str) -> None:
    assert not ref.is_valid_postal_code(code)
    assert ref.communes_for_postal_code(code) == []


def test_unknown_postal_code(ref: ReferenceData) -> None:
    assert ref.is_valid_postal_code("00000")
    assert ref.communes_for_postal_code("00000") == []


def test_commune_by_insee(ref: ReferenceData) -> None:
    saint_denis = ref.commune("97411")
    assert saint_denis is not None and saint_denis.postal_code == "97400"  # lowest one
    other = ref.commune("97411", "97490")
    assert other is not None and (other.name, other.postal_code) == ("Saint-Denis", "97490")
    assert ref.commune("22070", "22200") == ref.communes_for_postal_code("22200")[1]
    assert ref.commune("22070", "29200") is None
    assert ref.commune("99999") is None
    assert ref.commune("abc") is None


def test_counts(ref: ReferenceData) -> None:
    assert ref.commune_count > 35_000
    assert ref.metier_count == 1584
    assert ref.job_title_count == 13_120


# --- ROME ------------------------------------------------------------------------


def test_metier(ref: ReferenceData) -> None:
    metier = ref.metier("D1102")
    assert metier is not None and metier.libelle == "Boulanger / Boulangère"
    assert ref.metier("d1102") == metier
    assert ref.metier("Z9999") is None
    assert ref.metier("") is None


def test_search_boulang(ref: ReferenceData) -> None:
    titles, has_next = ref.search_job_titles("boulang", 10)
    assert len(titles) == 10 and has_next
    assert all(isinstance(t, JobTitle) for t in titles)
    first = titles[0]
    assert (first.libelle, first.code_rome) == ("Boulanger / Boulangère", "D1102")
    assert first.metier_libelle == "Boulanger / Boulangère"
    assert "D1102" in {t.code_rome for t in titles}
    # Labels starting with the query come before those where only a later word does.
    libelles = [t.libelle for t in titles]
    assert libelles.index("Boulanger-pâtissier / Boulangère-pâtissière") < libelles.index(
        "Aide-boulanger / Aide-boulangère"
    )


@pytest.mark.parametrize("query", ["BOULANGÈRE", "boulangere", "  Boulangère  ", "BoUlAnGeR"])
def test_search_is_accent_and_case_insensitive(ref: ReferenceData, query: str) -> None:
    titles, _ = ref.search_job_titles(query, 50)
    assert "Boulanger / Boulangère" in {t.libelle for t in titles}


def test_search_several_words_and_ligatures(ref: ReferenceData) -> None:
    titles, has_next = ref.search_job_titles("aide boul", 10)
    assert [t.libelle for t in titles] == ["Aide-boulanger / Aide-boulangère"]
    assert not has_next
    titles, _ = ref.search_job_titles("oenologue", 10)
    assert titles and titles[0].libelle == "Œnologue"


def test_search_by_rome_code(ref: ReferenceData) -> None:
    titles, _ = ref.search_job_titles("D1102", 100)
    assert titles and all(t.code_rome == "D1102" for t in titles)
    assert {t.code_rome for t in ref.search_job_titles("d1102", 5)[0]} == {"D1102"}
    assert {t.code_ogr for t in titles} == {t.code_ogr for t in ref.job_titles_for_metier("D1102")}


def test_search_pagination(ref: ReferenceData) -> None:
    everything, has_next = ref.search_job_titles("boulang", 1000)
    assert not has_next
    total = len(everything)
    assert total > 10
    pages: list[JobTitle] = []
    offset = 0
    while True:
        page, has_next = ref.search_job_titles("boulang", 4, offset)
        pages.extend(page)
        offset += 4
        if not has_next:
            break
    assert pages == everything
    last_page, has_next = ref.search_job_titles("boulang", total - 1, 1)
    assert len(last_page) == total - 1 and not has_next
    assert ref.search_job_titles("boulang", total - 1) == (everything[:-1], True)
    assert ref.search_job_titles("boulang", 0) == ([], True)
    assert ref.search_job_titles("boulang", 5, total) == ([], False)


def test_search_no_match(ref: ReferenceData) -> None:
    assert ref.search_job_titles("", 10) == ([], False)
    assert ref.search_job_titles("  ", 10) == ([], False)
    assert ref.search_job_titles("xyzxyzxyz", 10) == ([], False)
    with pytest.raises(ValueError):
        ref.search_job_titles("boulang", -1)
    with pytest.raises(ValueError):
        ref.search_job_titles("boulang", 1, -1)


# --- loading ---------------------------------------------------------------------


def test_load_from_explicit_directory() -> None:
    ref = ReferenceData.load(DATA_DIR)
    assert [c.name for c in ref.communes_for_postal_code("22200")] == GUINGAMP_AREA


def test_shipped_files_are_small() -> None:
    sizes = {p.name: p.stat().st_size for p in DATA_DIR.iterdir()}
    assert sizes["communes.tsv.gz"] < 1_000_000
    assert sizes["rome_metiers.tsv.gz"] + sizes["rome_appellations.tsv.gz"] < 300_000
    assert "SOURCES.md" in sizes


def test_load_rejects_unexpected_files(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        ReferenceData.load(tmp_path)
