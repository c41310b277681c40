"""Repetition as Gopher measures it: the most frequent n-gram's share and the share in repeated n-grams.

Owns ``_ngram_stats`` (Rae et al. 2021, table A1; datatrove's GopherRepetitionFilter: over the lower-cased words,
for each n the characters of the most frequent n-gram times its count, and the characters in n-grams that repeat
an earlier one) and ``_dup_share``; the ``gopher.top_ngram`` and ``gopher.dup_ngram`` rules
(:mod:`~newsdesk.quality.checks`) read them.
"""
from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Sequence
from itertools import compress


def _ngram_stats(low: Sequence[str], top_ns: Sequence[int], dup_ns: Sequence[int],
                 min_count: int = 2, bound_below: float = 0.0) -> dict[str, float]:
    """Gopher's repetition measures (Rae et al. 2021, table A1; datatrove GopherRepetitionFilter) over the
    lower-cased words: for each n in ``top_ns`` the characters of the most frequent n-gram times its count (as
    datatrove: overlapping occurrences count), over all characters, when it occurs ``min_count``+ times ('top2'...);
    for each n in ``dup_ns`` the share of characters in n-grams that repeat an earlier one, overlaps counted once
    ('dup5'...). Characters: the words' lengths (spaces not counted). C-level passes; Python only walks the
    repeated positions. ``bound_below``: an n > 2 whose share provably stays under this (the top 2-gram's count
    times n times the longest word) is reported as 0 without counting (when 2 is among ``top_ns``)."""
    total = sum(map(len, low)) or 1
    out: dict[str, float] = {}
    c2 = maxlen = 0  # the most frequent 2-gram's count bounds every longer n-gram's count
    for n in sorted(top_ns):
        if len(low) < 2 * n:
            out[f"top{n}"] = 0.0
            continue
        if n > 2 and c2:
            if not maxlen:
                maxlen = max(map(len, low))
            if c2 < min_count or c2 * n * maxlen <= bound_below * total:
                out[f"top{n}"] = 0.0  # no n-gram can reach min_count, or bound_below of the characters
                continue
        gram, count = Counter(zip(*(low[i:] for i in range(n)))).most_common(1)[0]
        if n == 2:
            c2 = count
        out[f"top{n}"] = (sum(map(len, gram)) * count / total) if count >= min_count else 0.0
    for n in dup_ns:
        out[f"dup{n}"] = _dup_share(low, n, total)
    return out


def _dup_share(low: Sequence[str], n: int, total: int) -> float:
    """Share of characters in n-grams that repeat an earlier n-gram (overlapping repeats counted once)."""
    if len(low) < 2 * n:
        return 0.0
    grams = list(zip(*(low[i:] for i in range(n))))
    m = len(grams)
    if len(set(grams)) == m:
        return 0.0
    first = dict(zip(reversed(grams), range(m - 1, -1, -1)))  # each n-gram -> its first position
    repeats = compress(range(m), map(operator.ne, map(first.__getitem__, grams), range(m)))
    lengths = list(map(len, low))
    dup_chars = 0
    covered = -1  # last word already counted
    for i in repeats:
        start = i if i > covered else covered + 1
        end = i + n
        if start < end:
            dup_chars += sum(lengths[start:end])
        covered = end - 1
    return dup_chars / total
