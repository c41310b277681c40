"""newsdesk.quotes.marks: quoted spans by their marks (find_quote_spans), then the same marks through extract_quotes."""
from __future__ import annotations

from newsdesk.quotes import find_quote_spans
from tests.quotes.helpers import one


def spans(body: str, language: str = "en") -> list[tuple[str, bool, int, int]]:
    """(inner text, closed, paragraph, chain) of each span; the inner text is body[start:end]."""
    return [(body[s.start:s.end], s.close_pos is not None, s.para, s.chain) for s in find_quote_spans(body, language)]


def test_curly_and_straight_double_quotes():
    body = 'He said “we will win” and left. She said "no way" too.'
    assert spans(body) == [("we will win", True, 0, -1), ("no way", True, 0, -1)]
    for s in find_quote_spans(body):
        assert body[s.open_pos] in "“\"" and body[s.close_pos] in "”\""


def test_single_quotes_nested_in_double_stay_inside():
    body = "“When people tell me ‘you have no mandate,’ I say no,” Starmer said."
    assert spans(body) == [("When people tell me ‘you have no mandate,’ I say no,", True, 0, -1)]


def test_british_single_quotes_and_apostrophes():
    body = "‘We will not stand by,’ Cooper said. The plan’s critics don’t agree."
    assert spans(body) == [("We will not stand by,", True, 0, -1)]
    assert spans("No quotes here, only Putin’s apostrophes and don’t.") == []


def test_unclosed_quote_is_contained_to_its_paragraph():
    body = ("Erdogan said it would wait “as long as burnings continue.\n\n"
            "Erdogan spoke. “We have told them,” he said.")
    assert spans(body) == [("as long as burnings continue.", False, 0, -1), ("We have told them,", True, 1, -1)]
    assert spans("A paragraph “with an opener.\n\nA second one without marks.") == [
        ("with an opener.", False, 0, -1)]


def test_quote_running_over_paragraphs_is_one_chain():
    body = "“There is no place for this.\n\n“Politics must never be a killing field,” Biden said.\n\nNext."
    assert spans(body) == [("There is no place for this.", False, 0, 1),
                           ("Politics must never be a killing field,", True, 1, 1)]


def test_german_and_french_marks():
    assert spans("„Wir werden helfen“, sagte Merz. »Wir müssen stark sein«, sagte er.", "de") == [
        ("Wir werden helfen", True, 0, -1), ("Wir müssen stark sein", True, 0, -1)]
    assert spans("« Cette réforme est nécessaire », a déclaré le chef.", "fr") == [
        ("Cette réforme est nécessaire", True, 0, -1)]


# ------------------------------------------------------------------------------- through extract_quotes


def test_nested_single_quotes_stay_inside(run):
    body = ("British Prime Minister Keir Starmer spoke on Thursday.\n\n"
            "“When people tell me ‘you have no mandate,’ I say we were elected to fix things,” Starmer said.")
    rows = run(body)
    assert len(rows) == 1
    assert rows[0]["text"] == "When people tell me ‘you have no mandate,’ I say we were elected to fix things,"
    assert rows[0]["speaker"] == "Keir Starmer"


def test_straight_quotes(run):
    body = ('South African President Cyril Ramaphosa said the group was "not anti-Western" but wanted change.\n\n'
            '"We are not seeking confrontation with anyone," Ramaphosa told delegates. "We are seeking a seat at the table."')
    rows = run(body)
    assert one(rows, "not anti-Western")["speaker"] == "Cyril Ramaphosa"
    assert one(rows, "We are not seeking confrontation with anyone,")["speaker"] == "Cyril Ramaphosa"
    assert one(rows, "We are seeking a seat at the table.")["attribution"] == "continuation"


def test_british_single_quotes(run):
    body = ("The home secretary, Yvette Cooper, announced new powers on Monday.\n\n"
            "‘We will not stand by while gangs put lives at risk,’ Cooper said. The plan’s critics disagreed.")
    rows = run(body)
    assert [r["text"] for r in rows] == ["We will not stand by while gangs put lives at risk,"]
    assert rows[0]["speaker"] == "Yvette Cooper"


def test_unbalanced_marks_keep_other_quotes(run):
    body = ("Turkish President Recep Tayyip Erdogan said Sweden’s bid would wait “as long as burnings continue.\n\n"
            "Erdogan spoke in Ankara. “We have told our Swedish friends what we expect,” Erdogan said.\n\n"
            "NATO chief Jens Stoltenberg said he remained confident” that Sweden would join.\n\n"
            "“We have done what we promised,” said Swedish Prime Minister Ulf Kristersson.")
    rows = run(body)
    assert one(rows, "We have told our Swedish friends what we expect,")["speaker"] == "Recep Tayyip Erdogan"
    assert one(rows, "We have done what we promised,")["speaker"] == "Ulf Kristersson"
    for r in rows:
        assert body[r["start"]:r["end"]] == r["text"]


def test_german_and_french_quotes_have_no_speaker(run):
    de = ("Bundeskanzler Friedrich Merz sprach am Mittwoch im Bundestag.\n\n"
          "„Wir werden die Ukraine so lange unterstützen, wie es nötig ist“, sagte Merz. "
          "Die AfD warf der Regierung eine „Kriegstreiberei“ vor.\n\n"
          "»Wir müssen bis 2029 kriegstüchtig sein«, sagte Pistorius.")
    rows = run(de, "de")
    assert [r["text"] for r in rows] == ["Wir werden die Ukraine so lange unterstützen, wie es nötig ist",
                                         "Wir müssen bis 2029 kriegstüchtig sein"]
    assert all(r["speaker"] is None and r["attribution"] == "none" for r in rows)
    fr = ("Le président a défendu sa réforme.\n\n"
          "« Cette réforme est nécessaire pour sauver notre système », a déclaré le chef de l’État.")
    rows = run(fr, "fr")
    assert [r["text"] for r in rows] == ["Cette réforme est nécessaire pour sauver notre système"]
    assert rows[0]["speaker"] is None


def test_multi_paragraph_quote(run):
    body = ("President Joe Biden addressed the nation on Sunday.\n\n"
            "“There is no place in America for this kind of violence.\n\n"
            "“Politics must never be a killing field,” Biden said.\n\n"
            "“Thank you,” Johnson said.")
    rows = run(body)
    a = one(rows, "There is no place in America for this kind of violence.")
    b = one(rows, "Politics must never be a killing field,")
    assert a["speaker"] == b["speaker"] == "Joe Biden"
    assert a["attribution"] == "continuation"
    assert one(rows, "Thank you,")["speaker"] == "Johnson"
