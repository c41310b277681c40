"""newsdesk.quotes.resolve and speakers: pronouns, role phrases, the fullest name, organisations."""
from __future__ import annotations

from tests.quotes.helpers import one


def test_pronouns_respect_gender(run):
    body = ("Italian Prime Minister Giorgia Meloni met German Chancellor Friedrich Merz in Rome.\n\n"
            "Meloni said the two shared “a common vision.” She added that Italy would continue.\n\n"
            "Merz, for his part, said Germany would tighten controls. He described the talks as “very constructive.”\n\n"
            "“We agree on much more than people think,” she said.")
    rows = run(body)
    assert one(rows, "very constructive.")["speaker"] == "Friedrich Merz"
    r = one(rows, "We agree on much more than people think,")
    assert (r["speaker"], r["attribution"]) == ("Giorgia Meloni", "pronoun")


def test_role_nouns_resolve_to_named_person(run):
    body = ("French President Emmanuel Macron hosted Chinese leader Xi Jinping in Paris.\n\n"
            "The French president said Europe needed “fair trade” with China. "
            "The Chinese leader insisted that China was “a force for peace.”")
    rows = run(body)
    r = one(rows, "fair trade")  # the description as written, and the person it stands for
    assert (r["speaker"], r["attribution"], r["speaker_refers_to"]) == ("The French president", "role", "Emmanuel Macron")
    assert one(rows, "a force for peace.")["speaker_refers_to"] == "Xi Jinping"


def test_fullest_name_for_short_mentions(run):
    body = ("Vladimir Putin and Kim Jong Un signed a treaty. Mr. Kim characterized it as “a new, high level.”\n\n"
            "“It is a breakthrough,” Mr. Putin said.")
    rows = run(body)
    assert one(rows, "a new, high level.")["speaker"] == "Kim Jong Un"
    assert one(rows, "It is a breakthrough,")["speaker"] == "Vladimir Putin"


def test_shared_surname_prefers_first_mentioned_person(run):
    body = ("President Joe Biden spoke on Monday. His son Hunter Biden was not present.\n\n"
            "“We will get it done,” Biden said.")
    assert one(run(body), "We will get it done,")["speaker"] == "Joe Biden"


def test_organisation_pronoun_and_possessive_org(run):
    body = ("The speeches came after Russia’s Foreign Ministry warned against what it called "
            "“provocative militarisation” of the Arctic.\n\n"
            "China’s embassy in Washington said it “firmly opposes” the sanctions.")
    rows = run(body)
    assert one(rows, "provocative militarisation")["speaker"] == "Foreign Ministry"
    assert one(rows, "firmly opposes")["speaker"] == "China’s embassy"
