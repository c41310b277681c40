"""newsdesk.quotes.grammar, the parse-based attribution and transcripts: one small self-written article per
pattern of issue 10 (no corpus text), plus the offsets of every quote and speaker. The cue patterns read from
the parse are in test_cues.py, speakers found outside the quote's clause in test_fallbacks.py."""
from __future__ import annotations

import pytest

from newsdesk.quotes import extract_quotes, wants_parse
from newsdesk.quotes.grammar import speech_cue
from newsdesk.quotes.speakers import first_name_gender
from tests.quotes.helpers import DEV, SEEDS, one


def test_wants_parse_only_quote_and_intro_paragraphs():
    assert wants_parse("“We will win,” she said.")
    assert wants_parse('He said "no."')
    assert wants_parse("The mayor continued:")
    assert wants_parse("Q: What now?") and wants_parse("JANE ROE: We are ready.")
    assert not wants_parse("The council met on Tuesday and approved the budget.")


def test_speech_verbs_by_base_form():
    assert speech_cue("says") == "said" and speech_cue("told") == "told"
    assert speech_cue("questioned") == "questioned" and speech_cue("snapping") == "snapping"
    assert speech_cue("fumes") == "fumes" and speech_cue("walked") is None


def test_gender_from_the_name_dictionary():
    assert first_name_gender("Margaret") == "f" and first_name_gender("Robert") == "m"
    assert first_name_gender("Kim") is None  # only "mostly" female in the dictionary: unknown


def test_descriptions_are_speakers(run):
    body = ("The city council approved the budget on Monday.\n\n"
            "“The numbers simply do not add up,” the report said.\n\n"
            "“People are tired of waiting,” a bartender at the Main Street diner said.\n\n"
            "“We will appeal,” the campaign wrote in an email.")
    rows = run(body)
    for text, speaker in (("The numbers simply do not add up,", "the report"),
                          ("People are tired of waiting,", "a bartender at the Main Street diner"),
                          ("We will appeal,", "the campaign")):
        r = one(rows, text)
        assert (r["speaker"], r["attribution"]) == (speaker, "description"), r
        assert body[r["speaker_start"]:r["speaker_end"]] == speaker


def test_pronouns_use_gender_and_subjects(run):
    body = ("Margaret Cole met Robert Stone in Boston on Monday.\n\n"
            "Stone said the deal was close. “We are almost there,” she said.")
    r = one(run(body), "We are almost there,")
    assert (r["speaker"], r["attribution"]) == ("Margaret Cole", "pronoun")
    assert body[r["speaker_start"]:r["speaker_end"]] == "she"


def test_transcript_and_interview_turns(run):
    body = ("Interview with Mayor Ann Lee.\n\n"
            "Our reporter spoke with Mayor Ann Lee on Tuesday. The transcript follows.\n\n"
            "Q: What comes next for the city?\n\n"
            "A: We rebuild the bridge first.\n\n"
            "TOM HART: The council agrees.\n\n"
            "HART: We will vote next week.\n\n"
            "NOTE: The interview was edited.")
    rows = run(body)
    r = one(rows, "What comes next for the city?")
    assert (r["speaker"], r["attribution"]) == (None, "transcript")
    r = one(rows, "We rebuild the bridge first.")
    assert (r["speaker"], r["attribution"], r["kind"]) == ("Ann Lee", "transcript", "full")
    r = one(rows, "We will vote next week.")
    assert (r["speaker"], body[r["speaker_start"]:r["speaker_end"]]) == ("Tom Hart", "HART")
    assert not any("edited" in r["text"] for r in rows)


def test_a_transcript_quoted_paragraph_by_paragraph(run):
    """Each turn opens with a quote mark (and only the last one closes): the label inside the quote speaks."""
    body = ("Mayor Ann Lee took questions on Tuesday. Part of the exchange:\n\n"
            "\"HART: Mayor Lee, will the bridge reopen this year?\n\n"
            "\"LEE: We rebuild it first, and then we reopen it.\n\n"
            "\"VIDEO: A clip of the flood was shown.\n\n"
            "\"HART: Thank you, Mayor.\"")
    rows = run(body)
    _check_offsets(body, rows)
    r = one(rows, "We rebuild it first, and then we reopen it.")
    assert (r["speaker"], r["attribution"], body[r["speaker_start"]:r["speaker_end"]]) == ("Ann Lee", "transcript",
                                                                                            "LEE")
    assert one(rows, "Mayor Lee, will the bridge reopen this year?")["attribution"] == "transcript"
    assert all(r["speaker"] is None for r in rows if r["text"].startswith("VIDEO"))  # a label that is no one


def test_a_lone_label_is_no_transcript(run):
    assert run("UPDATE: The vote was moved to Friday.\n\nThe council met.") == []


def _check_offsets(body, rows):
    for r in rows:
        assert body[r["start"]:r["end"]] == r["text"]
        if r["speaker"] is None:
            assert r["speaker_start"] is None and r["speaker_end"] is None
            assert r["attribution"] in ("none", "transcript")  # "Q:" turns: the interviewer is unnamed
            continue
        s, e = r["speaker_start"], r["speaker_end"]
        assert 0 <= s < e <= len(body), r
        words = body[s:e]
        assert words == words.strip() and words, r
        assert not (r["start"] <= s < r["end"]), r  # the speaker is named outside the quote
        if r["attribution"] in ("description", "role"):
            assert words == r["speaker"], r
        elif r["attribution"] == "pronoun":
            assert words.lower() in ("he", "she", "they", "it", "who"), r


@pytest.mark.parametrize("which", ["dev", "seeds"])
def test_quote_and_speaker_offsets_index_the_body(run, which):
    items = [(b, a["language"]) for _f, b, a in DEV] if which == "dev" else [(b, g["language"])
                                                                            for _f, b, g in SEEDS]
    n = 0
    for body, lang in items:
        rows = run(body, lang)
        _check_offsets(body, rows)
        n += sum(r["speaker"] is not None for r in rows)
    assert n >= 20


def test_offsets_without_a_parse():
    body = "“We will win,” Jane Roe said. “The plan is ready.”"
    rows = extract_quotes(body, "en", [{"start": 15, "end": 23, "label": "PERSON"}])
    _check_offsets(body, rows)
    assert rows[0]["speaker"] == "Jane Roe" and body[rows[0]["speaker_start"]:rows[0]["speaker_end"]] == "Jane Roe"


def test_a_title_of_something_names_the_person_after_it(run):
    from tests.quotes.helpers import one

    rows = run("Speaker of the House Rep. Dale Morrow (R-WI) said “those images have no place in a campaign.”\n\n"
               "A friend of Dale Morrow said “he will not run again.”")
    assert one(rows, "those images have no place in a campaign.")["speaker"] == "Dale Morrow"
    assert one(rows, "he will not run again.")["speaker"] != "Dale Morrow"  # the friend spoke, not Morrow


def test_of_two_subjects_the_one_next_to_the_verb_speaks(run):
    from tests.quotes.helpers import one

    rows = run("Speaking at a town hall in Salem, New Hampshire, Rowan Tate went after the governor, calling him "
               "“a total failure.”")
    assert one(rows, "a total failure.")["speaker"] == "Rowan Tate"


def test_a_verb_of_saying_after_a_preposition_takes_the_subject_of_the_verb_before_it(run):
    rows = run("The Republican candidate appeared to defend his plans by saying, “I am trying to save lives and "
               "prevent the next attack.”\n\n"
               "Husted continued by saying, “We will appeal this decision because we need clarity.”")
    row = one(rows, "I am trying to save lives and prevent the next attack.")
    assert (row["speaker"], row["cue"], row["attribution"]) == ("The Republican candidate", "said", "description")
    # a surname the tagger took for a verb is still the subject that speaks
    assert one(rows, "We will appeal this decision because we need clarity.")["speaker"] == "Husted"


def test_a_participle_of_saying_hung_from_the_reported_clause_goes_with_the_verb_reporting_it(run):
    rows = run("On Monday, Mayor Lena Voss said the budget process could be “messy,” adding, “Democracy is "
               "always messy.”")
    row = one(rows, "Democracy is always messy.")
    assert (row["speaker"], row["cue"]) == ("Lena Voss", "added")  # not "the budget process"


def test_a_surname_the_tagger_read_as_a_modal_is_the_subject(run):
    # "Will described": the tagger makes "Will" a modal and the parse leaves "described" without a subject
    body = ("Columnist George Will wrote again about the race.\n\n"
            "From the rally in Iowa to the “deportation force,” Will described the candidate as “stupendously "
            "un-conservative.”")
    rows = run(body)
    for text in ("deportation force,", "stupendously un-conservative."):
        assert "George Will" in one(rows, text)["speaker"]
