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

__all__ = ["TYPE_TIE_ORDER", "settle_type", "best_spelling", "initials", "join_short_names", "join_middle_names",
           "root"]


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
    but not "United Nations" before "United Nations Security Council"), and a one-word ORG name that starts
    the one name written before it with a legal form (``"legal"``: "Burlington" after "Burlington Industries
    Inc"; not "Apple" after "Apple Music"). Groups in ``fixed`` and names from the alias table (their identity is
    settled) never get a parent.
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
            # a one-word name may start a fuller one ("Kim" of "Kim Jong Un"); longer ones only end it ("Jeb Bush"
            # is not "Jeb Bush Super", a cut "Jeb Bush Super PAC")
            cands = sorted(c for c in index.get((typ, toks), ())
                           if len(toks) == 1 or groups[c]["tokens"][-len(toks):] == toks)
        elif orgs and typ in ("ORG", "FAC", "EVENT") and len(toks) >= 2:
            cands = sorted(c for c in index.get((typ, toks), ()) if groups[c]["first"] < g["first"])
        elif orgs and typ == "ORG":  # "Burlington" after "Burlington Industries Inc": a company's short name
            cands = sorted(c for c in index.get((typ, toks), ()) if groups[c]["first"] < g["first"]
                           and groups[c].get("legal") and groups[c]["tokens"][0] == toks[0])
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


def _name_suffixes() -> frozenset[str]:
    from nameparser.config import CONSTANTS
    # degrees and honours only: a generational suffix names another person ("Donald Trump Jr.")
    return (frozenset(CONSTANTS.suffix_acronyms) | frozenset(CONSTANTS.suffix_not_acronyms)) - _GENERATIONAL


_GENERATIONAL = frozenset({"jr", "sr", "ii", "iii", "iv", "v", "2nd", "3rd"})


_SUFFIXES: list[frozenset[str]] = []


def first_last(tokens: tuple[str, ...]) -> tuple[str, str] | None:
    """(first, last) word of a person's normalized name, a degree or honour suffix left out (nameparser's
    suffixes, not "jr" / "iii", which name another person): ("richard", "dawkins") for "richard dawkins frs"."""
    if not _SUFFIXES:
        _SUFFIXES.append(_name_suffixes())
    toks = list(tokens)
    while len(toks) > 2 and toks[-1] in _SUFFIXES[0]:
        toks.pop()
    return (toks[0], toks[-1]) if len(toks) >= 2 else None


def join_middle_names(groups: Mapping[str, dict], fixed: Mapping[str, str] | None = None) -> dict[str, str]:
    """parent map: a PERSON name with middle names or initials ("Martin E. Dempsey", "Marvin Lee Minsky",
    "Donald J. Trump") joins the plain first-and-last form ("Martin Dempsey") when that form exists and it
    is the only longer variant of it ("George Bush" with both "George W. Bush" and "George H. W. Bush": none
    joins). Names from the alias table and ``fixed`` groups never get a parent."""
    plain: dict[tuple[str, str], str] = {}
    longer: dict[tuple[str, str], list[str]] = defaultdict(list)
    for n, g in groups.items():
        if g["type"] != "PERSON":
            continue
        fl = first_last(g["tokens"])
        if not fl:
            continue
        if len(g["tokens"]) == 2:
            plain[fl] = n
        else:
            longer[fl].append(n)
    parent: dict[str, str] = {}
    for fl, ns in longer.items():
        if fl in plain and len(ns) == 1 and not (fixed and ns[0] in fixed) and not groups[ns[0]].get("alias"):
            parent[ns[0]] = plain[fl]
    return parent
