"""Cleaning the model's raw entity spans into mentions, for the entity tables and for the quote rules.

The one place where NER spans are cleaned. Two passes live here, one per consumer, and they differ on
purpose until the entity-resolution rewrite unifies them (changing either changes the output):

* :func:`clean_spans` (entity tables): trims stray punctuation and a possessive ("Putin's"; not
  "McDonald's", which the alias table knows), splits "North and South Korea" into "North" (-> North Korea)
  and "South Korea", drops title fragments the model tags ORG ("Secretary of State", "National Security
  adviser Jake Sullivan"), cuts "the Stimson Center's Korea program" to "Stimson Center" (ORG), drops a
  trailing "and", strips a leading "the" and, on PERSON, titles and honorifics
  (:func:`newsdesk.names.strip_leading_titles`), and drops title-only PERSON mentions ("President").
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
from newsdesk.lexicon import (
    CUES, FUNCTION_CAPS, HONORIFICS, ORG_HEADS, PARTICLES_IN_TEXT, PERSON_TITLES, PORTFOLIOS, ROLE_NOUNS,
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


_TITLE_BEFORE = re.compile(r"\b(?:Secretary|Secretaries|Minister|Ministers|Undersecretary)\s+(?:of|for)\s+(?:the\s+)?$")
_TITLE_AFTER = re.compile(r"\s+[Aa]dvis[eo]rs?\s+(?=[A-Z])")  # "National Security adviser Jake Sullivan"
_PORTFOLIO_TITLE = re.compile(r"\s+(?:[Ss]ecretary|[Mm]inister|[Aa]dvis[eo]r|[Cc]zar|[Cc]hief)\b")


class CleanMention(NamedTuple):
    """A mention kept for the entity tables (``body[start:end] == surface``)."""

    start: int
    end: int
    surface: str
    name: str  # the name this mention stands for (== surface except in coordinations)
    label: str


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
        break
    return start, end


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
    for start, end, label in kept:
        start, end = trim(body, start, end, aliases)
        if start >= end:
            continue
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
        start = strip_leading_titles(body, start, end, label, aliases)
        start, end = trim(body, start, end, aliases)
        surface = body[start:end]
        if not any(c.isalpha() for c in surface) or len(surface) < 2:
            continue
        if label == "PERSON" and is_title_only(surface):
            continue  # "President", "Supreme Leader": a title without a name
        out.append(CleanMention(start, end, surface, surface, label))
    out.sort(key=lambda c: (c.start, c.end))
    # drop exact duplicates / nested overlaps (keep the longer, first)
    dedup: list[CleanMention] = []
    for c in out:
        if dedup and c.start < dedup[-1].end:
            if (c.end - c.start) > (dedup[-1].end - dedup[-1].start):
                dedup[-1] = c
            continue
        dedup.append(c)
    return dedup


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


def normalize_for_quotes(body: str, ents: list) -> list[CleanSpan]:
    """NER spans cleaned for the quote rules, sorted, without overlaps: drop a leading "the", a trailing possessive; extend person names over
    particles ("Ursula von der" + "Leyen"); relabel names NER tagged ORG/GPE when the article
    also tags them PERSON or puts a personal title right before them."""
    out: list[CleanSpan] = []
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
