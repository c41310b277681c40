"""newsdesk.names: matching keys, honorifics and titles off a name, sub-names, byline names."""
from __future__ import annotations

import pytest

from newsdesk.entities import load_aliases
from newsdesk.names import (
    is_subname, is_title_only, looks_like_person_name, name_key, name_tokens, norm_name, strip_honorifics,
    strip_leading_titles,
)


def test_norm_name_and_name_key():
    assert norm_name("Kim Jong-un") == norm_name("KIM JONG UN") == norm_name("Kim  Jong Un") == "kim jong un"
    assert norm_name("U.S.") == "us" and norm_name("Erdoğan") == "erdogan"
    assert norm_name("AT&T") == "at and t" and norm_name("Putin’s") == "putin's"
    assert name_key("Kim Jong-un") == "kim jong un" and name_key("Erdoğan") == "erdoğan"  # lighter: keeps accents
    assert name_tokens("kim jong un") == ("kim", "jong", "un")


def test_sub_names():
    assert is_subname(("putin",), ("vladimir", "putin")) and is_subname(("kim", "jong"), ("kim", "jong", "un"))
    assert not is_subname(("jong",), ("kim", "jong", "un"))  # inside, not a start or an end
    assert not is_subname(("putin",), ("putin",)) and not is_subname((), ("putin",))


def test_strip_honorifics():
    assert strip_honorifics("Mr. Putin’s") == "Putin"
    assert strip_honorifics("the President Joe Biden") == "Joe Biden"
    assert strip_honorifics("Mr.") == "Mr."  # nothing would be left: the name itself
    assert strip_honorifics("Secretary Blinken") == "Secretary Blinken"  # not an honorific in this list


@pytest.mark.parametrize("text,label,expected", [
    ("Russian President Vladimir Putin", "PERSON", "Vladimir Putin"),
    ("North Korean Supreme Leader Kim Jong Un", "PERSON", "Kim Jong Un"),
    ("Secretary of State Antony Blinken", "PERSON", "Antony Blinken"),
    ("Mr. Kim", "PERSON", "Kim"),
    ("President", "PERSON", "President"),  # a title alone is left to the caller (is_title_only)
    ("former president trump", "PERSON", "former president trump"),  # what follows must be capitalised
    ("the Kremlin", "ORG", "Kremlin"),
    ("The Hague", "GPE", "The Hague"),  # the alias table knows the name with its "The"
    ("President Kim", "ORG", "President Kim"),  # titles only come off PERSON mentions
])
def test_strip_leading_titles(text, label, expected):
    assert text[strip_leading_titles(text, 0, len(text), label, load_aliases()):] == expected


def test_title_only():
    assert is_title_only("Supreme Leader") and is_title_only("President") and is_title_only("Mr.")
    assert not is_title_only("President Biden")


@pytest.mark.parametrize("name,ok", [
    ("Jane Doe", True), ("Gabriel García Márquez", True), ("Jan ten Brink", True), ("J. Smith", True),
    ("Karl zu Guttenberg", False),  # "zu" is a name particle in article text, not in bylines (lexicon.toml)
    ("jane doe", False), ("Monday Smith", False), ("Agent 007", False), ("A B C D E F", False),
])
def test_looks_like_person_name(name, ok):
    assert looks_like_person_name(name) is ok
