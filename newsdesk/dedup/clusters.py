"""Which document of a group of near-duplicates is kept: canonical rank and star clustering without chaining.

Owns :func:`rank_key` (has a title, then longest body, then earliest ``published_at``, then smallest
``source_path``, ``source_sha256``) and :func:`star_clusters` (indexed articles canonical first; stars
around the documents with the most uncovered verified neighbours; each star's canonical verified-similar to
every member). Shared by the in-memory and the out-of-core paths.
"""
from __future__ import annotations

import heapq
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from newsdesk.dedup.batch import DedupDoc

__all__ = ["rank_key", "star_clusters"]

def rank_key(d: DedupDoc) -> tuple:
    pub = d.published_at
    return (not d.has_title, -len(d.body), pub is None, pub or datetime.min, d.source_path, d.source_sha256)


def star_clusters(n_new: int, edges: dict[tuple[int, int], float], index_edges: dict[tuple[int, int], float],
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
