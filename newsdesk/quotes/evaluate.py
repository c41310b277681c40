"""Scoring the quote extractor against annotated articles (the dev set and the five seeds' gold).

Owns reading the annotations (``tests/fixtures/quotes_dev/*.txt`` + ``.json``; ``seeds_gold.json``), the
NER the annotations were scored with (:func:`ner_ents`: the full English model per paragraph; :func:`analysed`:
NER and the parse as the enrich step computes them), the text and
speaker matching (:func:`norm_text`, :func:`norm_speaker`) and the counts (:func:`score_article`). Used by
``bench/eval_quotes.py`` and the quote tests; not by the pipeline.
"""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from newsdesk.spans import EntitySpan

__all__ = ["load_seeds", "load_dev", "seed_body", "ner_ents", "analysed", "norm_text", "norm_speaker",
           "score_article"]


@functools.lru_cache(maxsize=1)
def nlp():
    """The full English spaCy pipeline (loaded once per process)."""
    import spacy

    from newsdesk.entities.ner import MODEL_NAME

    return spacy.load(MODEL_NAME)


def ner_ents(body: str, language: str = "en") -> list[EntitySpan]:
    """NER per paragraph with offsets shifted into body (what the entity step provides); none off English."""
    if language != "en":
        return []
    model = nlp()
    out = []
    paras = [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", body)]
    for (off, text), doc in zip(paras, model.pipe([p for _o, p in paras])):
        for e in doc.ents:
            out.append(EntitySpan(off + e.start_char, off + e.end_char, e.label_, e.text))
    return out


def analysed(body: str, language: str = "en") -> tuple[list, list]:
    """(NER spans, parse) of a body exactly as the enrich step computes them: NER on every paragraph, the
    parse on the paragraphs :func:`~newsdesk.quotes.grammar.wants_parse` accepts; nothing off English."""
    if language != "en":
        return [], []
    from newsdesk.enrich import nlp as enrich_nlp
    from newsdesk.entities.ner import analyse
    from newsdesk.quotes.grammar import wants_parse

    return analyse(enrich_nlp(), [body], wants_parse)[0]


def norm_text(s: str) -> str:
    """A quote's text as compared with the gold: marks, final punctuation and case ignored."""
    s = s.strip().strip("“”\"„«»‘’' \u00a0")
    s = re.sub(r"[\s.,;:!?…–—\-]+$", "", s)
    return re.sub(r"\s+", " ", s).lower()


def norm_speaker(s: str | None) -> str | None:
    """A speaker as compared with the gold: honorific, case and hyphens ignored."""
    if s is None:
        return None
    s = re.sub(r"^(mr|mrs|ms|dr)\.?\s+", "", s.strip(), flags=re.I)
    return re.sub(r"[\s\-‐]+", " ", s).strip().lower()


def seed_body(raw: str, gold: dict) -> str:
    """Approximate the parse step: keep the lines from body_first to body_last, drop boilerplate."""
    lines = [ln.strip() for ln in raw.splitlines() if ln.strip()]
    first = next(i for i, ln in enumerate(lines) if ln.startswith(gold["body_first"][:40]))
    last = max(i for i, ln in enumerate(lines) if gold["body_last"][-40:] in ln)
    keep = [ln for ln in lines[first:last + 1]
            if not any(ln.startswith(r[:60]) for r in gold.get("removed", []))]
    return "\n\n".join(keep)


def load_seeds(seed_dir: Path, gold_path: Path) -> list[tuple[str, str, dict]]:
    """(file name, approximate body, gold annotation) of each seed article."""
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    out = []
    for art in gold["articles"]:
        raw = (Path(seed_dir) / art["file"]).read_text(encoding="utf-8")
        out.append((art["file"], seed_body(raw, art), art))
    return out


def load_dev(dev_dir: Path) -> list[tuple[str, str, dict]]:
    """(file name, body, annotation) of each dev-set article."""
    out = []
    for p in sorted(Path(dev_dir).glob("*.txt")):
        ann = json.loads(p.with_suffix(".json").read_text(encoding="utf-8"))
        out.append((p.name, p.read_text(encoding="utf-8"), ann))
    return out


def _named(row: dict) -> dict:
    """A row as the annotations see speakers: they name speakers only, so a description ("a senior
    official") counts as no speaker and a description resolved to a name ("the French president") as that
    name (``speaker_refers_to``)."""
    if row.get("attribution") == "description":
        return {**row, "speaker": None}
    if row.get("speaker_refers_to"):
        return {**row, "speaker": row["speaker_refers_to"]}
    return row


def score_article(rows, required, optional=()) -> tuple[dict, list[str]]:
    """Counts (tp, fp, fn, spk_ok, spk_n, spk_wrong_opt, kind_ok, kind_n) of one article, and its errors.
    Speakers are compared as the annotations name them (:func:`_named`).

    ``required`` quotes count as hits or misses; ``optional`` ones neither count as hits nor as false
    positives, but a found optional quote with the wrong speaker counts in ``spk_wrong_opt``.
    """
    found = {}
    for r in rows:
        found.setdefault(norm_text(r["text"]), _named(r))
    req = {norm_text(q["text"]): q for q in required}
    opt = {norm_text(q["text"]): q for q in optional}
    c = dict(tp=0, fp=0, fn=0, spk_ok=0, spk_n=0, spk_wrong_opt=0, kind_ok=0, kind_n=0)
    errs = []
    for k, q in req.items():
        if k in found:
            c["tp"] += 1
            if q.get("kind"):
                c["kind_n"] += 1
                if q["kind"] == found[k]["kind"]:
                    c["kind_ok"] += 1
                else:
                    errs.append(f"  KIND {q['text'][:60]!r}: got {found[k]['kind']} want {q['kind']}")
            if q.get("speaker") is not None:
                c["spk_n"] += 1
                if norm_speaker(found[k]["speaker"]) == norm_speaker(q["speaker"]):
                    c["spk_ok"] += 1
                else:
                    errs.append(f"  SPK  {q['text'][:60]!r}: got {found[k]['speaker']!r} want {q['speaker']!r}")
            elif found[k]["speaker"] is not None:
                errs.append(f"  SPK? {q['text'][:60]!r}: got {found[k]['speaker']!r} want None")
        else:
            c["fn"] += 1
            errs.append(f"  MISS {q['text'][:70]!r} ({q.get('speaker')})")
    for k, r in found.items():
        if k in req:
            continue
        if k in opt:
            want = opt[k].get("speaker")
            if r["speaker"] is not None and norm_speaker(r["speaker"]) != norm_speaker(want):
                c["spk_wrong_opt"] += 1
                errs.append(f"  OPT-SPK {r['text'][:60]!r}: got {r['speaker']!r} want {want!r}")
            continue
        c["fp"] += 1
        errs.append(f"  FP   {r['text'][:70]!r} ({r['speaker']}, {r['kind']}, {r['cue']})")
    return c, errs
