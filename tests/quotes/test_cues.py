"""newsdesk.quotes.cues: the cue verb a quote hangs from (or that hangs from it) and its subject, read from the
parse; one small self-written article per pattern of issue 10 (no corpus text)."""
from __future__ import annotations

from tests.quotes.helpers import one


def test_title_before_name_after_the_verb(run):
    body = "“Sleep matters more than diet,” said clinical psychologist Jane Roe of Springfield."
    r = one(run(body), "Sleep matters more than diet,")
    assert (r["speaker"], r["attribution"], r["cue"]) == ("Jane Roe", "explicit", "said")


def test_long_apposition(run):
    body = ("Jane Roe, policy director at the Example Institute and a former budget official, said the plan "
            "was “a gamble with other people’s money.”")
    r = one(run(body), "a gamble with other people’s money.")
    assert (r["speaker"], r["kind"]) == ("Jane Roe", "partial")


def test_inverted_verb_outside_the_lexicon(run):
    body = "Senator Mark Fields spoke after the vote.\n\n“That is simply not true,” Fields shot back."
    r = one(run(body), "That is simply not true,")
    assert (r["speaker"], r["cue"]) == ("Mark Fields", "shot back")


def test_cue_far_from_the_quote(run):
    body = ("Tom Hart, who has led the state since 2019 and faces re-election next year, told reporters at "
            "a packed news conference in the capital on Friday that the tax was “dead on arrival.”")
    assert one(run(body), "dead on arrival.")["speaker"] == "Tom Hart"


def test_a_second_phrase_in_the_same_reported_clause(run):
    """The chain of heads from “undecided” climbs through the other quoted phrase to the verb of saying."""
    body = ("Mayor Ann Cole said the council has “several options” for the budget, including the 40 or so "
            "“undecided” members who vote in May.")
    rows = run(body)
    assert (one(rows, "several options")["speaker"], one(rows, "undecided")["speaker"]) == ("Ann Cole", "Ann Cole")


def test_a_participle_of_saying_right_before_the_quote_when_the_parser_hangs_the_clause_from_it(run):
    """The parser makes the quote's own verb the root and the clause before it a complement of that verb;
    "telling reporters," still introduces the quote, and its subject is the clause's, not the quote's."""
    body = ("Lane did not seem very pleased with the ruling on Monday, telling reporters, “Many people said the "
            "judge should step aside.”")
    r = one(run(body), "Many people said the judge should step aside.")
    assert (r["speaker"], r["cue"]) == ("Lane", "told")
