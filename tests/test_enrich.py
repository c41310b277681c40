"""The enrich step: NER for English only, quotes for every language; staged rows and what goes to the driver."""
from newsdesk.enrich import ArticleText, Enriched, enrich_texts


def test_english_gets_entities_and_quotes_other_languages_quotes_only():
    en = ArticleText("a1", "“We will win,” Vladimir Putin said in Moscow on Tuesday.", "en")
    de = ArticleText("a2", "„Wir schaffen das“, sagte Angela Merkel in Berlin.", "de")
    res = enrich_texts([en, de])
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
    merged = Enriched.merge([enrich_texts([a]), enrich_texts([b])])
    whole = enrich_texts([a, b])
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
    res = enrich_texts([a, b])
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


def test_a_batch_stages_its_rows_and_keys_and_returns_only_counts(tmp_path):
    import pyarrow.parquet as pq

    from newsdesk import schema
    from newsdesk.enrich import EnrichResult, enrich_batch
    from newsdesk.prepare import prepare_batch

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("Putin in Moscow\n\n“We will win,” Vladimir Putin said in Moscow on Tuesday. "
                               "Putin spoke for an hour.\n", encoding="utf-8")
    (raw / "b.txt").write_text("Kyiv talks\n\nOfficials in Kyiv said the talks would go on.\n", encoding="utf-8")
    stage = tmp_path / "stage"
    prepare_batch(raw, ["a.txt", "b.txt"], {}, 1_000_000, stage, "000000")
    res = enrich_batch(stage, "000000", ["a.txt"], frozenset(), "run-1", "000000-0000")
    assert isinstance(res, EnrichResult) and (res.articles, res.quotes, res.errors) == (1, 1, {})
    from newsdesk.entities.totals import read_key_stats

    assert set(vars(res)) == {"articles", "ner_skipped", "errors", "mentions", "quotes"}  # no rows, no keys
    keys = read_key_stats([stage / "keys" / "000000-0000.parquet"])
    assert keys[("Vladimir Putin", "PERSON")].mentions == 2 and keys[("Moscow", "GPE")].articles == 1
    arts = pq.read_table(stage / "articles" / "000000-0000.parquet")
    assert arts.schema.equals(schema.table("articles").arrow_schema(), check_metadata=True)
    assert arts.column("source_path").to_pylist() == ["a.txt"] and arts.column("run_id").to_pylist() == ["run-1"]
    body = arts.column("body")[0].as_py()
    quotes = pq.read_table(stage / "quotes" / "000000-0000.parquet").to_pylist()
    assert [(q["text"], q["key_name"], q["key_type"]) for q in quotes] == [("We will win,", "Vladimir Putin", "PERSON")]
    for m in pq.read_table(stage / "mentions" / "000000-0000.parquet").to_pylist():
        assert body[m["start"]:m["end"]] == m["surface"]
