"""Speaker linking: the entity a quote's speaker string stands for, or None when it is not clear.

Owns :func:`link_speaker`: titles, a leading "the" and a possessive come off the speaker first
("Russian President Vladimir Putin's" -> "Vladimir Putin"); then the article's own mentions are tried, then
the corpus entities (see the function); any step with two or more candidates gives None.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsdesk.entities.aliases import Alias, load_aliases
from newsdesk.entities.mentions import trim
from newsdesk.names import is_subname, name_tokens, norm_name, strip_leading_titles

__all__ = ["link_speaker", "SpeakerRef", "speaker_ref", "link_names"]


def _clean_speaker(speaker: str, aliases: Mapping[str, Alias]) -> str:
    s = speaker.strip()
    if not s:
        return ""
    start, end = trim(s, 0, len(s))
    start = strip_leading_titles(s, start, end, "PERSON", aliases)
    start, end = trim(s, start, end)
    return s[start:end]


def _speaker_names(speaker: str | None, aliases_path: Path | str | None
                   ) -> tuple[str, set[str], tuple[str, ...]] | None:
    """A speaker string's normalized name (titles, a leading "the" and a possessive off), the names to look for
    (it and its alias-table canonical name) and its tokens; None when nothing is left after cleaning."""
    if not speaker or not isinstance(speaker, str):
        return None
    aliases = load_aliases(aliases_path)
    cleaned = _clean_speaker(speaker, aliases)
    if not cleaned:
        return None
    sn = norm_name(cleaned)
    wanted = {sn}
    a = aliases.get(sn)
    if a:
        wanted.add(norm_name(a.canonical))
    return sn, wanted, name_tokens(sn)


class _EntityIndex:
    """Lookups over the corpus entity rows for link_speaker (built once per entity list)."""

    def __init__(self, entities: Sequence[Mapping]):
        self.entities = entities
        self.size = len(entities)
        self.by_id: dict[str, Mapping] = {}
        self.by_name: dict[str, set[str]] = defaultdict(set)
        self.by_alias: dict[str, set[str]] = defaultdict(set)
        self.person_parts: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self.tokens: dict[str, tuple[str, ...]] = {}
        for e in entities:
            eid = e["entity_id"]
            self.by_id[eid] = e
            n = norm_name(e["name"])
            self.by_name[n].add(eid)
            self.tokens[eid] = toks = name_tokens(n)
            for x in e.get("aliases") or []:
                self.by_alias[norm_name(x)].add(eid)
            if e.get("type") == "PERSON":
                for k in range(1, len(toks)):
                    self.person_parts[toks[:k]].add(eid)
                    self.person_parts[toks[-k:]].add(eid)


_INDEX_CACHE: list[_EntityIndex] = []


def _entity_index(entities: Sequence[Mapping]) -> _EntityIndex:
    if _INDEX_CACHE and _INDEX_CACHE[0].entities is entities and _INDEX_CACHE[0].size == len(entities):
        return _INDEX_CACHE[0]
    idx = _EntityIndex(entities)
    _INDEX_CACHE[:] = [idx]
    return idx


def link_speaker(speaker: str | None, article_id: str, mentions: Sequence[Mapping], entities: Sequence[Mapping],
                 *, aliases_path: Path | str | None = None) -> str | None:
    """Entity id for a quote's speaker string, or None when it cannot be resolved confidently.

    ``mentions``: mention rows (``resolve_corpus`` output; rows of other articles are ignored);
    ``entities``: entity rows. Titles, a leading "the" and a possessive are stripped from the speaker
    first ("Russian President Vladimir Putin's" -> "Vladimir Putin"). Order: the article's own mentions
    (by surface or entity name, then a PERSON sub-name such as "Putin" for "Vladimir Putin", or the
    reverse), then the corpus entities (name or alias-table name, then seen surface forms, then a unique
    PERSON sub-name). A step with two or more candidates gives None. The entity list is indexed once
    and reused while the same list object is passed.
    """
    names = _speaker_names(speaker, aliases_path)
    if names is None:
        return None
    _, wanted, stoks = names
    idx = _entity_index(entities)

    def unique(ids: Iterable[str]) -> str | None:
        found = set(ids)
        return next(iter(found)) if len(found) == 1 else None

    art = [m for m in mentions if m.get("article_id", article_id) == article_id]
    art_ids = sorted({m["entity_id"] for m in art})
    hit = unique([m["entity_id"] for m in art if norm_name(m.get("surface") or "") in wanted]
                 + [i for i in art_ids if i in idx.by_id and norm_name(idx.by_id[i]["name"]) in wanted])
    if hit:
        return hit
    hit = unique(i for i in art_ids if i in idx.by_id and idx.by_id[i].get("type") == "PERSON"
                 and (is_subname(stoks, idx.tokens[i]) or is_subname(idx.tokens[i], stoks)))
    if hit:
        return hit
    for table in (idx.by_name, idx.by_alias):
        hits = set().union(*(table.get(w, ()) for w in wanted))
        if hits:
            return unique(hits)
    return unique(idx.person_parts.get(stoks, ()))


# ----------------------------------------------------------------------------------------------------------
# The same rules, split between the enrich worker (the article) and the driver (the corpus), so that no
# mention or entity table travels: the worker resolves what the article settles to an article key, and
# hands the driver only the speaker names the article could not settle.

@dataclass(frozen=True, slots=True)
class SpeakerRef:
    """A quote speaker as far as its article can tell: an article key, or names for the corpus step."""

    key: tuple[str, str] | None  # the article-level entity key the speaker is
    wanted: str | None  # else: normalized names to look up in the corpus (the speaker's first), joined by U+001F


def speaker_ref(speaker: str | None, mentions: Sequence, *, aliases_path: Path | str | None = None
                ) -> SpeakerRef | None:
    """The article steps of :func:`link_speaker` over one article's mentions (``ArticleMention``s): a
    speaker the article's own names settle gets their key; otherwise the names to look up in the corpus
    (:func:`link_names`). None when the speaker string is empty after cleaning."""
    names = _speaker_names(speaker, aliases_path)
    if names is None:
        return None
    sn, wanted, stoks = names

    def unique(keys: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
        found = set(keys)
        return next(iter(found)) if len(found) == 1 else None

    keys = sorted({m.key for m in mentions})
    hit = unique([m.key for m in mentions if norm_name(m.surface or "") in wanted]
                 + [k for k in keys if norm_name(k[0]) in wanted])
    if hit:
        return SpeakerRef(hit, None)
    hit = unique(k for k in keys if k[1] == "PERSON" and (is_subname(stoks, name_tokens(norm_name(k[0])))
                                                          or is_subname(name_tokens(norm_name(k[0])), stoks)))
    if hit:
        return SpeakerRef(hit, None)
    return SpeakerRef(None, "\x1f".join([sn, *sorted(wanted - {sn})]))  # the speaker's own name first


def link_names(wanted: Iterable[str], entities: Sequence[Mapping]) -> dict[str, str]:
    """The corpus steps of :func:`link_speaker`: each ``wanted`` (from :func:`speaker_ref`) -> the one entity
    of ``entities`` (rows with entity_id, name, type: the run's new entities and the committed candidates)
    that has that name, else the one PERSON it is a first or last part of. Ambiguous or unknown: absent."""
    by_name: dict[str, set[str]] = defaultdict(set)
    person_parts: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for e in entities:
        n = norm_name(e["name"])
        by_name[n].add(e["entity_id"])
        if e.get("type") == "PERSON":
            toks = name_tokens(n)
            for k in range(1, len(toks)):
                person_parts[toks[:k]].add(e["entity_id"])
                person_parts[toks[-k:]].add(e["entity_id"])
    out: dict[str, str] = {}
    for w in wanted:
        names = w.split("\x1f")
        hits = set().union(*(by_name.get(n, ()) for n in names))
        if not hits:
            hits = person_parts.get(name_tokens(names[0]), set())
        if len(hits) == 1:
            out[w] = next(iter(hits))
    return out
