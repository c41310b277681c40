"""Corpus-level resolution: article keys -> corpus entities with stable ids, counts and aliases.

Keys cluster by normalized name (after the alias table; a user file can extend it). A cluster whose
name matches a committed entity joins it: that entity keeps id, name and type (its counts and aliases
grow). Otherwise a short PERSON name that is the start or end of exactly one fuller PERSON name
corpus-wide (committed entities included) joins it ("Putin" -> "Vladimir Putin"); ambiguous ones
("Kim" with both "Kim Jong Un" and "Kim Yo Jong" in the corpus) stay as they are. (Organisations
are not joined across articles: "United Nations" / "United Nations Security Council".) The
type is the alias table's when it pins one, else the majority of the mentions' types; ties are broken by
``TYPE_TIE_ORDER`` (GPE before LOC before PERSON before ORG ...: the small model over-predicts ORG for
unknown capitalised strings, so a specific label beats it). The name is the alias table's canonical
name, else, among the spellings of the name: not shouting (a dateline's "WASHINGTON"), then used by
the most articles, then most mentions, then fewer hyphens ("Kim Jong Un" over "Kim Jong-un" on a
tie), then alphabetical. A type the model flips between articles is settled per entity, so "Kyiv"
tagged PERSON once and GPE elsewhere is one GPE entity (the alias table can pin types outright).
``entity_id = newsdesk.fingerprint.short_hash(type, name)``: 16 hex digits of BLAKE2b over the type and
the canonical name (``short_hash`` joins them with a unit separator, U+001F, rather than a literal
"|", which cannot clash with a name). Everything is computed from counts
and sorted keys, so the result does not depend on article order; an unrelated article changes nothing
else. Callers pass only articles not yet counted in ``existing`` (counts are added, not recomputed).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsdesk.entities.aliases import load_aliases
from newsdesk.entities.article import ArticleMention
from newsdesk.entities.grouping import best_spelling, join_short_names, root, settle_type
from newsdesk.fingerprint import short_hash
from newsdesk.names import name_tokens, norm_name

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

__all__ = ["KeyStats", "key_stats", "cluster_norms", "resolve_keys", "resolve_corpus"]


@dataclass
class KeyStats:
    """How often an article-level key ``(name, type)`` occurs in a set of articles (what corpus resolution
    needs of them: the workers send these counts, never the mentions)."""

    mentions: int = 0
    articles: int = 0

    def add(self, other: KeyStats) -> None:
        self.mentions += other.mentions
        self.articles += other.articles


def key_stats(articles: Iterable[tuple[str, Sequence[ArticleMention]]]) -> dict[tuple[str, str], KeyStats]:
    """Counts per article key over articles (each article counted once per key)."""
    out: dict[tuple[str, str], KeyStats] = {}
    for _, ms in articles:
        seen: set[tuple[str, str]] = set()
        for m in ms:
            s = out.setdefault(m.key, KeyStats())
            s.mentions += 1
            if m.key not in seen:
                seen.add(m.key)
                s.articles += 1
    return out


def cluster_norms(keys: Iterable[tuple[str, str]], aliases_path: Path | str | None = None) -> dict[tuple[str, str], str]:
    """Each key's cluster: its normalized name after the alias table (what committed entities are matched by)."""
    aliases = load_aliases(aliases_path)
    out = {}
    for name, _ in keys:
        n = norm_name(name)
        a = aliases.get(n)
        out[(name, _)] = norm_name(a.canonical) if a else n
    return out


def resolve_keys(stats: Mapping[tuple[str, str], KeyStats], existing: Sequence[Mapping] = (),
                 aliases_path: Path | str | None = None) -> tuple[dict[tuple[str, str], str], dict[str, tuple[str, str]]]:
    """Article keys -> corpus entity ids (see module doc).

    ``existing``: the committed entities that can matter (rows with entity_id, name, type): those whose
    normalized name is one of the keys' clusters, and PERSON entities sharing a first or last name token
    with a PERSON key (:func:`newsdesk.entities.index.committed_candidates` looks them up). Returns
    ``(key -> entity_id, new entities: entity_id -> (name, type))``; committed entities never change.
    """
    aliases = load_aliases(aliases_path)
    clusters: dict[str, dict[str, Any]] = {}
    owner: dict[tuple[str, str], str] = {}
    for key in sorted(stats):
        st = stats[key]
        name, typ = key
        n = norm_name(name)
        a = aliases.get(n)
        if a:
            name, n = a.canonical, norm_name(a.canonical)
        c = clusters.get(n)
        if c is None:
            c = clusters[n] = {"names": Counter(), "name_articles": Counter(), "votes": Counter(),
                               "pinned": a.type if a else None, "alias": a.canonical if a else None,
                               "tokens": name_tokens(n)}
        c["names"][name] += st.mentions
        c["name_articles"][name] += st.articles
        c["votes"][typ] += st.mentions
        owner[key] = n

    old = [dict(r) for r in existing if r.get("entity_id") and r.get("name")]
    old_by_norm: dict[str, list[dict]] = defaultdict(list)
    for r in old:
        old_by_norm[norm_name(r["name"])].append(r)

    for c in clusters.values():
        c["type"] = settle_type(c["votes"], c["pinned"])

    assigned: dict[str, str] = {}  # cluster norm -> existing entity_id
    for n, c in clusters.items():
        rows = old_by_norm.get(n)
        if rows:
            best = min(rows, key=lambda r: (r["type"] != c["type"], -(r.get("mention_count") or 0),
                                            r["entity_id"]))
            assigned[n] = best["entity_id"]

    # short-name joins over new clusters + committed entities (committed ones never move)
    pool: dict[str, dict[str, Any]] = {}
    for n, c in clusters.items():
        if n not in assigned:  # a cluster matching a committed entity is represented by that entity
            pool["new:" + n] = {"type": c["type"], "tokens": c["tokens"], "alias": c["alias"]}
    for r in old:
        pool["old:" + r["entity_id"]] = {"type": r["type"], "tokens": name_tokens(norm_name(r["name"]))}
    fixed = {"old:" + r["entity_id"]: r["entity_id"] for r in old}
    parent = join_short_names(pool, fixed)

    def target(pkey: str) -> str:
        """'old:<id>' or 'new:<norm>' of the entity a pool key ends in."""
        r = root(parent, pkey)
        if r.startswith("new:") and r[4:] in assigned:
            return "old:" + assigned[r[4:]]
        return r

    new_entities: dict[str, dict[str, Any]] = {}  # 'new:<norm>' root -> merged stats
    for n, c in clusters.items():
        t = target("new:" + n)
        if t.startswith("old:"):
            continue
        e = new_entities.setdefault(t, {"names": Counter(), "name_articles": Counter(),
                                         "votes": Counter(), "pinned": None, "alias": None})
        e["votes"].update(c["votes"])
        if t == "new:" + n:
            e["names"].update(c["names"])
            e["name_articles"].update(c["name_articles"])
            e["pinned"], e["alias"] = c["pinned"], c["alias"]
    new_ids: dict[str, str] = {}
    new_meta: dict[str, tuple[str, str]] = {}
    for t, e in new_entities.items():
        typ = settle_type(e["votes"], e["pinned"])
        name = e["alias"] or best_spelling(e["names"], e["name_articles"])
        eid = short_hash(typ, name)
        new_ids[t] = eid
        new_meta[eid] = (name, typ)

    def entity_of(n: str) -> str:
        t = target("new:" + n)
        return t[4:] if t.startswith("old:") else new_ids[t]

    cluster_eid = {n: entity_of(n) for n in clusters}
    return {k: cluster_eid[n] for k, n in owner.items()}, new_meta


def _existing_rows(existing: "pa.Table | Iterable[Mapping] | None") -> list[dict]:
    if existing is None:
        return []
    rows = existing.to_pylist() if hasattr(existing, "to_pylist") else [dict(r) for r in existing]
    return [r for r in rows if r.get("entity_id") and r.get("name")]


def resolve_corpus(articles: Sequence[tuple[str, Sequence[ArticleMention]]],
                   existing: "pa.Table | None" = None,
                   aliases_path: Path | str | None = None) -> tuple[list[dict], list[dict]]:
    """Resolve article keys to corpus entities in memory (see module doc): the whole-corpus form of
    :func:`resolve_keys`, for tests and benchmarks.

    Returns ``(entity rows (entity_id, name, type, aliases, article_count, mention_count) for the whole
    corpus = existing ∪ new, sorted by entity_id; mention rows for the given articles, sorted by
    article_id, start)``.
    """
    # one mention per (article_id, start, end); a deterministic pick if the caller repeats an article
    mentions: dict[tuple[str, int, int], ArticleMention] = {}
    for article_id, ms in articles:
        for m in ms:
            k = (article_id, m.start, m.end)
            if k not in mentions or (m.key, m.surface, m.label) < (mentions[k].key, mentions[k].surface,
                                                                    mentions[k].label):
                mentions[k] = m
    by_article: dict[str, list[ArticleMention]] = defaultdict(list)
    for (aid, _, _), m in sorted(mentions.items()):
        by_article[aid].append(m)
    old = _existing_rows(existing)
    key_eid, new_meta = resolve_keys(key_stats(by_article.items()), old, aliases_path)

    stats: dict[str, dict[str, Any]] = defaultdict(lambda: {"articles": set(), "mentions": 0, "surfaces": set()})
    mention_rows: list[dict] = []
    for k, m in mentions.items():
        eid = key_eid[m.key]
        s = stats[eid]
        s["articles"].add(k[0])
        s["mentions"] += 1
        s["surfaces"].add(m.surface)
        mention_rows.append({"article_id": k[0], "entity_id": eid, "surface": m.surface,
                             "start": m.start, "end": m.end})
    mention_rows.sort(key=lambda r: (r["article_id"], r["start"], r["end"]))

    entity_rows: dict[str, dict] = {}
    for r in old:
        s = stats.get(r["entity_id"])
        row = {"entity_id": r["entity_id"], "name": r["name"], "type": r["type"],
               "aliases": sorted(set(r.get("aliases") or []) | (s["surfaces"] if s else set())),
               "article_count": int(r.get("article_count") or 0) + (len(s["articles"]) if s else 0),
               "mention_count": int(r.get("mention_count") or 0) + (s["mentions"] if s else 0)}
        entity_rows.setdefault(r["entity_id"], row)
    for eid, (name, typ) in new_meta.items():
        if eid in entity_rows:  # same type+name as a committed entity (cannot normally happen)
            continue
        s = stats[eid]
        entity_rows[eid] = {"entity_id": eid, "name": name, "type": typ, "aliases": sorted(s["surfaces"]),
                            "article_count": len(s["articles"]), "mention_count": s["mentions"]}
    return [entity_rows[e] for e in sorted(entity_rows)], mention_rows
