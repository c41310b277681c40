"""Tests for newsdesk.boilerplate: the rule catalog (recall AND precision) and corpus-learned repeated lines."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from newsdesk.boilerplate import (
    REPEATED_MAX_WORDS, Removed, RuleCatalog, learn_repeated_lines, line_key, load_rules, remove_repeated_lines,
    strip_boilerplate, strip_with_positions,
)

CATALOG = load_rules()
REAL = ("Russian President Vladimir Putin and North Korean leader Kim Jong Un signed a new partnership this week, "
        "vowing to offer mutual aid and protection against their enemies.")
REAL2 = "Details of the deal were not immediately clear, officials in Seoul said on Thursday."


def test_catalog_loads_and_is_cached() -> None:
    assert load_rules() is CATALOG
    assert isinstance(CATALOG, RuleCatalog)
    assert {r.scope for r in CATALOG.rules} <= {"line", "prefix", "tail"}
    assert {"donation_appeal", "read_more", "follow_us", "author_bio", "share", "newsletter", "cookie",
            "copyright", "advertisement", "photo_caption"} <= CATALOG.names
    for r in CATALOG.rules:
        assert r.max_words > 0
        assert not r.pattern.startswith("^") and not r.pattern.endswith("$"), r.name  # the scope anchors


@pytest.mark.parametrize("bad,msg", [
    ('[[rules]]\nname="x"\nscope="everywhere"\npattern="a"\nmax_words=3\n', "scope"),
    ('[[rules]]\nname="x"\nscope="line"\npattern="("\nmax_words=3\n', "bad pattern"),
    ('[[rules]]\nname="x"\nscope="line"\npattern="a"\n', "max_words"),
])
def test_bad_catalog_is_rejected(tmp_path: Path, bad: str, msg: str) -> None:
    p = tmp_path / "rules.toml"
    p.write_text(bad)
    with pytest.raises(ValueError, match=msg):
        load_rules(p)


def test_custom_catalog(tmp_path: Path) -> None:
    p = tmp_path / "rules.toml"
    p.write_text('[[rules]]\nname = "promo"\nscope = "line"\npattern = "buy now"\nmax_words = 3\n')
    cat = load_rules(p)
    assert strip_boilerplate([REAL, "Buy now", "Advertisement"], cat) == (
        [REAL, "Advertisement"], [Removed(1, "Buy now", "promo")])


# ---------------------------------------------------------------------------------- catalog examples (data)

EXAMPLES = [(r.name, e) for r in CATALOG.rules for e in r.examples]
COUNTER = [(r.name, e) for r in CATALOG.rules for e in r.counter_examples]


@pytest.mark.parametrize("rule,text", EXAMPLES, ids=[f"{n}:{t[:30]}" for n, t in EXAMPLES])
def test_catalog_example_is_removed(rule: str, text: str) -> None:
    # placed last (the tail), after real paragraphs that do not mention any author name
    kept, removed = strip_boilerplate([REAL, REAL2, text])
    assert kept == [REAL, REAL2]
    assert removed == [Removed(2, text, rule)]


@pytest.mark.parametrize("rule,text", COUNTER, ids=[f"{n}:{t[:30]}" for n, t in COUNTER])
def test_catalog_counter_example_is_kept_anywhere(rule: str, text: str) -> None:
    for paras in ([text, REAL], [REAL, text, REAL2], [REAL, REAL2, text], [text]):
        kept, removed = strip_boilerplate(paras)
        assert removed == [] and kept == paras


# ----------------------------------------------------------------------------------------------- precision

PROSE = [
    "Readers of the newspaper were invited to read more about the case online, the editor said.",
    "Read the full statement, the spokesperson told reporters, and you will see no mention of sanctions.",
    "Follow-up talks are scheduled for next week in Geneva, officials said.",
    "Follow the money, the prosecutor told jurors on Tuesday.",
    "Followers of the church gathered outside the courthouse.",
    "Supporters of the bill say it would help families; critics say it goes too far.",
    "Support for the measure has grown, according to a poll released on Monday.",
    "Support us, the protesters chanted outside the embassy on Friday.",
    "The charity asked residents to donate blankets and food.",
    "Donations to the campaign topped $5 million in the last quarter, filings show.",
    "Subscribers to the service will see prices rise by $2 a month.",
    "Subscribe to the idea that sanctions work and you will be disappointed, the economist wrote.",
    "The court ruled that copyright law does not protect works created by artificial intelligence.",
    "Copyright holders have sued the company in three states.",
    "The cookie maker reported record sales in the second quarter.",
    "Cookies and other tracking tools are at the center of the EU's new privacy rules.",
    "Share prices fell 3% in early trading in Seoul.",
    "Shares of the company rose 5% on Monday.",
    "Newsletter publishers have flocked to the platform.",
    "Advertisement spending rose 4% last year, the report found.",
    "Photographs released by KCNA showed the two leaders embracing at the airport.",
    "Photo opportunities were limited during the visit.",
    "Related talks on trade are expected later this year.",
    "You could close this deal by Friday, the negotiator told his counterpart.",
    "A little bit of luck helped, the coach said after the match.",
    "We keep our promises, the president said in his speech.",
    "If you value your privacy, experts said, you should turn off location tracking.",
    "Become a member of NATO? Finland did so in 2023, and Sweden followed a year later.",
    "Thank you, Mr. President, the ambassador replied.",
    "Kim Jong Un is the supreme leader of North Korea.",
    "Rachel Lee is a senior fellow at the Stimson Center's Korea program.",
    "The photo was taken in 2019, the agency said. (Reuters)",
    "All rights holders will be compensated, the ministry said.",
    "Sign language interpreters were present at the press conference.",
    "Print media in the country has been under pressure for years.",
    "Twitter said it had removed the accounts.",
    "Email records obtained by the newspaper show the minister knew of the deal.",
    "Register of deeds officials said the property changed hands in May.",
    "Image rights were at the center of the dispute between the player and the club.",
    "FILE sharing was blocked, the regulator said.",
]


@pytest.mark.parametrize("text", PROSE, ids=[t[:40] for t in PROSE])
def test_news_prose_is_kept_in_every_position(text: str) -> None:
    for paras in ([text, REAL, REAL2], [REAL, text, REAL2], [REAL, REAL2, text], [text]):
        kept, removed = strip_boilerplate(paras)
        assert removed == [], removed
        assert kept == paras


def test_long_paragraph_starting_like_boilerplate_is_kept() -> None:
    long_p = ("Read more: the minister's letter, released on Friday, runs to 40 pages and sets out in detail the "
              "government's case for the treaty, including its view that the pact does not breach any sanctions "
              "resolution adopted by the Security Council since 2006, a claim disputed by Western diplomats.")
    assert strip_boilerplate([REAL, long_p]) == ([REAL, long_p], [])


# ---------------------------------------------------------------------------------------------------- recall

def test_seed_004_tail_block() -> None:
    tail = [
        "Read more:",
        "You could close this page. Or you could join our community and help us produce more materials like this.",
        "We keep our reporting open and accessible to everyone because we believe in the power of free "
        "information. This is why our small, cost-effective team depends on the support of readers like you.",
        "A little bit goes a long way: for as little as the cost of one cup of coffee a month, you can help build "
        "bridges between Ukraine and the rest of the world. Become a patron or see other ways to support.",
        "Become a Patron!",
    ]
    kept, removed = strip_boilerplate([REAL, REAL2, *tail], start_position=4)
    assert kept == [REAL, REAL2]
    assert [(r.position, r.rule) for r in removed] == [
        (6, "read_more"), (7, "donation_appeal"), (8, "donation_appeal"), (9, "donation_appeal"),
        (10, "donation_appeal")]


def test_tail_rule_reaches_back_through_trailing_boilerplate_only() -> None:
    appeal = "You could close this page. Or you could join our community."
    trailing = ["Advertisement", "Follow us on:", "Share", "Copy link", "Become a Patron!"]
    kept, removed = strip_boilerplate([REAL, appeal, *trailing])
    assert kept == [REAL] and len(removed) == 6
    # the same appeal followed by real paragraphs is far from the tail: kept (precision first)
    paras = [REAL, appeal, REAL2, REAL2, REAL2, REAL2, REAL2]
    assert strip_boilerplate(paras) == (paras, [])


def test_author_bio_sets_author_and_respects_body() -> None:
    bio = "Jane Doe is a staff writer at The Example Times covering national security."
    kept, pos, removed, author = strip_with_positions([REAL, REAL2, bio], [3, 4, 5], CATALOG)
    assert (kept, pos, author) == ([REAL, REAL2], [3, 4], "Jane Doe")
    assert removed == [Removed(5, bio, "author_bio")]
    # the person is the subject of the story: a closing paragraph about them is content, not a bio
    story = "Doe, who has written about the region for a decade, was detained in Pyongyang last year."
    kept, _, removed, author = strip_with_positions([story, REAL2, bio], [0, 1, 2], CATALOG)
    assert removed == [] and author is None
    # a bio-shaped paragraph in the middle of the body is not in the tail
    paras = [REAL, bio, REAL2, REAL2, REAL2, REAL2]
    assert strip_boilerplate(paras) == (paras, [])


def test_positions_follow_start_position() -> None:
    kept, removed = strip_boilerplate([REAL, "Advertisement", REAL2], start_position=10)
    assert kept == [REAL, REAL2] and removed == [Removed(11, "Advertisement", "advertisement")]


# -------------------------------------------------------------------------------------------- repeated lines

def test_line_key_normalization() -> None:
    assert line_key("Follow us on:") == line_key("  follow US   on ")
    assert line_key("© 2023 Example Media") == line_key("© 2024 Example Media")  # digits -> 0
    assert line_key("“Quoted”—text") == line_key('"quoted" - text')
    assert line_key("Follow us on:") != line_key("Follow us on Telegram")
    assert len(line_key("x")) == 16 and line_key("x") == line_key("x")


def _word(i: int) -> str:
    """A distinct digit-free token per i (digits would all normalize to 0)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = letters[r] + out
    return "q" + out


def corpus(n: int, source: str | None, footer: str | None, every: int = 1) -> list[tuple[str | None, list[str]]]:
    docs = []
    for i in range(n):
        w = _word(i)
        paras = [f"Story paragraph one about the {w} event in the capital.", f"Unique detail {w}."]
        if footer and i % every == 0:
            paras.append(footer)
        docs.append((source, paras))
    return docs


def test_learn_repeated_lines_thresholds() -> None:
    footer = "Follow Example News on Telegram for updates"
    rep = learn_repeated_lines(corpus(5, "ex", footer))
    assert rep == {("ex", line_key(footer))}
    assert learn_repeated_lines(corpus(4, "ex", footer)) == frozenset()        # below min_docs
    assert learn_repeated_lines(corpus(4, "ex", footer), min_docs=4) == {("ex", line_key(footer))}
    # 6 of 100 articles: enough docs, but below min_fraction (10%)
    assert learn_repeated_lines(corpus(100, "ex", footer, every=17)) == frozenset()
    assert learn_repeated_lines(corpus(100, "ex", footer, every=17), min_fraction=0.05) == {("ex", line_key(footer))}


def test_learn_repeated_lines_is_per_source_and_per_document() -> None:
    footer = "Subscribe to The Example for more"
    docs = corpus(3, "a", footer) + corpus(3, "b", footer)
    assert learn_repeated_lines(docs) == frozenset()  # 3 + 3 never pooled across sources
    # repeated inside one article counts once
    one = [("a", [footer] * 10 + ["Body text."])]
    assert learn_repeated_lines(one, min_docs=2) == frozenset()
    # None is a source of its own
    assert learn_repeated_lines(corpus(5, None, footer)) == {(None, line_key(footer))}


def test_learn_repeated_lines_ignores_long_paragraphs() -> None:
    long_p = " ".join(["word"] * (REPEATED_MAX_WORDS + 1))
    ok_p = " ".join(["word"] * REPEATED_MAX_WORDS)
    docs = [("s", [long_p, ok_p, f"unique {_word(i)}"]) for i in range(10)]
    assert learn_repeated_lines(docs) == {("s", line_key(ok_p))}


def test_learn_repeated_lines_is_order_independent() -> None:
    docs = corpus(30, "ex", "Footer line here") + corpus(30, "ey", "Another footer", every=2)
    shuffled = docs[:]
    random.Random(7).shuffle(shuffled)
    assert learn_repeated_lines(docs) == learn_repeated_lines(shuffled)
    assert learn_repeated_lines(iter(docs)) == learn_repeated_lines(docs)


def test_remove_repeated_lines() -> None:
    footer = "Follow Example News on Telegram"
    rep = learn_repeated_lines(corpus(5, "ex", footer))
    paras = [REAL, footer, REAL2]
    assert remove_repeated_lines(paras, "ex", rep, 3) == ([REAL, REAL2], [Removed(4, footer, "repeated_line")])
    assert remove_repeated_lines(paras, "ex", rep, [2, 7, 9]) == ([REAL, REAL2], [Removed(7, footer, "repeated_line")])
    assert remove_repeated_lines(paras, "other", rep, 0) == (paras, [])
    assert remove_repeated_lines(paras, "ex", frozenset(), 0) == (paras, [])
    with pytest.raises(ValueError):
        remove_repeated_lines(paras, "ex", rep, [1, 2])


def test_remove_repeated_lines_never_empties() -> None:
    footer = "Follow Example News on Telegram"
    rep = learn_repeated_lines(corpus(5, "ex", footer))
    assert remove_repeated_lines([footer, footer], "ex", rep, 0) == ([footer, footer], [])


def test_combined_regex_equals_rule_by_rule_loop() -> None:
    """The speed-up (one alternation per max_words threshold) must pick exactly what a loop over rules picks."""
    texts = [t for _, t in EXAMPLES] + [t for _, t in COUNTER] + PROSE + [REAL, REAL2, "", "Share", "ad", "AD"]
    texts += [t.upper() for t in texts] + [t.lower() for t in texts]
    for text in texts:
        n = len(text.split())
        expected = next((r for r in CATALOG.anywhere if r.match(text, n)), None)
        got = CATALOG.match_anywhere(text, n)
        assert (got[0] if got else None) is expected, text
