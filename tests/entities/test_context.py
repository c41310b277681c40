"""newsdesk.entities.context: a place name that stands for its team, an employer before a job and a name."""
from __future__ import annotations

from newsdesk.entities.mentions import CleanMention
from newsdesk.entities.context import read_context
from tests.entities.helpers import article, keys


def _m(body: str, surface: str, label: str, nth: int = 0) -> CleanMention:
    i = -1
    for _ in range(nth + 1):
        i = body.index(surface, i + 1)
    return CleanMention(i, i + len(surface), surface, surface, label)


def test_a_sports_role_before_a_name_makes_the_place_a_team():
    body = "Norway captain Ada Lund scored twice, and Portland coach Jim Reyes praised Norway."
    ms = [_m(body, "Norway", "GPE"), _m(body, "Ada Lund", "PERSON"), _m(body, "Portland", "GPE"),
          _m(body, "Jim Reyes", "PERSON"), _m(body, "Norway", "GPE", 1)]
    out = read_context(body, ms)
    assert [(c.surface, c.name, c.label) for c in out] == [
        ("Norway", "Norway team", "ORG"), ("Ada Lund", "Ada Lund", "PERSON"), ("Portland", "Portland team", "ORG"),
        ("Jim Reyes", "Jim Reyes", "PERSON"), ("Norway", "Norway", "GPE")]  # "praised Norway": the country
    assert all(body[c.start:c.end] == c.surface for c in out)


def test_a_result_with_a_score_and_the_teams_own_name():
    body = ("Portland beat Denver 5-2 on Sunday. The Portland Pioneers had lost three straight, the Portland Herald "
            "said. Denver also defeated Chile last year.")
    ms = [_m(body, "Portland", "GPE"), _m(body, "Denver", "PERSON"), _m(body, "Portland Pioneers", "ORG"),
          _m(body, "Portland Herald", "ORG"), _m(body, "Denver", "GPE", 1), _m(body, "Chile", "GPE")]
    names = [(c.surface, c.name, c.label) for c in read_context(body, ms)]
    # the one "<place> <Name>" organisation that is no newspaper is the team; a place the model called a person
    # counts; without a score in the sentence no reading changes
    assert names[0] == ("Portland", "Portland Pioneers", "ORG")
    assert names[1] == ("Denver", "Denver team", "ORG")
    assert names[4:] == [("Denver", "Denver", "GPE"), ("Chile", "Chile", "GPE")]


def test_no_team_without_sports_evidence():
    body = ("Officials in Lisbon said Russia beat back the attack on 3-4 March. Sweden's Ada Lund beat Norway's Eva "
            "Berg 6-1, 6-3. Jordan beat Mia Holt 6-2; Michael Jordan watched. A Lisbon manager at the bank, "
            "said the Chile team of negotiators.")
    ms = [_m(body, "Lisbon", "GPE"), _m(body, "Russia", "GPE"), _m(body, "Sweden", "GPE"), _m(body, "Ada Lund", "PERSON"),
          _m(body, "Norway", "GPE"), _m(body, "Eva Berg", "PERSON"), _m(body, "Jordan", "PERSON"),
          _m(body, "Mia Holt", "PERSON"), _m(body, "Michael Jordan", "PERSON"), _m(body, "Lisbon", "GPE", 1),
          _m(body, "Chile", "GPE")]
    assert read_context(body, ms) == ms


def test_the_team_is_its_own_entity_in_the_article():
    body = "Norway captain Ada Lund said the flight to Norway was long."
    k = keys(article(body, ("Norway", "GPE"), ("Ada Lund", "PERSON")))
    assert k["Ada Lund"] == ("Ada Lund", "PERSON")
    ms = article(body, ("Norway", "GPE"), ("Ada Lund", "PERSON"))
    assert [m.key for m in ms if m.surface == "Norway"] == [("Norway team", "ORG"), ("Norway", "GPE")]


def test_an_employer_before_a_job_and_a_name_is_an_organisation():
    body = ("Lakeside Gazette reporter Ada Lund, Brennan analyst Tom Ortiz and Portland economist Eva Berg spoke. "
            "Hale spokesman Jim Reyes and Whig strategist Bo Lin did not.")
    ms = [_m(body, "Lakeside Gazette", "PERSON"), _m(body, "Ada Lund", "PERSON"), _m(body, "Brennan", "PERSON"),
          _m(body, "Tom Ortiz", "PERSON"), _m(body, "Portland", "GPE"), _m(body, "Eva Berg", "PERSON"),
          _m(body, "Hale", "PERSON"), _m(body, "Jim Reyes", "PERSON"), _m(body, "Whig", "NORP"),
          _m(body, "Bo Lin", "PERSON")]
    hints = {c.surface: c.hint for c in read_context(body, ms)}
    assert hints["Lakeside Gazette"] == hints["Brennan"] == "ORG"
    # a place's economist, a person's spokesman, a party's strategist, and the people themselves: no evidence
    assert hints["Portland"] == hints["Hale"] == hints["Whig"] == hints["Ada Lund"] == hints["Tom Ortiz"] == ""
    k = keys(article(body, ("Lakeside Gazette", "PERSON"), ("Ada Lund", "PERSON")))
    assert k["Lakeside Gazette"] == ("Lakeside Gazette", "ORG")  # the evidence outweighs one model label
