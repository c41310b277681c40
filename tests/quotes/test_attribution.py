"""newsdesk.quotes.attribution and cues (+ phrases): the cue-verb patterns, each on a small article (with the
parse, as the enrich step runs them: the surface rules of attribution stand in where the parse finds none)."""
from __future__ import annotations

from tests.quotes.helpers import one


def test_quote_then_said_x(run):
    rows = run("“We will not give up,” Zelensky said. Kyiv was quiet on Monday.\n\n"
               "“The talks are over,” said Dmitry Peskov, the Kremlin spokesman.")
    r = one(rows, "We will not give up,")
    assert (r["speaker"], r["cue"], r["attribution"], r["kind"]) == ("Zelensky", "said", "explicit", "full")
    assert one(rows, "The talks are over,")["speaker"] == "Dmitry Peskov"


def test_x_said_colon_and_said_that(run):
    body = ("German Chancellor Olaf Scholz spoke in Berlin. Scholz said: “Germany will not waver.”\n\n"
            "Opposition leader Friedrich Merz said that the plan was “far too timid.”")
    rows = run(body)
    assert one(rows, "Germany will not waver.")["speaker"] == "Olaf Scholz"
    r = one(rows, "far too timid.")
    assert (r["speaker"], r["kind"]) == ("Friedrich Merz", "partial")


def test_according_to_before_and_after(run):
    body = ("According to the Russian state news agency TASS, the leaders “signed several important documents.”\n\n"
            "The deal includes “mutual assistance in case of aggression,” according to Mr. Putin. "
            "Russian President Vladimir Putin arrived on Tuesday.")
    rows = run(body)
    r = one(rows, "signed several important documents.")
    assert (r["speaker"], r["cue"], r["attribution"]) == ("TASS", "according to", "according_to")
    assert one(rows, "mutual assistance in case of aggression,")["speaker"] == "Vladimir Putin"


def test_described_labeled_called_partial(run):
    body = ("Senate Majority Leader Chuck Schumer labeled the budget “a giveaway to billionaires.” "
            "Senator John Thune called the remarks “partisan theater” and described the budget as "
            "“a responsible path.”")
    rows = run(body)
    r = one(rows, "a giveaway to billionaires.")
    assert (r["speaker"], r["cue"], r["kind"]) == ("Chuck Schumer", "labeled", "partial")
    assert one(rows, "partisan theater")["speaker"] == "John Thune"
    r = one(rows, "a responsible path.")
    assert r["speaker"] == "John Thune" and r["cue"] in ("described", "called")  # the parse may join them


def test_wrote_told_and_appositive(run):
    body = ("Mary Lovely, a senior fellow at the Peterson Institute, said the tariffs were “a tax on households.”\n\n"
            "U.S. envoy Steve Witkoff told Fox News that Washington was ready for “direct talks.”\n\n"
            "“Putin will stop only when he is stopped,” Boris Johnson wrote.")
    rows = run(body)
    assert one(rows, "a tax on households.")["speaker"] == "Mary Lovely"
    r = one(rows, "direct talks.")
    assert (r["speaker"], r["cue"]) == ("Steve Witkoff", "told")
    r = one(rows, "Putin will stop only when he is stopped,")
    assert (r["speaker"], r["cue"]) == ("Boris Johnson", "wrote")


def test_spokesperson_and_organisations(run):
    body = ("The Kremlin rejected the proposal. Putin’s spokesman said the plan was “premature.”\n\n"
            "TASS reported new gains. The agency said the advance was “proceeding according to plan.”\n\n"
            "Japan has expressed “grave concerns” about the deal.")
    rows = run(body)
    r = one(rows, "premature.")  # the spokesman spoke, not Putin: a speaker described, not named
    assert (r["speaker"], r["attribution"], r["speaker_refers_to"]) == ("Putin’s spokesman", "description", None)
    r = one(rows, "proceeding according to plan.")  # "the agency" is the organisation named before
    assert (r["speaker"], r["attribution"], r["speaker_refers_to"]) == ("The agency", "role", "TASS")
    assert one(rows, "grave concerns")["speaker"] == "Japan"


def test_unnamed_speaker_is_a_description(run):
    body = ("EU leaders met on Thursday.\n\n"
            "“There is simply no consensus yet,” one senior EU diplomat said after the summit. "
            "Several officials said the legal risks were “too great to ignore.”")
    rows = run(body)
    r = one(rows, "There is simply no consensus yet,")
    assert (r["speaker"], r["attribution"], r["speaker_refers_to"]) == ("one senior EU diplomat", "description", None)
    r = one(rows, "too great to ignore.")
    assert (r["speaker"], r["attribution"], r["kind"]) == ("Several officials", "description", "partial")
