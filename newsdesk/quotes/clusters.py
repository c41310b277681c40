"""Cross-article quote clusters: quotes of one statement reported by several articles share an id.

Owns :func:`cluster_quotes` (same speaker, overlapping content words or one quote inside the other;
connected components named by their smallest ``quote_id``) and the quote text normalisation it compares by.
"""
from __future__ import annotations

import re
from collections import defaultdict

from newsdesk.lexicon import CLUSTER_STOP_WORDS
from newsdesk.names import name_key, strip_honorifics

__all__ = ["cluster_quotes", "cluster_incremental", "speaker_block", "quote_stems"]


# --------------------------------------------------------------------------------------------
# Cross-article clustering
# --------------------------------------------------------------------------------------------



def _stem(w: str) -> str:
    for suf in ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "s"):
        if len(w) > len(suf) + 3 and w.endswith(suf):
            return w[: -len(suf)] + ("y" if suf in ("ies", "ied") else "")
    return w


def _norm_tokens(text: str) -> list[str]:
    return [w for w in re.findall(r"[^\W_]+", (text or "").lower())]


def _speaker_key(s) -> str | None:
    if s is None:
        return None
    s = str(s).strip()
    if not s:
        return None
    return " ".join(name_key(strip_honorifics(s)).split())


def cluster_quotes(rows: list[dict], threshold: float = 0.6) -> list[str]:
    """Quote-cluster ids (one per row, aligned with ``rows``).

    Two quotes are linked when they have the same speaker (case/hyphen-insensitive; quotes with
    no speaker are never linked) and either (a) their content-word sets (stop words removed,
    crudely stemmed) overlap by at least ``threshold`` of the smaller set (>= 3 content words), or
    (b) the shorter one (>= 2 content words) occurs verbatim (normalised) inside the longer.
    Clusters are the connected components; each gets the smallest ``quote_id`` of its members,
    so the result does not depend on row order. Candidate pairs come from an inverted index of
    each quote's rarest words within its speaker block (prefix filtering), so 10^5 quotes run in
    seconds.
    """
    n = len(rows)
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    blocks: dict[str, list[int]] = defaultdict(list)
    toks: list[list[str]] = [[] for _ in range(n)]
    sets: list[frozenset] = [frozenset() for _ in range(n)]
    norm: list[str] = [""] * n
    for i, r in enumerate(rows):
        key = _speaker_key(r.get("speaker"))
        words = _norm_tokens(r.get("text", ""))
        norm[i] = " " + " ".join(words) + " "
        toks[i] = words
        sets[i] = frozenset(_stem(w) for w in words if w not in CLUSTER_STOP_WORDS)
        if key is not None and sets[i]:
            blocks[key].append(i)

    for key, members in blocks.items():
        if len(members) < 2:
            continue
        df: dict[str, int] = defaultdict(int)
        for i in members:
            for w in sets[i]:
                df[w] += 1
        index: dict[str, list[int]] = defaultdict(list)
        ordered: dict[int, list[str]] = {}
        for i in members:
            o = sorted(sets[i], key=lambda w: (df[w], w))
            ordered[i] = o
            for w in o:
                index[w].append(i)
        for i in members:
            o = ordered[i]
            size = len(o)
            if size >= 3:
                need = max(1, int(-(-threshold * size // 1)))  # ceil
                prefix = o[: size - need + 1]
            else:
                prefix = o[:1]
            cands: set[int] = set()
            for w in prefix:
                for j in index[w]:
                    if j != i and len(sets[j]) >= size:
                        cands.add(j)
            for j in cands:
                if find(i) == find(j):
                    continue
                inter = len(sets[i] & sets[j])
                if size >= 3 and inter >= threshold * size:
                    union(i, j)
                elif size >= 2 and norm[i].strip() and norm[i] in norm[j]:
                    union(i, j)

    comp_min: dict[int, str] = {}
    for i, r in enumerate(rows):
        root = find(i)
        qid = str(r.get("quote_id"))
        if root not in comp_min or qid < comp_min[root]:
            comp_min[root] = qid
    return [comp_min[find(i)] for i in range(n)]


def speaker_block(speaker: str | None) -> str | None:
    """The block a quote is clustered in: its speaker's comparison form (None: never clustered)."""
    return _speaker_key(speaker)


def quote_stems(text: str) -> list[str]:
    """The stemmed content words :func:`cluster_quotes` compares, sorted (a quote's text signature)."""
    return sorted({_stem(w) for w in _norm_tokens(text) if w not in CLUSTER_STOP_WORDS})


def cluster_incremental(new: list[dict], committed: list[dict], threshold: float = 0.6) -> list[str]:
    """Cluster ids for ``new`` quotes (dicts with quote_id, text, block), given the ``committed`` quotes
    that may repeat them (dicts with quote_id, text, block, quote_cluster_id; typically the committed
    quotes of the same blocks sharing a content word with a new one).

    Committed ids never change: a new quote that joins a cluster of committed quotes takes the smallest
    committed cluster id among them; otherwise the smallest quote_id of its cluster (as
    :func:`cluster_quotes`).
    """
    rows = [{"quote_id": r["quote_id"], "text": r["text"], "speaker": r["block"]} for r in [*committed, *new]]
    ids = cluster_quotes(rows, threshold)
    keep: dict[str, str] = {}
    for r, cid in zip(committed, ids[:len(committed)]):
        if cid not in keep or r["quote_cluster_id"] < keep[cid]:
            keep[cid] = r["quote_cluster_id"]
    return [keep.get(cid, cid) for cid in ids[len(committed):]]
