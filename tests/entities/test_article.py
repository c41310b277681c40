"""newsdesk.entities.article: within-article keys (short names, spelling variants, acronyms)."""
from __future__ import annotations

from newsdesk.entities import norm_name
from tests.entities.helpers import article, keys


def test_title_stripped_short_name_stays_short_without_fuller_name():
    body = "President Biden said so. Biden left."
    ms = article(body, ("President Biden", "PERSON"), ("Biden", "PERSON"))
    assert {m.key for m in ms} == {("Biden", "PERSON")}
    body = "President Biden met Joe Biden's staff."
    ms = article(body, ("President Biden", "PERSON"), ("Joe Biden's", "PERSON"))
    assert {m.key for m in ms} == {("Joe Biden", "PERSON")}


def test_hyphen_space_and_case_variants_join():
    body = "Kim Jong-un met aides. Later KIM JONG UN and Kim Jong Un spoke, and Mr. Kim left."
    ms = article(body, ("Kim Jong-un", "PERSON"), ("KIM JONG UN", "PERSON"), ("Kim Jong Un", "PERSON"),
                 ("Kim", "PERSON"))
    assert len({m.key for m in ms}) == 1
    assert ms[0].key[1] == "PERSON"
    assert norm_name("Kim Jong-un") == norm_name("KIM JONG UN") == norm_name("Kim  Jong Un")
    assert norm_name("Erdoğan") == norm_name("Erdogan")


def test_ambiguous_short_name_in_article_stays_as_is():
    body = "Kim Jong Un and his sister Kim Yo Jong arrived. Kim spoke first."
    ms = article(body, ("Kim Jong Un", "PERSON"), ("Kim Yo Jong", "PERSON"), ("Kim", "PERSON"))
    k = keys(ms)
    assert k["Kim"] == ("Kim", "PERSON")
    assert k["Kim Jong Un"] != k["Kim Yo Jong"]


def test_acronym_joins_its_long_form_within_article():
    body = "The Korean Central News Agency said so. KCNA added more. The Asan Institute for Policy Studies agreed."
    ms = article(body, ("Korean Central News Agency", "ORG"), ("KCNA", "ORG"),
                 ("Asan Institute for Policy Studies", "ORG"))
    k = keys(ms)
    assert k["KCNA"] == k["Korean Central News Agency"]
    body = "The Oxford Research Group said so. ORG staff agreed, and the Open Rights Guild too."
    ms = article(body, ("Oxford Research Group", "ORG"), ("ORG", "ORG"), ("Open Rights Guild", "ORG"))
    assert keys(ms)["ORG"] == ("ORG", "ORG")  # two long forms fit: ambiguous


def test_a_companys_short_name_joins_its_legal_name_written_before():
    body = ("Halvard Mills Inc said on Monday it sold a plant. Halvard said the sale closed. Orrin Music was launched, "
            "and Orrin shares rose. Kestrel said more. Kestrel Air Corp and Kestrel Rail Co both denied it.")
    ms = article(body, ("Halvard Mills Inc", "ORG"), ("Halvard", "ORG"), ("Orrin Music", "ORG"), ("Orrin", "ORG"),
                 ("Kestrel", "ORG"), ("Kestrel Air Corp", "ORG"), ("Kestrel Rail Co", "ORG"))
    k = keys(ms)
    assert k["Halvard"] == k["Halvard Mills Inc"] == ("Halvard Mills", "ORG")
    # not a product or unit without a legal form, not a name written before the long ones, nor two long ones
    assert k["Orrin"] == ("Orrin", "ORG")
    assert k["Kestrel"] == ("Kestrel", "ORG")
