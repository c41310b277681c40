"""newsdesk.dedup.minhash: normalization, shingles, signatures, band keys, candidates."""
from __future__ import annotations

import random

import numpy as np
import pytest

from newsdesk.dedup.minhash import (BANDS, NUM_PERM, ROWS, band_keys, estimate_jaccard, hashed_jaccard, jaccard,
                                    lsh_candidates, s_curve, shingle_sets, shingles, signatures)
from newsdesk.fingerprint import _normalize_exact_reference, exact_key, normalize_exact
from tests.dedup.helpers import prose, seed_docs


def test_normalize_exact_matches_reference_formulation():
    alphabet = list("ab Z\t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2003\u2028\u3000`'\"ßﬁİΣς") + [
        chr(c) for c in (0x2018, 0x2019, 0x201a, 0x201b, 0x201c, 0x201d, 0x201e, 0x201f, 0x2032, 0x2033,
                         0xab, 0xbb, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xff02)]
    r = random.Random(0)
    for _ in range(20000):
        s = "".join(r.choice(alphabet) for _ in range(r.randint(0, 10)))
        assert normalize_exact(s) == _normalize_exact_reference(s), repr(s)
    for d in seed_docs():
        assert normalize_exact(d.body) == _normalize_exact_reference(d.body)


def test_normalization_quotes_dashes_whitespace_case():
    assert normalize_exact("  \u201cHello\u201d \u2014 it\u2019s\n\nME  ") == "\"hello\" - it's me"
    assert exact_key("A  b\n\nc") == exact_key("a b c")
    assert exact_key("Let's eat, Grandma") != exact_key("Let's eat Grandma")


def test_shingles_are_word_5grams_short_docs_use_what_exists():
    assert shingles("") == set()
    assert shingles("One two") == {("one", "two")}
    assert shingles("a b c d e f") == {("a", "b", "c", "d", "e"), ("b", "c", "d", "e", "f")}
    assert jaccard(set(), set()) == 1.0


def test_hashed_shingles_match_reference_sets():
    bodies = [d.body for d in seed_docs()] + ["", "x", "a b c d", "a b c d e", prose(300, 1), "a a a a a a"]
    sets = shingle_sets(bodies)
    for b, s in zip(bodies, sets):
        assert s.size == len(shingles(b))
    a, b = prose(400, 2), prose(400, 3)
    c = a + "\n\n" + b
    exact = jaccard(shingles(a), shingles(c))
    hs = shingle_sets([a, c])
    assert hashed_jaccard(*hs) == pytest.approx(exact)


def test_signatures_deterministic_and_shaped():
    bodies = [prose(200, i) for i in range(5)] + [""]
    s1, s2 = signatures(bodies), signatures(list(bodies))
    assert s1.shape == (6, NUM_PERM) and s1.dtype == np.uint32
    assert np.array_equal(s1, s2)
    assert np.array_equal(signatures(bodies[:2]), s1[:2])  # independent of batch composition
    assert (s1[-1] == np.iinfo(np.uint32).max).all()  # empty body: no shingles
    # chunking does not change anything
    assert np.array_equal(signatures(bodies, chunk=2), s1)
    # whitespace/quote/case variants sign identically
    b = "The \u201cquick\u201d brown fox jumps over the lazy dog again"
    assert np.array_equal(signatures([b])[0], signatures(["the \"quick\"  brown fox\n\njumps over the LAZY dog again"])[0])


def test_estimate_tracks_exact_jaccard():
    base = prose(600, 11)
    extra = prose(150, 12)
    variant = base + "\n\n" + extra
    exact = jaccard(shingles(base), shingles(variant))
    s = signatures([base, variant])
    assert abs(float(estimate_jaccard(s[0], s[1])) - exact) < 0.12


def test_s_curve_meets_target():
    assert s_curve(0.8) >= 0.99
    assert s_curve(0.3) < 0.02
    assert BANDS * ROWS <= NUM_PERM


def test_band_keys_and_candidates():
    a = prose(500, 21)
    b = a.replace(a.split()[100], "changedword", 1)  # one word changed: J ~ 0.98
    c = prose(500, 22)
    sigs = signatures([a, b, c])
    keys = band_keys(sigs)
    assert keys.shape == (3, BANDS) and keys.dtype == np.uint64
    assert np.array_equal(keys, band_keys(sigs.copy()))
    pairs = lsh_candidates(keys)
    assert [tuple(p) for p in pairs.tolist()] == [(0, 1)]
    # band number is part of the key: equal values in different bands do not collide
    same = np.zeros((1, NUM_PERM), dtype=np.uint32)
    k = band_keys(same)
    assert len(set(k[0].tolist())) == BANDS
