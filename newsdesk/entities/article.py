"""Within-article resolution: each cleaned mention of one article gets its article-level key ``(name, type)``.

Mentions are cleaned (leading "the", possessive "'s", titles/honorifics on PERSON such as "Mr.",
"Russian President", "Secretary of State", trailing "and"), their offsets trimmed so that
``body[start:end] == surface`` still holds. "North and South Korea" gives two mentions, "North"
(-> North Korea) and "South Korea"; "the Stimson Center's Korea program" gives "Stimson Center" (ORG);
title fragments the model tags as ORG ("Secretary of State", "Defense Secretary", "National
Security adviser Jake Sullivan") are dropped. Mentions group by *normalized name*
(case, diacritics, periods, hyphens/spaces: "Kim Jong-un" = "Kim Jong Un", "U.S." = "US") after the
alias table. A short PERSON name ("Putin", "Mr. Kim") joins the one fuller PERSON name in the article
whose tokens start or end with it ("Vladimir Putin", "Kim Jong Un"); two candidates = ambiguous, it
stays as it is. A lone surname the model mislabelled ("Scholz" as GPE) joins the one PERSON of the
article it belongs to. A multi-word ORG/FAC/EVENT name joins a longer name the same way when it comes after
it ("the Asan Institute" after "the Asan Institute for Policy Studies"; never a name of the alias
table: "United Nations" stays apart from "United Nations Security Council");
an acronym joins the one longer name of the article with those initials (KCNA = Korean Central News
Agency), or the long form right before it in parentheses ("the Organisation for Economic Co-operation and
Development (OECD)": its letters start the long form's words, in order). A PERSON name with middle names or
initials joins the plain first-and-last form when the article has both ("Martin E. Dempsey", "Martin Dempsey").
The key is ``(name, type)``: the fullest name's spelling (see newsdesk.entities.grouping) and the type the
votes settle: one per mention for the model's label, plus the evidence (newsdesk.entities.evidence: a gazetteer
place, an organisation suffix or legal form, a role word taken off, a state abbreviation). Every mention
carries its key's votes (``ArticleMention.votes``) so that corpus-level settlement weighs the evidence, not
one article's majority.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsdesk.entities.aliases import load_aliases
from newsdesk.entities.evidence import ORG_WORD, PERSON_WORD, STRONG_PLACE, strip_legal_suffix, type_evidence
from newsdesk.entities.grouping import (
    best_spelling, initials, join_middle_names, join_short_names, root, settle_type,
)
from newsdesk.entities.mentions import clean_spans
from newsdesk.lexicon import FUNCTION_CAPS
from newsdesk.names import is_subname, name_tokens, norm_name
from newsdesk.spans import EntitySpan

__all__ = ["ArticleMention", "resolve_article"]


@dataclass(frozen=True, slots=True)
class ArticleMention:
    """A cleaned mention in an article body (``body[start:end] == surface``).

    ``label`` is the model's label for this mention; ``key`` = ``(name, type)`` is the article-level
    entity: the fullest name the article gives (or the alias table's canonical name) and its type.
    """

    start: int
    end: int
    surface: str
    label: str
    key: tuple[str, str]
    #: the type votes of the key in this article, as sorted (type, weight) pairs: the model's labels (one per
    #: mention) plus the evidence (newsdesk.entities.evidence): what corpus-level settlement weighs
    votes: tuple[tuple[str, float], ...] = ()


def resolve_article(body: str, spans: Sequence[EntitySpan], *,
                    aliases_path: Path | str | None = None) -> list[ArticleMention]:
    """Clean the NER spans of one article and give each mention its within-article key (see module doc)."""
    if not body or not spans:
        return []
    aliases = load_aliases(aliases_path)
    cleaned = clean_spans(body, spans, aliases)
    if not cleaned:
        return []
    groups: dict[str, dict[str, Any]] = {}
    member: list[str] = []
    for c in cleaned:
        n = norm_name(c.name)
        a = aliases.get(n)
        if a:
            n = norm_name(a.canonical)
        g = groups.get(n)
        if g is None:
            g = groups[n] = {"names": Counter(), "votes": Counter(), "pinned": None, "alias": None,
                             "tokens": name_tokens(n), "first": c.start, "legal": False}
        if c.label != "PERSON" and c.name != c.surface and strip_legal_suffix(c.surface) == c.name:
            g["legal"] = True  # written with its legal form: "Burlington Industries Inc"
        if a:
            g["alias"] = a.canonical
            g["pinned"] = g["pinned"] or a.type
            g["names"][a.canonical] += 1
        else:
            g["names"][c.name] += 1
        g["votes"][c.label] += 1
        if c.hint:
            g["votes"][c.hint] += _HINT_WEIGHT[c.hint]
        member.append(n)
    for g in groups.values():
        if not g["alias"]:  # what the name itself says: a gazetteer place, an organisation suffix
            g["votes"].update(type_evidence(best_spelling(g["names"]), sum(g["names"].values())))
        g["type"] = settle_type(g["votes"], g["pinned"])
    parent = join_middle_names(groups)
    rest = {n: g for n, g in groups.items() if n not in parent}
    parent.update(join_short_names(rest, orgs=True))
    # a lone surname the model mislabelled ("Scholz" as GPE) joins the one PERSON of the article it ends
    # or starts; never a name of the alias table
    people = [m for m, h in groups.items() if h["type"] == "PERSON" and len(h["tokens"]) >= 2]
    for n, g in groups.items():
        if n in parent or g["type"] == "PERSON" or g["alias"] or len(g["tokens"]) != 1 or not people:
            continue
        cands = [m for m in people if is_subname(g["tokens"], groups[m]["tokens"])]
        if len(cands) == 1:
            parent[n] = cands[0]
    # "the Food and Drug Administration (FDA)": the acronym in parentheses right after its long form
    for i, c in enumerate(cleaned):
        n = member[i]
        g = groups[n]
        if i == 0 or n in parent or g["alias"] or len(g["tokens"]) != 1 or not _is_acronym(c.surface):
            continue
        prev = cleaned[i - 1]
        pn = member[i - 1]
        if pn != n and len(groups[pn]["tokens"]) >= 2 and groups[pn]["type"] != "PERSON" \
                and _PAREN_BEFORE.fullmatch(body, prev.end, c.start) and body.startswith(")", c.end) \
                and _letters_in_order(c.surface, groups[pn]["tokens"]):
            parent[n] = pn
    # acronyms: "KCNA" -> the one longer non-PERSON name of the article with those initials
    for n, g in groups.items():
        if n in parent or g["type"] == "PERSON" or g["alias"] or len(g["tokens"]) != 1:
            continue
        display = next(iter(g["names"]))
        letters = display.replace(".", "")
        if not (2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper()):
            continue
        acr = letters.casefold()
        cands = [m for m, h in groups.items() if m != n and h["type"] != "PERSON" and len(h["tokens"]) >= 2
                 and acr in (initials(h["tokens"], True), initials(h["tokens"], False))]
        if len(cands) == 1:
            parent[n] = cands[0]
    keys: dict[str, tuple[str, str]] = {}
    votes: dict[str, Counter] = {}
    for n in groups:  # a short name joined from another type ("Winans" tagged NORP) brings no votes
        r = root(parent, n)
        if n == r or groups[n]["type"] == groups[r]["type"]:
            votes.setdefault(r, Counter()).update(groups[n]["votes"])
        else:
            votes.setdefault(r, Counter())
    for n in groups:
        r = root(parent, n)
        g = groups[r]
        name = g["alias"] or best_spelling(g["names"])
        keys[n] = (name, g["type"])
    frozen = {r: tuple(sorted((t, round(float(v), 3)) for t, v in c.items() if v)) for r, c in votes.items()}
    out = [ArticleMention(c.start, c.end, c.surface, c.label, keys[n], frozen[root(parent, n)])
           for c, n in zip(cleaned, member)]
    out.extend(_repeats(body, cleaned, member, groups, keys, frozen, parent))
    out.sort(key=lambda m: (m.start, m.end))
    return out


_WORDISH = re.compile(r"[\w'’\-]")
_CAP_WORD = re.compile(r"(?<![\w'’\-])[A-Z][\w'’\-]*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n\s*|[\"“‘]\s*)$")


def _repeats(body: str, cleaned, member, groups, keys, frozen, parent) -> list[ArticleMention]:
    """Mentions the model missed of a name the article already has: another occurrence of a surface of one of its
    entities, or of the surname of one of its people ("Wiesel" after "Elie Wiesel"), capitalised as written,
    standing alone (not inside a word or another mention). Their label is "" (no model label) and they cast no
    votes. A form two entities of the article share, a function word ("May") or a form shorter than three letters
    is left alone."""
    forms: dict[str, set[str]] = {}
    surnames: set[str] = set()
    seen = Counter(c.surface for c in cleaned)
    for c, n in zip(cleaned, member):
        r = root(parent, n)
        # one word: only a name the model found twice or more, or an acronym ("Film", "King" once: no)
        if " " in c.surface or seen[c.surface] >= 2 or (c.surface.isupper() and len(c.surface) >= 3):
            forms.setdefault(c.surface, set()).add(r)
        g = groups[r]
        if g["type"] == "PERSON" and len(g["tokens"]) >= 2:
            last = c.surface.split()[-1] if len(c.surface.split()) >= 2 else ""
            if last and last[:1].isupper() and last.casefold() == g["tokens"][-1]:
                forms.setdefault(last, set()).add(r)
                surnames.add(last)
    forms = {f: rs for f, rs in forms.items()
             if len(rs) == 1 and len(f) >= 3 and f.casefold() not in FUNCTION_CAPS and any(ch.isupper() for ch in f)}
    if not forms:
        return []
    # candidates by their first capitalised word: one pass over the body's capitalised words
    by_first: dict[str, list[str]] = {}
    for f in sorted(forms, key=len, reverse=True):
        m = _CAP_WORD.match(f)
        if m:
            by_first.setdefault(m.group(), []).append(f)
    taken = sorted((c.start, c.end) for c in cleaned)
    starts = [a for a, _ in taken]
    out: list[ArticleMention] = []
    for w in _CAP_WORD.finditer(body):
        a = w.start()
        f = next((f for f in by_first.get(w.group(), ()) if body.startswith(f, a)), None)
        if f is None:
            continue
        b = a + len(f)
        if b < len(body) and _WORDISH.match(body[b]) and not body.startswith(("'s", "’s"), b):
            continue
        if " " not in f and f not in surnames and _SENTENCE_START.search(body, max(0, a - 3), a):
            continue  # a capitalised word opening a sentence may be any word
        i = bisect.bisect_right(starts, a) - 1
        if (i >= 0 and taken[i][1] > a) or (i + 1 < len(taken) and taken[i + 1][0] < b):
            continue  # inside or across a mention the model found
        r = next(iter(forms[f]))
        out.append(ArticleMention(a, b, f, "", keys[r], frozen[root(parent, r)]))
        taken.insert(i + 1, (a, b))
        starts.insert(i + 1, a)
    return out


_HINT_WEIGHT = {"PERSON": PERSON_WORD, "ORG": ORG_WORD, "GPE": STRONG_PLACE}
_PAREN_BEFORE = re.compile(r"\s*\(\s*")


def _is_acronym(surface: str) -> bool:
    letters = surface.replace(".", "").replace("&", "")
    return 2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper()


def _letters_in_order(acronym: str, tokens: tuple[str, ...]) -> bool:
    """Every letter of the acronym starts a word of the long form, in order (words may be skipped:
    "OECD" = "Organisation for Economic Co-operation and Development")."""
    letters = acronym.replace(".", "").replace("&", "").casefold()
    if not letters or letters[0] != tokens[0][:1]:
        return False
    i = 0
    for t in tokens:
        if i < len(letters) and t[:1] == letters[i]:
            i += 1
    return i == len(letters)
