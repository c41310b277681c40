"""MinHash over word shingles: what "similar" means, signatures, LSH band keys and candidate pairs.

Owns the parameters (``NUM_PERM``, ``BANDS`` x ``ROWS``, ``SEED``, ``SHINGLE_SIZE``) and the tag that names
them (:func:`minhash_tag`), the reference shingles and Jaccard (:func:`shingles`, :func:`jaccard`), the
vectorised 5-gram hashing (Arrow split + dictionary-encode, xxh3 of the vocabulary, ``splitmix64`` of a
weighted sum), rensa's signatures (:func:`signatures`), the band keys (:func:`band_keys`), the S-curve and
the candidate pairs of a batch (:func:`lsh_candidates`). See the package docstring for the method.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import rensa
import xxhash

from newsdesk.fingerprint import normalize_exact

__all__ = ["NUM_PERM", "BANDS", "ROWS", "SEED", "SHINGLE_SIZE", "EXACT_CHECK_MARGIN", "MAX_BUCKET", "CHUNK",
           "MINHASH_TAG", "minhash_tag", "shingles", "jaccard", "shingle_sets", "hashed_jaccard",
           "signatures_normalized", "signatures", "band_keys", "s_curve", "estimate_jaccard", "lsh_candidates"]

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


def shingle_sets(bodies: Sequence[str], chunk: int = CHUNK) -> list[np.ndarray]:
    """Sorted unique 5-gram hashes per body (the shingle set, as 64-bit hashes)."""
    out: list[np.ndarray] = []
    for s in range(0, len(bodies), chunk):
        part = bodies[s:s + chunk]
        flat, off = _gram_hashes([normalize_exact(b) for b in part])
        out.extend(np.unique(flat[int(off[i]):int(off[i + 1])]) for i in range(len(part)))
    return out


def hashed_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    if a.size == 0 and b.size == 0:
        return 1.0
    inter = np.intersect1d(a, b, assume_unique=True).size
    return inter / (a.size + b.size - inter)


def signatures_normalized(texts: Sequence[str], num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
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
        out[s:s + len(part)] = signatures_normalized(part, num_perm, seed)[0]
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
