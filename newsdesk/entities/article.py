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
Agency). The key is ``(name, type)``: the fullest name's spelling (see newsdesk.entities.grouping) and the majority type.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsdesk.entities.aliases import load_aliases
from newsdesk.entities.grouping import best_spelling, initials, join_short_names, root, settle_type
from newsdesk.entities.mentions import clean_spans
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
                             "tokens": name_tokens(n), "first": c.start}
        if a:
            g["alias"] = a.canonical
            g["pinned"] = g["pinned"] or a.type
            g["names"][a.canonical] += 1
        else:
            g["names"][c.name] += 1
        g["votes"][c.label] += 1
        member.append(n)
    for g in groups.values():
        g["type"] = settle_type(g["votes"], g["pinned"])
    parent = join_short_names(groups, orgs=True)
    # a lone surname the model mislabelled ("Scholz" as GPE) joins the one PERSON of the article it ends
    # or starts; never a name of the alias table
    people = [m for m, h in groups.items() if h["type"] == "PERSON" and len(h["tokens"]) >= 2]
    for n, g in groups.items():
        if n in parent or g["type"] == "PERSON" or g["alias"] or len(g["tokens"]) != 1 or not people:
            continue
        cands = [m for m in people if is_subname(g["tokens"], groups[m]["tokens"])]
        if len(cands) == 1:
            parent[n] = cands[0]
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
    for n in groups:
        r = root(parent, n)
        g = groups[r]
        name = g["alias"] or best_spelling(g["names"])
        keys[n] = (name, g["type"])
    return [ArticleMention(c.start, c.end, c.surface, c.label, keys[n]) for c, n in zip(cleaned, member)]
