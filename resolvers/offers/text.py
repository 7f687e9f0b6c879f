"""French text analysis for offer search: words, a light stemmer, and the queries of both
full-text backends.

- SQLite (FTS5 has no French stemmer): offers store their stems (``search_title``,
  ``search_body``) and a query matches stems. The stemmer is "light": it folds accents and
  case, plural and feminine forms (boulangères -> boulanger, conductrice -> conducteur,
  aide-soignante -> aid soignant), and nothing more.
- PostgreSQL: the generated ``search_vector`` uses the French snowball configuration on
  unaccented text. Snowball keeps masculine and feminine apart (boulanger -> boulang,
  boulangère -> boulanger), so each query word is expanded into its masculine and feminine
  forms, OR-ed in the tsquery.

Explanations use the light stemmer on both backends.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from math import floor

from refdata import normalize

MAX_KEYWORDS = 10
CELLS_PER_DEGREE = 4
MAX_CELLS = 48  # beyond, a keyword search leaves the area to the SQL filter alone
_TOKEN = re.compile(r"[a-z0-9]+")

# PostgreSQL's French stop words (tsearch_data/french.stop), unaccented, plus "h" and "f"
# of "(H/F)" — so that no query operand is dropped by PostgreSQL alone.
_STOPWORDS = """au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me
    meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son
    sur ta te tes toi ton tu un une vos votre vous c d j l a m n s t y ete etee
    etees etes etant etante etants etantes suis es est sommes serai seras sera
    serons serez seront serais serait serions seriez seraient etais etait etions
    etiez etaient fus fut fumes futes furent sois soit soyons soyez soient fusse
    fusses fussions fussiez fussent ayant ayante ayantes ayants eu eue eues eus ai
    as avons avez ont aurai auras aura aurons aurez auront aurais aurait aurions
    auriez auraient avais avait avions aviez avaient eut eumes eutes eurent aie aies
    ait ayons ayez aient eusse eusses eussions eussiez eussent h f"""
STOPWORDS = frozenset(_STOPWORDS.split())

# Feminine ending -> masculine ending, longest first.
_MASCULINE = (
    ("eresse", "eur"),
    ("ienne", "ien"),
    ("trice", "teur"),
    ("euse", "eur"),
    ("iere", "ier"),
    ("onne", "on"),
    ("elle", "el"),
    ("ette", "et"),
    ("effe", "ef"),
    ("ante", "ant"),
    ("ente", "ent"),
    ("ere", "er"),
    ("ise", "is"),
    ("ive", "if"),
    ("ee", "e"),
)
# Masculine ending -> feminine endings (query expansion for PostgreSQL).
_FEMININE = (
    ("teur", ("trice", "teuse")),
    ("eur", ("euse",)),
    ("ier", ("iere",)),
    ("er", ("ere",)),
    ("ien", ("ienne",)),
    ("on", ("onne",)),
    ("el", ("elle",)),
    ("et", ("ette",)),
    ("ef", ("effe",)),
    ("ant", ("ante",)),
    ("ent", ("ente",)),
    ("is", ("ise",)),
    ("if", ("ive",)),
    ("e", ("ee",)),
)


def words(text: str) -> list[str]:
    """Lower-case, unaccented words of ``text`` without stop words (l'offre -> offre)."""
    return [w for w in _TOKEN.findall(normalize(text)) if w not in STOPWORDS]


def _singular(word: str) -> str:
    if len(word) <= 3:
        return word
    if word.endswith("eaux"):
        return word[:-1]
    if word.endswith("aux") and len(word) > 4:
        return word[:-3] + "al"
    if word[-1] in "sx" and not word.endswith("ss"):
        return word[:-1]
    return word


def masculine(word: str) -> str:
    """The singular masculine form of a word, as best guessed (vendeuses -> vendeur)."""
    word = _singular(word)
    for ending, replacement in _MASCULINE:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            return word[: -len(ending)] + replacement
    return word


def stem(word: str) -> str:
    """The light stem: singular masculine without a final e or s (aides -> aid)."""
    if len(word) <= 3 or word.isdigit():
        return word
    word = masculine(word)
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word


def stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


def stem_text(*texts: str | None) -> str:
    """The stems of the texts, space-separated: what the FTS5 table indexes."""
    return " ".join(s for text in texts if text for s in stems(text))


def keyword_terms(keywords: str | None) -> list[str]:
    """The distinct words of a keyword query, in order (stop words dropped)."""
    seen: dict[str, None] = {}
    for w in words(keywords or ""):
        seen.setdefault(w, None)
    return list(seen)


def word_forms(word: str) -> list[str]:
    """The word, its masculine and its feminine forms (boulanger -> boulanger, boulangere)."""
    forms = {word: None, _singular(word): None}
    male = masculine(word)
    forms[male] = None
    for ending, feminines in _FEMININE:
        if male.endswith(ending) and len(male) > len(ending) + 1:
            for feminine in feminines:
                forms[male[: -len(ending)] + feminine] = None
            break
    return list(forms)


def fts5_query(terms: Iterable[str]) -> str:
    """An FTS5 MATCH expression: every term's stem, quoted, AND-ed."""
    return " AND ".join(f'"{stem(t)}"' for t in terms)


def tsquery(terms: Iterable[str]) -> str:
    """A ``to_tsquery('french', …)`` expression: every term as (form | form | …), AND-ed.
    Terms are plain [a-z0-9] words, so nothing needs quoting."""
    return " & ".join("(" + " | ".join(word_forms(t)) + ")" for t in terms)


def _cell(degrees: float) -> str:
    index = floor(degrees * CELLS_PER_DEGREE)
    return f"m{-index}" if index < 0 else str(index)


def geo_token(latitude: float, longitude: float) -> str:
    """The grid cell (a quarter of a degree) of a point, as a token: ``zg194xm13``."""
    return f"zg{_cell(latitude)}x{_cell(longitude)}"


def geo_cells(south: float, north: float, west: float, east: float) -> list[str] | None:
    """The cell tokens covering a box, or None when there are too many to be useful."""
    rows = range(floor(south * CELLS_PER_DEGREE), floor(north * CELLS_PER_DEGREE) + 1)
    cols = range(floor(west * CELLS_PER_DEGREE), floor(east * CELLS_PER_DEGREE) + 1)
    if len(rows) * len(cols) > MAX_CELLS:
        return None
    step = 1 / CELLS_PER_DEGREE
    return [geo_token((r + 0.5) * step, (c + 0.5) * step) for r in rows for c in cols]


def filter_tokens(
    departement: str | None,
    region: str | None,
    type_contrat: str,
    latitude: float | None = None,
    longitude: float | None = None,
) -> str:
    """Tokens of the offer's place and contract, indexed with its text on SQLite, so that
    FTS5 narrows a keyword search to a département, a contract type or an area by itself
    (``zd22 zr53 ztcdi zg194xm13``: no French word looks like them)."""
    tokens = [f"zt{type_contrat.lower()}"]
    if departement:
        tokens.append(f"zd{departement.lower()}")
    if region:
        tokens.append(f"zr{region.lower()}")
    if latitude is not None and longitude is not None:
        tokens.append(geo_token(latitude, longitude))
    return " ".join(tokens)


def fts5_filters(
    departements: Iterable[str],
    region: str | None,
    types_contrat: Iterable[str],
    cells: Iterable[str] = (),
) -> str:
    """The FTS5 conditions matching ``filter_tokens`` (to AND with the keywords)."""
    groups = [
        [f'"zd{d.lower()}"' for d in departements],
        [f'"zr{region.lower()}"'] if region else [],
        [f'"zt{t.lower()}"' for t in types_contrat],
        [f'"{cell}"' for cell in cells],
    ]
    return "".join(f" AND ({' OR '.join(group)})" for group in groups if group)
