"""Reduce steps: turn the batches' results into one run's table rows.

Everything here sorts by stable keys, so the rows do not depend on batch order, batch size or the
number of workers.

1. :func:`plan_run` — deduplicate the prepared articles (exact and near, against the store's index),
   remove lines repeated across a source's articles, and give the run its id.
2. :func:`finish_run` — resolve entities across the corpus, link quote speakers, cluster quotes, and
   build every table of the run.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import pyarrow as pa

from newsdesk import schema
from newsdesk.boilerplate import learn_repeated_lines, remove_repeated_lines
from newsdesk.dedup import DedupDoc, deduplicate
from newsdesk.enrich import ArticleText, Enriched
from newsdesk.entities import link_speaker, resolve_corpus
from newsdesk.fingerprint import short_hash
from newsdesk.ingest import Reject
from newsdesk.prepare import BatchResult, Prepared
from newsdesk.quotes import cluster_quotes

REPEATED_LINE_MIN_DOCS = 5


@dataclass
class Plan:
    run_id: str
    kept: list[Prepared]  # final paragraphs (repeated lines removed), sorted by article_id
    duplicates: list[dict]
    rejects: list[Reject]
    index_rows: pa.Table
    files_seen: int
    files_new: int
    known: int
    sizes: dict[str, int] = field(default_factory=dict)  # source_path -> size, for the files manifest
    previous: dict[str, str] = field(default_factory=dict)  # source_path -> latest committed sha256

    def texts(self) -> list[ArticleText]:
        return [ArticleText(p.article_id, p.body, p.language) for p in self.kept]


def known_versions(manifest: pa.Table) -> dict[str, frozenset[str]]:
    """path -> the sha256s of its versions already in the ``files`` manifest (skipped by a run)."""
    known: dict[str, set[str]] = {}
    for p, s in zip(manifest.column("source_path").to_pylist(), manifest.column("source_sha256").to_pylist()):
        known.setdefault(p, set()).add(s)
    return {p: frozenset(v) for p, v in known.items()}


def previous_run_id(runs: pa.Table) -> str | None:
    """The id of the last committed run (the next run id chains from it)."""
    if not runs.num_rows:
        return None
    return max(zip(runs.column("finished_at").to_pylist(), runs.column("run_id").to_pylist()))[1]


def run_id_for(previous_run_id: str | None, new_files: Iterable[tuple[str, str | None]]) -> str:
    """Deterministic run id: the previous run and the exact set of new file versions."""
    return short_hash(previous_run_id or "", *sorted(f"{p}\x1e{s or ''}" for p, s in new_files))


def new_rejects(rejects: Iterable[Reject], manifest: pa.Table) -> list[Reject]:
    """Rejects not already recorded (a file that keeps failing the same way is accounted for once)."""
    seen = set(zip(manifest.column("source_path").to_pylist(),
                   manifest.column("source_sha256").to_pylist()))
    out = {}
    for r in rejects:
        key = (r.path, r.sha256)
        if key not in seen:
            out[key] = r
    return [out[k] for k in sorted(out, key=lambda k: (k[0], k[1] or ""))]


def plan_run(batches: Sequence[BatchResult], discovery_rejects: Sequence[Reject], files_seen: int,
             manifest: pa.Table, index: pa.Table | None, previous_run_id: str | None,
             threshold: float) -> Plan:
    prepared = sorted((p for b in batches for p in b.prepared), key=lambda p: p.source_path)
    rejects = new_rejects([*discovery_rejects, *(r for b in batches for r in b.rejects)], manifest)
    docs = [DedupDoc(source_path=p.source_path, source_sha256=p.source_sha256, article_id=p.article_id,
                     body=p.body, has_title=p.title is not None, published_at=p.published_at)
            for p in prepared]
    result = deduplicate(docs, index, threshold=threshold)
    by_path = {p.source_path: p for p in prepared}
    kept = [by_path[d.source_path] for d in result.kept]
    kept = strip_repeated_lines(kept)
    new_files = [(p.source_path, p.source_sha256) for p in prepared]
    new_files += [(r.path, r.sha256) for r in rejects]
    return Plan(run_id=run_id_for(previous_run_id, new_files), kept=sorted(kept, key=lambda p: p.article_id),
                duplicates=sorted(result.duplicates, key=lambda d: (d["source_path"], d["source_sha256"])),
                rejects=rejects, index_rows=result.index_rows, files_seen=files_seen,
                files_new=len(new_files), known=sum(b.known for b in batches),
                sizes={p.source_path: p.size_bytes for p in prepared},
                previous=previous_versions(manifest, {p for p, _ in new_files}))


def previous_versions(manifest: pa.Table, paths: set[str]) -> dict[str, str]:
    """The latest committed sha256 of each of ``paths`` already in the manifest (a file changed in place).

    The manifest is read in commit order (one part file per snapshot, in version order), so the last row
    of a path is its latest version.
    """
    latest: dict[str, str] = {}
    for p, s in zip(manifest.column("source_path").to_pylist(), manifest.column("source_sha256").to_pylist()):
        if p in paths:
            latest[p] = s
    return latest


def strip_repeated_lines(kept: list[Prepared]) -> list[Prepared]:
    """CCNet-style: drop paragraphs repeated across many distinct articles of the same outlet."""
    ordered = sorted(kept, key=lambda p: p.article_id)
    repeated = learn_repeated_lines(((p.outlet, list(p.paragraphs)) for p in ordered),
                                    min_docs=REPEATED_LINE_MIN_DOCS)
    if not repeated:
        return kept
    out = []
    for p in kept:
        paragraphs, removed = remove_repeated_lines(list(p.paragraphs), p.outlet, repeated,
                                                    start_position=list(p.paragraph_positions))
        if removed:
            gone = {r.position for r in removed}
            positions = tuple(i for i in p.paragraph_positions if i not in gone)
            p = replace(p, paragraphs=tuple(paragraphs), paragraph_positions=positions,
                        removed=tuple(sorted(p.removed + tuple(removed), key=lambda r: r.position)))
        out.append(p)
    return out


def _article_row(p: Prepared, run_id: str) -> dict:
    """Every column from the article's field of the same name, plus the derived ones."""
    body = p.body
    return schema.table("articles").row(p, body=body, paragraph_count=len(p.paragraphs),
                                        word_count=len(body.split()), run_id=run_id)


def _removed_rows(p: Prepared, run_id: str) -> list[dict]:
    t = schema.table("removed_text")
    return [t.row(r, article_id=p.article_id, source_path=p.source_path, run_id=run_id) for r in p.removed]


def _file_row(plan: Plan, **values) -> dict:
    return schema.table("files").row(previous_sha256=plan.previous.get(values["source_path"]),
                                     run_id=plan.run_id, **values)


def _quote_rows(plan: Plan, enriched: Enriched, mentions_by_article: Mapping[str, list[dict]],
                entities: list[dict], existing_quotes: pa.Table) -> list[dict]:
    rows = []
    for p in plan.kept:
        for q in enriched.quotes.get(p.article_id, []):
            speaker = q.get("speaker")
            named = q.get("speaker_refers_to") or speaker  # a description links to the name it stands for
            linked = link_speaker(named, p.article_id, mentions_by_article.get(p.article_id, []), entities) \
                if named and q.get("attribution") != "description" else None
            rows.append({
                "quote_id": short_hash(p.article_id, str(q["start"]), str(q["end"])),
                "article_id": p.article_id, "text": q["text"], "speaker": speaker,
                "speaker_entity_id": linked,
                "speaker_start": q.get("speaker_start"), "speaker_end": q.get("speaker_end"),
                "cue": q.get("cue"), "start": q["start"], "end": q["end"], "kind": q["kind"],
                "attribution": q.get("attribution") or "none"})
    rows.sort(key=lambda r: (r["article_id"], r["start"], r["end"]))
    _assign_clusters(rows, existing_quotes)
    return rows


def _assign_clusters(rows: list[dict], existing: pa.Table) -> None:
    """Cluster new quotes together with the committed ones; committed cluster ids never change."""
    old = existing.select(["quote_id", "article_id", "text", "speaker", "speaker_entity_id",
                           "quote_cluster_id"]).to_pylist()
    pool = old + rows
    ids = cluster_quotes([{"quote_id": r["quote_id"], "article_id": r["article_id"], "text": r["text"],
                           "speaker": r["speaker_entity_id"] or r["speaker"]} for r in pool])
    # a cluster that contains committed quotes keeps their (oldest) id
    keep: dict[str, str] = {}
    for r, cid in zip(old, ids[:len(old)]):
        keep.setdefault(cid, r["quote_cluster_id"])
    for r, cid in zip(rows, ids[len(old):]):
        r["quote_cluster_id"] = keep.get(cid, cid)


def finish_run(plan: Plan, enriched: Enriched, existing_entities: pa.Table,
               existing_quotes: pa.Table, aliases_path=None) -> tuple[dict[str, pa.Table], dict[str, pa.Table]]:
    """Build the run's tables: (rows to append per table, tables to replace whole)."""
    run_id = plan.run_id
    entity_rows, mention_rows = resolve_corpus(
        [(p.article_id, enriched.mentions.get(p.article_id, [])) for p in plan.kept],
        existing_entities if existing_entities.num_rows else None, aliases_path=aliases_path)
    mentions_by_article: dict[str, list[dict]] = {}
    for m in mention_rows:
        mentions_by_article.setdefault(m["article_id"], []).append(m)
    quotes = _quote_rows(plan, enriched, mentions_by_article, entity_rows, existing_quotes)

    files = [_file_row(plan, source_path=p.source_path, source_sha256=p.source_sha256, size_bytes=p.size_bytes,
                       outcome="article", article_id=p.article_id) for p in plan.kept]
    files += [_file_row(plan, source_path=d["source_path"], source_sha256=d["source_sha256"],
                        size_bytes=plan.sizes.get(d["source_path"]), outcome="duplicate",
                        article_id=d["duplicate_of"]) for d in plan.duplicates]
    files += [_file_row(plan, source_path=r.path, source_sha256=r.sha256, size_bytes=r.size_bytes,
                        outcome="reject", article_id=None) for r in plan.rejects]
    files.sort(key=lambda f: (f["source_path"], f["source_sha256"] or ""))
    rejects = schema.table("rejects")

    appends = {
        "articles": [_article_row(p, run_id) for p in plan.kept],
        "removed_text": [r for p in plan.kept for r in _removed_rows(p, run_id)],
        "duplicates": [{**d, "run_id": run_id} for d in plan.duplicates],
        "rejects": [rejects.row(r, source_path=r.path, source_sha256=r.sha256, run_id=run_id)
                    for r in plan.rejects],
        "quotes": quotes,
        "entity_mentions": sorted(mention_rows, key=lambda m: (m["article_id"], m["start"], m["end"])),
        "files": files,
    }
    tables = {name: schema.table(name).to_arrow(rows) for name, rows in appends.items()}
    tables["dedup_index"] = plan.index_rows
    replaces = {"entities": schema.table("entities").to_arrow(
        sorted(entity_rows, key=lambda e: e["entity_id"]))}
    return tables, replaces
