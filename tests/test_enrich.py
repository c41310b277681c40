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

    def flaky(body, language, ents=()):
        if "Merkel" in body:
            raise IndexError("boom")
        return real(body, language, ents)

    monkeypatch.setattr(enrich, "extract_quotes", flaky)
    a = ArticleText("a1", "“We will win,” Vladimir Putin said in Moscow.", "en")
    b = ArticleText("a2", "“Wir schaffen das,” said Angela Merkel in Berlin.", "en")
    res = enrich_batch([a, b])
    assert res.errors == {"a2": "entities+quotes: IndexError: boom"}
    assert (res.mentions["a2"], res.quotes["a2"]) == ([], [])  # kept, without mentions or quotes
    assert [q["speaker"] for q in res.quotes["a1"]] == ["Vladimir Putin"]
    assert Enriched.merge([res]).errors == res.errors
