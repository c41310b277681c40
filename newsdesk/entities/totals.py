"""What corpus resolution counts and reads: per-key totals from the workers, a name's totals, the committed rows.

Owns :class:`KeyStats` / :func:`key_stats` (what the workers send), :class:`Name` (a normalized name's
totals and its settled type), the ``entity_names`` columns (``NAME_COLUMNS``), the :class:`Lookup` protocol
through which a run reads committed rows, and :class:`Resolution`, what a run decided. The joins of names are
:mod:`newsdesk.entities.joins`; the decision itself, :func:`~newsdesk.entities.corpus.resolve_keys`, is
:mod:`newsdesk.entities.corpus`.

**What the workers send.** Per article-level key ``(name, type)``, a :class:`KeyStats` (built in the enrich worker
by :func:`key_stats`): mentions, articles, the type votes (``ArticleMention.votes``: model labels + the evidence
of newsdesk.entities.evidence, counted once per article, in thousandths so that sums are exact) and the acronym
forms the articles wrote for it. Never a mention. The worker stages them as a ``keys`` part
(:func:`key_stats_table`); the link step sums the run's parts in DuckDB (:func:`read_key_stats`), so only one
:class:`KeyStats` per distinct key of the run reaches the driver, and none travels as a task result.

**Names.** Keys cluster by normalized name (after the alias table; a user file can extend it). A name's
totals are what every run said about it: its spellings with their mention and article counts, its type votes,
its acronym forms. Its type is the alias table's when it pins one, else the settlement of its votes (ties by
``TYPE_TIE_ORDER``: GPE before LOC before PERSON before ORG ...).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import duckdb
import pyarrow as pa

from newsdesk.entities.aliases import load_aliases
from newsdesk.entities.article import ArticleMention, _is_acronym, _letters_in_order
from newsdesk.entities.grouping import settle_type
from newsdesk.names import norm_name
from newsdesk.staging import parquet_list

__all__ = ["KeyStats", "key_stats", "KEY_STATS_SCHEMA", "key_stats_table", "read_key_stats", "cluster_norms", "Name",
           "NAME_COLUMNS", "Lookup", "Resolution", "MILLI"]

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


_S = pa.string()
KEY_STATS_SCHEMA = pa.schema([("key_name", _S), ("key_type", _S), ("mentions", pa.int64()),
                              ("articles", pa.int64()), ("vote_types", pa.list_(_S)),
                              ("vote_weights", pa.list_(pa.int64())), ("acronyms", pa.list_(_S))])


def key_stats_table(stats: Mapping[tuple[str, str], KeyStats]) -> pa.Table:
    """A batch's key statistics as the rows the enrich worker stages (``keys`` parts), sorted by key."""
    keys = sorted(stats)
    votes = [sorted(stats[k].votes.items()) for k in keys]
    return pa.table({"key_name": [k[0] for k in keys], "key_type": [k[1] for k in keys],
                     "mentions": [stats[k].mentions for k in keys], "articles": [stats[k].articles for k in keys],
                     "vote_types": [[t for t, _ in v] for v in votes],
                     "vote_weights": [[w for _, w in v] for v in votes],
                     "acronyms": [sorted(stats[k].acronyms) for k in keys]}, schema=KEY_STATS_SCHEMA)


_KEY_STATS_SQL = """
WITH k AS (SELECT * FROM read_parquet({files})),
     tot AS (SELECT key_name, key_type, sum(mentions)::BIGINT AS mentions, sum(articles)::BIGINT AS articles
             FROM k GROUP BY ALL),
     v AS (SELECT key_name, key_type, t, sum(w)::BIGINT AS w
           FROM (SELECT key_name, key_type, unnest(vote_types) AS t, unnest(vote_weights) AS w FROM k) GROUP BY ALL),
     vl AS (SELECT key_name, key_type, list(t ORDER BY t) AS ts, list(w ORDER BY t) AS ws FROM v GROUP BY ALL),
     ac AS (SELECT key_name, key_type, list_sort(list(DISTINCT a)) AS acs
            FROM (SELECT key_name, key_type, unnest(acronyms) AS a FROM k) GROUP BY ALL)
SELECT tot.key_name, tot.key_type, tot.mentions, tot.articles, vl.ts, vl.ws, ac.acs
FROM tot LEFT JOIN vl USING (key_name, key_type) LEFT JOIN ac USING (key_name, key_type)
ORDER BY tot.key_name, tot.key_type
"""


def read_key_stats(files: Sequence[Path], memory_limit: str = "256MB") -> dict[tuple[str, str], KeyStats]:
    """The run's key statistics, summed over the staged ``keys`` parts by DuckDB (out of core): one
    :class:`KeyStats` per distinct key reaches Python, never a batch's copy of it."""
    out: dict[tuple[str, str], KeyStats] = {}
    if not files:
        return out
    listed = parquet_list(list(files))
    con = duckdb.connect(config={"memory_limit": memory_limit, "threads": 2})
    try:
        reader = con.sql(_KEY_STATS_SQL.format(files=listed)).fetch_record_batch(65_536)
        for batch in reader:
            cols = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
            for name, typ, m, a, ts, ws, acs in zip(*cols):
                out[(name, typ)] = KeyStats(mentions=m, articles=a, votes=dict(zip(ts or (), ws or ())),
                                            acronyms=set(acs or ()))
    finally:
        con.close()
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
