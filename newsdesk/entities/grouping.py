"""Grouping mentions into entities: the type and name a group gets, and which short names join fuller ones.

Shared by the article and the corpus steps. The type is the pinned one (alias table), else the majority of
the mentions' labels, ties broken by ``TYPE_TIE_ORDER`` (GPE before LOC before PERSON before ORG ...: the
small model over-predicts ORG for unknown capitalised strings, so a specific label beats it). The name is,
among the spellings: not shouting (a dateline's "WASHINGTON"), then used by the most articles, then most
mentions, then fewer hyphens ("Kim Jong Un" over "Kim Jong-un"), then alphabetical. A short name joins the
one maximal fuller name it starts or ends (:func:`join_short_names`).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from newsdesk.lexicon import ACRONYM_SKIP
from newsdesk.names import is_subname

__all__ = ["TYPE_TIE_ORDER", "settle_type", "best_spelling", "initials", "join_short_names", "root"]


TYPE_TIE_ORDER = ("GPE", "LOC", "PERSON", "ORG", "FAC", "NORP", "EVENT")


_TIE_RANK = {t: i for i, t in enumerate(TYPE_TIE_ORDER)}


def settle_type(votes: Mapping[str, int], pinned: str | None = None) -> str:
    if pinned:
        return pinned
    return min(votes, key=lambda t: (-votes[t], _TIE_RANK.get(t, 99), t))


def _shouty(name: str) -> bool:
    """All capitals and not an acronym ("WASHINGTON", "KIM JONG UN"; not "NATO", "KCNA")."""
    return name.isupper() and (" " in name.strip() or sum(c.isalpha() for c in name) > 6)


def best_spelling(counts: Mapping[str, int], articles: Mapping[str, int] | None = None) -> str:
    """Spelling for a set of variants of one name: not shouting (a dateline's "WASHINGTON"), then used by
    the most articles, then most mentions, then fewer hyphens ("Kim Jong Un" over "Kim Jong-un"), then
    alphabetical."""
    articles = articles or {}
    return min(counts, key=lambda n: (_shouty(n), -articles.get(n, 0), -counts[n], n.count("-"), n))


def initials(tokens: tuple[str, ...], skip: bool) -> str:
    return "".join(t[0] for t in tokens if t and not (skip and t in ACRONYM_SKIP))


def join_short_names(groups: Mapping[str, dict], fixed: Mapping[str, str] | None = None,
                      orgs: bool = False) -> dict[str, str]:
    """parent map for groups that are a sub-name of exactly one maximal fuller name of the same type.

    ``groups``: norm -> {"type", "tokens", optional "alias", optional "first"}. PERSON: any shorter name.
    With ``orgs`` (within an article only), also ORG/FAC/EVENT names of two or more words that first
    occur *after* the longer name ("the Asan Institute" after "the Asan Institute for Policy Studies",
    but not "United Nations" before "United Nations Security Council"). Groups in ``fixed`` and names
    from the alias table (their identity is settled) never get a parent.
    """
    # index every proper token prefix and suffix of every name: (type, tokens) -> names it starts/ends
    index: dict[tuple[str, tuple[str, ...]], set[str]] = defaultdict(set)
    for n, g in groups.items():
        toks = g["tokens"]
        for k in range(1, len(toks)):
            index[(g["type"], toks[:k])].add(n)
            index[(g["type"], toks[-k:])].add(n)
    parent: dict[str, str] = {}
    for n, g in groups.items():
        if (fixed and n in fixed) or g.get("alias"):
            continue
        typ, toks = g["type"], g["tokens"]
        if typ == "PERSON":
            cands = sorted(index.get((typ, toks), ()))
        elif orgs and typ in ("ORG", "FAC", "EVENT") and len(toks) >= 2:
            cands = sorted(c for c in index.get((typ, toks), ()) if groups[c]["first"] < g["first"])
        else:
            continue
        if not cands:
            continue
        # exactly one maximal candidate <=> the longest one is unique and contains all the others
        longest = max(cands, key=lambda c: len(groups[c]["tokens"]))
        lt = groups[longest]["tokens"]
        if all(c == longest or is_subname(groups[c]["tokens"], lt) for c in cands):
            parent[n] = longest
    return parent


def root(parent: Mapping[str, str], n: str) -> str:
    seen = set()
    while n in parent and n not in seen:
        seen.add(n)
        n = parent[n]
    return n
