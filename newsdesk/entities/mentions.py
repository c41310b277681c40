"""Cleaning the model's raw entity spans into mentions, for the entity tables and for the quote rules.

The one place where NER spans are cleaned. Two passes live here, one per consumer, and they differ on
purpose (changing :func:`normalize_for_quotes` moves the quote numbers; issue 11 changed only
:func:`clean_spans`):

* :func:`clean_spans` (entity tables): trims stray punctuation, a possessive ("Putin's"; not "McDonald's",
  which the alias table knows) and a lone trailing quote mark ("Bill Clinton '"); joins two PERSON spans the model
  cut at a name particle ("Cor van" + "der" + "Klugt"); splits "North and South Korea" into "North" (-> North
  Korea) and "South Korea"; cuts a span that joins two names at a spaced dash ("Alan Milburn - the" -> "Alan
  Milburn"; "ROME - Bernie Sanders" -> both), " v " ("Everton v Manchester United": two teams, ORG), "|", a
  comma ("Hulu, Apple TV"; not "King, Jr.", "Kidder, Peabody and Co", "Washington, D.C."), "and"/"&" between
  two people ("Bill and Hillary Clinton" -> "Bill" (Bill Clinton) + "Hillary Clinton") or two gazetteer
  places, and a lower-case word that is no particle ("Federer beat Bernard Tomic"); drops title fragments the
  model tags ORG ("Secretary of State", "National Security adviser Jake Sullivan"), cuts "the Stimson Center's
  Korea program" to "Stimson Center" (ORG), drops a trailing "and", a Twitter handle or hashtag in front,
  "ex-"/"pro-" ("ex-Yukos"), a hyphen adjective at the end ("George Bush-style", "US-led"), a leading "the"
  and, on PERSON, titles and honorifics (:func:`newsdesk.names.strip_leading_titles`), role, title and
  nationality words ("Sprinter Kelly Holmes", "Briton Tim Henman", "Tories Ken Clarke": nameparser's titles,
  ``role_words``, demonyms, non-person names of the alias table; also on an ORG span whose rest is a
  person-like name: "Frenchman Laurent Fignon"), a sentence opener ("Nevertheless Franz Ferdinand"),
  trailing digits ("John Kasich 2"), and on every type a trailing score ("Boston Red Sox 7-1"), a URL and what
  follows it, and a parenthesis the span opens but does not close ("Catanzaro (Southern Italy"); drops title-only PERSON mentions ("President", "MPs"). What was taken off
  is kept as evidence (``CleanMention.hint``: PERSON for a role word, ORG for a legal form, GPE for a state
  abbreviation), not as the name. The *name* a mention stands for may differ from its surface: a news
  abbreviation's state ("Calif." -> California), the name without its legal form ("Avnet Inc" -> Avnet) or
  without "U.S." in front of a federal body ("U.S. Securities and Exchange Commission").
  A place that stands for its sports team is renamed to the team (:mod:`newsdesk.entities.context`).
  ``body[start:end] == surface`` holds for every mention.
* :func:`normalize_for_quotes` (speaker search): keeps titles (the quote rules read them), drops a leading
  "the" and a possessive, extends PERSON spans over name particles and capitalised name words the model
  left out ("Ursula von der" + "Leyen"), and relabels ORG/GPE names as PERSON when the article tags the
  same surname PERSON or puts a personal title before them.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from newsdesk.entities.aliases import Alias
from newsdesk.entities.ner import KEPT
from newsdesk.entities.context import read_context
from newsdesk.entities.evidence import (
    expand_abbreviation, org_head, org_suffix, place_kind, role_prefix, strip_legal_suffix,
)
from newsdesk.lexicon import (
    ACRONYM_SKIP, CUES, FUNCTION_CAPS, GOVERNMENT_BODIES, HONORIFICS, HYPHEN_SUFFIXES, INTRO_WORDS, LEGAL_SUFFIXES,
    ORG_HEADS, PARTICLES_IN_TEXT, PERSON_TITLES, PORTFOLIOS, ROLE_NOUNS,
)
from newsdesk.names import is_title_only, name_key, norm_name, strip_honorifics, strip_leading_titles, word_spans
from newsdesk.spans import EntitySpan

__all__ = ["CleanMention", "clean_spans", "trim", "CleanSpan", "normalize_for_quotes"]

# ------------------------------------------------------------------------------------- entity tables


_LEADING_JUNK = "\"'“”‘’«»([{<-–—•*"
_TRAILING_JUNK = ",;:!?\"“”)]}>»-–—*"
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$", re.IGNORECASE)
_INNER_POSSESSIVE = re.compile(r"['’]s\s+")


_DIRECTIONS = r"North|South|East|West|Northern|Southern|Eastern|Western|Upper|Lower|Central"
_COORD = re.compile(rf"\b({_DIRECTIONS})\s+(?:and|or|&)\s+((?:{_DIRECTIONS})\s+([A-Z][\w'’\-]*))")


_TITLE_BEFORE = re.compile(r"\b(?:[Ss]ecretary|[Ss]ecretaries|[Mm]inister|[Mm]inisters|[Uu]ndersecretary)\s+(?:of|for)\s+"
                           r"(?:the\s+)?$")
_TITLE_AFTER = re.compile(r"\s+[Aa]dvis[eo]rs?\s+(?=[A-Z])")  # "National Security adviser Jake Sullivan"
_PORTFOLIO_TITLE = re.compile(r"\s+(?:[Ss]ecretary|[Mm]inister|[Aa]dvis[eo]r|[Cc]zar|[Cc]hief)\b")


class CleanMention(NamedTuple):
    """A mention kept for the entity tables (``body[start:end] == surface``)."""

    start: int
    end: int
    surface: str
    name: str  # the name this mention stands for (== surface except in coordinations, abbreviations, legal forms)
    label: str
    hint: str = ""  # a type the cleanup found evidence for: a role word taken off (PERSON), a legal form (ORG) ...


def trim(body: str, start: int, end: int, aliases: Mapping[str, Alias] | None = None) -> tuple[int, int]:
    """Trim whitespace and stray punctuation at both ends, and a trailing possessive (unless the whole
    name, possessive included, is in the alias table: "McDonald's")."""
    while start < end and (body[start].isspace() or body[start] in _LEADING_JUNK):
        start += 1
    while True:
        while start < end and (body[end - 1].isspace() or body[end - 1] in _TRAILING_JUNK):
            end -= 1
        m = _POSSESSIVE.search(body, start, end)
        if m and m.start() > start and (aliases is None or norm_name(body[start:end]) not in aliases):
            end = m.start()
            continue
        # a quote mark standing alone at the end ("Bill Clinton '", "George W. Bush ''")
        m = _LONE_QUOTE.search(body, start, end)
        if m and m.start() > start:
            end = m.start()
            continue
        break
    return start, end


_LONE_QUOTE = re.compile(r"\s+['’‘`]+$|['’]{2,}$")
# where a span joins two names: a spaced dash, " v ", "|", a comma, a semicolon
_DASH_CUT = re.compile(r"\s+(?:[-–—]+|--)\s*|\s*(?:[–—]|--)\s+|\s+[|]\s*")
_VERSUS = re.compile(r"\s+(?:v|vs|v\.|vs\.)\s+")
# a lower-case word that is no name particle nor function word: "Federer beat Bernard Tomic"
_LOWER_WORD = re.compile(r"\s+(?!(?:%s)\s)[a-z][a-z]+(?=\s+[A-Z])" % "|".join(
    sorted(PARTICLES_IN_TEXT | ACRONYM_SKIP | {"y", "e", "und", "et", "der", "van", "von", "da", "do", "dos", "das"},
           key=len, reverse=True)))
_COMMA = re.compile(r"\s*[,;]\s+")
_AND = re.compile(r"\s+(?:and|&|or)\s+")
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "v", "phd", "md", "esq", "qc", "mp", "obe", "mbe", "cbe"})
_AFFIX = re.compile(r"(?:ex|pro|anti|non|post|pre|neo|then)[-‐–]", re.IGNORECASE)
_HANDLE = re.compile(r"(?:RT\s+)?(?:[@#][\w.]+[:\s]+)+|[Ww]/(?=[A-Z])")
_DIGITS = re.compile(r"(?:\s+[\d.,:/-]+)+$")
_SCORE = re.compile(r"(?:\s+\d{1,3}-\d{1,3})+$")  # a result after a team or player: "Boston Red Sox 7-1"
_URL = re.compile(r"\s*(?:https?://|www\.)\S*")  # "Bear http://flook.it/c/1H1HZq Sun": the name ends before it
_OPEN_PAREN = re.compile(r"\s*\([^)]*$")  # "Catanzaro (Southern Italy": a parenthesis the span does not close
_HYPHEN_ADJ = re.compile(r"[-‐]([a-z]+)$")
_GOV_PREFIX = frozenset({"us", "u s", "united states"})


def _capitalised(piece: str) -> bool:
    """Starts like a name (a capital or a digit: "3M"; "the" aside), and has a capital letter in every word but
    particles."""
    words = piece.split()
    if len(words) > 1 and words[0].casefold() == "the":
        words = words[1:]
        piece = " ".join(words)
    return bool(words) and piece[:1].isupper() and all(
        w[:1].isupper() or w[:1].isdigit() or w.lower() in PARTICLES_IN_TEXT or w.lower() in ACRONYM_SKIP
        for w in words)


def _pieces(body: str, start: int, end: int, label: str, aliases: Mapping[str, Alias],
            person_words: frozenset[str]) -> list[tuple[int, int, str, str, str]]:
    """Cut a span that joins two names: at a spaced dash (a dropped clause: "Alan Milburn - the"), " v "
    (teams), "|", a comma or semicolon ("Hulu, Apple TV"; not before "Jr." or "Inc", not inside an organisation
    name that ends with a legal form: "Kidder, Peabody and Co"), and "and"/"&" between two people or two
    gazetteer places (not "Food and Drug Administration", "Bosnia and Herzegovina"). Returns
    (start, end, label, name, hint) pieces, name "" meaning the surface."""
    text = body[start:end]
    words = text.split()
    lower = any(w[:1].islower() for w in (words[1:] if words[:1] == ["the"] else words))
    if not any(c in text for c in ",;-–—|&") and " v" not in text and " and " not in text and " or " not in text \
            and not lower:
        return [(start, end, label, "", "")]
    out: list[tuple[int, int, str, str, str]] = []

    def split(rx: re.Pattern, s: int, e: int) -> list[tuple[int, int]]:
        parts, last = [], s
        for m in rx.finditer(body, s, e):
            if m.start() > last:
                parts.append((last, m.start()))
            last = m.end()
        parts.append((last, e))
        return [(a, b) for a, b in parts if b > a]

    for s1, e1 in [p for a, b in split(_DASH_CUT, start, end) for p in split(_LOWER_WORD, a, b)]:
        words = word_spans(body, s1, e1)
        while words and body[words[0][0]].islower() and body[words[0][0]:words[0][1]] != "the" \
                and not _AFFIX.match(body, words[0][0], words[0][1]):
            words.pop(0)  # "council of the City of London": lower-case words in front
        if words and body[words[0][0]:words[0][1]] in ("the", "The") and (len(words) == 1
                                                                          or body[words[1][0]].islower()):
            words = []
        first = body[words[0][0]:words[0][1]] if words else ""
        if not words or not (_capitalised(first) or first == "the" or _AFFIX.match(first)):
            continue  # "the", "he", "nice": the rest of a sentence
        s1 = words[0][0]
        piece = body[s1:e1]
        vs = split(_VERSUS, s1, e1)
        if len(vs) > 1:  # "Everton v Manchester United": two teams (or two players)
            for s2, e2 in vs:
                words = {w.casefold() for w in norm_name(body[s2:e2]).split()}
                out.append((s2, e2, "PERSON" if words & person_words else "ORG", "", ""))
            continue
        commas = split(_COMMA, s1, e1)
        if len(commas) > 1:
            tail = norm_name(body[commas[-1][0]:commas[-1][1]])
            keep_whole = (tail.split()[0] if tail else "") in _NAME_SUFFIXES | LEGAL_SUFFIXES \
                or org_suffix(piece) or tail in ("dc", "d c") \
                or not all(_capitalised(body[a:b]) for a, b in commas)
            if not keep_whole:
                out.extend((a, b, label, "", "") for a, b in commas)
                continue
        ands = split(_AND, s1, e1)
        if len(ands) == 2 and all(_capitalised(body[a:b]) for a, b in ands):
            (a1, b1), (a2, b2) = ands
            left, right = body[a1:b1], body[a2:b2]
            whole = norm_name(piece)
            if label == "PERSON" and whole not in aliases and not org_suffix(piece):
                rw = right.split()
                if len(left.split()) == 1 and len(rw) >= 2 and left.casefold() != rw[0].casefold():
                    out.append((a1, b1, label, f"{left} {rw[-1]}", ""))  # "Bill and Hillary Clinton"
                else:
                    out.append((a1, b1, label, "", ""))
                out.append((a2, b2, label, "", ""))
                continue
            if whole not in aliases and not place_kind(piece) and not org_suffix(piece) \
                    and place_kind(left) and place_kind(right):
                out.extend([(a1, b1, "GPE", "", ""), (a2, b2, "GPE", "", "")])  # "France and Germany"
                continue
        out.append((s1, e1, label, "", ""))
    return out


_SENTENCE_OPENERS = (FUNCTION_CAPS | INTRO_WORDS) - {"the", "i"}


def _strip_front(body: str, start: int, end: int, label: str, aliases: Mapping[str, Alias]) -> tuple[int, str]:
    """(new start, hint): take off what stands in front of a name without being part of it: a Twitter handle or
    hashtag, "ex-"/"pro-" ("ex-Yukos"), and on PERSON three words or more long, role, title and nationality
    words ("Sprinter Kelly Holmes", "Briton Tim Henman", "Tories Ken Clarke", "Lib Dem Norman Baker"; nameparser's
    titles, lexicon ``role_words``, demonyms, non-PERSON names of the alias table); those give the hint
    PERSON."""
    hint = ""
    if " " not in body[start:end] and "-" not in body[start:end] and "/" not in body[start:end]:
        return start, hint  # one word: nothing in front of it
    m = _HANDLE.match(body, start, end)
    if m and m.end() < end and body[m.end()].isupper():
        start = m.end()
    m = _AFFIX.match(body, start, end)
    if m and m.end() < end and body[m.end()].isupper():
        start = m.end()
    person = label == "PERSON"
    words = word_spans(body, start, end)
    if person and len(words) >= 2 and body[words[0][0]:words[0][1]].casefold() in _SENTENCE_OPENERS \
            and body[words[1][0]].isupper():
        start = words[1][0]  # "Nevertheless Franz Ferdinand", "Among Latinos"
    for _ in range(3):
        words = word_spans(body, start, end)
        if len(words) in (2, 3) and person:  # "Premiership Fulham", "Lib Dem MPs": a non-person alias in front
            moved = False
            for k in (2, 1):
                a = aliases.get(norm_name(body[words[0][0]:words[k - 1][1]])) if k < len(words) else None
                if a and a.type not in (None, "PERSON") and body[words[k][0]].isupper():
                    start, moved = words[k][0], True
                    break
            if moved:
                continue
        if len(words) < 3:
            break
        first = body[words[0][0]:words[0][1]]
        two = body[words[0][0]:words[1][1]]
        if not person:  # "Frenchman Laurent Fignon" tagged ORG: only a person-like rest of two or three words
            rest = body[words[1][0]:end]
            whole = body[start:end]
            if len(words) > 4 or not all(w[:1].isupper() for w in rest.split()) or org_suffix(rest) \
                    or org_head(rest) or place_kind(rest) or place_kind(whole) or norm_name(whole) in aliases \
                    or not role_prefix(first, person=False):
                break
            start, hint = words[1][0], "PERSON"
            break
        a1, a2 = aliases.get(norm_name(first)), aliases.get(norm_name(two))
        if len(words) >= 4 and a2 and a2.type not in (None, "PERSON"):
            start = words[2][0]  # "Lib Dem Norman Baker"
        elif role_prefix(first) or (a1 and a1.type not in (None, "PERSON")):
            start = words[1][0]
        else:
            break
        hint = "PERSON"
    return start, hint


_SPACED_POSSESSIVE = re.compile(r"(?<=\w) (['’]s)(?= \w)")


def _name_of(surface: str, label: str, aliases: Mapping[str, Alias]) -> tuple[str, str]:
    """(name, hint) a cleaned surface stands for (a tokenized possessive closed up: "Children 's Hospital" ->
    "Children's Hospital"): a state for a news abbreviation ("Calif." -> California,
    GPE), the name without its legal form ("Avnet Inc" -> Avnet, ORG), a US government body without "U.S."
    ("U.S. Securities and Exchange Commission")."""
    surface = _SPACED_POSSESSIVE.sub(r"\1", surface)  # tokenized text: "Children 's Hospital"
    if norm_name(surface) in aliases:
        return surface, ""
    state = expand_abbreviation(surface, label)
    if state:
        return state, "GPE"
    words = surface.split()
    if len(words) < 2:
        return surface, ""
    for k in (1, 2):  # "U.S. Bureau of Land Management", "United States National Academy of Sciences"
        rest = words[k:]
        if (len(rest) >= 2 and norm_name(" ".join(words[:k])) in _GOV_PREFIX and rest[0][:1].isupper()
                and any(w.casefold() in GOVERNMENT_BODIES or w.casefold().rstrip("s") in GOVERNMENT_BODIES
                        for w in rest)):
            return " ".join(rest), "ORG"
    if org_suffix(surface) or org_head(surface):
        return strip_legal_suffix(surface), "ORG"
    return surface, ""


_DOTTED = re.compile(r"(?:[A-Z]\.){2,}")  # "U.N.", "U.S."


def _lost_apostrophe(form: str, aliases: Mapping[str, Alias], min_len: int) -> str | None:
    """``form`` without its final "s" when it may be a possessive that lost its apostrophe: capitalised, at least
    ``min_len`` characters, ending in one "s" (not "ss", "'s"), and neither an alias nor a place itself ("Texas",
    "Wales"); else None."""
    if len(form) < min_len or form[-1] != "s" or form[-2] in "s'’" or not form[0].isupper():
        return None
    if norm_name(form) in aliases or place_kind(form):
        return None
    return form[:-1]


def _possessor(body: str, s: int, e: int, names: Mapping[str, str],
               aliases: Mapping[str, Alias]) -> tuple[int, int, str, str] | None:
    """A possessive written without its apostrophe in front of a name (text that lost its apostrophes: "Japans
    Finance Ministry", "U.N.s Food and Agriculture Organisation", "Southerns Georgia Power Co" after "Southern
    Co"): (start, end, label, name) of the possessor, when its first word minus a final "s" is a gazetteer
    place, a dotted acronym or a place or organisation name the article's model spans have (``names``:
    normalized name -> label), the word itself is none of these, and a capitalised name follows ("the" in front
    is skipped). Never on a PERSON span ("Frances Kerry")."""
    words = word_spans(body, s, e)
    if words and body[words[0][0]:words[0][1]] in ("the", "The"):
        words = words[1:]
    if len(words) < 2 or not body[words[1][0]].isupper():
        return None
    a, b = words[0]
    word = body[a:b]
    stem = _lost_apostrophe(word, aliases, 3)
    if stem is None or norm_name(word) in names:
        return None
    if place_kind(stem) == "strong":
        return a, b, "GPE", stem
    if _DOTTED.fullmatch(stem):
        return a, b, names.get(norm_name(stem), "ORG"), stem
    label = names.get(norm_name(stem))  # not a person's ("Williams Cos" beside a "William"), nor a nationality
    return (a, b, label, stem) if label in ("GPE", "LOC", "ORG") else None


def _possessive_name(surface: str, names: Mapping[str, str], aliases: Mapping[str, Alias]) -> str:
    """The name a possessive written without its apostrophe stands for ("Japans" -> Japan, "West Germanys" ->
    West Germany when the article also has "West Germany"): the surface minus a final "s" when that is a
    gazetteer place or a name of two words or more the article's model spans give a place or organisation,
    and the surface itself is neither a place nor an alias; else the surface."""
    stem = _lost_apostrophe(surface, aliases, 4)
    if stem is None:
        return surface
    if place_kind(stem) == "strong" or (" " in stem and names.get(norm_name(stem)) in ("GPE", "LOC", "ORG")):
        return stem
    return surface


def _join_particles(body: str, kept: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Two PERSON spans with only name particles between them are one name ("Cor van" + "der" + "Klugt")."""
    out: list[tuple[int, int, str]] = []
    for k in kept:
        if out and out[-1][2] == "PERSON" and k[2] == "PERSON" and k[0] >= out[-1][1]:
            gap = body[out[-1][1]:k[0]]
            prev_last = body[out[-1][0]:out[-1][1]].split()[-1].lower()
            gap_words = gap.split()
            if len(gap) <= 12 and "\n" not in gap and all(w.lower() in PARTICLES_IN_TEXT for w in gap_words) \
                    and (gap_words or prev_last in PARTICLES_IN_TEXT) and (gap.startswith(" ") or not gap):
                out[-1] = (out[-1][0], k[1], "PERSON")
                continue
        out.append(k)
    return out


def clean_spans(body: str, spans: Sequence[EntitySpan], aliases: Mapping[str, Alias]) -> list[CleanMention]:
    """The entity step's mentions of one article (see the module docstring), sorted, without overlaps."""
    kept = sorted({(s.start, s.end, s.label) for s in spans if s.label in KEPT
                   and 0 <= s.start < s.end <= len(body)})
    out: list[CleanMention] = []
    # "North and South Korea" -> "North" (North Korea) + "South Korea", when NER marked any of it
    if kept and (" and " in body or " or " in body or "&" in body):
        taken: set[tuple[int, int, str]] = set()
        for m in _COORD.finditer(body):
            over = [k for k in kept if k[0] < m.end() and k[1] > m.start()]
            if not over:
                continue
            taken.update(over)
            head_label = next((k[2] for k in over if k[0] <= m.start(3) < k[1]), over[0][2])
            first = m.group(1)
            out.append(CleanMention(m.start(1), m.end(1), first, f"{first} {m.group(3)}", head_label))
            out.append(CleanMention(m.start(2), m.end(2), m.group(2), m.group(2), head_label))
        kept = [k for k in kept if k not in taken]
    kept = _join_particles(body, kept)
    person_words = frozenset(w for s, e, lab in kept if lab == "PERSON" and not _VERSUS.search(body, s, e)
                             for w in norm_name(body[s:e]).split() if len(w) > 2)
    names: dict[str, str] = {}  # the article's span names (legal forms off): "Southern Co" -> "southern"
    for start, end, label in kept:
        for n in {norm_name(body[start:end]), norm_name(strip_legal_suffix(body[start:end]))}:
            names.setdefault(n, label)
    for start, end, label in kept:
        start, end = trim(body, start, end, aliases)
        if start >= end:
            continue
        owner = _possessor(body, start, end, names, aliases) if label != "PERSON" else None
        if owner:  # "Japans Finance Ministry" -> "Japans" (Japan) + "Finance Ministry"
            out.append(CleanMention(owner[0], owner[1], body[owner[0]:owner[1]], owner[3], owner[2]))
            start = next(a for a, _ in word_spans(body, owner[1], end))
        # part of a title, not an entity: "Secretary of State", "National Security Adviser"
        if label != "PERSON" and (_TITLE_BEFORE.search(body, max(0, start - 40), start)
                                  or _TITLE_AFTER.match(body, end)
                                  or (norm_name(body[start:end]) in PORTFOLIOS
                                      and _PORTFOLIO_TITLE.match(body, end))):
            continue
        # "the Stimson Center's Korea program" -> "Stimson Center"
        m = _INNER_POSSESSIVE.search(body, start, end)
        if m:
            head = body[start:m.start()].split()
            if head and head[-1].casefold() in ORG_HEADS:
                end, label = m.start(), "ORG"
        # trailing conjunction left by a split coordination ("North and")
        words = word_spans(body, start, end)
        while len(words) > 1 and body[words[-1][0]:words[-1][1]].lower() in ("and", "or", "&"):
            words.pop()
            start, end = trim(body, start, words[-1][1])
        for s, e, lab, name, _ in _pieces(body, start, end, label, aliases, person_words):
            s, e = trim(body, s, e, aliases)
            if s >= e:
                continue
            piece = (s, e)
            s, hint = _strip_front(body, s, e, lab, aliases)
            s = strip_leading_titles(body, s, e, lab, aliases)
            s, e = trim(body, s, e, aliases)
            if lab == "PERSON":  # "John Kasich 2"
                m = _DIGITS.search(body, s, e)
                if m and m.start() > s:
                    s, e = trim(body, s, m.start(), aliases)
            for rx in (_URL, _OPEN_PAREN, _SCORE):
                m = rx.search(body, s, e)
                if m and m.start() > s:
                    s, e = trim(body, s, m.start(), aliases)
            m = _HYPHEN_ADJ.search(body, s, e)  # "George Bush-style", "US-led"
            if m and m.group(1).casefold() in HYPHEN_SUFFIXES and m.start() > s:
                e = m.start()
            surface = body[s:e]
            if not any(c.isalpha() for c in surface) or len(surface) < 2:
                continue
            if lab == "PERSON" and (is_title_only(surface) or all(
                    w.endswith("s") and role_prefix(w[:-1]) for w in surface.split())):
                continue  # "President", "Supreme Leader", "MPs": a title without a name
            if name and (s, e) != piece:
                name = ""  # the piece was trimmed: its coordination name no longer applies
            if not name:
                name, h = _name_of(surface, lab, aliases)
                hint = hint or h
                if name == surface and lab != "PERSON":
                    name = _possessive_name(surface, names, aliases)
                    if name != surface and lab == "NORP":
                        lab = "GPE"  # "Japans" tagged like "Japanese"
            out.append(CleanMention(s, e, surface, name, lab, hint))
    out.sort(key=lambda c: (c.start, c.end))
    # drop exact duplicates / nested overlaps (keep the longer, first)
    dedup: list[CleanMention] = []
    for c in out:
        if dedup and c.start < dedup[-1].end:
            if (c.end - c.start) > (dedup[-1].end - dedup[-1].start):
                dedup[-1] = c
            continue
        dedup.append(c)
    return read_context(body, dedup)


# ------------------------------------------------------------------------------------------ quote rules

@dataclass
class CleanSpan:
    """An NER span as the quote rules read it (``text == body[start:end]``; ``label`` may be relabelled)."""

    start: int
    end: int
    label: str
    text: str


_PARTICLE_EXT = re.compile(r"((?:[ \u00a0]+(?:%s)(?![\w]))*)[ \u00a0]+([A-ZÀ-Ý][\w\-]*)" % "|".join(
    sorted(PARTICLES_IN_TEXT, key=len, reverse=True)))


_LEFT_NAME = re.compile(r"(?<![\w.])([A-ZÀ-Ý][a-zà-ÿ\-]+|[A-Z]\.)[ \u00a0]+$")


_HEADLINE_WORD = re.compile(r"[^\W\d_][\w’'\-]*")
_HEADLINE_STOP = frozenset({"to", "just", "out", "be"})


def _headline_verb(word: str) -> bool:
    """A verb of saying as a headline writes it ("Says", "Slams", "Blasts", "Tells")."""
    w = word.lower()
    return w in CUES or (w.endswith("s") and (w[:-1] + "ed" in CUES or w[:-1] + "d" in CUES))


def _headline_line(body: str, pos: int, seen: dict[int, bool]) -> bool:
    """Whether the line holding ``pos`` has four or more words, most of them capitalised (``seen``: the answer
    per line start, so a line is read once however many names it holds)."""
    a = body.rfind("\n", 0, pos) + 1
    if a not in seen:
        b = body.find("\n", pos)
        line = _HEADLINE_WORD.findall(body[a:b if b != -1 else len(body)])
        seen[a] = len(line) >= 4 and sum(w[:1].isupper() for w in line) >= 0.6 * len(line)
    return seen[a]


def _headline_trim(body: str, s: int, t: int, seen: dict[int, bool]) -> tuple[int, int]:
    """A name span in a headline-cased line runs into the headline's words ("Glenn Beck Blasts Drudge",
    "Obama To Asians Worried", "Calls Out Ted Cruz"): cut it before a verb of saying or a function word that has
    more words after it, and drop a verb of saying in front. Only in a line of four or more words most of which
    are capitalised (:func:`_headline_line`); "Edward Said" in a sentence stays whole."""
    if not _headline_line(body, s, seen):
        return s, t
    words = [(m.start() + s, m.end() + s, m.group()) for m in _HEADLINE_WORD.finditer(body[s:t])]
    while len(words) >= 2 and (_headline_verb(words[0][2]) or words[0][2].lower() == "out"):
        words = words[1:]
    for i in range(1, len(words)):
        w = words[i][2]
        if _headline_verb(w) or (i < len(words) - 1 and (w.lower() in FUNCTION_CAPS or w.lower() in _HEADLINE_STOP)):
            words = words[:i]
            break
    if not words:
        return s, t
    return words[0][0], words[-1][1]


def normalize_for_quotes(body: str, ents: list) -> list[CleanSpan]:
    """NER spans cleaned for the quote rules, sorted, without overlaps: drop a leading "the", a trailing possessive; extend person names over
    particles ("Ursula von der" + "Leyen"); relabel names NER tagged ORG/GPE when the article
    also tags them PERSON or puts a personal title right before them."""
    out: list[CleanSpan] = []
    headline: dict[int, bool] = {}
    for e in sorted(ents, key=lambda e: (e.start, -e.end)):
        s, t, lab = int(e.start), int(e.end), str(e.label)
        if out and s < out[-1].end:
            continue
        seg = body[s:t]
        m = re.match(r"(?i)the\s+", seg)
        if m and t - s > m.end():
            s += m.end()
        seg = body[s:t]
        m = re.search(r"[’']s?$", seg)
        if m and m.start() > 0:
            t = s + m.start()
        s, t = _headline_trim(body, s, t, headline)
        # extend over particles + capitalised words ("Ursula von der" + " Leyen")
        if lab == "PERSON":
            for _ in range(4):
                m = _PARTICLE_EXT.match(body, t)
                words = body[s:t].split()
                if m and words and (m.group(1) or words[-1].lower() in PARTICLES_IN_TEXT) and \
                        m.group(2).lower() not in FUNCTION_CAPS and m.group(2).lower() not in CUES:
                    t = m.end()
                else:
                    break
        if lab == "PERSON":
            for _ in range(3):
                m = _LEFT_NAME.search(body, max(0, s - 30), s)
                if m and m.end() == s and m.group(1).lower().rstrip(".") not in PERSON_TITLES and \
                        m.group(1).lower().rstrip(".") not in HONORIFICS and \
                        m.group(1).lower().rstrip(".") not in FUNCTION_CAPS and \
                        m.group(1).lower() not in ROLE_NOUNS and \
                        not (out and out[-1].end > m.start(1)) and \
                        not re.search(r"(?:an|ian|ese|ish|i)$", m.group(1)):
                    s = m.start(1)
                else:
                    break
        if t <= s:
            continue
        out.append(CleanSpan(s, t, lab, body[s:t]))
    person_words = set()
    for e in out:
        if e.label == "PERSON":
            person_words.update(name_key(strip_honorifics(e.text)).split())
    for e in out:
        if e.label in ("ORG", "GPE", "NORP", "FAC", "WORK_OF_ART", "PRODUCT", "LOC") and \
                re.fullmatch(r"[A-ZÀ-Ý][\w\-’'.]+(?:\s+[A-ZÀ-Ýa-z][\w\-’'.]*){0,4}", e.text):
            words = name_key(e.text).split()
            before = re.findall(r"[\w]+", body[max(0, e.start - 30):e.start])
            prev = before[-1].lower() if before else ""
            if (words and words[-1] in person_words and e.label != "GPE") or \
                    (prev in PERSON_TITLES and e.label in ("ORG", "GPE", "WORK_OF_ART", "PRODUCT")
                     and len(words) >= 2):
                e.label = "PERSON"
    return out
