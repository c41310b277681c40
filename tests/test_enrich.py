"""Map step 2: NER for English only, quotes for every language, scare quotes never reach the table."""
from newsdesk.enrich import ArticleText, Enriched, enrich_batch


def test_english_gets_entities_and_quotes_other_languages_quotes_only():
    en = ArticleText("a1", "“We will win,” Vladimir Putin said in Moscow on Tuesday.", "en")
    de = ArticleText("a2", "„Wir schaffen das“, sagte Angela Merkel in Berlin.", "de")
    res = enrich_batch([en, de])
    assert res.ner_skipped == 1
    assert {m.surface for m in res.mentions["a1"]} >= {"Vladimir Putin", "Moscow"}
    assert res.mentions["a2"] == []
    assert [(q["text"], q["speaker"]) for q in res.quotes["a1"]] == [("We will win,", "Vladimir Putin")]
    assert [q["text"] for q in res.quotes["a2"]] == ["Wir schaffen das"]
    assert res.quotes["a2"][0]["speaker"] is None
    for a in (en, de):
        for q in res.quotes[a.article_id]:
            assert a.body[q["start"]:q["end"]] == q["text"] and q["kind"] in ("full", "partial")


def test_merging_batch_results_is_the_result_of_one_batch():
    a = ArticleText("a1", "“We will win,” Vladimir Putin said in Moscow.", "en")
    b = ArticleText("a2", "„Wir schaffen das“, sagte Angela Merkel.", "de")
    merged = Enriched.merge([enrich_batch([a]), enrich_batch([b])])
    whole = enrich_batch([a, b])
    assert (merged.mentions, merged.quotes, merged.ner_skipped) == (whole.mentions, whole.quotes, whole.ner_skipped)


def test_an_article_whose_extraction_raises_is_counted_not_lost(monkeypatch):
    import newsdesk.enrich as enrich

    real = enrich.extract_quotes

    def flaky(body, language, ents=(), parse=()):
        if "Merkel" in body:
            raise IndexError("boom")
        return real(body, language, ents, parse)

    monkeypatch.setattr(enrich, "extract_quotes", flaky)
    a = ArticleText("a1", "“We will win,” Vladimir Putin said in Moscow.", "en")
    b = ArticleText("a2", "“Wir schaffen das,” said Angela Merkel in Berlin.", "en")
    res = enrich_batch([a, b])
    assert res.errors == {"a2": "entities+quotes: IndexError: boom"}
    assert (res.mentions["a2"], res.quotes["a2"]) == ([], [])  # kept, without mentions or quotes
    assert [q["speaker"] for q in res.quotes["a1"]] == ["Vladimir Putin"]
    assert Enriched.merge([res]).errors == res.errors


def test_the_parse_covers_only_the_paragraphs_quotes_need_and_leaves_entities_unchanged():
    from newsdesk.enrich import nlp
    from newsdesk.entities import load_nlp, ner_spans
    from newsdesk.entities.ner import analyse
    from newsdesk.quotes import wants_parse

    body = ("Vladimir Putin arrived in Pyongyang on Tuesday.\n\n"
            "“We are ready for close cooperation,” he told Kim Jong Un.\n\n"
            "Kim greeted him at the airport. Yahoo! News carried the pictures.")
    (ents, parse), = analyse(nlp(), [body], wants_parse)
    assert ents == ner_spans(load_nlp(), [body])[0]  # the parse never changes the entities
    quote_para = body.index("“We")
    assert parse and all(quote_para <= t.start < body.index("\n\nKim") for t in parse)
    for i, t in enumerate(parse):
        assert body[t.start:t.end].strip() and 0 <= t.head < len(parse)
    told = next(i for i, t in enumerate(parse) if body[t.start:t.end] == "told")
    subjects = [body[t.start:t.end] for t in parse if t.head == told and t.dep == "nsubj"]
    assert subjects == ["he"]
    (_e, none), = analyse(nlp(), [body], None)
    assert none == []
