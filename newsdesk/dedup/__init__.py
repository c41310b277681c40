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

The package:

* :mod:`~newsdesk.dedup.minhash` — tokens, shingles, MinHash signatures, LSH band keys and candidates;
* :mod:`~newsdesk.dedup.clusters` — canonical rank and star clustering of verified pairs;
* :mod:`~newsdesk.dedup.index` — the ``dedup_index`` rows (build, read, join band keys against them);
* :mod:`~newsdesk.dedup.batch` — :func:`deduplicate`: one run's documents in memory;
* :mod:`~newsdesk.dedup.large` — :func:`deduplicate_large` and :func:`write_signatures`: out of core.
"""
from newsdesk.dedup.batch import DedupDoc, DedupResult, deduplicate
from newsdesk.dedup.index import DUPLICATE_SCHEMA, INDEX_SCHEMA
from newsdesk.dedup.large import LargeDedupResult, deduplicate_large, write_signatures
from newsdesk.dedup.minhash import (
    BANDS, MINHASH_TAG, NUM_PERM, ROWS, SEED, SHINGLE_SIZE, band_keys, estimate_jaccard, jaccard, lsh_candidates,
    minhash_tag, s_curve, shingles, signatures,
)

__all__ = [
    "DedupDoc", "DedupResult", "LargeDedupResult", "NUM_PERM", "BANDS", "ROWS", "SEED", "SHINGLE_SIZE",
    "MINHASH_TAG", "INDEX_SCHEMA", "DUPLICATE_SCHEMA", "shingles", "jaccard", "signatures", "band_keys",
    "lsh_candidates", "estimate_jaccard", "deduplicate", "write_signatures", "deduplicate_large",
    "s_curve", "minhash_tag",
]
