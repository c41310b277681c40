"""What the words right around a mention say about it: a place that stands for its sports team ("England captain
Andrew Strauss", "Boston beat the Minnesota Twins 6-4"), and an employer named before a job and a person ("Gazette
reporter Rick Steelhammer", "Maplecroft analyst Helen Hodge").

This module owns reading those words for one article's cleaned mentions (:func:`read_context`). The model's label
says nothing here; the evidence is the text.

**Teams.** News names a team by its town or country. Read as the place, such a mention adds an organisation's
votes to the place's entity and leaves the team unnamed. A place is read as its team when

* a sports role stands between it and a person's name: "England captain Andrew Strauss", "Italy coach Cesare
  Prandelli", "Boston's manager Bobby Valentine" (``team_roles`` in the lexicon);
* a sports result is told in a sentence with a score (not a day range, "3-4 March"): the place right before a
  verb of winning ("Baltimore beat the Red Sox 7-1"; not "beat back") or right after one or after "against"
  (``result_verbs``), and not a player's country ("beat Australia's Casey Dellacqua 6-1").

The team is the one organisation of the article named "<place>" and one or two capitalised words ("Boston Red
Sox", "Minnesota Twins"; not a newspaper, "Boston Globe", nor "Boston University") when there is exactly one,
else "<place> team". A place the model called a person counts, unless it is a word of a person's name in the
article ("Jordan" beside "Michael Jordan"). The mention keeps its surface and offsets; its name and type change
(ORG, with an organisation's evidence), so the place's own entity gets no vote from it.

**Employers.** A name right before a job that people hold in an organisation and a person's name ("Gazette
reporter Rick Steelhammer", "Ir Amim director Yehudith Oppenheimer"; ``staff_roles``) gets an organisation's
evidence (``hint`` ORG), whatever the model called it: firms and papers named after people are often tagged
PERSON. Not the jobs people hold for a person ("Trump spokesman Sean Spicer", "Obama adviser"), not places, and not
a group the model calls NORP ("Republican strategist Ana Navarro").
"""
from __future__ import annotations

import calendar
import re
from collections.abc import Sequence

from newsdesk.entities.evidence import org_head, org_suffix, place_kind
from newsdesk.lexicon import NEWSPAPER_WORDS, RESULT_VERBS, STAFF_ROLES, TEAM_ROLES
from newsdesk.names import norm_name

__all__ = ["read_context"]

_ROLE_AFTER = re.compile(r"(?:['’]s)?\s+(?:head\s+|assistant\s+|interim\s+|former\s+)?([a-z][a-z\-]+)\s+(?=[A-Z])")
_SCORE = re.compile(r"(?<![\d\-])\d{1,3}-\d{1,3}(?![\d\-])")
_WORD_BEFORE = re.compile(r"([a-z]+)\s+(?:the\s+)?$")
_WORD_AFTER = re.compile(r"\s+([a-z]+)\b")
_PARTICLE = re.compile(r"\s+(?:back|off|down|up)\b")  # "Russia beat back the attack"
# a day range, not a score: "3-4 March"
_MONTH_AFTER = re.compile(r"\s+(?:%s)\b" % "|".join(calendar.month_name[1:] + calendar.month_abbr[1:]),
                          re.IGNORECASE)
_POSSESSIVE_AFTER = re.compile(r"\s?['’]s\b")
_SENTENCE_END = re.compile(r"[.!?]\s|\n")


def _sentence(body: str, start: int, end: int) -> str:
    """The text of the sentence (or line) holding body[start:end], roughly."""
    a = max((m.end() for m in _SENTENCE_END.finditer(body, max(0, start - 400), start)), default=max(0, start - 400))
    m = _SENTENCE_END.search(body, end)
    return body[a:m.start() if m else min(len(body), end + 400)]


def _team_context(body: str, start: int, end: int, person_starts: frozenset[int]) -> bool:
    """Whether the text around body[start:end] reads the place as a team (module docstring)."""
    m = _ROLE_AFTER.match(body, end)
    if m and m.group(1) in TEAM_ROLES and m.end() in person_starts:
        return True
    if _POSSESSIVE_AFTER.match(body, end):
        return False  # "beat Australia's Casey Dellacqua 6-1": a player's country
    before = _WORD_BEFORE.search(body, max(0, start - 30), start)
    after = _WORD_AFTER.match(body, end)
    if (after and after.group(1) in RESULT_VERBS and not _PARTICLE.match(body, after.end())) or (
            before and (before.group(1) in RESULT_VERBS or before.group(1) == "against")):
        return _has_score(_sentence(body, start, end))
    return False


def _has_score(sentence: str) -> bool:
    """A result such as "6-4" in the sentence (not a day range: "3-4 March")."""
    return any(not _MONTH_AFTER.match(sentence, m.end()) for m in _SCORE.finditer(sentence))


def _team_name(place: str, names: Sequence[str]) -> str:
    """The one organisation name of the article that is the place and one or two capitalised words ("Boston Red
    Sox"; not a newspaper, "Boston Globe", nor a name with an organisation word, "Boston University"), else
    "<place> team"."""
    key = norm_name(place)
    cands = set()
    for n in names:
        rest = n.split()[len(place.split()):]
        if norm_name(n).startswith(key + " ") and 1 <= len(rest) <= 2 and all(w[:1].isupper() for w in rest) \
                and rest[-1].casefold() not in NEWSPAPER_WORDS and not org_suffix(n) and not org_head(n):
            cands.add(n)
    return cands.pop() if len(cands) == 1 else f"{place} team"


def read_context(body: str, mentions: Sequence) -> list:
    """The article's cleaned mentions (:class:`~newsdesk.entities.mentions.CleanMention`, sorted), with every
    place that stands for its team renamed to the team and typed ORG, and every employer given an
    organisation's evidence (module docstring)."""
    out = list(mentions)
    person_starts = frozenset(c.start for c in out if c.label == "PERSON")
    _employers(body, out, person_starts)
    _teams(body, out, person_starts)
    return out


def _employers(body: str, mentions: list, person_starts: frozenset[int]) -> None:
    """Give employers before a job and a person an organisation's evidence, in place."""
    for i, c in enumerate(mentions):
        if c.hint or c.label == "NORP":  # "Republican strategist X": a party's, not an employer
            continue
        m = _ROLE_AFTER.match(body, c.end)
        if m and m.group(1) in STAFF_ROLES and m.end() in person_starts and not place_kind(c.name):
            mentions[i] = c._replace(hint="ORG")


def _teams(body: str, mentions: list, person_starts: frozenset[int]) -> None:
    """Rename the places that stand for their team to the team, typed ORG, in place."""
    # a place the model called a person ("Baltimore beat ...") counts, unless it is a word of a person's name
    person_words = frozenset(w for c in mentions if c.label == "PERSON" and " " in c.name
                             for w in norm_name(c.name).split())
    places = [i for i, c in enumerate(mentions) if c.name == c.surface and place_kind(c.name) in ("strong", "medium")
              and (c.label != "PERSON" or norm_name(c.name) not in person_words)]
    if not places:
        return
    orgs = [c.name for c in mentions if c.label == "ORG"]
    for i in places:
        c = mentions[i]
        if _team_context(body, c.start, c.end, person_starts):
            mentions[i] = c._replace(name=_team_name(c.name, orgs), label="ORG", hint="ORG")
