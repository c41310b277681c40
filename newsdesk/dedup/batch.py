"""In-memory deduplication of one run's documents against themselves and the committed ``dedup_index``.

Owns :class:`DedupDoc` (what the flow hands over per file), :class:`DedupResult` and :func:`deduplicate`:
exact groups, signatures and LSH candidates (:mod:`~newsdesk.dedup.minhash`), verification (exact Jaccard
of the shingle sets for new-vs-new pairs, MinHash estimates against the index), star clusters
(:mod:`~newsdesk.dedup.clusters`), and the ``duplicates`` and ``dedup_index`` rows.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pyarrow as pa

from newsdesk.dedup.clusters import rank_key, star_clusters
from newsdesk.dedup.index import index_arrays, index_table, join_keys
from newsdesk.dedup.minhash import (
    BANDS, CHUNK, EXACT_CHECK_MARGIN, NUM_PERM, ROWS, SEED, band_keys, estimate_jaccard, hashed_jaccard,
    lsh_candidates, minhash_tag, shingle_sets, signatures_normalized,
)
from newsdesk.fingerprint import normalize_exact

__all__ = ["DedupDoc", "DedupResult", "deduplicate", "dup_row"]

@dataclass(frozen=True, slots=True)
class DedupDoc:
    source_path: str
    source_sha256: str
    article_id: str  # = fingerprint.exact_key(body)
    body: str  # cleaned body, paragraphs joined by "\n\n"
    has_title: bool
    published_at: datetime | None


@dataclass
class DedupResult:
    kept: list[DedupDoc]  # canonical docs of this run (new articles), sorted by article_id
    duplicates: list[dict]  # source_path, source_sha256, duplicate_of, similarity, method
    index_rows: pa.Table  # rows to append to dedup_index (INDEX_SCHEMA), sorted by article_id
    stats: dict = field(default_factory=dict)


def deduplicate(new_docs: list[DedupDoc], index: pa.Table | None, *, threshold: float = 0.8,
                num_perm: int = NUM_PERM, bands: int = BANDS, rows: int = ROWS, seed: int = SEED,
                exact_verify: bool = True) -> DedupResult:
    """Deduplicate one run's documents against themselves and the committed ``dedup_index``.

    See the module docstring for the method. ``exact_verify=False`` verifies new-vs-new candidates on the
    MinHash estimate too (faster on duplicate-heavy input, less exact near the threshold).
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError("threshold must be in (0, 1]")
    idx_ids, idx_sigs, idx_keys = index_arrays(index, num_perm, bands, rows, seed)
    idx_pos = {a: k for k, a in enumerate(idx_ids)}
    duplicates: list[dict] = []

    # 1. exact groups
    groups: dict[str, list[DedupDoc]] = {}
    for d in new_docs:
        groups.setdefault(d.article_id, []).append(d)
    reps: list[DedupDoc] = []
    members: dict[str, list[DedupDoc]] = {}
    for aid, docs in groups.items():
        docs = sorted(docs, key=rank_key)
        if aid in idx_pos:
            for d in docs:
                duplicates.append(dup_row(d, aid, 1.0, "exact"))
            continue
        reps.append(docs[0])
        members[aid] = docs[1:]
    reps.sort(key=rank_key)
    n = len(reps)

    # 2. signatures, 3. LSH
    sigs = np.empty((n, num_perm), dtype=np.uint32)
    nshingles = np.zeros(n, dtype=np.int64)
    for s in range(0, n, CHUNK):
        part = [normalize_exact(d.body) for d in reps[s:s + CHUNK]]
        sigs[s:s + len(part)], nshingles[s:s + len(part)] = signatures_normalized(part, num_perm, seed)
    keys = band_keys(sigs, bands, rows)
    has_sh = nshingles > 0  # empty bodies take no part in near-duplicate detection
    live = np.flatnonzero(has_sh)
    cand = lsh_candidates(keys[live])
    cand = live[cand] if cand.size else cand
    xcand = join_keys(keys[live], idx_keys)
    if xcand.size:
        xcand[:, 0] = live[xcand[:, 0]]

    # 4. verification
    edges: dict[tuple[int, int], float] = {}
    if cand.size:
        est = estimate_jaccard(sigs[cand[:, 0]], sigs[cand[:, 1]])
        if exact_verify:
            keep = est >= threshold - EXACT_CHECK_MARGIN
            cand = cand[keep]
            need = np.unique(cand)
            sets = dict(zip(need.tolist(), shingle_sets([reps[i].body for i in need])))
            for i, j in cand.tolist():
                sim = hashed_jaccard(sets[i], sets[j])
                if sim >= threshold:
                    edges[(i, j)] = sim
        else:
            for (i, j), sim in zip(cand.tolist(), est.tolist()):
                if sim >= threshold:
                    edges[(i, j)] = sim
    index_edges: dict[tuple[int, int], float] = {}
    if xcand.size:
        est = estimate_jaccard(sigs[xcand[:, 0]], idx_sigs[xcand[:, 1]])
        for (i, k), sim in zip(xcand.tolist(), est.tolist()):
            if sim >= threshold:
                index_edges[(i, k)] = sim

    # 5. star clusters
    canon, dropped = star_clusters(n, edges, index_edges)
    for i, (kind, tgt, sim) in sorted(dropped.items()):
        target_id = idx_ids[tgt] if kind == "index" else reps[tgt].article_id
        sim = round(float(sim), 4)
        for d in [reps[i], *members[reps[i].article_id]]:
            duplicates.append(dup_row(d, target_id, sim, "near"))
    kept = [reps[i] for i in range(n) if i not in dropped]
    for d in kept:
        for m in members[d.article_id]:
            duplicates.append(dup_row(m, d.article_id, 1.0, "exact"))
    kept.sort(key=lambda d: d.article_id)
    duplicates.sort(key=lambda r: (r["source_path"], r["source_sha256"]))

    pos = {d.article_id: i for i, d in enumerate(reps)}
    kidx = np.array([pos[d.article_id] for d in kept], dtype=np.int64)
    index_rows = index_table([d.article_id for d in kept], [d.source_path for d in kept],
                              nshingles[kidx] if kidx.size else np.zeros(0, np.int64),
                              sigs[kidx], keys[kidx], minhash_tag(num_perm, bands, rows, seed))
    stats = {"docs": len(new_docs), "exact_groups": len(groups), "signed": n, "candidates": int(len(cand)),
             "index_candidates": int(len(xcand)), "verified": len(edges), "index_verified": len(index_edges),
             "kept": len(kept), "duplicates": len(duplicates)}
    return DedupResult(kept=kept, duplicates=duplicates, index_rows=index_rows, stats=stats)


def dup_row(d: DedupDoc, of: str, sim: float, method: str) -> dict:
    return {"source_path": d.source_path, "source_sha256": d.source_sha256, "duplicate_of": of,
            "similarity": sim, "method": method}
