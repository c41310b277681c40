"""Tests for newsdesk.quality: the page-type catalog (must catch / must keep), each statistic, language, config."""
from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.language import detect_language
from newsdesk.parse import parse_article
from newsdesk.ingest import Decoded, Reject
from newsdesk.prepare import Prepared, prepare_file
from newsdesk.quality import (
    REJECT_REASON, STAT_RULES, ProseProfile, QualityConfig, assess, assess_prepared, load_quality_rules, measure,
    prose_profile, rule_rows, stop_words,
)

CATALOG = load_quality_rules()
ALL = CATALOG.names

REAL = ("Russian President Vladimir Putin and North Korean leader Kim Jong Un signed a new partnership this week, "
        "vowing to offer mutual aid and protection against their enemies.")
REAL2 = "Details of the deal were not immediately clear, officials in Seoul said on Thursday."

# A 40-word wire brief (written for this test).
BRIEF_TITLE = "Court blocks port expansion"
BRIEF = ("ROTTERDAM (Reuters) — A Dutch court on Tuesday blocked the expansion of a container terminal at the port "
         "of Rotterdam, ruling that the operator had underestimated nitrogen emissions. The company said it would "
         "appeal and expected a decision within six months.")


def only(name: str) -> QualityConfig:
    """A config that applies one rule and disables every other."""
    return QualityConfig(disabled=frozenset(ALL - {name}))


def lines(page: str) -> list[str]:
    return [ln.strip() for ln in page.split("\n") if ln.strip()]


# ------------------------------------------------------------------------------------------------- catalog

def test_catalog_loads_and_is_cached() -> None:
    assert load_quality_rules() is CATALOG
    assert {p.name for p in CATALOG.pages} >= {
        "page.error", "page.paywall", "page.cookie_wall", "page.login", "page.enable_js", "page.navigation",
        "page.index", "page.video", "page.gallery", "page.podcast", "page.live", "page.newsletter",
        "page.comments", "page.breaking_stub"}
    assert [s.name for s in CATALOG.stats] == [n for n in STAT_RULES if n in CATALOG.stat_by_name]
    assert set(STAT_RULES) == set(CATALOG.stat_by_name), "every statistic in the code has a catalog entry"
    for p in CATALOG.pages:
        assert p.examples and p.counter_examples, p.name
        assert 0 < p.min_share <= 1 and p.max_words > 0 and p.max_line_words > 0
    for st in CATALOG.stats:
        assert st.source, f"{st.name}: cite where the threshold comes from"


@pytest.mark.parametrize("bad,msg", [
    ('[[pages]]\nname="page.x"\nkind="k"\npatterns=["("]\nmax_words=3\n', "bad pattern"),
    ('[[pages]]\nname="x"\nkind="k"\npatterns=["a"]\nmax_words=3\n', "page.<x>"),
    ('[[pages]]\nname="page.x"\nkind="k"\npatterns=["a"]\n', "max_words"),
    ('[[stats]]\nname="gopher.nope"\nkind="k"\nthreshold=1\n', "unknown statistic"),
    ('[[stats]]\nname="gopher.min_words"\nkind="k"\nthreshold=1\n[[stats]]\nname="gopher.min_words"\nkind="k"\n'
     'threshold=2\n', "unique"),
])
def test_bad_catalog_is_rejected(tmp_path: Path, bad: str, msg: str) -> None:
    p = tmp_path / "q.toml"
    p.write_text(bad)
    with pytest.raises(ValueError, match=msg):
        load_quality_rules(p)


def test_custom_catalog(tmp_path: Path) -> None:
    p = tmp_path / "q.toml"
    p.write_text('[[pages]]\nname = "page.promo"\nkind = "promo page"\npatterns = ["buy now"]\nmax_words = 50\n'
                 'min_share = 0.5\n[[stats]]\nname = "gopher.min_words"\nkind = "too short"\nthreshold = 3\n')
    cfg = QualityConfig(rules_path=str(p))
    v = assess(None, ["Buy now", "Only today"], config=cfg)
    assert (v.keep, v.rule) == (False, "page.promo")
    assert assess(None, ["404 Not Found"], config=cfg).keep  # the default catalog is not in play
    assert [r[0] for r in rule_rows(cfg)] == ["page.promo", "gopher.min_words"]


# ------------------------------------------------------------------------------- catalog examples (data)

EXAMPLES = [(r.name, e) for r in CATALOG.pages for e in r.examples]
COUNTER = [(r.name, c) for r in CATALOG.pages for c in r.counter_examples]


@pytest.mark.parametrize("rule,page", EXAMPLES, ids=[f"{n}:{t[:30]}" for n, t in EXAMPLES])
def test_catalog_example_is_caught_by_its_rule(rule: str, page: str) -> None:
    v = assess(None, lines(page))
    assert (v.keep, v.rule) == (False, rule), v
    assert v.reason == REJECT_REASON and v.reject_detail.startswith(f"{rule}: ")
    # ... also through the real parser (the first line may become the title)
    parsed = parse_article(page)
    if parsed.paragraphs:
        assert not assess(parsed.title, parsed.paragraphs, subtitle=parsed.subtitle, removed=parsed.removed).keep


@pytest.mark.parametrize("rule,text", COUNTER, ids=[f"{n}:{t[:30]}" for n, t in COUNTER])
def test_catalog_counter_example_never_matches(rule: str, text: str) -> None:
    page_rule = next(p for p in CATALOG.pages if p.name == rule)
    assert not page_rule.line_hits(text), "a real news sentence must not count as page furniture"
    assert not page_rule.line_weak(text)
    # a short brief built around it is kept, wherever the sentence sits, as its own paragraph or inside one
    for title, paras in ((BRIEF_TITLE, [text, REAL]), (BRIEF_TITLE, [REAL, text, REAL2]), (None, [text, REAL2]),
                         (BRIEF_TITLE, [f"{REAL2} {text}", REAL])):
        v = assess(title, paras)
        assert v.keep, (paras, v)


def test_every_page_rule_needs_dominance() -> None:
    """A page-type line inside a real article never rejects it: the article is long or the line is a minority."""
    for p in CATALOG.pages:
        for e in p.examples:
            article = [REAL, REAL2, *lines(e)[:2], BRIEF, GERMAN_EN, FRENCH_EN]
            v = assess(BRIEF_TITLE, article)
            assert v.keep, (p.name, v)


# ---------------------------------------------------------------------------------------------- briefs

GERMAN_EN = ("The German government approved a law on Wednesday to speed up the building of wind and solar farms, "
             "aiming for 80% of electricity from renewables by 2030.")
FRENCH_EN = ("In Paris, ministers presented a bill to cut energy use in public buildings, which they said could save "
             "two billion euros a year by the end of the decade.")

def test_short_wire_brief_is_kept() -> None:
    assert 35 <= len(BRIEF.split()) <= 45
    assert assess(BRIEF_TITLE, [BRIEF]).keep
    assert assess(None, [BRIEF]).keep
    parsed = parse_article(f"{BRIEF_TITLE}\n\n{BRIEF}\n")
    lang, prob = detect_language(parsed.body)
    assert assess(parsed.title, parsed.paragraphs, lang, prob).keep


def test_one_sentence_wire_item_is_kept() -> None:
    # an 18-word wire item (the shortest real Reuters item measured) ending without punctuation
    item = "Harbor Savings Bank said it has opened a branch office in Dover, its ninth in the state. Reuter"
    assert assess(None, [item]).keep


# ------------------------------------------------------------------------------------------- statistics

def _fires(name: str, paragraphs: list[str], language: str = "en", title: str | None = None) -> str:
    v = assess(title, paragraphs, language, 0.99, config=only(name))
    assert (v.keep, v.rule) == (False, name), v
    return v.detail or ""


def _passes(name: str, paragraphs: list[str], language: str = "en") -> None:
    v = assess(None, paragraphs, language, 0.99, config=only(name))
    assert v.keep, v


def test_min_words() -> None:
    assert _fires("gopher.min_words", ["More to follow."]) == "3 words of prose (< 15)"
    _fires("gopher.min_words", ["a" * 4096])
    _passes("gopher.min_words", [REAL])
    v = assess("Breaking", ["More to follow."])
    assert not v.keep and v.reject_detail.startswith(("page.breaking_stub", "gopher.min_words"))


def test_char_run() -> None:
    detail = _fires("repetition.char_run", ["Story title here", "x" * 4096])
    assert "4096" in detail
    # a separator line in a real article is a small share of it
    _passes("repetition.char_run", [REAL, "=" * 40, REAL2, BRIEF, REAL])


def test_word_run() -> None:
    _fires("repetition.word_run", [" ".join(["test"] * 300)])
    _fires("repetition.word_run", [REAL, " ".join(["buffalo"] * 200)])
    _passes("repetition.word_run", [REAL, '"No, no, no, no," the minister said when asked about the deal.'])


def test_lorem_ipsum() -> None:
    _fires("c4.lorem_ipsum", ["Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
                              "incididunt ut labore et dolore magna aliqua."])
    quoting = ("The paper apologised after its front page ran the placeholder text 'lorem ipsum dolor sit amet' "
               "under a photograph of the mayor, an error it blamed on a new layout system.")
    _passes("c4.lorem_ipsum", [quoting, REAL, REAL2, BRIEF])


@pytest.mark.parametrize("dump", [
    ["date,region,cases,deaths", "2024-06-01,North,124,2", "2024-06-01,South,98,1", "2024-06-02,North,131,1"],
    ['{"status": "ok", "articles": [{"title": "Pact signed", "url": "https://example.com/a/1"}]}'],
    ["<html>", '<head><meta charset="utf-8"><title>Example</title></head>', '<body><div id="root"></div></body>',
     "</html>"],
    ["FTSE 100 8,237.72 +0.41%", "Dow Jones 38,834.86 +0.15%", "Nikkei 225 38,570.76 -0.22%",
     "Gold 2,329.40 -0.08%"],
    ["Arsenal 2-1 Chelsea", "Liverpool 3-0 Everton", "Leeds 1-1 Leicester", "Brighton 0-2 Fulham"],
    ["Team | P | W | D | L | Pts", "Arsenal | 38 | 28 | 5 | 5 | 89", "Liverpool | 38 | 24 | 10 | 4 | 82"],
])
def test_table_lines(dump: list[str]) -> None:
    _fires("table_lines", dump)


def test_table_lines_keep_prose_with_a_table() -> None:
    results = ["Arsenal 2-1 Chelsea", "Liverpool 3-0 Everton"]
    _passes("table_lines", [REAL, *results, REAL2, BRIEF])
    # a Reuters earnings brief: numbers everywhere, but sentences
    earnings = ("Shr loss 17 cts vs loss 22 cts. Net loss 14.5 mln vs loss 18.0 mln. Revs 27.3 mln vs 23.7 mln. "
                "NOTE: Full name is Atlas Consolidated Mining and Development Corp.")
    assert assess(None, [earnings]).keep


def test_alpha_words() -> None:
    _fires("gopher.alpha_words", ["12 34 56 78 90 12.5 33.1 -0.4 +1.2 7 8 9 10 11 hello world 2024"])
    _passes("gopher.alpha_words", [REAL])


def test_mean_word_length() -> None:
    assert "outside 3-10" in _fires("gopher.mean_word_length", [" ".join(["a b c d e f g h i j"] * 3) + "."])
    _fires("gopher.mean_word_length", [" ".join(["internationalisation-counterproductiveness"] * 20) + "."])
    _passes("gopher.mean_word_length", [REAL])


def test_symbol_ratio() -> None:
    _fires("gopher.symbol_ratio", ["#news #breaking #world #today #live #update #politics #vote some words here "
                                   "and there."])
    _passes("gopher.symbol_ratio", [REAL, "The hashtag #MeToo spread quickly.", REAL2])


def test_bullet_lines() -> None:
    _fires("gopher.bullet_lines", ["• Home", "• News", "• Sport", "• Weather"])
    _passes("gopher.bullet_lines", ["• Only one bulleted paragraph, which is a sentence."])
    _passes("gopher.bullet_lines", [REAL, "• First point.", "• Second point.", REAL2])


def test_ellipsis_lines() -> None:
    _fires("gopher.ellipsis_lines", ["Residents were evacuated overnight as...", "The plan will add 12 miles...",
                                     "Figures published on Thursday show..."])
    # one truncated paragraph in three is real news (BBC sport/212): kept
    _passes("gopher.ellipsis_lines", [REAL, "And then he said...", REAL2])


def test_dup_lines() -> None:
    _fires("gopher.dup_lines", ["Reply", "Report", "Reply", "Report", "Reply", "Report"])
    _passes("gopher.dup_lines", [REAL, REAL2, BRIEF, REAL2])  # 1 of 4


def test_sentence_lines() -> None:
    menu = ["Home", "World news", "UK politics", "Business and markets", "Science and environment",
            "Sport results", "Weather forecast"]
    assert "0 of 7 lines are sentences" in _fires("sentence_lines", menu)
    # a real draw story: many short lines, but the words are in sentences (BBC sport/476: 6% of lines)
    draw = [REAL, BRIEF, REAL2, *[f"Team {c} v Team {d}" for c, d in zip("ABCDEFGH", "IJKLMNOP")], BRIEF]
    _passes("sentence_lines", draw)


def test_stop_words() -> None:
    _fires("gopher.stop_words", ["Putin Kim Pyongyang Moscow Seoul Tokyo Beijing Washington Paris Berlin "
                                 "London Madrid Rome Vienna Warsaw."])
    _passes("gopher.stop_words", [REAL])


# ---------------------------------------------------------------------------------------------- language

GERMAN = ("Die Bundesregierung hat am Mittwoch ein neues Gesetz zur Förderung erneuerbarer Energien beschlossen. "
          "Nach Angaben des Wirtschaftsministeriums sollen damit bis 2030 rund 80 Prozent des Stroms aus Wind- und "
          "Sonnenenergie stammen. Die Opposition kritisierte die Pläne als zu teuer.")
FRENCH = ("Le gouvernement a présenté mercredi un projet de loi visant à réduire la consommation d'énergie des "
          "bâtiments publics. Selon le ministre, les économies pourraient atteindre deux milliards d'euros par an "
          "d'ici à la fin de la décennie.")
SPANISH = ("El Gobierno aprobó este martes un plan para reducir las listas de espera en la sanidad pública. Según "
           "el ministerio, la medida permitirá contratar a cinco mil médicos antes de que termine el año.")


@pytest.mark.parametrize("text,code", [(GERMAN, "de"), (FRENCH, "fr"), (SPANISH, "es")])
def test_non_english_article_is_kept(text: str, code: str) -> None:
    lang, prob = detect_language(text)
    assert lang == code
    assert assess("Titel", [text], lang, prob).keep
    # judged by its own stop words, never by the English list alone
    s = measure([text], lang)
    assert s.stop_words is not None and s.stop_words >= 5


def test_stop_words_come_from_the_detected_language() -> None:
    assert "und" in stop_words("de") and "the" in stop_words("en") and "el" in stop_words("es")
    assert stop_words("zh-cn") is not None  # langdetect codes map to spaCy's
    assert stop_words("sw") is None and stop_words("und") is None and stop_words("../x") is None
    # German text has almost no English stop words: with the English list alone it would fail
    en_only = sum(w.lower().strip(".,") in stop_words("en") for w in GERMAN.split())
    assert en_only < measure([GERMAN], "de").stop_words


def test_language_without_a_list_skips_the_stop_word_check() -> None:
    swahili = ("Serikali imetangaza mpango mpya wa kuboresha huduma za afya vijijini, ikisema zahanati mia tano "
               "zitajengwa katika kipindi cha miaka mitatu ijayo kwa msaada wa wafadhili.")
    assert measure([swahili], "sw").stop_words is None
    assert assess("Habari", [swahili], "sw", 0.99).keep


def test_text_without_spaces_is_kept() -> None:
    chinese = ("国务院总理周三在北京主持召开常务会议，部署进一步扩大内需、促进消费的政策措施。会议指出，"
               "要加快推进重大项目建设，稳定就业，增加居民收入，推动经济持续回升向好。")
    lang, prob = detect_language(chinese)
    assert lang.startswith("zh")
    s = measure([chinese], lang)
    assert s.no_spaces and s.words >= 15 and s.stop_words is None
    assert assess("新闻", [chinese], lang, prob).keep


def test_letter_run_tagged_german_is_rejected() -> None:
    text = "a" * 4096
    lang, prob = detect_language(text)
    v = assess(None, [text], lang, prob)
    assert not v.keep
    assert not assess(None, [text], lang, prob, config=QualityConfig(disabled=frozenset({"gopher.min_words"}))).keep


# ------------------------------------------------------------------------------------------------ config

def test_keep_low_quality_keeps_everything() -> None:
    cfg = QualityConfig(keep_low_quality=True)
    for _, page in EXAMPLES:
        assert assess(None, lines(page), config=cfg).keep
    assert assess(None, ["More to follow."], config=cfg).keep
    assert rule_rows(cfg) == []


def test_disabling_rules() -> None:
    page = lines(next(e for r, e in EXAMPLES if r == "page.error"))
    assert assess(None, page).rule == "page.error"
    v = assess(None, page, config=QualityConfig(disabled=frozenset({"page.error"})))
    assert v.rule != "page.error"
    v = assess(None, page, config=QualityConfig(disabled=frozenset({"page.*"})))
    assert v.keep or not v.rule.startswith("page.")
    v = assess(None, page, config=QualityConfig(disabled=frozenset({"page.", "gopher.", "sentence_lines"})))
    assert v.keep or not v.rule.startswith(("page.", "gopher."))
    names = {r[0] for r in rule_rows(QualityConfig(disabled=frozenset({"page."})))}
    assert names == set(STAT_RULES)


def test_threshold_override() -> None:
    short = ["Dutch court blocks port expansion over nitrogen emissions, company to appeal."]
    assert not assess(None, short).keep
    assert assess(None, short, config=QualityConfig(thresholds={"gopher.min_words": 5})).keep
    rows = {r[0]: r for r in rule_rows(QualityConfig(thresholds={"gopher.min_words": 5}))}
    assert rows["gopher.min_words"][2] == "5"


def test_config_from_mapping_and_validation() -> None:
    cfg = QualityConfig.from_mapping({"disabled": ["page.comments"], "thresholds": {"gopher.min_words": 10}})
    assert not cfg.is_enabled("page.comments") and cfg.is_enabled("page.error")
    assert QualityConfig.from_mapping({"keep_low_quality": True}).keep_low_quality
    with pytest.raises(ValueError, match="not in the catalog"):
        QualityConfig.from_mapping({"disabled": ["page.nope"]})
    with pytest.raises(ValueError, match="threshold override"):
        QualityConfig.from_mapping({"thresholds": {"page.error": 3}})
    with pytest.raises(ValueError, match="unknown quality setting"):
        QualityConfig.from_mapping({"keep_junk": True})


def test_config_pickles_hashes_and_fingerprints() -> None:
    import pickle
    cfg = QualityConfig(disabled=frozenset({"page.comments"}), thresholds={"gopher.min_words": 10})
    assert pickle.loads(pickle.dumps(cfg)) == cfg
    assert isinstance(hash(cfg), int)  # it rides in a frozen run config
    assert len(cfg.fingerprint()) == 16 and cfg.fingerprint() == pickle.loads(pickle.dumps(cfg)).fingerprint()
    assert cfg.fingerprint() != QualityConfig().fingerprint()
    assert QualityConfig(thresholds={"gopher.min_words": 11}).fingerprint() != QualityConfig(
        thresholds={"gopher.min_words": 10}).fingerprint()


def test_rule_rows_for_the_dataset_card() -> None:
    rows = rule_rows()
    assert [r[0] for r in rows] == [p.name for p in CATALOG.pages] + [s.name for s in CATALOG.stats]
    assert all(len(r) == 4 and all(isinstance(x, str) and x for x in r) for r in rows)
    row = {r[0]: r for r in rows}
    assert row["gopher.mean_word_length"][2] == "3-10"
    assert row["page.error"][2].startswith("<= ")


# ----------------------------------------------------------------------------------------------- verdicts

def test_verdict_fields() -> None:
    v = assess(None, ["Too short to be news."])
    assert (v.keep, v.reason, v.rule, v.kind) == (False, "not_article", "gopher.min_words", "too short")
    assert v.reject_detail == "gopher.min_words: 5 words of prose (< 15)"
    k = assess(BRIEF_TITLE, [BRIEF])
    assert (k.keep, k.reason, k.reject_detail) == (True, None, None)


def test_empty_body_is_min_words() -> None:
    assert assess("Title", []).rule == "gopher.min_words"
    assert assess("Title", ["", "   "]).rule == "gopher.min_words"


def test_assess_is_deterministic_and_pure() -> None:
    paras = [REAL, REAL2, BRIEF]
    before = list(paras)
    assert assess(BRIEF_TITLE, paras) == assess(BRIEF_TITLE, paras)
    assert paras == before


# ------------------------------------------------------------------------------ through the prepare step

def _prepared(text: str) -> Prepared:
    """Parsed, cleaned and language-tagged by the real prepare step, with the gate off (assessed below)."""
    p = prepare_file(Decoded("x/a.txt", "0" * 64, len(text), text, "utf-8"), QualityConfig(keep_low_quality=True))
    assert isinstance(p, Prepared)
    return p


def test_prepare_file_applies_the_gate():
    page = "Breaking\n\nMore to follow.\n"
    got = prepare_file(Decoded("x/a.txt", "0" * 64, len(page), page, "utf-8"))
    assert isinstance(got, Reject) and got.reason == "not_article" and got.detail.startswith("page.")


@pytest.mark.parametrize("page,rule", [
    ("404 Not Found\n\nThe requested URL /news/kim-putin.html was not found on this server.\n\n"
     "Apache/2.4.52 (Ubuntu) Server at www.example.com Port 443\n", "page.error"),
    ("Putin and Kim sign pact\n\nThe two leaders met in Pyongyang on Wednesday.\n\nSubscribe to continue "
     "reading.\n\nAlready a subscriber? Log in\n", "page.paywall"),
    ("Home | News | Sport | Business | Culture | Travel | Weather | Video | Live | Sounds\n", "page.navigation"),
    ("Breaking\n\nMore to follow.\n", "page.breaking_stub"),
])
def test_issue_examples_through_prepare(page: str, rule: str) -> None:
    """The pages of issue 14, through the real parse + boilerplate + langdetect step."""
    v = assess_prepared(_prepared(page))
    assert not v.keep and v.reason == "not_article"
    assert v.rule in (rule, "gopher.min_words"), v


def test_brief_through_prepare() -> None:
    p = _prepared(f"{BRIEF_TITLE}\n\n{BRIEF}\n")
    assert p.language == "en" and assess_prepared(p).keep


# ----------------------------------------------------------------------------- prose vs. site furniture

def _profile(paragraphs: list[str], language: str = "en", title: str | None = None) -> tuple[ProseProfile, dict]:
    trace: list[tuple[str, str]] = []
    f = prose_profile(title, None, paragraphs, language, CATALOG.prose, trace=trace)
    return f, {u: k for k, u in trace}


@pytest.mark.parametrize("sentence,kind", [
    ("Subscribe now and get unlimited access.", "cta"),
    ("Accept all", "cta"),
    ("Please enter your email address to continue.", "cta"),
    ("Klicken Sie hier, um fortzufahren.", "cta"),
    ("Like (54)", "label"),
    ("2 hours ago", "meta"),
    ("grandpa_joe says:", "meta"),
    ("Sanne K. – 14 juni 2024 om 10:03", "meta"),
    ("Image 3 of 12", "meta"),
    ("Photo: Markus Schreiber/AP", "meta"),
    ("Monthly $9.99", "meta"),
    ("These cookies help us measure website traffic.", "site"),
    ("Already a subscriber?", "site"),
    ("New here?", "question"),
    ("When you visit any site, it may store information on your browser.", "address"),
    ("We are unable to comment further at this time.", "we"),
    ("I have lived in this town for forty years.", "i"),
    ("The Senate passed the bill 77-19 on Friday, sending it to the House.", "reporting"),
    ("The measure keeps agencies open until mid-December, officials said.", "reporting"),
    ("The curbs were introduced earlier this year to ward off soaring prices.", "prose"),
])
def test_prose_profile_classes(sentence: str, kind: str) -> None:
    language = "de" if "Sie" in sentence else "en"
    f, got = _profile([REAL, sentence], language)
    assert got[sentence] == kind, got


def test_prose_profile_speech_and_names_are_never_furniture() -> None:
    speech = [
        '"We will not back down," the union leader told reporters on Monday.',   # quotation and reporting verb
        "“You have run out of excuses.",                                          # a quotation opens ...
        "Act now,” she said.",                                                    # ... and closes
        "BENENSON: Senator Sanders doesn't get to decide when we debate.",       # a transcript
        "US officials met their Chinese counterparts in Geneva.",                # 'US' is no pronoun
        "Veterans of World War I were honoured in Ypres.",                       # nor is 'War I'
        "Share prices in Tesco fell 3% on Monday.",                               # an imperative? 3 names/numbers
    ]
    f, got = _profile(speech)
    assert f.cta == f.address == f.we == f.i == f.question == 0, got


def test_prose_profile_counts_the_body_and_cut_lines() -> None:
    from newsdesk.boilerplate import Removed
    f = prose_profile("A title of five words", None, [REAL], "en", CATALOG.prose,
                      removed=[Removed(3, "Sign up for our newsletter", "newsletter")])
    assert f.heading == 5 and f.cut == 5 and f.words == len(REAL.split()) + 5


COOKIE_PROSE = ["We value your privacy",
                "We and our 842 partners store and access information on a device, such as cookies, to process "
                "personal data. You may accept or manage your choices by clicking below, including your right to "
                "object where legitimate interest is used.",
                "These choices will be signalled to our partners and will not affect browsing data.",
                "I Accept", "Show Purposes"]
NEWSLETTER_PROSE = ["Start every day knowing what matters. Our editors pick the five stories you need, with context, "
                    "in under five minutes. Written by people, not algorithms, and free forever.",
                    "your@email.com", "Get it free", "Unsubscribe anytime. Read our privacy notice."]
ERROR_PROSE_DE = ["Diese Seite gibt es leider nicht mehr",
                  "Der Artikel, den Sie suchen, wurde möglicherweise entfernt oder umbenannt. Bitte überprüfen Sie "
                  "die Adresse oder nutzen Sie unsere Suche.", "Zur Startseite"]
COMMENTS_PROSE = ["grumpy_in_leeds", "3h", "Another tax on working people dressed up as a green policy. Nobody I "
                  "know can afford an electric car.", "Like (54) Reply", "TheRealDave", "4h",
                  "Same old story, I have seen it all before.", "Like (31) Reply", "Show more replies"]


@pytest.mark.parametrize("page,language", [(COOKIE_PROSE, "en"), (NEWSLETTER_PROSE, "en"),
                                           (ERROR_PROSE_DE, "de"), (COMMENTS_PROSE, "en")])
def test_prose_furniture_fires_on_furniture_pages(page: list[str], language: str) -> None:
    detail = _fires("prose.furniture", page, language)
    assert "site furniture" in detail and "reporting" in detail


FEATURE_LEAD = ["How many times have you wanted a camera to hand to catch an unexpected event? With a modern "
                "mobile phone you no longer need to curse: you can capture the action as it happens."]
DIARY_LEAD = ["It was back to official duties last week in my role as an ambassador to London's Olympic bid. But I "
              "still managed to do all my marathon training, and I think we could be heading for a medal."]
ADVICE_BRIEF = ["Heavy snow is expected across northern England on Tuesday, with up to 20cm on high ground, the Met "
                "Office said. Allow extra time for journeys and check before you travel. Some schools may close."]
TRANSCRIPT = ["KATE BOULDUAN: Why not debate in New York?", "JOEL BENENSON: This is a man who said he'd never run "
              "a negative ad. We will talk about debates when he changes his tone.", "BOULDUAN: You guys were "
              "open to more debates in January.", REAL]


@pytest.mark.parametrize("body", [FEATURE_LEAD, DIARY_LEAD, ADVICE_BRIEF, TRANSCRIPT, [BRIEF], [REAL, REAL2]])
def test_prose_furniture_keeps_real_news(body: list[str]) -> None:
    """A feature writer's 'you', a columnist's 'I', reader advice in a brief and an interview transcript are
    news: the reader/site/commenter voice counts only on a page that also has buttons, labels or the site's
    vocabulary, and reporting sentences protect the rest."""
    _passes("prose.furniture", body)
    _passes("prose.site_words", body)
    assert assess("A headline", body).keep


def test_prose_furniture_needs_little_reporting() -> None:
    # a paywall stub whose teaser is most of the page is left to page.paywall, not to the statistics
    teaser = [BRIEF, REAL, "To keep reading, subscribe.", "Sign in"]
    _passes("prose.furniture", teaser)


def test_prose_site_words() -> None:
    page = ["This website uses cookies and javascript. Your browser settings block cookies, so the page and "
            "the video player cannot load. Allow cookies or change the browser settings, then reload the page."]
    assert "site's own vocabulary" in _fires("prose.site_words", page)
    _passes("prose.site_words", ["BRUSSELS — The Belgian data protection authority fined a news website €50,000 "
                                 "for setting advertising cookies before visitors gave consent, the regulator said "
                                 "on Thursday. The site has three months to change its consent banner."])


def test_prose_rules_skip_long_documents() -> None:
    long_page = COOKIE_PROSE * 40
    assert sum(len(p.split()) for p in long_page) > CATALOG.prose.max_words
    _passes("prose.furniture", long_page)


def test_prose_lexicon_is_data_and_validated(tmp_path: Path) -> None:
    assert {"en", "de", "fr", "es", "it", "nl", "pt"} <= set(CATALOG.prose.languages)
    assert "you" in CATALOG.prose.words("de")["second_person"]  # English merged into every language
    assert "Sie" in CATALOG.prose.words("de")["second_person_cased"]
    assert CATALOG.prose.words("xx") is CATALOG.prose.words("en")  # unknown language: English
    base = '[[stats]]\nname = "prose.furniture"\nkind = "k"\nthreshold = 0.5\n'
    p = tmp_path / "q.toml"
    p.write_text(base)
    with pytest.raises(ValueError, match=r"need a \[prose\] table"):
        load_quality_rules(p)
    p.write_text(base + '[prose]\n[prose.lexicon.de]\nsecond_person = "du"\n')
    with pytest.raises(ValueError, match="lexicon.en"):
        load_quality_rules(p)
    p.write_text(base + '[prose]\n[prose.lexicon.en]\nsecond_persons = "you"\n')
    with pytest.raises(ValueError, match="unknown list"):
        load_quality_rules(p)


# ------------------------------------------------------------------------------- repetition (Gopher n-grams)

def test_top_ngram() -> None:
    _fires("gopher.top_ngram", ["Text text text text text text. Text text text text text."])
    _fires("gopher.top_ngram", ["Sample paragraph one. Sample paragraph two. Sample paragraph three. Sample "
                                "paragraph four."])
    # a lead whose headline phrase recurs is news (Gopher's own 0.2 for 2-grams would drop it)
    _passes("gopher.top_ngram", ["Hillary Clinton wins Missouri. Hillary Clinton won the Missouri primary on "
                                 "Tuesday, and Hillary Clinton's lead grew, the Associated Press said."])


def test_dup_ngram() -> None:
    para = "This is placeholder text for the article body. Replace it with the final copy before publishing."
    assert "repeated 5-grams" in _fires("gopher.dup_ngram", [para, para])
    _fires("gopher.dup_ngram", [" ".join(["The quick brown fox jumps over the lazy dog."] * 5)])
    _passes("gopher.dup_ngram", [REAL, REAL2, BRIEF])


def test_ngram_rules_measure_long_documents_only_when_repetitive() -> None:
    # over max_words (300) a document is measured only when its distinct words are <= 30% of its words
    varied = [" ".join(f"w{i} of the" for i in range(120))]  # 360 words, 34% distinct
    _passes("gopher.top_ngram", varied)  # 'of the' holds 55% of the characters, but it is not measured
    _fires("gopher.top_ngram", [varied[0][:900]])  # a piece of it under 300 words is
    _fires("gopher.top_ngram", [" ".join(["buy cheap flights now"] * 300)])


def test_lorem_ipsum_vocabulary_without_the_phrase_and_in_the_title() -> None:
    _fires("c4.lorem_ipsum", ["Donec sed odio dui. Cras justo odio, dapibus ac facilisis in, egestas eget quam. "
                              "Vivamus sagittis lacus vel augue laoreet rutrum faucibus dolor auctor."])
    _fires("c4.lorem_ipsum", ["Sed ut perspiciatis unde omnis iste natus error sit voluptatem accusantium "
                              "doloremque laudantium, totam rem aperiam."])
    v = assess("Lorem ipsum", ["Dolor sit amet, consectetur adipiscing elit, and the council met on Tuesday to "
                               "discuss the budget for next year."], config=only("c4.lorem_ipsum"))
    assert not v.keep
    _passes("c4.lorem_ipsum", [SPANISH, FRENCH])


# --------------------------------------------------------------------------------------- tail of a page

def test_teaser_followed_by_a_paywall_is_a_paywall() -> None:
    teaser = [BRIEF, REAL, REAL2, GERMAN_EN, FRENCH_EN]
    wall = "This article is available to subscribers. Subscribe for full access to our journalism."
    v = assess(BRIEF_TITLE, [*teaser, wall], config=only("page.paywall"))
    assert not v.keep and "ends in 2 specific lines" in v.detail
    # the same phrases inside the story are not its end: kept
    assert assess(BRIEF_TITLE, [wall, *teaser], config=only("page.paywall")).keep
    assert assess(BRIEF_TITLE, teaser + ["Readers who hit the 'subscribe to continue reading' prompt were "
                                         "offered a discount, the paper said."]).keep


def test_rule_rows_show_pair_thresholds_and_reporting_caps() -> None:
    row = {r[0]: r for r in rule_rows()}
    assert row["gopher.top_ngram"][2] == "2-grams 0.4, 3-grams 0.36, 4-grams 0.32"
    assert row["prose.furniture"][2] == "0.5 (and reporting <= 0.35)"


def test_a_fact_then_more_to_follow_is_a_stub_but_a_brief_that_will_be_updated_is_news() -> None:
    flash = ["The former president of the central bank has died at the age of 81, his family said on Wednesday.",
             "More to follow."]
    v = assess("Former central bank chief dies", flash)
    assert (v.keep, v.rule) == (False, "page.breaking_stub")
    # a full wire brief (35+ words) that ends in a marker stays: the tail only judges stubs of <= 30 words
    assert assess(BRIEF_TITLE, [BRIEF, "This story will be updated."]).keep
    assert assess(BRIEF_TITLE, [BRIEF, "More to follow."]).keep
