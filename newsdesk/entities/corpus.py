"""Corpus-level resolution: article keys -> corpus entities, the same whether a corpus arrives in one run or many.

**What the workers send.** Per article-level key ``(name, type)``, a :class:`KeyStats` (built in the enrich worker
by :func:`key_stats`): mentions, articles, the type votes (``ArticleMention.votes``: model labels + the evidence
of newsdesk.entities.evidence, counted once per article, in thousandths so that sums are exact) and the acronym
forms the articles wrote for it. Never a mention.

**Names.** Keys cluster by normalized name (after the alias table; a user file can extend it). A name's
totals are what every run said about it: its spellings with their mention and article counts, its type votes,
its acronym forms. Its type is the alias table's when it pins one, else the settlement of its votes (ties by
``TYPE_TIE_ORDER``: GPE before LOC before PERSON before ORG ...).

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

**Incremental = one run.** Every decision above is a function of the totals of a name and of the names it
can meet (names that share a *join key* with it: a first or last word of a person, an acronym or initials, a
school's place word), so a run recomputes exactly the names its new keys can change, from totals:

* the run's own names (new mentions) are *open*: their type, parent and entity are decided again from their
  totals (committed + new);
* a committed name that a new name could become the parent of, or a competitor for, is open too when it is
  the root of its entity (it may now join a new fuller name: its whole entity merges);
* every other committed name keeps its committed parent ("a committed join stays": a name whose mentions
  were committed in an entity never leaves it unless it has new mentions);
* the entities of all these names are recomputed (type, name) from their members' totals.

When a committed entity's (type, name) changes, or its root joins another entity, its id is *redirected* to the
new one (the ``entity_redirects`` table; the redirect rows are flattened: every id that pointed to the old one
points to the new one too, so one hop resolves). Committed rows never change: ``entity_mentions.entity_id`` and
``quotes.speaker_entity_id`` keep the id they were committed with, and the catalog views resolve them.

The one documented difference from one run over everything: a short name that joined the one fuller name of
its time ("Blair" -> "Tony Blair") and that a later article makes ambiguous ("Cherie Blair") keeps its
committed mentions in the fuller name's entity; its new mentions go to their own entity ("Blair"), as one run
would give them all.

:func:`resolve_keys` is the decision; the committed rows it needs come from a :class:`Lookup`
(newsdesk.entities.index.StoreLookup over the store's Parquet files; :class:`MemoryStore` in memory, which
:func:`resolve_corpus` uses for tests and benchmarks).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from newsdesk.entities.aliases import load_aliases
from newsdesk.entities.article import ArticleMention, _is_acronym, _letters_in_order
from newsdesk.entities.evidence import place_kind, place_spelling
from newsdesk.entities.grouping import (
    best_spelling, first_last, initials, join_middle_names, join_short_names, root, settle_type,
)
from newsdesk.fingerprint import short_hash
from newsdesk.names import name_tokens, norm_name

__all__ = ["KeyStats", "key_stats", "cluster_norms", "resolve_keys", "resolve_corpus", "Resolution",
           "MemoryStore", "Lookup", "NAME_COLUMNS"]

MILLI = 1000  # votes travel and are stored in thousandths: integer sums do not depend on their order


# ---------------------------------------------------------------------------------------------- worker side
@dataclass
class KeyStats:
    """What corpus resolution needs of an article-level key ``(name, type)`` over a set of articles: the
    workers send these, never the mentions."""

    mentions: int = 0
    articles: int = 0
    votes: dict = field(default_factory=dict)  # type -> thousandths of a vote, once per article
    acronyms: set = field(default_factory=set)  # normalized acronym surfaces the key's mentions were written as

    def add(self, other: KeyStats) -> None:
        self.mentions += other.mentions
        self.articles += other.articles
        for t, v in other.votes.items():
            self.votes[t] = self.votes.get(t, 0) + v
        self.acronyms |= other.acronyms


def key_stats(articles: Iterable[tuple[str, Sequence[ArticleMention]]]) -> dict[tuple[str, str], KeyStats]:
    """Per article key, over articles: mentions, articles (each once), the article's votes for the key (once
    per article; a mention without votes counts one for its key's type) and its acronym surfaces."""
    out: dict[tuple[str, str], KeyStats] = {}
    for _, ms in articles:
        seen: set[tuple[str, str]] = set()
        voted: set[tuple[str, str]] = set()
        for m in ms:
            s = out.get(m.key)
            if s is None:
                s = out[m.key] = KeyStats()
            s.mentions += 1
            if m.key not in seen:
                seen.add(m.key)
                s.articles += 1
            if m.votes:
                if m.key not in voted:
                    voted.add(m.key)
                    for t, v in m.votes:
                        s.votes[t] = s.votes.get(t, 0) + round(v * MILLI)
            else:
                s.votes[m.key[1]] = s.votes.get(m.key[1], 0) + MILLI
            if _is_acronym(m.surface):
                a = norm_name(m.surface)
                if a and a != norm_name(m.key[0]):
                    s.acronyms.add(a)
    return out


def cluster_norms(keys: Iterable[tuple[str, str]], aliases_path: Path | str | None = None) -> dict[tuple[str, str], str]:
    """Each key's cluster: its normalized name after the alias table."""
    aliases = load_aliases(aliases_path)
    out = {}
    for name, typ in keys:
        n = norm_name(name)
        a = aliases.get(n)
        out[(name, typ)] = norm_name(a.canonical) if a else n
    return out


# ---------------------------------------------------------------------------------------------- names
def _sorted(items: Iterable[str]) -> list[str]:
    out = list(items)
    if len(out) > 1:
        out.sort()
    return out


def _add(d: dict, k, v) -> None:
    d[k] = d.get(k, 0) + v


class Name:
    """A normalized name's totals (committed rows + the run's keys) and its place in the joins."""

    __slots__ = ("norm", "tokens", "alias", "pinned", "names", "name_articles", "votes", "acronyms", "mentions",
                 "articles", "type", "committed_entity", "committed_parent", "stored_parent_keys")

    def __init__(self, norm: str, tokens: tuple[str, ...], alias: str | None = None, pinned: str | None = None):
        self.norm, self.tokens, self.alias, self.pinned = norm, tokens, alias, pinned
        self.names: dict[str, int] = {}  # spelling -> mentions
        self.name_articles: dict[str, int] = {}  # spelling -> articles
        self.votes: dict[str, int] = {}  # type -> thousandths
        self.acronyms: set[str] = set()
        self.mentions = self.articles = 0
        self.type = ""
        # committed state (None for a name the store has never seen)
        self.committed_entity: str | None = None  # current id of the entity its latest committed mentions are in
        self.committed_parent: str | None = None  # its direct parent when its latest mentions were committed
        self.stored_parent_keys: set[str] = set()  # join keys its committed rows were found by

    def add_stats(self, spelling: str, typ: str, st: KeyStats) -> None:
        _add(self.names, spelling, st.mentions)
        _add(self.name_articles, spelling, st.articles)
        if st.votes:
            for t, v in st.votes.items():
                _add(self.votes, t, v)
        else:  # counts without votes (hand-built stats): one vote per mention for the key's type
            _add(self.votes, typ, st.mentions * MILLI)
        if st.acronyms:
            self.acronyms |= st.acronyms
        self.mentions += st.mentions
        self.articles += st.articles

    def add_row(self, r: Mapping) -> None:
        for sp, m, a in zip(r["spellings"], r["spelling_mentions"], r["spelling_articles"]):
            _add(self.names, sp, m)
            _add(self.name_articles, sp, a)
        for t, v in zip(r["vote_types"], r["vote_weights"]):
            _add(self.votes, t, v)
        if r["acronyms"]:
            self.acronyms |= set(r["acronyms"])
        self.mentions += r["mentions"]
        self.articles += r["articles"]
        self.stored_parent_keys |= set(r["parent_keys"] or ())

    def settle(self) -> None:
        self.type = settle_type(self.votes, self.pinned) if (self.votes or self.pinned) else "ORG"
        if self.acronyms:
            self.acronyms = {a for a in self.acronyms if len(self.tokens) >= 2 and _letters_in_order(a, self.tokens)}


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


# ---------------------------------------------------------------------------------------------- the store side
NAME_COLUMNS = ("name_key", "run_id", "version", "entity_id", "parent_key", "mentions", "articles", "spellings",
                "spelling_mentions", "spelling_articles", "vote_types", "vote_weights", "acronyms", "parent_keys",
                "child_keys")


class Lookup(Protocol):
    """The committed rows a run's resolution reads (only those its names can meet)."""

    def names_by_key(self, name_keys: Iterable[str]) -> list[dict]:
        """Every ``entity_names`` row of these names."""

    def names_by_join_keys(self, parent_keys: Iterable[str], child_keys: Iterable[str]) -> list[dict]:
        """Every ``entity_names`` row of the names that have a row whose parent_keys meet ``parent_keys`` or whose
        child_keys meet ``child_keys``."""

    def names_of_entities(self, entity_ids: Iterable[str]) -> list[dict]:
        """Every ``entity_names`` row of the names whose latest row's entity currently is one of ``entity_ids``."""

    def current(self, entity_ids: Iterable[str]) -> dict[str, str]:
        """entity_id -> its current id, for those of ``entity_ids`` that have a redirect."""

    def pointing_to(self, entity_ids: Iterable[str]) -> dict[str, str]:
        """Every other id whose current id is one of ``entity_ids`` -> that id."""

    def registry(self, entity_ids: Iterable[str]) -> dict[str, dict]:
        """``entities`` rows of these ids."""


class _Empty:
    def names_by_key(self, name_keys): return []
    def names_by_join_keys(self, parent_keys, child_keys): return []
    def names_of_entities(self, entity_ids): return []
    def current(self, entity_ids): return {}
    def pointing_to(self, entity_ids): return {}
    def registry(self, entity_ids): return {}


@dataclass
class Resolution:
    """What a run's resolution decided: the run's keys' entity ids and the rows it appends."""

    keymap: dict[tuple[str, str], str]  # article key -> entity id
    entities: dict[str, tuple[str, str]]  # new registry rows: entity_id -> (name, type)
    redirects: dict[str, tuple[str, str]]  # entity_id -> (redirect_to, change)
    names: list[dict]  # new entity_names rows
    current: dict[str, tuple[str, str]]  # every entity the run decided (current after it): id -> (name, type)
    committed_loaded: int = 0  # committed names read

    @property
    def redirected(self) -> set[str]:
        return {e for e, (t, _) in self.redirects.items() if t != e}


class _Loaded:
    """The names a resolution has read: totals, committed rows, committed state."""

    def __init__(self, aliases: Mapping):
        self.aliases = aliases
        self.names: dict[str, Name] = {}
        self.rows: dict[str, list[dict]] = defaultdict(list)
        self.seen: set[tuple[str, str]] = set()

    def name(self, n: str) -> Name:
        c = self.names.get(n)
        if c is None:
            a = self.aliases.get(n)
            own = a is not None and norm_name(a.canonical) == n
            c = self.names[n] = Name(n, name_tokens(n), alias=a.canonical if own else None,
                                     pinned=a.type if own else None)
        return c

    def ingest(self, rows: Iterable[Mapping]) -> set[str]:
        """Add committed rows (each once) to their names' totals; returns the names that got rows."""
        got = set()
        for r in rows:
            k = (r["name_key"], r["run_id"])
            if k in self.seen:
                continue
            self.seen.add(k)
            self.rows[r["name_key"]].append(dict(r))
            self.name(r["name_key"]).add_row(r)
            got.add(r["name_key"])
        for n in got:
            self.names[n].settle()
        return got

    def committed_state(self, lookup: Lookup) -> None:
        """Each committed name's current entity (its latest row's, through redirects) and direct parent."""
        latest = {n: max(rs, key=lambda r: (r["version"], r["run_id"])) for n, rs in self.rows.items()}
        cur = lookup.current(sorted({r["entity_id"] for r in latest.values()}))
        for n, r in latest.items():
            c = self.names[n]
            c.committed_entity = cur.get(r["entity_id"], r["entity_id"])
            c.committed_parent = r["parent_key"]

    def committed_entities(self) -> list[str]:
        return sorted({c.committed_entity for c in self.names.values() if c.committed_entity})


def _is_root(c: Name, registry: Mapping[str, Mapping]) -> bool:
    row = registry.get(c.committed_entity or "")
    return row is not None and row["name_key"] == c.norm


def _committed_parent(c: Name, registry: Mapping[str, Mapping], names: Mapping[str, Name]) -> str | None:
    """A committed name's parent: the one its latest row records, else (a root then) the root of the entity its
    entity was merged into since."""
    if c.committed_parent and c.committed_parent in names:
        return c.committed_parent
    row = registry.get(c.committed_entity or "")
    if row is not None and row["name_key"] != c.norm and row["name_key"] in names:
        return row["name_key"]
    return None


def resolve_keys(stats: Mapping[tuple[str, str], KeyStats], lookup: Lookup | None = None, *, run_id: str = "",
                 version: int = 1, aliases_path: Path | str | None = None) -> Resolution:
    """Decide the entity of each article key of a run (see the module doc), against the committed rows that
    ``lookup`` gives (only those the run's names can meet); returns the rows the run appends."""
    lookup = lookup or _Empty()
    L = _Loaded(load_aliases(aliases_path))
    new_keys: dict[str, list] = {}
    owner: dict[tuple[str, str], str] = {}
    for key in sorted(stats):
        st = stats[key]
        spelling, typ = key
        n = norm_name(spelling)
        a = L.aliases.get(n)
        if a:
            spelling, n = a.canonical, norm_name(a.canonical)
        L.name(n).add_stats(spelling, typ, st)
        new_keys.setdefault(n, []).append((spelling, typ, st))
        owner[key] = n
    run_names = set(new_keys)

    # 1. the run's names: committed totals + new
    L.ingest(lookup.names_by_key(sorted(run_names)))
    for n in run_names:
        L.names[n].settle()
    # 2. names a run's name may join (its candidates), and committed names a run's name may now be the parent
    #    of or compete for (their join keys meet the run's parent keys, old types' keys included)
    want_parents: set[str] = set()
    run_parent_keys: set[str] = set()
    keys_of: dict[str, tuple[set[str], set[str]]] = {}
    for n in run_names:
        c = L.names[n]
        keys_of[n] = pk, ck = parent_keys(c.tokens, c.type, c.acronyms), child_keys(c.tokens)
        want_parents |= ck
        run_parent_keys |= pk | c.stored_parent_keys
    got2 = L.ingest(lookup.names_by_join_keys(sorted(want_parents), sorted(run_parent_keys)))
    L.committed_state(lookup)
    registry = lookup.registry(L.committed_entities())
    # committed roots that a run's name may now be the parent of: open (their entity may merge into it)
    opened = {n for n in got2 - run_names
              if child_keys(L.names[n].tokens) & run_parent_keys and _is_root(L.names[n], registry)}
    # 3. the candidates of the opened names
    want3 = set().union(*(child_keys(L.names[n].tokens) for n in opened)) - want_parents if opened else set()
    if want3:
        L.ingest(lookup.names_by_join_keys(sorted(want3), ()))
    # 4. every member of the committed entities met (their totals make the entities' types)
    L.committed_state(lookup)
    if L.committed_entities():
        L.ingest(lookup.names_of_entities(L.committed_entities()))
        L.committed_state(lookup)
    ents = L.committed_entities()
    registry = lookup.registry(ents)

    names = L.names
    open_names = run_names | opened
    fixed = {n: _committed_parent(c, registry, names) for n, c in names.items()
             if n not in open_names and c.committed_entity is not None}
    parent = join_names(names, fixed)
    entities = settle_entities(names, parent)
    eid_of_root = {r: short_hash(t, nm) for r, (nm, t) in entities.items()}

    def eid(n: str) -> str:
        return eid_of_root[root(parent, n)]

    # committed entities whose root now has another (type, name), or joined another entity: redirected
    redirects: dict[str, tuple[str, str]] = {}
    for x in ents:
        row = registry.get(x)
        if row is None or row["name_key"] not in names:
            continue
        succ = eid(row["name_key"])
        if succ != x:
            r = root(parent, row["name_key"])
            change = "merged" if r != row["name_key"] else ("retyped" if entities[r][1] != row["type"] else "renamed")
            redirects[x] = (succ, change)
    applied = {eid(n) for n in run_names} | {t for t, _ in redirects.values()}
    known = lookup.registry(sorted(applied))
    cur = lookup.current(sorted(applied))
    for e in sorted(applied):  # an id that was redirected and is current again
        if cur.get(e, e) != e and e not in redirects:
            redirects[e] = (e, "restored")
    moved = {x: t for x, (t, _) in redirects.items() if t != x}
    if moved:  # flattened: whatever pointed to a moved id points to its new id
        for other, target in sorted(lookup.pointing_to(sorted(moved)).items()):
            if other not in redirects and target in moved:
                redirects[other] = (moved[target], redirects[target][1])
    current = {eid_of_root[r]: v for r, v in entities.items() if eid_of_root[r] in applied}
    new_entities = {e: current[e] for e in sorted(applied) if e not in known}

    rows = []
    for n in sorted(run_names):
        c = names[n]
        if n in L.rows:  # committed before: the run's own counts
            s = Name(n, c.tokens)
            for spelling, typ, st in new_keys[n]:
                s.add_stats(spelling, typ, st)
        else:
            s = c
        sp = _sorted(s.names)
        vt = _sorted(t for t, v in s.votes.items() if v)
        pk, ck = keys_of[n]
        rows.append({"name_key": n, "run_id": run_id, "version": version, "entity_id": eid(n),
                     "parent_key": parent.get(n), "mentions": s.mentions, "articles": s.articles,
                     "spellings": sp, "spelling_mentions": [s.names[x] for x in sp],
                     "spelling_articles": [s.name_articles[x] for x in sp],
                     "vote_types": vt, "vote_weights": [s.votes[t] for t in vt],
                     "acronyms": _sorted(a for a in s.acronyms if a in c.acronyms) if s.acronyms else [],
                     "parent_keys": _sorted(pk), "child_keys": _sorted(ck)})
    return Resolution(keymap={k: eid(n) for k, n in owner.items()}, entities=new_entities, redirects=redirects,
                      names=rows, current=current,
                      committed_loaded=sum(1 for c in names.values() if c.committed_entity))


# ---------------------------------------------------------------------------------------------- in memory
class MemoryStore:
    """The entity tables of a store held in memory: what each run appends (``entities`` registry,
    ``entity_names``, ``entity_redirects``, ``entity_mentions``) and what the catalog views read back (current
    entities with their counts, mentions resolved through redirects). A :class:`Lookup` over itself, for tests
    and benchmarks; the pipeline does the same over Parquet files (newsdesk.entities.index, newsdesk.link)."""

    def __init__(self, aliases_path: Path | str | None = None):
        self.aliases_path = aliases_path
        self.registry_rows: dict[str, dict] = {}
        self.name_rows: list[dict] = []
        self.redirect_rows: list[dict] = []
        self.mention_rows: list[dict] = []
        self.version = 0

    # --- Lookup
    def names_by_key(self, name_keys):
        ks = set(name_keys)
        return [r for r in self.name_rows if r["name_key"] in ks]

    def names_by_join_keys(self, parent_keys, child_keys):
        pk, ck = set(parent_keys), set(child_keys)
        hit = {r["name_key"] for r in self.name_rows if pk & set(r["parent_keys"]) or ck & set(r["child_keys"])}
        return [r for r in self.name_rows if r["name_key"] in hit]

    def _targets(self) -> dict[str, str]:
        latest: dict[str, dict] = {}
        for r in self.redirect_rows:
            if r["entity_id"] not in latest or r["version"] > latest[r["entity_id"]]["version"]:
                latest[r["entity_id"]] = r
        return {e: r["redirect_to"] for e, r in latest.items()}

    def current(self, entity_ids):
        t = self._targets()
        return {e: t[e] for e in entity_ids if e in t}

    def pointing_to(self, entity_ids):
        s = set(entity_ids)
        return {e: t for e, t in self._targets().items() if t in s and e != t}

    def names_of_entities(self, entity_ids):
        s, t = set(entity_ids), self._targets()
        latest: dict[str, dict] = {}
        for r in self.name_rows:
            if r["name_key"] not in latest or (r["version"], r["run_id"]) > (latest[r["name_key"]]["version"],
                                                                            latest[r["name_key"]]["run_id"]):
                latest[r["name_key"]] = r
        hit = {n for n, r in latest.items() if t.get(r["entity_id"], r["entity_id"]) in s}
        return [r for r in self.name_rows if r["name_key"] in hit]

    def registry(self, entity_ids):
        return {e: self.registry_rows[e] for e in entity_ids if e in self.registry_rows}

    # --- runs
    def add(self, articles: Sequence[tuple[str, Sequence[ArticleMention]]], run_id: str | None = None
            ) -> tuple[Resolution, list[dict]]:
        """One run over ``articles`` (not yet in the store): resolve, append; returns the resolution and the
        run's mention rows (with the ids they are committed with)."""
        mentions: dict[tuple[str, int, int], ArticleMention] = {}
        for article_id, ms in articles:  # one mention per (article_id, start, end); deterministic on repeats
            for m in ms:
                k = (article_id, m.start, m.end)
                if k not in mentions or (m.key, m.surface, m.label) < (mentions[k].key, mentions[k].surface,
                                                                        mentions[k].label):
                    mentions[k] = m
        by_article: dict[str, list[ArticleMention]] = defaultdict(list)
        for (aid, _, _), m in sorted(mentions.items()):
            by_article[aid].append(m)
        self.version += 1
        run_id = run_id or f"run{self.version:06d}"
        res = resolve_keys(key_stats(by_article.items()), self, run_id=run_id, version=self.version,
                           aliases_path=self.aliases_path)
        for e, (name, typ) in res.entities.items():
            self.registry_rows[e] = {"entity_id": e, "name": name, "type": typ, "name_key": norm_name(name),
                                     "run_id": run_id}
        self.name_rows += res.names
        self.redirect_rows += [{"entity_id": e, "redirect_to": t, "change": why, "run_id": run_id,
                                "version": self.version} for e, (t, why) in sorted(res.redirects.items())]
        rows = [{"article_id": k[0], "entity_id": res.keymap[m.key], "surface": m.surface, "start": m.start,
                 "end": m.end} for k, m in sorted(mentions.items())]
        self.mention_rows += rows
        return res, rows

    # --- the catalog views
    def resolve(self, entity_id: str | None) -> str | None:
        return self._targets().get(entity_id, entity_id) if entity_id else entity_id

    def mentions(self) -> list[dict]:
        """entity_mentions as the catalog view gives them: ids resolved through redirects."""
        t = self._targets()
        return sorted(({**m, "entity_id": t.get(m["entity_id"], m["entity_id"])} for m in self.mention_rows),
                      key=lambda r: (r["article_id"], r["start"], r["end"]))

    def entities(self) -> list[dict]:
        """The current entities (not redirected) with aliases and counts over the resolved mentions."""
        t = self._targets()
        stats: dict[str, dict[str, Any]] = defaultdict(lambda: {"articles": set(), "mentions": 0, "surfaces": set()})
        for m in self.mention_rows:
            s = stats[t.get(m["entity_id"], m["entity_id"])]
            s["articles"].add(m["article_id"])
            s["mentions"] += 1
            s["surfaces"].add(m["surface"])
        out = []
        for e in sorted(self.registry_rows):
            if t.get(e, e) != e:
                continue
            r, s = self.registry_rows[e], stats[e]
            out.append({"entity_id": e, "name": r["name"], "type": r["type"], "aliases": sorted(s["surfaces"]),
                        "article_count": len(s["articles"]), "mention_count": s["mentions"]})
        return out


def resolve_corpus(articles: Sequence[tuple[str, Sequence[ArticleMention]]], store: MemoryStore | None = None,
                   aliases_path: Path | str | None = None) -> tuple[list[dict], list[dict]]:
    """Resolve article keys to corpus entities in memory: one run of :func:`resolve_keys` over ``articles``
    (added to ``store`` when given: an incremental run), for tests and benchmarks.

    Returns ``(the current entities of the whole store (entity_id, name, type, aliases, article_count,
    mention_count), sorted by entity_id; mention rows for the given articles with their current ids, sorted by
    article_id, start)``.
    """
    store = store if store is not None else MemoryStore(aliases_path)
    _, rows = store.add(articles)
    rows = [{**r, "entity_id": store.resolve(r["entity_id"])} for r in rows]
    return store.entities(), rows
