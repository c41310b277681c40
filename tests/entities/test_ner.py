"""newsdesk.entities.ner: the model, paragraph chunks, NER spans in body offsets."""
from __future__ import annotations

from newsdesk.entities import KEPT_LABELS, load_nlp, ner_spans, paragraph_chunks, resolve_article, resolve_corpus


def test_load_nlp_runs_only_ner_and_is_cached(nlp):
    assert nlp.pipe_names == ["ner"]
    assert load_nlp() is nlp


def test_kept_labels_are_name_types():
    assert KEPT_LABELS == ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT")


def test_ner_spans_offsets_are_body_offsets(seeds):
    bodies, spans, mentions, _, rows = seeds
    for f, body in bodies.items():
        assert spans[f], f
        for s in spans[f]:
            assert body[s.start:s.end] == s.text and s.label in KEPT_LABELS
        for m in mentions[f]:
            assert body[m.start:m.end] == m.surface
    for r in rows:
        assert bodies[r["article_id"]][r["start"]:r["end"]] == r["surface"]


def test_paragraph_split_and_robust_inputs(nlp):
    body = ("  Vladimir Putin arrived in Pyongyang.\n\nKim Jong Un met him.\nThe United Nations said little."
            "\n\n\n   \n\nAngela Merkel stayed in Berlin.  ")
    chunks = list(paragraph_chunks(body))
    assert [t for _, t in chunks] == ["Vladimir Putin arrived in Pyongyang.", "Kim Jong Un met him.",
                                      "The United Nations said little.", "Angela Merkel stayed in Berlin."]
    assert all(body[o:o + len(t)] == t for o, t in chunks)
    long = " ".join(["word"] * 3000)
    parts = list(paragraph_chunks(long, max_chars=1000))
    assert all(len(t) <= 1000 and long[o:o + len(t)] == t for o, t in parts)
    assert sum(len(t.split()) for _, t in parts) == 3000

    weird = ["", None, "   \n\n  ", "¿Dónde está Pedro Sánchez? El presidente viajó a Bruselas con la Unión Europea.",
             "Bundeskanzler Olaf Scholz traf in Berlin den französischen Präsidenten Emmanuel Macron.",
             "习近平在北京会见了普京。", "12345 67890", "\x00\x01 ☃☃☃ " * 50, body]
    out = ner_spans(nlp, weird)
    assert len(out) == len(weird) and out[0] == [] and out[1] == [] and out[2] == []
    for b, ss in zip(weird, out):
        for s in ss:
            assert b[s.start:s.end] == s.text
        ms = resolve_article(b or "", ss)
        for m in ms:
            assert (b or "")[m.start:m.end] == m.surface
    assert resolve_article("", []) == []
    ms = resolve_article(weird[4], out[4])
    assert ms, "the model finds names in the German sentence"
    ents, rows = resolve_corpus([("x", ms), ("y", [])])
    assert [(r["article_id"], r["surface"], r["start"]) for r in rows] == [("x", m.surface, m.start) for m in ms]
    assert sum(e["mention_count"] for e in ents) == len(ms) and {e["article_count"] for e in ents} == {1}
