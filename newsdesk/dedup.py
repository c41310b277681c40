"""Exact and near-duplicate removal: MinHash LSH, verified, star clusters, a cross-run index.

Pure and Prefect-free: the flow hands a batch of cleaned articles and the ``dedup_index`` table already
committed in the store; it gets back the articles to keep, one ``duplicates`` row per dropped file, and the
rows to append to ``dedup_index``.

What "similar" means
--------------------
* **Tokens** are ``normalize_exact(body).split(" ")`` (see :mod:`newsdesk.fingerprint`: NFKC, case-folded,
  typographic quotes/dashes mapped to ASCII, whitespace collapsed). Punctuation stays attached to words.
* **Shingles** are the *set* of word 5-grams of those tokens. A body of 1-4 tokens has one shingle (all of
  its tokens); an empty body has none (it can only be an exact duplicate).
* **Similarity** is the Jaccard index of two shingle sets, ``|A & B| / |A | B|``.

How a batch is deduplicated (:func:`deduplicate`)
-------------------------------------------------
1. **Exact**: documents with the same ``article_id`` (= ``exact_key(body)``) collapse into one group; the
   group's best document (canonical rule below) represents it. A group whose ``article_id`` is already in the
   index is dropped whole: every file is an ``exact`` duplicate of the indexed article.
2. **Signatures**: one 128-value MinHash per group representative (:func:`signatures`). Token hashes are
   xxh3-64 of the UTF-8 token; a 5-gram hash is ``splitmix64(sum_k C_k * h(token_k))`` (mod 2^64, C_k fixed
   odd constants); rensa's ``RMinHash`` turns the flat array of 5-gram hashes into the signature (seed
   :data:`SEED`). The shingling runs in Arrow (split + dictionary-encode, only the batch vocabulary is hashed
   in Python): 7.6k docs/s of ~570 words on one loaded core, vs 2.5-3.3k for Python-built shingle strings
   fed to rensa and 1.35k for datasketch (bench/README.md).
3. **LSH**: the first ``bands * rows`` values are cut into ``bands`` bands of ``rows`` values, each hashed to
   one 64-bit band key (:func:`band_keys`). Two documents sharing any band key are *candidates*.
   With the defaults (128 permutations, 21 bands x 6 rows) the S-curve ``P = 1 - (1 - J^6)^21`` gives:

   ========  =====  =====  =====  =====  =====  =====  ======  ======
   J         0.3    0.4    0.5    0.6    0.7    0.75   0.8     0.85
   P(cand.)  0.015  0.083  0.282  0.633  0.928  0.984  0.9983  0.99998
   ========  =====  =====  =====  =====  =====  =====  ======  ======

   so a pair at the 0.8 threshold is a candidate with probability >= 0.998, and pairs below ~0.5 rarely cost
   a verification.
4. **Verification**: new-vs-new candidates are verified on the *exact* Jaccard of their shingle sets
   (recomputed for candidate documents only; candidates whose MinHash estimate is below
   ``threshold - 0.15``, i.e. > 4 standard deviations off, are rejected without it). New-vs-indexed
   candidates are verified on the MinHash estimate (fraction of equal signature values; standard deviation
   ~0.035 at J=0.8), because the index keeps signatures, never bodies. A candidate is a verified pair when its
   similarity is >= ``threshold``.
5. **Clusters without chaining** (star clustering): indexed articles are canonical first: a new document
   verified against one or more of them is dropped onto the most similar. The other documents with verified
   neighbours are covered by *stars*: repeatedly, the document with the most not-yet-covered verified
   neighbours (ties: better canonical rank) becomes a centre and takes those neighbours. In each star the
   canonical is the best-ranked member (rule below) that is verified-similar to *every* other member; the
   centre always qualifies. So every dropped document is verified-similar to its own canonical: A~B and B~C
   never drop C onto A when A and C are far apart (connected components would), and a chain A~B~C becomes
   one star around B rather than two clusters, which keeps more true pairs together than a rank-first greedy
   (bench, 10^5 files: recall of true >= 0.8 pairs 0.943 rank-first -> 0.998 centre-first, precision 1.0
   both; see bench/README.md). A star whose best-ranked member is not similar to
   all the others gets a canonical that is not the best-ranked: has-title / longest is a preference among
   eligible canonicals, never a reason to chain.
6. **Canonical rank**: an already-indexed article always wins (it is never replaced by a later copy); among
   new documents: has a title, then longest body (characters), then earliest ``published_at`` (None last),
   then smallest ``source_path`` (then ``source_sha256``, for a total order). The result does not depend on
   the input order.

Out of core (:func:`deduplicate_large`): the same model for millions of documents, with signatures and band
keys written to Parquet chunk by chunk (:func:`write_signatures`), the banding join done by DuckDB (GROUP BY
band key, and a join against the index's band keys when an index is given); bodies are never held, so all
verification uses MinHash estimates (what ``deduplicate(..., exact_verify=False)`` does in memory); it can
stream the kept documents' ``dedup_index`` rows to Parquet (``index_out``). DuckDB's ``memory_limit`` bounds
the banding step: 10^6 documents dedup in 1.3 GB peak RSS with ``memory_limit="1GB"`` (bench/README.md).

The index rows carry a ``minhash`` tag naming the algorithm and its parameters (including rensa's
``ALGORITHM_VERSION``); :func:`deduplicate` refuses an index signed differently, since its signatures would
not be comparable (re-sign the kept articles instead).
"""
from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import rensa
import xxhash

from . import schema
from .fingerprint import normalize_exact

__all__ = [
    "DedupDoc", "DedupResult", "LargeDedupResult", "NUM_PERM", "BANDS", "ROWS", "SEED", "SHINGLE_SIZE",
    "MINHASH_TAG", "INDEX_SCHEMA", "DUPLICATE_SCHEMA", "shingles", "jaccard", "signatures", "band_keys",
    "lsh_candidates", "estimate_jaccard", "deduplicate", "write_signatures", "deduplicate_large",
    "s_curve",
]

NUM_PERM = 128
BANDS = 21
ROWS = 6
SEED = 20240620
SHINGLE_SIZE = 5
#: Candidates whose MinHash estimate is this far below the threshold skip exact verification (> 4 sigma).
EXACT_CHECK_MARGIN = 0.15
#: Band buckets larger than this pair every member only with the bucket's first MAX_BUCKET members.
MAX_BUCKET = 1000
CHUNK = 4096

_U64 = np.uint64
_GRAM_C = tuple(_U64(c) for c in (
    0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD))
_BAND_C = tuple(_U64(c) for c in (
    0xA0761D6478BD642F, 0xE7037ED1A0B428DB, 0x8EBC6AF09C88C6E3, 0x589965CC75374CC3, 0x1D8E4E27C47D124F,
    0x9FB21C651E98DF25, 0xC13FA9A902A6328F, 0x91E10DA5C79E7B1D, 0xB492B66FBE98F273, 0x9AE16A3B2F90404F,
    0xCBF29CE484222325, 0x100000001B3 | 1, 0x2545F4914F6CDD1D, 0x4F1BBCDCBFA53E0B, 0x5851F42D4C957F2D,
    0x14057B7EF767814F))


def minhash_tag(num_perm: int = NUM_PERM, bands: int = BANDS, rows: int = ROWS, seed: int = SEED) -> str:
    """The name of the signature scheme; index rows signed under another tag are not comparable."""
    return (f"rensa-rminhash-v{rensa.RMinHash.ALGORITHM_VERSION}/xxh3-word{SHINGLE_SIZE}"
            f"/p{num_perm}/b{bands}x{rows}/s{seed}")


MINHASH_TAG = minhash_tag()

#: The dedup_index table, as declared in schemas/dedup_index.toml.
INDEX_SCHEMA = schema.table("dedup_index").arrow_schema()
#: The duplicates table (schemas/duplicates.toml) without run_id, which the caller adds.
DUPLICATE_SCHEMA = pa.schema([f for f in schema.table("duplicates").arrow_schema() if f.name != "run_id"])


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


# --------------------------------------------------------------------------------------------- shingles


def _tokens(body: str) -> list[str]:
    text = normalize_exact(body)
    return text.split(" ") if text else []


def shingles(body: str, k: int = SHINGLE_SIZE) -> set[tuple[str, ...]]:
    """Reference shingle set (word k-grams of the exact-normalized tokens). Slow; for tests and truth."""
    toks = _tokens(body)
    if not toks:
        return set()
    if len(toks) < k:
        return {tuple(toks)}
    return {tuple(toks[i:i + k]) for i in range(len(toks) - k + 1)}


def jaccard(a: set, b: set) -> float:
    """Jaccard index of two sets (1.0 for two empty sets)."""
    if not a and not b:
        return 1.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def _mix64(x: np.ndarray, inplace: bool = False) -> np.ndarray:
    """splitmix64 finalizer, vectorized (wrapping uint64 arithmetic); ``inplace`` reuses ``x``."""
    if not inplace:
        x = x.copy()
    x ^= x >> _U64(30)
    x *= _U64(0xBF58476D1CE4E5B9)
    x ^= x >> _U64(27)
    x *= _U64(0x94D049BB133111EB)
    x ^= x >> _U64(31)
    return x


def _gram_hashes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of the word 5-grams of already-normalized texts: (flat uint64 hashes, uint64 row offsets).

    A doc's grams are ``flat[offsets[i]:offsets[i+1]]`` (positional, may repeat; MinHash ignores repeats).
    """
    n = len(texts)
    lens = np.zeros(n, dtype=np.int64)
    nonempty = [i for i, t in enumerate(texts) if t]
    if nonempty:
        arr = pa.array([texts[i] for i in nonempty], type=pa.large_string())
        split = pc.split_pattern(arr, " ")
        tok_off = split.offsets.to_numpy()
        lens[nonempty] = np.diff(tok_off)
        enc = pc.dictionary_encode(split.flatten())
        del arr, split
        if isinstance(enc, pa.ChunkedArray):
            enc = enc.combine_chunks()
        h = xxhash.xxh3_64_intdigest
        vocab = enc.dictionary.cast(pa.large_binary()).to_pylist()
        vh = np.fromiter((h(t) for t in vocab), dtype=np.uint64, count=len(vocab))
        th = vh[enc.indices.to_numpy()]
        del enc, vocab
    else:
        th = np.zeros(0, dtype=np.uint64)
    k = SHINGLE_SIZE
    ngrams = np.where(lens >= k, lens - (k - 1), np.minimum(lens, 1))
    out_off = np.zeros(n + 1, dtype=np.uint64)
    np.cumsum(ngrams, out=out_off[1:])
    total_tok = th.shape[0]
    with np.errstate(over="ignore"):
        # acc[i] = sum_j C_j * th[i + j]; positions whose gram would cross a doc end are masked below
        acc = th * _GRAM_C[0]
        tmp = np.empty_like(acc)
        for j in range(1, k):
            if total_tok > j:
                np.multiply(th[j:], _GRAM_C[j], out=tmp[:total_tok - j])
                acc[:total_tok - j] += tmp[:total_tok - j]
        del tmp
        grams_all = _mix64(acc, inplace=True)
        tok_end = np.cumsum(lens)
        valid = np.ones(total_tok, dtype=bool)
        long_end = tok_end[lens >= k]
        for j in range(1, k):  # the last k-1 positions of a doc start no full k-gram
            valid[long_end - j] = False
        short = np.flatnonzero((lens > 0) & (lens < k))
        for d in short:
            valid[tok_end[d] - lens[d]:tok_end[d]] = False
        out = grams_all[valid]
        if short.size:  # short docs: one gram of all their tokens, inserted at their place
            vals = np.zeros(short.size, dtype=np.uint64)
            for x, d in enumerate(short):
                acc1 = np.zeros(1, dtype=np.uint64)
                for j, t in enumerate(th[tok_end[d] - lens[d]:tok_end[d]]):
                    acc1 += t * _GRAM_C[j]
                vals[x] = _mix64(acc1, inplace=True)[0]
            out = np.insert(out, out_off[short].astype(np.int64) - np.arange(short.size), vals)
    return out, out_off


def _shingle_sets(bodies: Sequence[str], chunk: int = CHUNK) -> list[np.ndarray]:
    """Sorted unique 5-gram hashes per body (the shingle set, as 64-bit hashes)."""
    out: list[np.ndarray] = []
    for s in range(0, len(bodies), chunk):
        part = bodies[s:s + chunk]
        flat, off = _gram_hashes([normalize_exact(b) for b in part])
        out.extend(np.unique(flat[int(off[i]):int(off[i + 1])]) for i in range(len(part)))
    return out


def _hashed_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    if a.size == 0 and b.size == 0:
        return 1.0
    inter = np.intersect1d(a, b, assume_unique=True).size
    return inter / (a.size + b.size - inter)


def _signatures_normalized(texts: Sequence[str], num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    flat, off = _gram_hashes(texts)
    m = rensa.RMinHash.digest_matrix_from_flat_token_hashes(flat, off, num_perm, seed)
    sig = np.array(m.to_rows(), dtype=np.uint32).reshape(len(texts), num_perm)
    return sig, np.diff(off).astype(np.int64)


def signatures(bodies: list[str], *, num_perm: int = NUM_PERM, seed: int = SEED,
               chunk: int = CHUNK) -> np.ndarray:
    """MinHash signatures of bodies: an ``(n, num_perm)`` uint32 array, deterministic for a given seed.

    An empty body gets the all-0xFFFFFFFF signature (no shingles).
    """
    out = np.empty((len(bodies), num_perm), dtype=np.uint32)
    for s in range(0, len(bodies), chunk):
        part = [normalize_exact(b) for b in bodies[s:s + chunk]]
        out[s:s + len(part)] = _signatures_normalized(part, num_perm, seed)[0]
    return out


def band_keys(sigs: np.ndarray, bands: int = BANDS, rows: int = ROWS) -> np.ndarray:
    """LSH band keys: an ``(n, bands)`` uint64 array; band ``j`` hashes ``sigs[:, j*rows:(j+1)*rows]``.

    The band number is mixed into the key, so keys of different bands never collide by construction and a
    flat list of keys can be joined directly.
    """
    if bands * rows > sigs.shape[1]:
        raise ValueError(f"bands*rows={bands * rows} exceeds num_perm={sigs.shape[1]}")
    if rows > len(_BAND_C):
        raise ValueError(f"rows must be <= {len(_BAND_C)}")
    s = sigs[:, :bands * rows].astype(np.uint64).reshape(sigs.shape[0], bands, rows)
    with np.errstate(over="ignore"):
        acc = (np.arange(bands, dtype=np.uint64) + _U64(1)) * _U64(0xD1B54A32D192ED03)
        acc = np.broadcast_to(acc, s.shape[:2]).copy()
        for k in range(rows):
            acc += s[:, :, k] * _BAND_C[k]
        return _mix64(acc)


def s_curve(j: float, bands: int = BANDS, rows: int = ROWS) -> float:
    """Probability that a pair of Jaccard ``j`` shares at least one band (becomes a candidate)."""
    return 1.0 - (1.0 - j ** rows) ** bands


def estimate_jaccard(sigs_a: np.ndarray, sigs_b: np.ndarray) -> np.ndarray:
    """Row-wise MinHash Jaccard estimates (fraction of equal values) of two equally shaped arrays."""
    return (sigs_a == sigs_b).mean(axis=-1)


def lsh_candidates(keys: np.ndarray, max_bucket: int = MAX_BUCKET) -> np.ndarray:
    """Candidate pairs ``(i, j)``, ``i < j``, of rows sharing at least one band key; sorted, unique.

    In a bucket larger than ``max_bucket`` each member is paired only with the bucket's first ``max_bucket``
    members (rows are expected in canonical-rank order), which bounds the work on degenerate input.
    """
    n, b = keys.shape
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64)
    flat = keys.reshape(-1)
    rows = np.repeat(np.arange(n, dtype=np.int64), b)
    order = np.lexsort((rows, flat))
    fk, fr = flat[order], rows[order]
    brk = np.flatnonzero(fk[1:] != fk[:-1]) + 1
    starts = np.concatenate([[0], brk])
    sizes = np.diff(np.concatenate([starts, [fk.size]]))
    multi = sizes >= 2
    pairs: list[np.ndarray] = []
    # buckets of size 2 (the common case), vectorized
    two = starts[sizes == 2]
    if two.size:
        pairs.append(np.stack([fr[two], fr[two + 1]], axis=1))
    for st, sz in zip(starts[multi & (sizes > 2)], sizes[multi & (sizes > 2)]):
        mem = fr[st:st + sz]
        head = mem[:max_bucket]
        i, j = np.triu_indices(sz, k=1)
        keep = i < head.size
        pairs.append(np.stack([mem[i[keep]], mem[j[keep]]], axis=1))
    if not pairs:
        return np.zeros((0, 2), dtype=np.int64)
    p = np.concatenate(pairs)
    p = p[p[:, 0] != p[:, 1]]
    p = np.sort(p, axis=1)
    return np.unique(p, axis=0)


# ------------------------------------------------------------------------------------------ clustering


def _rank_key(d: DedupDoc) -> tuple:
    pub = d.published_at
    return (not d.has_title, -len(d.body), pub is None, pub or datetime.min, d.source_path, d.source_sha256)


def _star_clusters(n_new: int, edges: dict[tuple[int, int], float], index_edges: dict[tuple[int, int], float],
                   ) -> tuple[list[int], dict[int, tuple[str, int, float]]]:
    """Star clustering over verified edges. New docs are 0..n_new-1 in canonical-rank order.

    ``edges``: (i, j), i < j -> similarity between new docs; ``index_edges``: (i, k) -> similarity between new
    doc i and indexed article k. Returns (canonical new docs that have neighbours,
    {dropped i: ('index'|'new', target, similarity)}).

    1. Indexed articles are canonical first: a new doc with a verified indexed neighbour is dropped onto the
       most similar one (ties: smaller k).
    2. The remaining docs are covered by stars: repeatedly the doc with the most not-yet-covered verified
       neighbours (ties: better rank) becomes a centre, and the star is it plus those neighbours.
    3. In each star the canonical is the best-ranked member verified-similar to *every* other member (the
       centre always qualifies), so every dropped doc is similar to its own canonical: no chaining.
    """
    nb_new: dict[int, list[tuple[int, float]]] = {}
    for (i, j), s in edges.items():
        nb_new.setdefault(i, []).append((j, s))
        nb_new.setdefault(j, []).append((i, s))
    dropped: dict[int, tuple[str, int, float]] = {}
    best_idx: dict[int, tuple[float, int]] = {}
    for (i, k), s in index_edges.items():
        cur = best_idx.get(i)
        if cur is None or (-s, k) < (-cur[0], cur[1]):
            best_idx[i] = (s, k)
    for i, (s, k) in best_idx.items():
        dropped[i] = ("index", k, s)
    uncovered = {i for i in nb_new if i not in dropped}
    heap = [(-sum(1 for j, _ in nb_new[i] if j in uncovered), i) for i in sorted(uncovered)]
    heapq.heapify(heap)
    canon: list[int] = []
    while heap:
        neg, i = heapq.heappop(heap)
        if i not in uncovered:
            continue
        deg = sum(1 for j, _ in nb_new[i] if j in uncovered)
        if deg != -neg:  # stale entry: re-queue with the current degree
            heapq.heappush(heap, (-deg, i))
            continue
        star = sorted([i, *(j for j, _ in nb_new[i] if j in uncovered)])
        uncovered.difference_update(star)
        sims = {}
        for m in star:
            for j, s in nb_new[m]:
                sims[(m, j)] = s
        c = next(m for m in star if all(x == m or (m, x) in sims for x in star))
        canon.append(c)
        for m in star:
            if m != c:
                dropped[m] = ("new", c, sims[(m, c)])
    return sorted(canon), dropped


def _index_arrays(index: pa.Table | None, num_perm: int, bands: int, rows: int, seed: int):
    if index is None or index.num_rows == 0:
        return [], np.zeros((0, num_perm), np.uint32), np.zeros((0, bands), np.uint64)
    tag = minhash_tag(num_perm, bands, rows, seed)
    tags = set(index.column("minhash").unique().to_pylist())
    if tags != {tag}:
        raise ValueError(f"dedup_index was signed with {sorted(tags)}, this code signs with {tag!r}: "
                         "re-sign the kept articles before deduplicating against it")
    ids = index.column("article_id").to_pylist()
    sig_bytes = b"".join(index.column("signature").to_pylist())
    sigs = np.frombuffer(sig_bytes, dtype="<u4").reshape(len(ids), num_perm).astype(np.uint32)
    keys = np.asarray(index.column("band_keys").combine_chunks().flatten().to_numpy(zero_copy_only=False),
                      dtype=np.uint64).reshape(len(ids), bands)
    return ids, sigs, keys


def _join_keys(new_keys: np.ndarray, old_keys: np.ndarray) -> np.ndarray:
    """Pairs (new row, old row) sharing at least one band key; unique, sorted."""
    if new_keys.size == 0 or old_keys.size == 0:
        return np.zeros((0, 2), dtype=np.int64)
    of = old_keys.reshape(-1)
    orow = np.repeat(np.arange(old_keys.shape[0], dtype=np.int64), old_keys.shape[1])
    order = np.argsort(of, kind="stable")
    of, orow = of[order], orow[order]
    nf = new_keys.reshape(-1)
    nrow = np.repeat(np.arange(new_keys.shape[0], dtype=np.int64), new_keys.shape[1])
    lo = np.searchsorted(of, nf, side="left")
    hi = np.searchsorted(of, nf, side="right")
    cnt = hi - lo
    if not cnt.any():
        return np.zeros((0, 2), dtype=np.int64)
    rel = np.arange(int(cnt.sum())) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    p = np.stack([np.repeat(nrow, cnt), orow[np.repeat(lo, cnt) + rel]], axis=1)
    return np.unique(p, axis=0)


def deduplicate(new_docs: list[DedupDoc], index: pa.Table | None, *, threshold: float = 0.8,
                num_perm: int = NUM_PERM, bands: int = BANDS, rows: int = ROWS, seed: int = SEED,
                exact_verify: bool = True) -> DedupResult:
    """Deduplicate one run's documents against themselves and the committed ``dedup_index``.

    See the module docstring for the method. ``exact_verify=False`` verifies new-vs-new candidates on the
    MinHash estimate too (faster on duplicate-heavy input, less exact near the threshold).
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError("threshold must be in (0, 1]")
    idx_ids, idx_sigs, idx_keys = _index_arrays(index, num_perm, bands, rows, seed)
    idx_pos = {a: k for k, a in enumerate(idx_ids)}
    duplicates: list[dict] = []

    # 1. exact groups
    groups: dict[str, list[DedupDoc]] = {}
    for d in new_docs:
        groups.setdefault(d.article_id, []).append(d)
    reps: list[DedupDoc] = []
    members: dict[str, list[DedupDoc]] = {}
    for aid, docs in groups.items():
        docs = sorted(docs, key=_rank_key)
        if aid in idx_pos:
            for d in docs:
                duplicates.append(_dup_row(d, aid, 1.0, "exact"))
            continue
        reps.append(docs[0])
        members[aid] = docs[1:]
    reps.sort(key=_rank_key)
    n = len(reps)

    # 2. signatures, 3. LSH
    sigs = np.empty((n, num_perm), dtype=np.uint32)
    nshingles = np.zeros(n, dtype=np.int64)
    for s in range(0, n, CHUNK):
        part = [normalize_exact(d.body) for d in reps[s:s + CHUNK]]
        sigs[s:s + len(part)], nshingles[s:s + len(part)] = _signatures_normalized(part, num_perm, seed)
    keys = band_keys(sigs, bands, rows)
    has_sh = nshingles > 0  # empty bodies take no part in near-duplicate detection
    live = np.flatnonzero(has_sh)
    cand = lsh_candidates(keys[live])
    cand = live[cand] if cand.size else cand
    xcand = _join_keys(keys[live], idx_keys)
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
            sets = dict(zip(need.tolist(), _shingle_sets([reps[i].body for i in need])))
            for i, j in cand.tolist():
                sim = _hashed_jaccard(sets[i], sets[j])
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
    canon, dropped = _star_clusters(n, edges, index_edges)
    for i, (kind, tgt, sim) in sorted(dropped.items()):
        target_id = idx_ids[tgt] if kind == "index" else reps[tgt].article_id
        sim = round(float(sim), 4)
        for d in [reps[i], *members[reps[i].article_id]]:
            duplicates.append(_dup_row(d, target_id, sim, "near"))
    kept = [reps[i] for i in range(n) if i not in dropped]
    for d in kept:
        for m in members[d.article_id]:
            duplicates.append(_dup_row(m, d.article_id, 1.0, "exact"))
    kept.sort(key=lambda d: d.article_id)
    duplicates.sort(key=lambda r: (r["source_path"], r["source_sha256"]))

    pos = {d.article_id: i for i, d in enumerate(reps)}
    kidx = np.array([pos[d.article_id] for d in kept], dtype=np.int64)
    index_rows = _index_table([d.article_id for d in kept], [d.source_path for d in kept],
                              nshingles[kidx] if kidx.size else np.zeros(0, np.int64),
                              sigs[kidx], keys[kidx], minhash_tag(num_perm, bands, rows, seed))
    stats = {"docs": len(new_docs), "exact_groups": len(groups), "signed": n, "candidates": int(len(cand)),
             "index_candidates": int(len(xcand)), "verified": len(edges), "index_verified": len(index_edges),
             "kept": len(kept), "duplicates": len(duplicates)}
    return DedupResult(kept=kept, duplicates=duplicates, index_rows=index_rows, stats=stats)


def _dup_row(d: DedupDoc, of: str, sim: float, method: str) -> dict:
    return {"source_path": d.source_path, "source_sha256": d.source_sha256, "duplicate_of": of,
            "similarity": sim, "method": method}


def _index_table(ids: list[str], paths: list[str], nsh: np.ndarray, sigs: np.ndarray, keys: np.ndarray,
                 tag: str) -> pa.Table:
    n = len(ids)
    sig_col = pa.array([r.tobytes() for r in sigs.astype("<u4")], type=pa.binary()) if n else \
        pa.array([], type=pa.binary())
    flat_keys = pa.array(keys.reshape(-1), type=pa.uint64())
    offsets = pa.array(np.arange(n + 1, dtype=np.int32) * keys.shape[1], type=pa.int32())
    key_col = pa.ListArray.from_arrays(offsets, flat_keys)
    return pa.Table.from_arrays([
        pa.array(ids, pa.string()), pa.array(paths, pa.string()), pa.array(nsh, pa.int32()), sig_col, key_col,
        pa.array([tag] * n, pa.string()),
    ], schema=INDEX_SCHEMA)


# ------------------------------------------------------------------------------------------ out of core

_SIG_META = pa.schema([
    pa.field("doc", pa.int64(), nullable=False),
    pa.field("source_path", pa.string(), nullable=False),
    pa.field("source_sha256", pa.string(), nullable=False),
    pa.field("article_id", pa.string(), nullable=False),
    pa.field("has_title", pa.bool_(), nullable=False),
    pa.field("body_len", pa.int64(), nullable=False),
    pa.field("published_at", pa.timestamp("us"), nullable=True),
    pa.field("shingle_count", pa.int32(), nullable=False),
    pa.field("signature", pa.binary(), nullable=False),
])


def write_signatures(docs: Iterable[DedupDoc], out_dir: str | Path, *, chunk: int = 20000,
                     num_perm: int = NUM_PERM, bands: int = BANDS, rows: int = ROWS, seed: int = SEED) -> int:
    """Stream documents into ``out_dir/sigs/part-*.parquet`` (metadata + signature, no body) and
    ``out_dir/bands/part-*.parquet`` (doc, band key). Returns the number of documents written.

    Only one chunk of bodies is in memory at a time: this is the out-of-core first half.
    """
    import pyarrow.parquet as pq

    out = Path(out_dir)
    (out / "sigs").mkdir(parents=True, exist_ok=True)
    (out / "bands").mkdir(parents=True, exist_ok=True)
    total = 0
    it: Iterator[DedupDoc] = iter(docs)
    part = 0
    while True:
        batch = list(itertools.islice(it, chunk))
        if not batch:
            break
        sigs = np.empty((len(batch), num_perm), dtype=np.uint32)
        nsh = np.zeros(len(batch), dtype=np.int64)
        for s in range(0, len(batch), CHUNK):
            texts = [normalize_exact(d.body) for d in batch[s:s + CHUNK]]
            sigs[s:s + len(texts)], nsh[s:s + len(texts)] = _signatures_normalized(texts, num_perm, seed)
        keys = band_keys(sigs, bands, rows)
        docid = np.arange(total, total + len(batch), dtype=np.int64)
        meta = pa.Table.from_arrays([
            pa.array(docid), pa.array([d.source_path for d in batch]),
            pa.array([d.source_sha256 for d in batch]), pa.array([d.article_id for d in batch]),
            pa.array([d.has_title for d in batch]), pa.array([len(d.body) for d in batch], pa.int64()),
            pa.array([d.published_at for d in batch], pa.timestamp("us")), pa.array(nsh, pa.int32()),
            pa.array([r.tobytes() for r in sigs.astype("<u4")], pa.binary()),
        ], schema=_SIG_META)
        pq.write_table(meta, out / "sigs" / f"part-{part:05d}.parquet", compression="zstd")
        live = nsh > 0
        bt = pa.table({"doc": np.repeat(docid[live], bands), "band_key": keys[live].reshape(-1)})
        pq.write_table(bt, out / "bands" / f"part-{part:05d}.parquet", compression="zstd")
        total += len(batch)
        part += 1
        del batch, meta, bt
    return total


@dataclass
class LargeDedupResult:
    duplicates: pa.Table  # DUPLICATE_SCHEMA, sorted by source_path
    kept_docs: np.ndarray  # doc numbers (from write_signatures) of the kept documents
    stats: dict = field(default_factory=dict)


def deduplicate_large(sig_dir: str | Path, *, index: str | Path | None = None, threshold: float = 0.8,
                      num_perm: int = NUM_PERM, bands: int = BANDS, rows: int = ROWS, seed: int = SEED,
                      memory_limit: str = "2GB", threads: int = 2,
                      index_out: str | Path | None = None) -> LargeDedupResult:
    """Out-of-core deduplication of the documents written by :func:`write_signatures`.

    ``index``: a Parquet file or glob of the committed ``dedup_index`` table (optional). DuckDB does the exact
    grouping (by ``article_id``), the banding self-join (GROUP BY band key over the Parquet band files) and
    the join of band keys against the index, spilling to disk past ``memory_limit``. Python only sees
    candidate pairs, the signatures of candidate documents and rank numbers. Verification is on MinHash
    estimates (bodies are never held); clustering is the same star clustering as :func:`deduplicate`, with
    indexed articles canonical first. ``index_out``: write the kept documents' ``dedup_index`` rows (same
    schema and order as :func:`deduplicate`'s ``index_rows``) to this Parquet file, streamed in batches.
    """
    import duckdb

    if not 0.0 < threshold <= 1.0:
        raise ValueError("threshold must be in (0, 1]")
    d = Path(sig_dir)
    con = duckdb.connect()
    con.execute(f"SET memory_limit='{memory_limit}'")
    con.execute(f"SET threads={int(threads)}")
    con.execute("SET preserve_insertion_order=false")
    tmp = d / "duckdb_tmp"
    tmp.mkdir(exist_ok=True)
    con.execute(f"SET temp_directory='{tmp.as_posix()}'")
    sigs_glob = (d / "sigs" / "*.parquet").as_posix()
    bands_glob = (d / "bands" / "*.parquet").as_posix()
    tag = minhash_tag(num_perm, bands, rows, seed)
    if index is not None:
        con.execute(f"""CREATE TEMP TABLE idx AS
            SELECT row_number() OVER (ORDER BY article_id) - 1 AS k, article_id, minhash
            FROM read_parquet('{Path(index).as_posix()}')""")
        tags = {r[0] for r in con.sql("SELECT DISTINCT minhash FROM idx").fetchall()}
        if tags - {tag}:
            raise ValueError(f"dedup_index was signed with {sorted(tags)}, this code signs with {tag!r}")
    else:
        con.execute("CREATE TEMP TABLE idx (k BIGINT, article_id VARCHAR, minhash VARCHAR)")
    # rank: every doc's position in canonical order (has title, longest, earliest, smallest path, sha)
    con.execute(f"""
        CREATE TEMP TABLE ranked AS
        SELECT doc, article_id, source_path, source_sha256,
               row_number() OVER (ORDER BY has_title DESC, body_len DESC, published_at ASC NULLS LAST,
                                  source_path, source_sha256) - 1 AS rnk
        FROM read_parquet('{sigs_glob}')
    """)
    # exact groups not already indexed: the best-ranked doc of each article_id represents it
    con.execute("""
        CREATE TEMP TABLE rep AS
        SELECT article_id, min(rnk) AS rep_rnk FROM ranked
        WHERE article_id NOT IN (SELECT article_id FROM idx) GROUP BY article_id
    """)
    con.execute(f"""
        CREATE TEMP TABLE rep_bands AS
        SELECT p.rep_rnk AS rnk, bk.band_key
        FROM read_parquet('{bands_glob}') bk JOIN ranked r USING (doc) JOIN rep p ON p.rep_rnk = r.rnk
    """)
    n_docs = con.sql("SELECT count(*) FROM ranked").fetchall()[0][0]
    # candidate pairs among representatives: band buckets with >= 2 members
    cand = con.sql(f"""
        WITH buckets AS (
            SELECT list(rnk ORDER BY rnk) AS m FROM rep_bands GROUP BY band_key HAVING count(*) >= 2
        ),
        heads AS (
            SELECT m, unnest(range(1, least(len(m), {MAX_BUCKET}) + 1)) AS i FROM buckets
        ),
        pairs AS (
            SELECT m[i] AS a, unnest(list_slice(m, i + 1, len(m))) AS b FROM heads
        )
        SELECT DISTINCT a, b FROM pairs ORDER BY a, b
    """).fetchnumpy()
    a = np.asarray(cand["a"], dtype=np.int64)
    b = np.asarray(cand["b"], dtype=np.int64)
    # candidates against the index
    if index is not None:
        xc = con.sql(f"""
            WITH ib AS (SELECT i.k, unnest(x.band_keys) AS band_key
                        FROM read_parquet('{Path(index).as_posix()}') x JOIN idx i USING (article_id))
            SELECT DISTINCT rb.rnk AS a, ib.k AS k FROM rep_bands rb JOIN ib USING (band_key) ORDER BY a, k
        """).fetchnumpy()
        xa = np.asarray(xc["a"], dtype=np.int64)
        xk = np.asarray(xc["k"], dtype=np.int64)
    else:
        xa = xk = np.zeros(0, np.int64)
    need = np.unique(np.concatenate([a, b, xa]))

    def fetch(sql: str, keycol: str) -> tuple[np.ndarray, np.ndarray]:
        t = con.sql(sql).fetch_arrow_table()
        keys = t.column(keycol).to_numpy()
        m = np.frombuffer(b"".join(t.column("signature").to_pylist()), dtype="<u4").reshape(len(keys), num_perm)
        return keys, m

    def estimates(ka, ma, qa, kb, mb, qb) -> np.ndarray:
        pa_, pb_ = np.searchsorted(ka, qa), np.searchsorted(kb, qb)
        est = np.empty(qa.size)
        for s0 in range(0, qa.size, 100000):
            est[s0:s0 + 100000] = estimate_jaccard(ma[pa_[s0:s0 + 100000]], mb[pb_[s0:s0 + 100000]])
        return est

    edges: dict[tuple[int, int], float] = {}
    index_edges: dict[tuple[int, int], float] = {}
    nodes = np.zeros(0, np.int64)
    if need.size:
        con.register("need_tbl", pa.table({"rnk": need}))
        rk, rm = fetch(f"""SELECT r.rnk, s.signature FROM read_parquet('{sigs_glob}') s JOIN ranked r USING (doc)
                           JOIN need_tbl n ON n.rnk = r.rnk ORDER BY r.rnk""", "rnk")
        est = estimates(rk, rm, a, rk, rm, b)
        ok = est >= threshold
        va, vb, ve = a[ok], b[ok], est[ok]
        if xa.size:
            con.register("needk_tbl", pa.table({"k": np.unique(xk)}))
            ik, im = fetch(f"""SELECT i.k, x.signature FROM read_parquet('{Path(index).as_posix()}') x
                               JOIN idx i USING (article_id) JOIN needk_tbl n ON n.k = i.k ORDER BY i.k""", "k")
            xest = estimates(rk, rm, xa, ik, im, xk)
            xok = xest >= threshold
            xa_, xk_, xe = xa[xok], xk[xok], xest[xok]
        else:
            xa_ = xk_ = np.zeros(0, np.int64)
            xe = np.zeros(0)
        # compress rank numbers of docs in verified edges to 0..m-1 (rank order is preserved)
        nodes = np.unique(np.concatenate([va, vb, xa_]))
        edges = {(int(x), int(y)): float(e) for x, y, e in
                 zip(np.searchsorted(nodes, va), np.searchsorted(nodes, vb), ve)}
        index_edges = {(int(x), int(k)): float(e) for x, k, e in zip(np.searchsorted(nodes, xa_), xk_, xe)}
    canon, dropped = _star_clusters(len(nodes), edges, index_edges)
    # near duplicates: representative -> target article id
    idx_ids: dict[int, str] = {}
    if any(kind == "index" for kind, _, _ in dropped.values()):
        ks = sorted({t for kind, t, _ in dropped.values() if kind == "index"})
        con.register("ks_tbl", pa.table({"k": np.array(ks, dtype=np.int64)}))
        idx_ids = dict(con.sql("SELECT i.k, i.article_id FROM idx i JOIN ks_tbl USING (k)").fetchall())
    canon_ranks = sorted({int(nodes[t]) for kind, t, _ in dropped.values() if kind == "new"})
    con.register("cr_tbl", pa.table({"rnk": np.array(canon_ranks, dtype=np.int64)}))
    rank_ids = dict(con.sql("SELECT r.rnk, r.article_id FROM ranked r JOIN cr_tbl USING (rnk)").fetchall())
    order = sorted(dropped)
    near = pa.table({
        "rep_rnk": pa.array([int(nodes[i]) for i in order], pa.int64()),
        "canon_id": pa.array([idx_ids[dropped[i][1]] if dropped[i][0] == "index" else
                              rank_ids[int(nodes[dropped[i][1]])] for i in order], pa.string()),
        "similarity": pa.array([round(dropped[i][2], 4) for i in order], pa.float64()),
    })
    con.register("near_tbl", near)
    dup = con.sql("""
        SELECT r.source_path, r.source_sha256, r.article_id AS duplicate_of, 1.0 AS similarity,
               'exact' AS method
        FROM ranked r WHERE r.article_id IN (SELECT article_id FROM idx)
        UNION ALL
        SELECT r.source_path, r.source_sha256, coalesce(n.canon_id, p.article_id) AS duplicate_of,
               coalesce(n.similarity, 1.0) AS similarity,
               CASE WHEN n.rep_rnk IS NULL THEN 'exact' ELSE 'near' END AS method
        FROM ranked r JOIN rep p USING (article_id) LEFT JOIN near_tbl n ON n.rep_rnk = p.rep_rnk
        WHERE n.rep_rnk IS NOT NULL OR r.rnk <> p.rep_rnk
        ORDER BY source_path, source_sha256
    """).fetch_arrow_table()
    kept = con.sql("""
        SELECT r.doc FROM rep p JOIN ranked r ON r.rnk = p.rep_rnk
        WHERE p.rep_rnk NOT IN (SELECT rep_rnk FROM near_tbl) ORDER BY r.doc
    """).fetchnumpy()["doc"]
    if index_out is not None:
        import pyarrow.parquet as pq

        con.register("kept_tbl", pa.table({"doc": np.asarray(kept, dtype=np.int64)}))
        reader = con.sql(f"""
            SELECT s.article_id, s.source_path, s.shingle_count, s.signature
            FROM read_parquet('{sigs_glob}') s JOIN kept_tbl USING (doc) ORDER BY s.article_id
        """).fetch_record_batch(50000)
        with pq.ParquetWriter(str(index_out), INDEX_SCHEMA, compression="zstd") as w:
            for batch in reader:
                n = batch.num_rows
                sig = np.frombuffer(b"".join(batch.column(3).to_pylist()), dtype="<u4").reshape(n, num_perm)
                w.write_table(_index_table(batch.column(0).to_pylist(), batch.column(1).to_pylist(),
                                           batch.column(2).to_numpy(), sig, band_keys(sig, bands, rows), tag))
    con.close()
    stats = {"docs": int(n_docs), "candidates": int(a.size), "index_candidates": int(xa.size),
             "verified": len(edges), "index_verified": len(index_edges), "kept": int(len(kept)),
             "duplicates": dup.num_rows}
    return LargeDedupResult(duplicates=dup.cast(DUPLICATE_SCHEMA), kept_docs=np.asarray(kept), stats=stats)
