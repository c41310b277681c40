"""newsdesk.quotes.extract: the seeds' gold, the dev set, continuation, robustness (keep/drop: test_decide.py)."""
from __future__ import annotations

import random
import time

import pytest

from newsdesk.quotes import extract_quotes
from newsdesk.quotes.evaluate import ner_ents, norm_speaker, norm_text, score_article
from newsdesk.spans import EntitySpan
from tests.quotes.helpers import DEV, SEED_DIR, SEEDS, by_text, one


@pytest.mark.parametrize("fname,body,gold", SEEDS, ids=[s[0][:3] for s in SEEDS])
def test_seed_gold_quotes_with_speaker(run, fname, body, gold):
    rows = run(body, gold["language"])
    found = by_text(rows)
    for q in gold["quotes"]:
        r = found.get(norm_text(q["text"]))
        assert r is not None, f"{fname}: missing {q['text']!r}"
        assert norm_speaker(r["speaker"]) == norm_speaker(q["speaker"]), (fname, q, r)
    for q in gold["optional_quotes"]:
        r = found.get(norm_text(q["text"]))
        if r is not None and r["speaker"] is not None:
            assert norm_speaker(r["speaker"]) == norm_speaker(q["speaker"]), (fname, q, r)


def test_seed_precision(run):
    tp = fp = 0
    for _f, body, gold in SEEDS:
        ok = {norm_text(q["text"]) for q in gold["quotes"] + gold["optional_quotes"]}
        for r in run(body, gold["language"]):
            if norm_text(r["text"]) in ok:
                tp += 1
            else:
                fp += 1
    assert tp / max(1, tp + fp) >= 0.9, (tp, fp)


def test_seed_rows_shape(run):
    for _f, body, gold in SEEDS:
        rows = run(body, gold["language"])
        assert [r["start"] for r in rows] == sorted(r["start"] for r in rows)
        for r in rows:
            assert set(r) == ROW_KEYS
            assert r["kind"] in ("full", "partial")
            assert r["attribution"] in ("explicit", "pronoun", "role", "description", "continuation",
                                        "according_to", "transcript", "none")
            assert (r["speaker"] is None) == (r["attribution"] == "none") or r["attribution"] == "transcript"


def test_dev_set_has_enough_articles():
    assert len(DEV) >= 25
    langs = {a["language"] for _f, _b, a in DEV}
    assert {"en", "de", "fr"} <= langs


def test_dev_set_scores(run):
    tot = dict(tp=0, fp=0, fn=0, spk_ok=0, spk_n=0, spk_wrong_opt=0)
    for _f, body, ann in DEV:
        c, _errs = score_article(run(body, ann["language"]), ann["quotes"],
                                   ann.get("optional_quotes", []))
        for k in tot:
            tot[k] += c[k]
    p = tot["tp"] / max(1, tot["tp"] + tot["fp"])
    r = tot["tp"] / max(1, tot["tp"] + tot["fn"])
    f1 = 2 * p * r / (p + r)
    assert f1 >= 0.95, tot
    assert tot["spk_ok"] / max(1, tot["spk_n"]) >= 0.9, tot
    assert tot["spk_wrong_opt"] == 0, tot


def test_offsets_invariant_everywhere(run):
    for _f, body, ann in DEV:
        for r in run(body, ann["language"]):
            assert body[r["start"]:r["end"]] == r["text"]
            assert r["text"] == r["text"].strip()
            assert r["text"][:1] not in "“”\"„«»" and r["text"][-1:] not in "“”\"„«»"


def test_continuation_sentence_and_paragraph(run):
    body = ("Ahead of his trip, Russian President Vladimir Putin published an article.\n\n"
            "“We are ready for close cooperation,” he wrote. “We will develop alternative mechanisms of trade.”\n\n"
            "“We have lifted millions out of poverty in the last decade.”\n\n"
            "The visit ends on Wednesday.")
    rows = run(body)
    r = one(rows, "We are ready for close cooperation,")
    assert (r["speaker"], r["attribution"], r["cue"]) == ("Vladimir Putin", "pronoun", "wrote")
    r = one(rows, "We will develop alternative mechanisms of trade.")
    assert (r["speaker"], r["attribution"]) == ("Vladimir Putin", "continuation")
    assert one(rows, "We have lifted millions out of poverty in the last decade.")["speaker"] == "Vladimir Putin"


def test_empty_and_trivial_inputs():
    assert extract_quotes("", "en", []) == []
    assert extract_quotes("No quotes here.", "en") == []
    assert extract_quotes("“", "en") == []
    assert extract_quotes("”“", "en", []) == []
    assert extract_quotes(None, None, None) == []  # type: ignore[arg-type]


ROW_KEYS = {"text", "start", "end", "kind", "speaker", "cue", "attribution", "speaker_start", "speaker_end",
            "speaker_refers_to"}
ATTRIBUTIONS = {"explicit", "pronoun", "role", "continuation", "according_to", "none"}


def test_random_marks_give_well_formed_rows():
    """Random text full of quote marks, and entity spans partly outside the body: extract_quotes does not
    raise (it catches nothing, so an error would fail this test) and every row it returns is well formed."""
    rng = random.Random(20240619)
    pieces = list("abc XYZ,.;:!?'\n“”\"„«»‘’—-()") + [
        "Putin said", " he said", "“", "”", "\"", "Mr. ", "according to ", "\n\n“", "«", "»", "„"]
    rows_seen = 0
    for _ in range(1500):
        body = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 100)))
        ents = []
        for _ in range(rng.randint(0, 4)):
            a = rng.randint(-3, len(body) + 3)
            b = a + rng.randint(-2, 12)
            ents.append(EntitySpan(a, b, rng.choice(["PERSON", "ORG", "GPE", "DATE", "NORP"]),
                                   body[max(0, a):max(0, b)]))
        for lang in ("en", "de", "fr", ""):
            rows = extract_quotes(body, lang, ents)
            rows_seen += len(rows)
            assert all(a["end"] <= b["start"] for a, b in zip(rows, rows[1:]))  # sorted, no overlaps
            for r in rows:
                assert set(r) == ROW_KEYS
                assert body[r["start"]:r["end"]] == r["text"]
                assert r["text"] and r["text"] == r["text"].strip()
                assert r["kind"] in ("full", "partial")
                assert r["attribution"] in ATTRIBUTIONS
                assert (r["speaker"] is None) == (r["attribution"] == "none") or r["attribution"] == "transcript"
                if lang != "en":
                    assert r["speaker"] is None and r["cue"] is None
    assert rows_seen > 1000  # the generator does produce quotes


def test_errors_propagate(monkeypatch):
    """Nothing is swallowed: a failing step or a malformed entity raises to the caller."""
    import newsdesk.quotes.extract as extract

    body = "“We are ready,” Putin said."
    with pytest.raises(KeyError):
        extract_quotes(body, "en", [{"start": 16, "end": 21}])  # no label
    with pytest.raises(AttributeError):
        extract_quotes(body, "en", [object()])

    def broken(doc, si):
        raise RuntimeError("boom")

    monkeypatch.setattr(extract, "main_subject", broken)
    with pytest.raises(RuntimeError, match="boom"):
        extract_quotes(body, "en", [{"start": 16, "end": 21, "label": "PERSON"}])


def test_entities_as_dicts_are_accepted():
    body = "“We are ready,” Putin said."
    rows = extract_quotes(body, "en", [{"start": 16, "end": 21, "label": "PERSON", "text": "Putin"}])
    assert rows[0]["speaker"] == "Putin"


def test_long_article_is_fast(nlp):
    body = "\n\n".join(b for _f, b, a in DEV if a["language"] == "en")
    ents = ner_ents(body)
    t0 = time.perf_counter()
    rows = extract_quotes(body, "en", ents)
    assert time.perf_counter() - t0 < 3.0  # ~7k words, ~200 quotes: tens of ms normally
    assert len(rows) >= 150
    for r in rows:
        assert body[r["start"]:r["end"]] == r["text"]


@pytest.mark.parametrize("variant", ["single_newlines", "raw_file_with_title"])
def test_seeds_do_not_depend_on_preprocessing(run, variant):
    for fname, body, gold in SEEDS:
        if variant == "single_newlines":
            b = body.replace("\n\n", "\n")
        else:
            b = (SEED_DIR / fname).read_text(encoding="utf-8")
        c, errs = score_article(run(b), gold["quotes"], gold["optional_quotes"])
        assert c["fn"] == 0 and c["fp"] == 0, (fname, errs)
        assert c["spk_ok"] == c["spk_n"] and c["spk_wrong_opt"] == 0, (fname, errs)
