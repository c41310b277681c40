"""newsdesk.quotes.clusters: one statement across articles."""
from __future__ import annotations

import random
import time

from newsdesk.quotes import cluster_quotes
from tests.quotes.helpers import SEEDS


def _seed_rows(run):
    rows = []
    for fname, body, gold in SEEDS:
        for i, r in enumerate(run(body, gold["language"])):
            rows.append({"article_id": fname[:3], "quote_id": f"{fname[:3]}-{i:02d}",
                         "text": r["text"], "speaker": r["speaker"]})
    return rows


def test_cluster_three_outlet_putin_statement(run):
    rows = _seed_rows(run)
    ids = cluster_quotes(rows)
    cid = {r["quote_id"]: c for r, c in zip(rows, ids)}

    def qid(article, needle):
        return next(r["quote_id"] for r in rows if r["article_id"] == article and needle in r["text"])

    members = [qid("000", "provision of mutual assistance"),
               qid("001", "comprehensive partnership agreement signed today"),
               qid("004", "comprehensive partnership agreement signed today")]
    assert len({cid[m] for m in members}) == 1
    assert cid[members[0]] == min(r["quote_id"] for r in rows if cid[r["quote_id"]] == cid[members[0]])
    # a partial quote contained in a fuller one joins it
    assert cid[qid("003", "mutual assistance in case of aggression")] == cid[members[0]]
    # other statements stay apart
    assert cid[qid("000", "We are also ready")] != cid[members[0]]
    assert cid[qid("001", "fiery friendship")] != cid[members[0]]
    # deterministic and order-independent
    shuffled = rows[:]
    random.Random(7).shuffle(shuffled)
    cid2 = {r["quote_id"]: c for r, c in zip(shuffled, cluster_quotes(shuffled))}
    assert cid == cid2


def test_cluster_needs_same_speaker():
    text = "The comprehensive partnership agreement signed today provides for mutual assistance"
    rows = [{"article_id": "a", "quote_id": "q1", "text": text, "speaker": "Vladimir Putin"},
            {"article_id": "b", "quote_id": "q2", "text": text, "speaker": "Kim Jong Un"},
            {"article_id": "c", "quote_id": "q3", "text": text, "speaker": None},
            {"article_id": "d", "quote_id": "q4", "text": text, "speaker": None},
            {"article_id": "e", "quote_id": "q0", "text": text + ".", "speaker": "vladimir putin"}]
    assert cluster_quotes(rows) == ["q0", "q2", "q3", "q4", "q0"]
    assert cluster_quotes([]) == []


def test_cluster_scales():
    rng = random.Random(0)
    vocab = [f"w{i}" for i in range(5000)]
    rows = [{"article_id": str(i // 5), "quote_id": f"q{i:06d}",
             "speaker": "Speaker 0" if i % 10 == 0 else f"Speaker {rng.randrange(2000)}",
             "text": " ".join(rng.choice(vocab) for _ in range(rng.randint(3, 30)))}
            for i in range(30_000)]
    t0 = time.perf_counter()
    ids = cluster_quotes(rows)
    assert time.perf_counter() - t0 < 30
    assert len(ids) == len(rows)
    members: dict[str, list[dict]] = {}
    for r, c in zip(rows, ids):
        members.setdefault(c, []).append(r)
    for c, ms in members.items():
        assert c == min(m["quote_id"] for m in ms)  # named by its smallest quote_id
        assert len({m["speaker"] for m in ms}) == 1  # never across speakers
    assert any(len(ms) > 1 for ms in members.values())  # "Speaker 0" quotes share words: some do cluster


def test_incremental_clusters_keep_committed_ids_and_join_new_quotes_to_them():
    from newsdesk.quotes.clusters import cluster_incremental, quote_stems

    committed = [{"quote_id": "q1", "text": "We will never surrender our land to the invaders", "block": "e1",
                  "quote_cluster_id": "q0"}]
    new = [{"quote_id": "q2", "text": "we will never surrender our land to invaders", "block": "e1"},
           {"quote_id": "q3", "text": "The harvest was the best in a decade", "block": "e1"},
           {"quote_id": "q4", "text": "The harvest was the best in a decade, farmers said", "block": "e1"}]
    assert cluster_incremental(new, committed) == ["q0", "q3", "q3"]
    assert quote_stems("The farmers were surrendering") == sorted({"farmer", "surrender"})
