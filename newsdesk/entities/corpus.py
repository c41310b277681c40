"""Corpus-level resolution: article keys -> corpus entities, the same whether a corpus arrives in one run or many.

Owns the entry points: :func:`resolve_keys` (a run's decision: which names are open, their joins, the entity
ids, the redirects and the rows the run appends) and :func:`resolve_corpus` / :class:`MemoryStore` (the same in
memory). What it decides from is :mod:`newsdesk.entities.totals` (what the workers send, a name's totals, the
committed rows) and :mod:`newsdesk.entities.joins` (the joins of names, an entity's type and name).

**Incremental = one run.** Every decision (a name's type, its joins, an entity's type and name) is a function
of the totals of a name and of the names it can meet (names that share a *join key* with it: a first or last
word of a person, an acronym or initials, a school's place word), so a run recomputes exactly the names its
new keys can change, from totals:

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
from pathlib import Path
from typing import Any

from newsdesk.entities.aliases import load_aliases
from newsdesk.entities.article import ArticleMention
from newsdesk.entities.grouping import root
from newsdesk.entities.joins import child_keys, join_names, parent_keys, settle_entities
from newsdesk.entities.totals import (
    NAME_COLUMNS, KeyStats, Lookup, Name, Resolution, _Empty, _sorted, cluster_norms, key_stats,
)
from newsdesk.fingerprint import short_hash
from newsdesk.names import name_tokens, norm_name

__all__ = ["KeyStats", "key_stats", "cluster_norms", "resolve_keys", "resolve_corpus", "Resolution",
           "MemoryStore", "Lookup", "NAME_COLUMNS"]


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
