"""Tests for newsdesk.parse: the five seeds against the gold, own fixture articles of other shapes, edge cases."""
from __future__ import annotations

import json
import re
import time
from datetime import datetime
from pathlib import Path

import pytest

from newsdesk.boilerplate import load_rules
from newsdesk.parse import ParsedArticle, parse_article, parse_byline, parse_dateline

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = FIXTURES / "seeds"
ARTICLES = FIXTURES / "articles"
GOLD = json.loads((FIXTURES / "seeds_gold.json").read_text(encoding="utf-8"))["articles"]
PARSER_RULES = {"repeated_title", "extra_dateline", "repeated_line"}
WS = re.compile(r"\s+")


def norm(s: str) -> str:
    return WS.sub(" ", s).strip()


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def assert_nothing_lost(text: str, p: ParsedArticle) -> None:
    """Every non-empty raw line is in the body, a header field, or a removed entry (with a known rule)."""
    body = norm(" ".join(p.paragraphs))
    removed = [norm(r.text) for r in p.removed]
    fields = [norm(f) for f in (p.title, p.subtitle, p.section, p.dateline) if f]
    for raw in text.split("\n"):
        line = norm(raw)
        if not line:
            continue
        if line in body or line in fields or any(line in r for r in removed):
            continue
        # a byline: the author (and a date part, if any) are what is kept of it
        assert p.author and p.author in line, f"line lost: {line!r}"


def assert_positions_consistent(p: ParsedArticle) -> None:
    assert len(p.paragraph_positions) == len(p.paragraphs)
    assert list(p.paragraph_positions) == sorted(set(p.paragraph_positions))
    rpos = [r.position for r in p.removed]
    assert rpos == sorted(set(rpos)), "removed positions must be unique and ordered"
    assert not set(rpos) & set(p.paragraph_positions)


# ------------------------------------------------------------------------------------------------------ seeds

@pytest.mark.parametrize("gold", GOLD, ids=[g["file"] for g in GOLD])
def test_seed_matches_gold(gold: dict) -> None:
    text = read(SEEDS / gold["file"])
    p = parse_article(text)
    assert p.title == gold["title"]
    assert p.subtitle == gold["subtitle"]
    assert p.section == gold["section"]
    assert p.author == gold["author"]
    assert (p.published_at.isoformat() if p.published_at else None) == gold["published"]
    body = p.body
    assert body.startswith(gold["body_first"])
    assert body.endswith(gold["body_last"])
    names = load_rules().names | PARSER_RULES
    for gone in gold["removed"]:
        assert gone not in body
        assert any(r.text.startswith(gone) for r in p.removed), gone
    for r in p.removed:
        assert r.rule in names
    assert "\n\n\n" not in body and all(par == par.strip() and par for par in p.paragraphs)


@pytest.mark.parametrize("gold", GOLD, ids=[g["file"] for g in GOLD])
def test_seed_nothing_lost(gold: dict) -> None:
    text = read(SEEDS / gold["file"])
    p = parse_article(text)
    assert_nothing_lost(text, p)
    assert_positions_consistent(p)


def test_seed_specifics() -> None:
    p4 = parse_article(read(SEEDS / "004_b6197b7e45aa102e.txt"))
    assert [(r.position, r.rule) for r in p4.removed] == [
        (3, "repeated_title"), (12, "read_more"), (13, "donation_appeal"), (14, "donation_appeal"),
        (15, "donation_appeal"), (16, "donation_appeal")]
    assert p4.dateline == "Jun 20, 2024 - 07:10"  # NBSPs collapsed
    assert p4.published_at == datetime(2024, 6, 20, 7, 10)
    p0 = parse_article(read(SEEDS / "000_0b1106e91833ed28.txt"))
    assert [r.rule for r in p0.removed] == ["author_bio"]
    p2 = parse_article(read(SEEDS / "002_77b6a8badbb9ae09.txt"))
    assert len(p2.paragraphs) == 11  # single-newline style: each line a paragraph
    assert [(r.position, r.rule) for r in p2.removed] == [(11, "follow_us")]
    for name in ("001_6b42fcdb50f9018e.txt", "003_5431e87ad5f179b7.txt"):
        assert parse_article(read(SEEDS / name)).removed == []


def test_shipped_raw_files_are_the_seeds() -> None:
    raw = Path(__file__).parents[1] / "data" / "raw"
    if not raw.is_dir():
        pytest.skip("no data/raw")
    for g in GOLD:
        if (raw / g["file"]).exists():
            assert read(raw / g["file"]) == read(SEEDS / g["file"])


# ------------------------------------------------------------------------------------------- own fixtures

# file -> expected fields, removed (position, rule) list, first/last paragraph prefixes and paragraph count
EXPECTED: dict[str, dict] = {
    "cnn_updated_byline.txt": dict(
        section="World", title="Putin and Kim sign defense pact in Pyongyang", subtitle=None,
        author="Jane Doe and John Roe", dateline="Updated 3:45 PM EDT, Wed June 19, 2024",
        published_at=datetime(2024, 6, 19, 15, 45),
        removed=[(4, "share"), (6, "advertisement"), (8, "advertisement")],
        first="Russian President Vladimir Putin and North Korean leader", last="Analysts said the pact", n=4),
    "ap_wire_iso.txt": dict(
        section=None, title="Russia and North Korea sign pact pledging mutual aid against aggression",
        subtitle=None, author="Jim Heintz", dateline="2024-06-19T09:12:00Z",
        published_at=datetime(2024, 6, 19, 9, 12),
        removed=[(4, "photo_caption"), (7, "copyright")],
        first="SEOUL, South Korea (AP) — Russian President", last="Kim said the two countries", n=3),
    "us_date_staff_writer.txt": dict(
        section=None, title="Local leaders react to Russia-North Korea treaty", subtitle=None,
        author="Maria Lopez", dateline="06/20/2024", published_at=datetime(2024, 6, 20),
        removed=[(5, "newsletter"), (7, "copyright")],
        first="City council members on Thursday", last="Park said he would ask", n=3),
    "hard_wrapped.txt": dict(
        section=None, title="Seoul weighs response to Moscow-Pyongyang pact", subtitle=None,
        author="Min-ji Kim", dateline="June 20, 2024 7:10 a.m. EDT", published_at=datetime(2024, 6, 20, 7, 10),
        removed=[], first="South Korea's national security adviser said on Thursday that Seoul would review",
        last="The decision, Chang said, would depend on how Moscow proceeds.", n=4),
    "no_title_body_only.txt": dict(
        section=None, title=None, subtitle=None, author=None, dateline=None, published_at=None,
        removed=[(1, "photo_caption"), (4, "follow_us")],
        first="The United Nations Security Council is expected", last="Russia, a permanent member", n=3),
    "non_english_de.txt": dict(
        section=None, title="Russland und Nordkorea unterzeichnen Beistandspakt", subtitle=None,
        author="Anna Schmidt", dateline="20.06.2024", published_at=datetime(2024, 6, 20),
        removed=[], first="Russlands Präsident Wladimir Putin", last="Unterstützung für Russlands Krieg", n=4),
    "photo_captions_subtitle.txt": dict(
        section=None, title="Inside Putin's whirlwind visit to Pyongyang",
        subtitle="A red carpet, giant portraits and a limousine ride: how North Korea staged its welcome",
        author=None, dateline=None, published_at=None,
        removed=[(2, "photo_caption"), (4, "photo_caption"), (6, "photo_caption")],
        first="Thousands of people lined the streets", last="The ceremony in Kim Il Sung Square", n=3),
    "published_bio_readmore.txt": dict(
        section=None, title="What the Russia-North Korea treaty means for Asia", subtitle=None,
        author="Laura Chen", dateline="Published June 21, 2024", published_at=datetime(2024, 6, 21),
        removed=[(3, "read_more"), (6, "read_more"), (7, "donation_appeal"), (8, "author_bio")],
        first="Analysts across the region", last="Experts said it was too early", n=3),
    "byline_date_combined.txt": dict(
        section="Politics", title="Biden administration condemns Moscow-Pyongyang pact", subtitle=None,
        author="Sam Carter", dateline="June 20, 2024", published_at=datetime(2024, 6, 20),
        removed=[], first="The Biden administration on Thursday", last="Secretary of State Antony Blinken", n=2),
    "precision_prose.txt": dict(
        section=None, title="Tech firms face new rules on cookies and copyright", subtitle=None, author=None,
        dateline=None, published_at=None, removed=[],
        first="The European Union on Monday", last="Rachel Lee is a senior fellow", n=10),
    "single_newline_titled.txt": dict(
        section=None, title="Japan protests Russia-North Korea treaty", subtitle=None, author=None,
        dateline="Jun 21, 2024 · 10:30", published_at=datetime(2024, 6, 21, 10, 30),
        removed=[], first="Japan’s chief cabinet secretary", last="Tokyo has imposed sanctions", n=3),
}


def test_every_fixture_has_expectations() -> None:
    files = {p.name for p in ARTICLES.glob("*.txt")}
    assert files == set(EXPECTED)
    assert len(files) >= 8


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_article(name: str) -> None:
    exp = EXPECTED[name]
    text = read(ARTICLES / name)
    p = parse_article(text)
    for field in ("section", "title", "subtitle", "author", "dateline", "published_at"):
        assert getattr(p, field) == exp[field], field
    assert [(r.position, r.rule) for r in p.removed] == exp["removed"]
    assert p.paragraphs[0].startswith(exp["first"])
    assert p.paragraphs[-1].startswith(exp["last"])
    assert len(p.paragraphs) == exp["n"]
    assert_nothing_lost(text, p)
    assert_positions_consistent(p)


def test_hard_wrapped_rejoined_exactly() -> None:
    p = parse_article(read(ARTICLES / "hard_wrapped.txt"))
    assert p.paragraphs[2] == ("Officials in Seoul have long resisted calls to send lethal aid to Kyiv, citing a "
                               "policy of not supplying weapons to countries at war.")
    assert all("\n" not in par for par in p.paragraphs)


def test_non_english_keeps_every_paragraph() -> None:
    text = read(ARTICLES / "non_english_de.txt")
    p = parse_article(text)
    assert any(par.startswith("Folgen Sie den Entwicklungen:") for par in p.paragraphs)
    assert p.removed == []


def test_wire_lead_stays_in_body_and_sets_nothing() -> None:
    text = "Senate passes aid bill\n\nWASHINGTON (AP) — The Senate passed the bill on Tuesday.\n\nIt now goes to the House."
    p = parse_article(text)
    assert p.title == "Senate passes aid bill"
    assert p.subtitle is None and p.dateline is None and p.author is None
    assert p.paragraphs[0].startswith("WASHINGTON (AP) —")


# ---------------------------------------------------------------------------------------------- edge cases

@pytest.mark.parametrize("text", ["", "\n\n  \n"])
def test_empty(text: str) -> None:
    p = parse_article(text)
    assert (p.title, p.paragraphs, p.removed) == (None, [], [])


def test_single_line_is_never_a_title() -> None:
    assert parse_article("A Title").title is None
    assert parse_article("A Title").paragraphs == ["A Title"]


def test_first_line_without_blank_line_is_not_a_title() -> None:
    p = parse_article("Short first line\nSecond line is body text.\nThird line.")
    assert p.title is None and len(p.paragraphs) == 3


def test_question_title_and_abbreviation_title() -> None:
    assert parse_article("Will the pact hold?\n\nNobody knows, analysts said.").title == "Will the pact hold?"
    assert parse_article("Putin signs pact, defies U.S.\n\nBody text here.").title == "Putin signs pact, defies U.S."


def test_sentence_first_line_is_not_a_title() -> None:
    p = parse_article("The pact was signed on Wednesday.\n\nIt includes a defense clause.")
    assert p.title is None and len(p.paragraphs) == 2


def test_body_paragraph_ending_in_colon_is_not_a_subtitle() -> None:
    p = parse_article("Title of story\n\nThe statement said:\n\n“We will win.”")
    assert p.subtitle is None
    assert p.paragraphs == ["The statement said:", "“We will win.”"]


def test_published_preferred_over_updated() -> None:
    text = ("Title\n\nUpdated 3:45 PM EDT, Wed June 19, 2024\n\nPublished 1:00 PM EDT, Wed June 19, 2024\n\n"
            "Body paragraph.")
    p = parse_article(text)
    assert p.dateline == "Published 1:00 PM EDT, Wed June 19, 2024"
    assert p.published_at == datetime(2024, 6, 19, 13, 0)
    assert [(r.position, r.rule) for r in p.removed] == [(1, "extra_dateline")]
    assert_nothing_lost(text, p)


def test_leading_dateline_without_title() -> None:
    p = parse_article("June 20, 2024\n\nThe pact was signed on Wednesday, officials said.")
    assert p.title is None and p.dateline == "June 20, 2024"
    assert p.paragraphs == ["The pact was signed on Wednesday, officials said."]


def test_by_sentence_is_not_a_byline() -> None:
    p = parse_article("Title\n\nBy contrast, the Senate voted.\n\nMore.")
    assert p.author is None
    assert p.paragraphs[0] == "By contrast, the Senate voted."


@pytest.mark.parametrize("line,expected", [
    ("By Jane Doe", ("Jane Doe", None)),
    ("By Jane Doe and John Roe", ("Jane Doe and John Roe", None)),
    ("By Jim Heintz, Reuters", ("Jim Heintz", None)),
    ("By Jane Doe, The Washington Post", ("Jane Doe", None)),
    ("By Jane Doe, John Roe and Ann Poe", ("Jane Doe, John Roe and Ann Poe", None)),
    ("Maria Lopez | Staff writer", ("Maria Lopez", None)),
    ("BY JANE DOE", ("JANE DOE", None)),
    ("By Sam Carter | June 20, 2024", ("Sam Carter", "June 20, 2024")),
    ("Von Anna Schmidt", ("Anna Schmidt", None)),
    ("By the end of the year", None),
    ("By Putin's own account, he won.", None),
    ("By Wednesday", None),
    ("By contrast, officials said", None),
    ("Jane Doe said on Monday that the pact was dangerous.", None),
])
def test_parse_byline(line: str, expected) -> None:
    assert parse_byline(line) == expected


@pytest.mark.parametrize("line,expected", [
    ("Jun 20, 2024 · 07:10", datetime(2024, 6, 20, 7, 10)),
    ("Jun 20, 2024\u00a0-\u00a007:10", datetime(2024, 6, 20, 7, 10)),
    ("2024-06-20T07:10:00Z", datetime(2024, 6, 20, 7, 10)),
    ("2024-06-20T07:10:00+03:00", datetime(2024, 6, 20, 7, 10)),
    ("06/20/2024", datetime(2024, 6, 20)),
    ("20.06.2024", datetime(2024, 6, 20)),
    ("05.06.2024", datetime(2024, 6, 5)),
    ("June 20, 2024 7:10 a.m. EDT", datetime(2024, 6, 20, 7, 10)),
    ("June 20, 2024 7:10 p.m. EDT", datetime(2024, 6, 20, 19, 10)),
    ("Updated 3:45 PM EDT, Wed June 19, 2024", datetime(2024, 6, 19, 15, 45)),
    ("Published June 21, 2024", datetime(2024, 6, 21)),
    ("Posted: 2024-06-20 07:10", datetime(2024, 6, 20, 7, 10)),
    ("Wednesday, 19 June 2024", datetime(2024, 6, 19)),
    ("2024", None),              # a year alone is not a date
    ("June 2024", None),         # no day printed: never invented
    ("May 5", None),             # no year
    ("June 2024 was hot.", None),
    ("WASHINGTON (AP) — The Senate voted on June 20, 2024.", None),
])
def test_parse_dateline(line: str, expected) -> None:
    assert parse_dateline(line) == expected


# ------------------------------------------------------------------------------------------------- purity

def test_deterministic() -> None:
    for path in [*SEEDS.glob("*.txt"), *ARTICLES.glob("*.txt")]:
        text = read(path)
        assert parse_article(text) == parse_article(text)


def test_throughput_smoke() -> None:
    """Guard against catastrophic regexes: ~4k-char articles must parse well above 500/s even on a busy CI box."""
    texts = [read(p) for p in sorted([*SEEDS.glob("*.txt"), *ARTICLES.glob("*.txt")])]
    texts = [(t + "\n\n") * max(1, 4000 // max(len(t), 1)) for t in texts]
    parse_article(texts[0])
    n, t0 = 0, time.perf_counter()
    while n < 300:
        for t in texts:
            parse_article(t)
            n += 1
    rate = n / (time.perf_counter() - t0)
    assert rate > 500, f"{rate:.0f} articles/s"


def test_pathological_lines_are_fast() -> None:
    bad = ["By " + "Aa " * 500, "1, " * 2000, "Photo " + "(x " * 2000, "Jun 20, " * 1000, "a" * 50000,
           "Follow us on " + "twitter and " * 2000, "(" + "Photo by " * 1000]
    t0 = time.perf_counter()
    for line in bad:
        parse_article("Title\n\n" + line + "\n\nBody.")
        parse_article(line)
    assert time.perf_counter() - t0 < 2.0


def test_hard_wrapped_without_blank_lines() -> None:
    text = (
        "The treaty commits both countries to provide military assistance if\n"
        "either is attacked, according to the text published by state media on\n"
        "Thursday.\n"
        "Officials in Seoul said they would review the possibility of sending\n"
        "weapons to Ukraine in response to the agreement.\n"
        "The decision will depend on Moscow.\n"
    )
    # a paragraph-final line that is itself full width is ambiguous without blank lines: it is joined
    p = parse_article(text)
    assert p.title is None
    assert p.paragraphs == [
        "The treaty commits both countries to provide military assistance if either is attacked, according to "
        "the text published by state media on Thursday.",
        "Officials in Seoul said they would review the possibility of sending weapons to Ukraine in response to "
        "the agreement.",
        "The decision will depend on Moscow.",
    ]


def test_removed_is_reexported_from_parse() -> None:
    from newsdesk import boilerplate, parse
    assert parse.Removed is boilerplate.Removed
