"""Documents for the dedup tests: seeded random prose, DedupDocs, the five seed articles, a similarity chain."""
from __future__ import annotations

import random
from datetime import datetime
from pathlib import Path

from newsdesk.dedup import DedupDoc
from newsdesk.fingerprint import exact_key

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
_WORDS = [f"w{i}{c}" for i in range(3000) for c in "ab"]


def prose(n_words: int, seed: int) -> str:
    r = random.Random(seed)
    paras = []
    while n_words > 0:
        k = min(n_words, r.randint(40, 90))
        paras.append(" ".join(r.choice(_WORDS) for _ in range(k)) + ".")
        n_words -= k
    return "\n\n".join(paras)


def doc(path: str, body: str, *, title: bool = True, published: datetime | None = None,
        sha: str | None = None) -> DedupDoc:
    return DedupDoc(source_path=path, source_sha256=sha or f"sha-{path}", article_id=exact_key(body),
                    body=body, has_title=title, published_at=published)


def seed_docs() -> list[DedupDoc]:
    files = sorted(SEEDS.glob("*.txt"))
    assert len(files) == 5
    return [doc(f.name, f.read_text(encoding="utf-8")) for f in files]


def dup_map(result) -> dict[str, tuple[str, str]]:
    return {d["source_path"]: (d["duplicate_of"], d["method"]) for d in result.duplicates}


def chain_bodies():
    """A ~ B ~ C with J(A,B), J(B,C) >= 0.8 but J(A,C) < 0.8."""
    core = prose(700, 51)
    x, y = prose(90, 52), prose(90, 53)
    a = core + "\n\n" + x
    b = core + "\n\n" + x + "\n\n" + y  # the longest: canonical
    c = core + "\n\n" + y
    return a, b, c
