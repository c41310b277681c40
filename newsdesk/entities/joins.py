"""The joins of names across articles: which names can meet, which name each one joins, an entity's type and name.

Owns the join keys (:func:`child_keys`, :func:`parent_keys`: two names can join only when they share one, and a
run reads committed names by them), :func:`join_names` (the parent map over a set of names, the joins below)
and :func:`settle_entities` (each entity's name and type from its members' totals). Names and their totals are
:mod:`newsdesk.entities.totals`; which names are open in a run is :mod:`newsdesk.entities.corpus`.

**Joins**, in this order (issue 11); a name joins another, its *parent*, and an entity is a root name with
everything that joined it:

1. a PERSON name with middle names or initials joins the plain first-and-last form when it is the only longer
   variant of it ("Martin E. Dempsey" -> "Martin Dempsey"; not "Donald Trump Jr."; not "George W. Bush" when
   "George H. W. Bush" is there too);
2. a short PERSON name that ends exactly one fuller PERSON name, or a one-word one that starts it, joins it
   ("Putin" -> "Vladimir Putin"); ambiguous ones ("Kim" with both "Kim Jong Un" and "Kim Yo Jong") stay apart;
3. an acronym joins the one long form that articles linked it to ("FDA" resolved to "Food and Drug
   Administration" in an article that gave both), else, three letters or more, the one ORG name with those
   initials; a one-word ORG name joins its one "X University" / "University of X", else its one "X College"
   ("Harvard"; never a city, nor a surname); a one-word name the model typed as a place (or with some PERSON votes) that
   no gazetteer knows joins the one PERSON name it ends ("Lutuli" -> "Albert Lutuli").

(Organisations are not otherwise joined across articles: "United Nations" / "United Nations Security Council";
"University of Alabama" never joins "Alabama".) An entity's type is the settlement of the votes of its root and
of the names that joined it with the same type (a short name of another type brings its articles, not its
votes); its name is the alias table's canonical name, else the root's best spelling: not shouting (a
dateline's "WASHINGTON"), then used by the most articles, then most mentions, then fewer hyphens, then
alphabetical. ``entity_id = newsdesk.fingerprint.short_hash(type, name)``.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from newsdesk.entities.article import _is_acronym
from newsdesk.entities.evidence import place_kind, place_spelling
from newsdesk.entities.grouping import (
    best_spelling, first_last, initials, join_middle_names, join_short_names, root, settle_type,
)
from newsdesk.entities.totals import Name, _add

__all__ = ["child_keys", "parent_keys", "join_names", "settle_entities"]


_SCHOOL_WORDS = frozenset({"university", "college"})


def _school_place(tokens: tuple[str, ...]) -> str | None:
    """"harvard" of "harvard university" / "university of harvard"."""
    if len(tokens) == 2 and tokens[1] in _SCHOOL_WORDS:
        return tokens[0]
    if len(tokens) == 3 and tokens[0] in _SCHOOL_WORDS and tokens[1] == "of":
        return tokens[2]
    return None


def child_keys(tokens: tuple[str, ...]) -> set[str]:
    """Join keys by which a name finds the names it may join (its candidates share one): a one-word name any
    name starting or ending with it, an acronym, a school; a longer name the people ending with its last word."""
    if len(tokens) == 1:
        t = tokens[0]
        return {"w:" + t, "a:" + t, "s:" + t}
    out = {"w:" + tokens[-1]}
    fl = first_last(tokens)
    if fl:
        out.add("w:" + fl[1])
    return out


def parent_keys(tokens: tuple[str, ...], typ: str, acronyms: Iterable[str] = ()) -> set[str]:
    """Join keys by which shorter names find this one: a person's first and last words, an organisation's
    initials and the acronyms articles gave it, a school's place word."""
    if len(tokens) < 2:
        return set()
    if typ == "PERSON":
        out = {"w:" + tokens[0], "w:" + tokens[-1]}
        fl = first_last(tokens)
        if fl:
            out.add("w:" + fl[1])
        return out
    out = {"a:" + initials(tokens, True), "a:" + initials(tokens, False)} | {"a:" + a for a in acronyms}
    school = _school_place(tokens) if typ == "ORG" else None
    if school:
        out.add("s:" + school)
    return out


def _is_middle_child(names: Mapping[str, Name], n: str, p: str) -> bool:
    """True when ``p`` is the plain first-and-last form of ``n`` (how join 1 links them)."""
    a, b = names.get(n), names.get(p)
    return (a is not None and b is not None and a.type == b.type == "PERSON" and len(b.tokens) == 2
            and len(a.tokens) > 2 and first_last(a.tokens) == b.tokens)


def join_names(names: Mapping[str, Name], fixed: Mapping[str, str | None]) -> dict[str, str]:
    """The parent map over ``names`` (see the module doc's joins). ``fixed``: names whose parent is settled
    (committed), with that parent (None: a root); only the others are decided here."""
    parent: dict[str, str] = {n: p for n, p in fixed.items() if p and p != n and p in names}
    frozen = {n: n for n in fixed}
    pool = {n: {"type": c.type, "tokens": c.tokens, "alias": c.alias} for n, c in names.items()}
    parent.update(join_middle_names(pool, frozen))
    middle = {n for n, p in parent.items() if _is_middle_child(names, n, p)}
    pool2 = {n: g for n, g in pool.items() if n not in middle}
    frozen2 = {**frozen, **{n: n for n in parent}}
    parent.update(join_short_names(pool2, frozen2))
    parent.update(_join_acronyms_and_surnames(names, parent, fixed))
    return parent


def _join_acronyms_and_surnames(names: Mapping[str, Name], parent: Mapping[str, str],
                                fixed: Mapping[str, str | None]) -> dict[str, str]:
    """Parents for short names the person joins leave alone (join 3 of the module doc):

    * an acronym ("FDA") joins the one longer non-PERSON name that some article gave it as a short form, else,
      for three letters or more, the one ORG name with those initials;
    * a one-word ORG name joins its one "X University" / "University of X" (else its one "X College");
    * a one-word name the model did not call PERSON ("Lutuli" as GPE, no gazetteer place, no alias) joins the
      one PERSON name that ends with it, when the name has any PERSON vote or is typed as a place.
    """
    out: dict[str, str] = {}
    long_by_surface: dict[str, set[str]] = defaultdict(set)
    by_initials: dict[str, set[str]] = defaultdict(set)
    last_of_person: dict[str, set[str]] = defaultdict(set)
    schools: dict[str, set[str]] = defaultdict(set)
    for n, c in names.items():
        t = c.tokens
        if len(t) < 2:
            continue
        if c.type == "PERSON":
            last_of_person[t[-1]].add(n)
            continue
        if c.type == "ORG":
            school = _school_place(t)
            if school:
                schools[school].add(n)
            by_initials[initials(t, True)].add(n)
            by_initials[initials(t, False)].add(n)
        for a in c.acronyms:
            long_by_surface[a].add(n)
    for n in sorted(names):
        c = names[n]
        if n in fixed or n in parent or c.alias or len(c.tokens) != 1:
            continue
        display = best_spelling(c.names)
        if c.type != "PERSON" and _is_acronym(display):
            cands = long_by_surface.get(n) or (by_initials.get(n, set()) if len(n) >= 3 else set())
            if len(cands) == 1:
                out[n] = next(iter(cands))
                continue
        school = _one_school(schools.get(n, ()), names)
        if c.type == "ORG" and school and place_kind(display) in (None, "weak") \
                and n not in last_of_person and not c.votes.get("PERSON"):
            # "Harvard" -> "Harvard University" (not "Glasgow", a city, -> "University of Glasgow")
            out[n] = school
            continue
        if c.type != "PERSON" and not place_kind(display) and (c.type in ("GPE", "LOC") or c.votes.get("PERSON", 0) > 0):
            cands = last_of_person.get(n, set())
            if len(cands) == 1:
                out[n] = next(iter(cands))
    return out


def _one_school(forms: Iterable[str], names: Mapping[str, Name]) -> str | None:
    """The school a one-word name stands for: its one university form ("Harvard University" over "Harvard
    College"), else its one college form."""
    forms = sorted(forms)
    univ = [f for f in forms if "university" in names[f].tokens]
    pick = univ if univ else forms
    return pick[0] if len(pick) == 1 else None


def settle_entities(names: Mapping[str, Name], parent: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """root name -> the entity's (name, type): the root's spelling, the votes of the root and of the names
    that joined it with the same type."""
    joined: dict[str, list[str]] = {}
    for n in names:
        r = root(parent, n) if n in parent else n
        if r != n and names[n].type == names[r].type:
            joined.setdefault(r, []).append(n)
        elif r == n:
            joined.setdefault(r, [])
    out = {}
    for r, more in joined.items():
        c = names[r]
        v = c.votes
        if more:
            v = dict(v)
            for n in sorted(more):
                for t, w in names[n].votes.items():
                    _add(v, t, w)
        typ = settle_type(v, c.pinned) if (v or c.pinned) else c.type
        name = c.alias or best_spelling(c.names, c.name_articles)
        if typ in ("GPE", "LOC") and not c.alias:
            name = place_spelling(name)
        out[r] = (name, typ)
    return out
