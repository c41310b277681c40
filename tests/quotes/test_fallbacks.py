"""newsdesk.quotes.fallbacks: a speaker named outside the quote's own clause (a clause ending in a colon, the
sentence before the quote)."""
from __future__ import annotations

from tests.quotes.helpers import one


def test_speaker_in_the_sentence_or_paragraph_before(run):
    body = ("Mayor Ann Lee addressed the crowd for an hour. Lee continued:\n\n"
            "“We built this town together, and we will rebuild it together.”\n\n"
            "Governor Tom Hart announced the lawsuit on Monday. “We are asking the court to stop this rule.”")
    rows = run(body)
    assert one(rows, "We built this town together, and we will rebuild it together.")["speaker"] == "Ann Lee"
    assert one(rows, "We are asking the court to stop this rule.")["speaker"] == "Tom Hart"


def test_the_one_person_named_before_an_introducing_colon(run):
    body = ("Turnout in the county rose again. Here's Senator Mara Quill in March 2014:\n\n"
            "“Every vote in this county will be counted, and every voter will be heard.”\n\n"
            "The timing of Okafor’s surge doesn’t surprise the pollster Dane Whitlow:\n\n"
            "“Candidates who win the early states usually pick up money and volunteers very fast.”\n\n"
            "In the spring, the talks between Mara Quill and Dane Whitlow ended:\n\n"
            "“We talked about the budget for a long time and agreed on nothing at all.”")
    rows = run(body)
    assert one(rows, "Every vote in this county will be counted, and every voter will be heard.")["speaker"] \
        == "Mara Quill"
    # a possessor is not the one introduced
    assert one(rows, "Candidates who win the early states usually pick up money and volunteers very "
                     "fast.")["speaker"] == "Dane Whitlow"
    # two people before the colon: no guess
    assert one(rows, "We talked about the budget for a long time and agreed on nothing at all.")["speaker"] is None


def test_an_as_clause_names_the_speaker_of_the_quote_after_it(run):
    body = ("But as the Valley Ledger pointed out, “the council has not published a budget in three years.”\n\n"
            "As Tomas Brennick puts it, “Nobody on this street has seen a plow since January.”")
    rows = run(body)
    assert one(rows, "the council has not published a budget in three years.")["speaker"] == "Valley Ledger"
    assert one(rows, "Nobody on this street has seen a plow since January.")["speaker"] == "Tomas Brennick"


def test_an_opening_as_clause_names_the_speaker_of_a_phrase_in_someone_elses_clause(run):
    rows = run("As columnist Ines Harlow puts it, Mayor Bell is trying to make the council \"an offer it "
               "cannot refuse.\"")
    assert one(rows, "an offer it cannot refuse.")["speaker"] == "Ines Harlow"


def test_a_quote_paragraph_after_one_about_a_person(run):
    rows = run("The caucus opened in Ames on Monday.\n\n"
               "Lorna Vasquez is upbeat about the chances of her candidate in November.\n\n"
               "“Not only can he win in November, he is the one with the best chance of winning.”\n\n"
               "The city of Ames voted early.\n\n"
               "“Turnout will decide this race, and turnout looks strong in every precinct.”")
    assert one(rows, "Not only can he win in November, he is the one with the best chance of winning.")[
        "speaker"] == "Lorna Vasquez"
    # after a paragraph about no one, no guess
    assert one(rows, "Turnout will decide this race, and turnout looks strong in every precinct.")["speaker"] \
        is None


def test_a_person_named_between_the_quote_and_a_verb_without_subject(run):
    # the parser hangs the name from the quote's verb and leaves "said" without a subject
    rows = run("“We have had better weeks than this one,” Ohio delegate Wes Pardee, wearing a straw hat and "
               "two campaign pins, said.")
    row = one(rows, "We have had better weeks than this one,")
    assert (row["speaker"], row["cue"]) == ("Wes Pardee", "said")


def test_a_person_named_right_before_a_verb_without_subject(run):
    # the parser hangs the long title chain from the noun before it and leaves "said" without a subject
    body = ("Asked about a photo of a torn banner likened to the Flag of the Union, Speaker of the House Rep. Maria "
            "Olsen (D-OR) said “those pictures, they have no place in a campaign.”")
    row = one(run(body), "those pictures, they have no place in a campaign.")
    assert (row["speaker"], row["cue"]) == ("Maria Olsen", "said")


def test_a_role_word_the_tagger_called_a_verb_before_the_name(nlp):
    from newsdesk.quotes import extract_quotes
    from newsdesk.quotes.evaluate import analysed

    body = "“I am impressed by his talent for annoying every voter,” screenwriter Ada Brennan wrote on Twitter."
    ents, parse = analysed(body, "en")
    i = next(k for k, t in enumerate(parse) if body[t.start:t.end] == "screenwriter")
    wrote = next(k for k, t in enumerate(parse) if body[t.start:t.end] == "wrote")
    name = next(k for k, t in enumerate(parse) if body[t.start:t.end] == "Brennan")
    # what the tagger did on a real sentence: the role word a verb, the name its object, no subject for "wrote"
    parse = [t._replace(tag="VB", dep="parataxis", head=wrote) if k == i else
             t._replace(dep="dobj", head=i) if k == name else t for k, t in enumerate(parse)]
    row = one(extract_quotes(body, "en", ents, parse), "I am impressed by his talent for annoying every voter,")
    assert (row["speaker"], row["cue"]) == ("Ada Brennan", "wrote")


def test_the_second_half_of_a_split_quote_has_the_first_halfs_speaker(run):
    # the parser leaves "said" without a subject; both halves are Walter Brinkley's
    rows = run('"The danger," said Walter Brinkley, a planner who is the head of the Lakeside County Transit Office, '
               '"is that we are going to lose the riders and the routes."')
    assert one(rows, "The danger,")["speaker"] == "Walter Brinkley"
    row = one(rows, "is that we are going to lose the riders and the routes.")
    assert (row["speaker"], row["cue"]) == ("Walter Brinkley", "said")


def test_a_verb_of_saying_set_off_in_the_clause_names_who_reports_it(run):
    rows = run("Governor Alma Reyes, Senator Hal Dorne said, had been in office for \"a very long time\" and "
               "signed \"hundreds of vetoes.\"\n\n"
               "The Ledger, Dorne said, called the ruling “a total surprise.”")
    assert one(rows, "a very long time")["speaker"] == "Hal Dorne"
    assert one(rows, "hundreds of vetoes.")["speaker"] == "Hal Dorne"
    assert one(rows, "a total surprise.")["speaker"] == "Hal Dorne"


def test_a_name_between_a_dash_and_the_colon_introduces_the_quote(run):
    rows = run("The county vote has been close for weeks - Nadia Ferrante: “Two weeks ago the north was ahead. "
               "Now the south is.”")
    assert one(rows, "Two weeks ago the north was ahead. Now the south is.")["speaker"] == "Nadia Ferrante"
