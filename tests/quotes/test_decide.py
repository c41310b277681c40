"""newsdesk.quotes.decide: quoted phrases a speaker is reported as using are kept; scare quotes, terms, titles,
names and nicknames no one is reported saying are left out."""
from __future__ import annotations

from newsdesk.quotes.evaluate import norm_text
from tests.quotes.helpers import SEEDS


def test_seed_scare_quotes_left_out(run):
    body = next(b for f, b, _g in SEEDS if f.startswith("000"))
    texts = {norm_text(r["text"]) for r in run(body)}
    assert "aggression" not in texts  # 'interpret the war in Ukraine as “aggression”'
    assert "mutual assistance" not in texts


def test_reported_phrases_kept_scare_quotes_dropped(run):
    body = ("Tom Hart called the plan “disgusting” on Tuesday. The polls are “rigged,” he said.\n\n"
            "Critics say the “reform” has stalled. The town’s “Summer Nights” festival opens Friday.")
    rows = run(body)
    texts = {r["text"]: r for r in rows}
    assert texts["disgusting"]["speaker"] == "Tom Hart" and texts["disgusting"]["kind"] == "partial"
    assert texts["rigged,"]["speaker"] == "Tom Hart"
    assert "Summer Nights" not in texts  # a title with no speaker and no cue


def test_scare_quotes_titles_nicknames_left_out(run):
    body = ("Russia’s invasion was a “special military operation.” The so-called “peace plan” failed.\n\n"
            "It is unclear if Pyongyang will interpret the war as “aggression” under the pact.\n\n"
            "John Bolton published a memoir, “The Room Where It Happened,” last year. "
            "Israel named its campaign “Operation Iron Swords.”\n\n"
            "Yevgeny Prigozhin, once known as “Putin’s chef,” led a mutiny. "
            "Joaquín “El Chapo” Guzmán was sentenced.\n\n"
            "Bolton said Trump had “no philosophy” at all.")
    rows = run(body)
    assert [r["text"] for r in rows] == ["no philosophy"]
    assert rows[0]["speaker"] == "John Bolton"


def test_a_programme_named_by_its_owner_is_not_speech_even_next_to_a_speaker(run):
    body = ("Friday on CNN’s “New Day,” Sen. Maria Olsen said the bill was dead.\n\n"
            "“We will not vote for it,” Olsen told NBC’s “Today” on Monday.\n\n"
            "Olsen called the proposal “a disaster for farmers” on Tuesday.\n\n"
            "Olsen, the author of “Fields Of Gold,” spoke on the podcast “Farm Talk Today.”")
    rows = run(body)
    assert [r["text"] for r in rows] == ["We will not vote for it,", "a disaster for farmers"]
    assert all("Olsen" in (r["speaker"] or "") for r in rows)


def test_a_title_right_before_the_role_of_someone_in_it_is_no_quote(run):
    rows = run("“Nights at the Harbor Inn” star Mila Dorsey opened up about her first audition. “I was told to "
               "come back in ten years,” she said.")
    assert [r["text"] for r in rows] == ["I was told to come back in ten years,"]
