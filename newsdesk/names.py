"""Names as strings: the keys names are matched by, taking honorifics and titles off a name, sub-names, and
what an author's name in a byline looks like. Shared by the parse step (bylines), the entity step (mention
cleanup, resolution, speaker links) and the quote step (speaker names); the word lists come from
:mod:`newsdesk.lexicon`.

Two matching keys exist and are kept apart on purpose: :func:`norm_name` (diacritics, case, periods,
hyphens: what entities are resolved by) and the lighter :func:`name_key` (case and hyphens only: what the
quote rules compare names by).
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping

from newsdesk.lexicon import BYLINE_NOT_NAMES, HONORIFICS, NAME_TITLES, PARTICLES_IN_BYLINES, TITLE_LINKS

__all__ = ["norm_name", "name_tokens", "is_subname", "name_key", "strip_honorifics", "word_spans",
           "strip_leading_titles", "is_title_only", "looks_like_person_name"]

# ------------------------------------------------------------------------------------------ matching keys

_TYPO = str.maketrans({
    "’": "'", "‘": "'", "‛": "'", "`": "'", "ʼ": "'", "′": "'",
    "‐": " ", "‑": " ", "‒": " ", "–": " ", "—": " ", "―": " ", "−": " ", "-": " ",
    ".": "", "\u00a0": " ",
})
_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=65536)
def norm_name(name: str) -> str:
    """Matching form of a name: NFKC, diacritics dropped, case-folded, periods removed, hyphens/dashes
    read as spaces, '&' read as 'and', whitespace collapsed ("Kim Jong-un" -> "kim jong un",
    "U.S." -> "us", "Erdoğan" -> "erdogan")."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = unicodedata.normalize("NFKC", s).casefold().translate(_TYPO).replace("&", " and ")
    return _SPACES.sub(" ", s).strip()


def name_tokens(norm: str) -> tuple[str, ...]:
    """The words of a normalized name."""
    return tuple(norm.split())


def is_subname(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """``short`` is a proper start or end of ``full`` ("putin" of "vladimir putin")."""
    k = len(short)
    return 0 < k < len(full) and (full[:k] == short or full[-k:] == short)


def name_key(name: str) -> str:
    """The quote rules' comparison form of a name: lower case, hyphens read as spaces."""
    return name.lower().replace("-", " ").replace("‐", " ")


# ------------------------------------------------------------------------------ honorifics and titles

def strip_honorifics(name: str) -> str:
    """A name string without a final possessive and without leading honorifics or "the"
    ("Mr. Putin’s" -> "Putin"); the name itself when nothing would be left."""
    name = re.sub(r"[’']s$", "", name.strip())
    words = name.split()
    while words and (words[0].lower().rstrip(".") in HONORIFICS or words[0].lower() == "the"):
        words = words[1:]
    return " ".join(words) if words else name


_WORD = re.compile(r"\S+")


def word_spans(body: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each whitespace-separated word of ``body[start:end]``."""
    return [m.span() for m in _WORD.finditer(body, start, end)]


_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:an|ese|ish|i|ch)$")


def strip_leading_titles(body: str, start: int, end: int, label: str, aliases: Mapping) -> int:
    """New start of the mention ``body[start:end]`` after a leading "the" (unless "The Hague"-like, i.e. in
    the alias table) and, for PERSON, leading titles and honorifics ("Russian President", "Mr.",
    "Secretary of State", "Supreme Leader"). ``aliases``: normalized name -> alias (with a ``type``)."""
    words = word_spans(body, start, end)
    if len(words) < 2:
        return start
    first = body[words[0][0]:words[0][1]]
    if first.lower() == "the" and norm_name(body[start:end]) not in aliases:
        start = words[1][0]
        words = words[1:]
        if len(words) < 2:
            return start
    if label != "PERSON":
        return start
    toks = [body[a:b].rstrip(".").casefold() for a, b in words]
    i = 0
    # a nationality before the title: "Russian President ...", "North Korean Supreme Leader ..."
    for j in (1, 2):
        before = body[words[j - 1][0]:words[j - 1][1]] if j < len(words) else ""
        if (j < len(words) - 1 and toks[j] in NAME_TITLES and all(body[words[x][0]].isupper() for x in range(j))
                and (_DEMONYM.match(before) or getattr(aliases.get(norm_name(before)), "type", None) == "GPE")):
            i = j
            break
    while i < len(words) - 1:
        t = toks[i]
        if t in NAME_TITLES:
            i += 1
        elif i > 0 and t in TITLE_LINKS and toks[i - 1] in NAME_TITLES:
            i += 1
        else:
            break
    if i == 0:
        return start
    rest = body[words[i][0]]
    return words[i][0] if rest.isupper() else start


def is_title_only(surface: str) -> bool:
    """Every word is a title ("President", "Supreme Leader"): a title without a name."""
    return all(w.rstrip(".").casefold() in NAME_TITLES for w in surface.split())


# ----------------------------------------------------------------------------------------------- bylines

def looks_like_person_name(s: str) -> bool:
    """An author's name as bylines print it: 1-5 words, capitalised except name particles, no digits,
    not opening with a weekday, a month or a word like "the" ("By Monday, ..." is a sentence)."""
    words = s.split()
    if not 1 <= len(words) <= 5:
        return False
    if words[0].casefold().strip(".,") in BYLINE_NOT_NAMES:
        return False
    capital = 0
    for w in words:
        core = w.strip(".,'’()")
        if not core:
            return False
        if core.casefold() in PARTICLES_IN_BYLINES:
            continue
        if any(ch.isdigit() for ch in core) or not core[0].isupper():
            return False
        capital += 1
    return capital >= 1
