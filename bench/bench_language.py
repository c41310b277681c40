"""Language detection: newsdesk's detector against langdetect's own ``Detector``, on the same texts.

``newsdesk.language`` runs langdetect's algorithm word by word (the n-grams of a repeated word are memoised)
and updates the language probabilities on numpy arrays, with langdetect's floating-point operations in
langdetect's order. This benchmark runs both on the first ``PREFIX_CHARS`` characters of every ``*.txt`` under
the given folders, in one process, alternating rounds, and reports texts per second, the ratio, and the number
of texts where the two disagree (language or probability: it must be 0):

    cd /tmp && /path/to/checkout/.venv/bin/python /path/to/checkout/bench/bench_language.py RAW [RAW ...] \
        [--limit 3000 (per folder)] [--rounds 2] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from langdetect.detector import Detector  # noqa: E402
from langdetect.lang_detect_exception import LangDetectException  # noqa: E402

from newsdesk import language  # noqa: E402


def reference(text: str) -> tuple[str, float]:
    """What ``detect_language`` returns, computed by langdetect's own Detector."""
    sample = text[:language.PREFIX_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return language.UNDETERMINED
    d = Detector(language._get_factory())
    d.append(sample)
    try:
        ranked = d.get_probabilities()
    except LangDetectException:
        return language.UNDETERMINED
    return (ranked[0].lang, round(ranked[0].prob, 4)) if ranked else language.UNDETERMINED


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--limit", type=int, default=3000, help="texts at most per folder (sorted by path)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--json", type=Path)
    a = ap.parse_args()
    files = [f for d in a.folders for f in sorted(d.rglob("*.txt"))[:a.limit]]
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    language.detect_language("warm up the factory")
    times = {"langdetect": 0.0, "newsdesk": 0.0}
    ours = theirs = None
    for _ in range(a.rounds):
        t = time.perf_counter()
        theirs = [reference(x) for x in texts]
        times["langdetect"] += time.perf_counter() - t
        t = time.perf_counter()
        ours = [language.detect_language(x) for x in texts]
        times["newsdesk"] += time.perf_counter() - t
    n = len(texts) * a.rounds
    res = {"texts": len(texts), "rounds": a.rounds,
           "langdetect_texts_per_s": round(n / times["langdetect"], 1),
           "newsdesk_texts_per_s": round(n / times["newsdesk"], 1),
           "speedup": round(times["langdetect"] / times["newsdesk"], 2),
           "disagreements": sum(1 for x, y in zip(ours, theirs) if x != y)}
    print(json.dumps(res, indent=2))
    if a.json:
        a.json.write_text(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
