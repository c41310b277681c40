"""Corpus-level resolution: article keys -> corpus entities with stable ids, counts and aliases.

Keys cluster by normalized name (after the alias table; a user file can extend it). A cluster whose
name matches a committed entity joins it: that entity keeps id, name and type (its counts and aliases
grow). Otherwise, in this order (issue 11 phase A: decisions on names and types only; see the list in
bench/README.md for what phase B ports to the incremental index):

1. a PERSON name with middle names or initials joins the plain first-and-last form when it is the only longer
   variant of it ("Martin E. Dempsey", "Donald J. Trump" -> "Martin Dempsey", "Donald Trump"; not "Donald Trump
   Jr.", nor "George W. Bush" when "George H. W. Bush" is there too);
2. a short PERSON name that ends exactly one fuller PERSON name corpus-wide, or a one-word one that starts it,
   joins it ("Putin" -> "Vladimir Putin"; committed entities included); ambiguous ones ("Kim" with both "Kim
   Jong Un" and "Kim Yo Jong" in the corpus) stay as they are;
3. an acronym joins the one long form that articles linked it to ("FDA" resolved to "Food and Drug
   Administration" in an article that gave both), else, three letters or more, the one ORG name of the corpus
   with those initials; a one-word ORG name joins its one "X University" / "X College" / "University of X"
   ("Harvard"; never a city, nor a surname); a one-word name the model typed as a place (or with some PERSON
   votes) that no gazetteer knows joins the one PERSON name of the corpus it ends ("Lutuli" -> "Albert Lutuli");
(Organisations are not otherwise joined across articles: "United Nations" / "United Nations Security Council";
"University of Alabama" never joins "Alabama".) The type is the alias table's when it pins one, else the
settlement of the votes: each article's votes for its key (``ArticleMention.votes``: the model's labels and
the evidence of newsdesk.entities.evidence) counted once per article, a short name that joined a fuller name of
another type bringing its articles but not its votes; ties are broken by
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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsdesk.entities.aliases import load_aliases
from newsdesk.entities.article import ArticleMention
from newsdesk.entities.article import _is_acronym, _letters_in_order
from newsdesk.entities.evidence import place_kind
from newsdesk.entities.grouping import (
    best_spelling, initials, join_middle_names, join_short_names, root, settle_type,
)
from newsdesk.fingerprint import short_hash
from newsdesk.names import name_tokens, norm_name

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

__all__ = ["resolve_corpus"]


def _existing_rows(existing: "pa.Table | Iterable[Mapping] | None") -> list[dict]:
    if existing is None:
        return []
    rows = existing.to_pylist() if hasattr(existing, "to_pylist") else [dict(r) for r in existing]
    return [r for r in rows if r.get("entity_id") and r.get("name")]


_SCHOOL_WORDS = frozenset({"university", "college"})


def _join_acronyms_and_surnames(clusters: Mapping[str, dict], assigned: Mapping[str, str],
                                parent: Mapping[str, str]) -> dict[str, str]:
    """Pool parents ('new:<norm>' -> 'new:<norm>') for two kinds of short names, among this run's clusters:

    * an acronym ("FDA") joins the one longer non-PERSON name that some article gave it as a short form (a
      mention with surface "FDA" resolved to "Food and Drug Administration" in its article), else, for three
      letters or more, the one ORG name of the corpus with those initials;
    * a one-word name the model did not call PERSON ("Lutuli" as GPE, no gazetteer place, no alias) joins the
      one PERSON name of the corpus that ends with it ("Albert Lutuli"), when the cluster has any PERSON vote or
      is typed as a place.
    """
    out: dict[str, str] = {}
    free = [n for n in clusters if n not in assigned and "new:" + n not in parent]
    long_by_surface: dict[str, set[str]] = defaultdict(set)
    by_initials: dict[str, set[str]] = defaultdict(set)
    last_of_person: dict[str, set[str]] = defaultdict(set)
    schools: dict[str, set[str]] = defaultdict(set)
    for n, c in clusters.items():
        t = c["tokens"]
        if n not in assigned and c["type"] == "ORG" and len(t) in (2, 3):
            if len(t) == 2 and t[1] in _SCHOOL_WORDS:
                schools[t[0]].add(n)  # "harvard university" <- "harvard"
            elif len(t) == 3 and t[0] in _SCHOOL_WORDS and t[1] == "of":
                schools[t[2]].add(n)  # "university of cambridge" <- "cambridge" (when typed ORG)
    for n, c in clusters.items():
        if n in assigned or len(c["tokens"]) < 2:
            continue
        if c["type"] == "PERSON":
            last_of_person[c["tokens"][-1]].add(n)
            continue
        for sfc in c["surfaces"]:
            if _is_acronym(sfc) and _letters_in_order(sfc, c["tokens"]):
                long_by_surface[norm_name(sfc)].add(n)
        if c["type"] == "ORG":
            by_initials[initials(c["tokens"], True)].add(n)
            by_initials[initials(c["tokens"], False)].add(n)
    for n in free:
        c = clusters[n]
        if c["alias"] or len(c["tokens"]) != 1:
            continue
        display = best_spelling(c["names"])
        if c["type"] != "PERSON" and _is_acronym(display):
            cands = long_by_surface.get(n) or (by_initials.get(n, set()) if len(n) >= 3 else set())
            if len(cands) == 1:
                out["new:" + n] = "new:" + next(iter(cands))
                continue
        if c["type"] == "ORG" and len(schools.get(n, ())) == 1 and place_kind(display) in (None, "weak") \
                and n not in last_of_person and not c["votes"].get("PERSON"):
            # "Harvard" -> "Harvard University" (not "Glasgow", a city, -> "University of Glasgow")
            out["new:" + n] = "new:" + next(iter(schools[n]))
            continue
        if c["type"] != "PERSON" and not place_kind(display) and (c["type"] in ("GPE", "LOC")
                                                                   or c["votes"].get("PERSON", 0) > 0):
            cands = last_of_person.get(n, set())
            if len(cands) == 1:
                out["new:" + n] = "new:" + next(iter(cands))
    return out


def resolve_corpus(articles: Sequence[tuple[str, Sequence[ArticleMention]]],
                   existing: "pa.Table | None" = None,
                   aliases_path: Path | str | None = None) -> tuple[list[dict], list[dict]]:
    """Resolve article keys to corpus entities (see module doc).

    Returns ``(entity rows for the whole corpus = existing ∪ new, sorted by entity_id;
    mention rows for the given articles, sorted by article_id, start)``.
    """
    aliases = load_aliases(aliases_path)

    # one mention per (article_id, start, end); a deterministic pick if the caller repeats an article
    mentions: dict[tuple[str, int, int], ArticleMention] = {}
    for article_id, ms in articles:
        for m in ms:
            k = (article_id, m.start, m.end)
            if k not in mentions or (m.key, m.surface, m.label) < (mentions[k].key, mentions[k].surface,
                                                                    mentions[k].label):
                mentions[k] = m

    # clusters by normalized (alias-mapped) name
    clusters: dict[str, dict[str, Any]] = {}
    owner: dict[tuple[str, int, int], str] = {}
    for k, m in mentions.items():
        name, typ = m.key
        n = norm_name(name)
        a = aliases.get(n)
        if a:
            name, n = a.canonical, norm_name(a.canonical)
        c = clusters.get(n)
        if c is None:
            c = clusters[n] = {"names": Counter(), "name_articles": defaultdict(set), "votes": Counter(),
                               "pinned": a.type if a else None, "alias": a.canonical if a else None,
                               "tokens": name_tokens(n), "articles": set(), "surfaces": set(), "mentions": 0,
                               "voted": set()}
        c["names"][name] += 1
        c["name_articles"][name].add(k[0])
        if m.votes:  # the article's votes for its key (model labels + evidence), counted once per article
            if (k[0], m.key) not in c["voted"]:
                c["voted"].add((k[0], m.key))
                for t, v in m.votes:
                    c["votes"][t] += v
        else:
            c["votes"][typ] += 1
        c["articles"].add(k[0])
        c["surfaces"].add(m.surface)
        c["mentions"] += 1
        owner[k] = n

    # committed entities: by normalized name
    old = _existing_rows(existing)
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
    parent = join_middle_names(pool, fixed)
    parent.update(join_short_names({k: v for k, v in pool.items() if k not in parent}, fixed))
    parent.update(_join_acronyms_and_surnames(clusters, assigned, parent))

    def target(pkey: str) -> str:
        """'old:<id>' or 'new:<norm>' of the entity a pool key ends in."""
        r = root(parent, pkey)
        if r.startswith("new:") and r[4:] in assigned:
            return "old:" + assigned[r[4:]]
        return r

    # gather new entities
    new_entities: dict[str, dict[str, Any]] = {}  # 'new:<norm>' root -> merged stats
    for n, c in clusters.items():
        t = target("new:" + n)
        if t.startswith("old:"):
            continue
        e = new_entities.setdefault(t, {"names": Counter(), "name_articles": defaultdict(set),
                                         "votes": Counter(), "pinned": None, "alias": None})
        # a short name that joined a fuller one of another type ("Lutuli" tagged GPE -> "Albert Lutuli")
        # brings its articles, not its type votes
        if t == "new:" + n or t[4:] not in clusters or clusters[t[4:]]["type"] == c["type"]:
            e["votes"].update(c["votes"])
        if t == "new:" + n:
            e["names"].update(c["names"])
            for nm, arts in c["name_articles"].items():
                e["name_articles"][nm] |= arts
            e["pinned"], e["alias"] = c["pinned"], c["alias"]
    new_ids: dict[str, str] = {}
    new_meta: dict[str, tuple[str, str]] = {}
    for t, e in new_entities.items():
        typ = settle_type(e["votes"], e["pinned"])
        name = e["alias"] or best_spelling(e["names"], {k: len(v) for k, v in e["name_articles"].items()})
        eid = short_hash(typ, name)
        new_ids[t] = eid
        new_meta[eid] = (name, typ)

    def entity_of(n: str) -> str:
        t = target("new:" + n)
        return t[4:] if t.startswith("old:") else new_ids[t]

    cluster_eid = {n: entity_of(n) for n in clusters}

    # rows
    stats: dict[str, dict[str, Any]] = defaultdict(lambda: {"articles": set(), "mentions": 0, "surfaces": set()})
    mention_rows: list[dict] = []
    for k, m in mentions.items():
        eid = cluster_eid[owner[k]]
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
