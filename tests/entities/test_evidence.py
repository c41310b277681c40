"""newsdesk.entities.evidence and what it changes: clean names, types settled with evidence, news abbreviations,
acronyms, organisations named after places, middle-name variants (issue 11, phase A)."""
from __future__ import annotations

from newsdesk.entities import resolve_article, resolve_corpus
from newsdesk.entities.evidence import (
    expand_abbreviation, is_demonym, org_head, org_suffix, place_kind, role_prefix, strip_legal_suffix,
)
from newsdesk.spans import EntitySpan
from tests.entities.helpers import art, article, keys, name_of


# ----------------------------------------------------------------------------------------- the datasets

def test_gazetteer_places_from_maintained_datasets():
    assert place_kind("France") == place_kind("South Korea") == place_kind("Alabama") == "strong"  # countries, states
    assert place_kind("Santa Fe") == place_kind("La Pampa") == place_kind("Devon") == "strong"  # subdivisions
    assert place_kind("Copenhagen") == "strong" and place_kind("Thessaloniki")  # a capital, a city
    assert place_kind("Warren") == "medium" and place_kind("Obama") == "weak"  # one-word towns: surnames too
    assert place_kind("Blair") is None and place_kind("Everton") is None and place_kind("Korea") is None


def test_ap_state_abbreviations_and_postal_codes():
    assert [expand_abbreviation(s, "GPE") for s in ("Ala.", "Calif.", "N.D.", "Wyo", "Colo.", "Tenn")] == [
        "Alabama", "California", "North Dakota", "Wyoming", "Colorado", "Tennessee"]
    assert expand_abbreviation("AZ", "GPE") == "Arizona" and expand_abbreviation("AZ", "ORG") is None
    # common words and ambiguous forms stay as they are
    assert expand_abbreviation("Miss", "PERSON") is None and expand_abbreviation("Mass", "ORG") is None
    assert expand_abbreviation("LA", "GPE") is None and expand_abbreviation("D.C.", "GPE") is None


def test_organisation_words_and_legal_forms():
    assert org_suffix("Avnet Inc") and org_suffix("Harvard University") and org_suffix("Cetus Corp CTUS")
    assert org_suffix("Manchester United") and org_suffix("Manchester City") and not org_suffix("Mexico City")
    assert org_head("University of Alabama") and org_head("Bank of England") and not org_head("Gulf of Mexico")
    assert [strip_legal_suffix(n) for n in ("Avnet Inc", "Cetus Corp CTUS", "Best Buy Co Inc",
                                             "Morgan Stanley and Co Inc.", "Harvard University")] == [
        "Avnet", "Cetus", "Best Buy", "Morgan Stanley", "Harvard University"]


def test_role_words_titles_and_demonyms():
    for w in ("Sprinter", "DJ", "Nutritionist", "Substitute", "Briton", "Frenchman", "Kentuckian", "Sheik"):
        assert role_prefix(w), w
    for w in ("Kelly", "Christian", "Brian", "Jordan", "Dean", "Andy"):
        assert not role_prefix(w), w
    assert is_demonym("Kentuckian") and not is_demonym("Jordan")  # a country, not a demonym
    assert not role_prefix("British", person=False) and role_prefix("Frenchman", person=False)


# ------------------------------------------------------------------------------------------- clean names

def test_role_title_and_nationality_words_leave_the_name_and_count_as_person_evidence():
    body = ("Sprinter Kelly Holmes won. Briton Tim Henman lost. Nutritionist Joy Bauer agreed, and DJ Casey Kasem "
            "played. In 1984 Frenchman Laurent Fignon won.")
    ms = article(body, ("Sprinter Kelly Holmes", "PERSON"), ("Briton Tim Henman", "PERSON"),
                 ("Nutritionist Joy Bauer", "PERSON"), ("DJ Casey Kasem", "PERSON"),
                 ("Frenchman Laurent Fignon", "ORG"))
    assert [m.key for m in ms] == [("Kelly Holmes", "PERSON"), ("Tim Henman", "PERSON"), ("Joy Bauer", "PERSON"),
                                   ("Casey Kasem", "PERSON"), ("Laurent Fignon", "PERSON")]
    assert dict(ms[-1].votes)["PERSON"] > dict(ms[-1].votes)["ORG"]  # the role word is evidence, kept as a vote
    # party names of the alias table in front of a name
    ms = article("Lib Dem Norman Baker and Tories Ken Clarke spoke.", ("Lib Dem Norman Baker", "PERSON"),
                 ("Tories Ken Clarke", "PERSON"))
    assert [m.surface for m in ms] == ["Norman Baker", "Ken Clarke"]
    ms = article("Republican Donald Trump and Billionaire Tom Steyer met.", ("Republican Donald Trump", "PERSON"),
                 ("Billionaire Tom Steyer", "PERSON"))
    assert [m.surface for m in ms] == ["Donald Trump", "Tom Steyer"]


def test_spans_are_cut_at_dashes_versus_commas_conjunctions_and_lower_case_words():
    body = ("Alan Milburn - the minister - spoke. Everton v Manchester United ended 1-1. Hulu, Apple TV and Netflix "
            "bid. Tony Blair and Gordon Brown met. Federer beat Bernard Tomic. Martin Luther King, Jr. spoke. "
            "Kidder, Peabody and Co said so.")
    ms = article(body, ("Alan Milburn - the", "PERSON"), ("Everton v Manchester United", "PERSON"),
                 ("Hulu, Apple TV", "ORG"), ("Tony Blair and Gordon Brown", "PERSON"),
                 ("Federer beat Bernard Tomic", "ORG"), ("Martin Luther King, Jr.", "PERSON"),
                 ("Kidder, Peabody and Co", "ORG"))
    k = keys(ms)
    assert list(k) == ["Alan Milburn", "Everton", "Manchester United", "Hulu", "Apple TV", "Tony Blair",
                       "Gordon Brown", "Federer", "Bernard Tomic", "Martin Luther King, Jr.", "Kidder, Peabody and Co"]
    assert k["Everton"][1] == k["Manchester United"][1] == "ORG"  # two teams, not a person
    assert k["Kidder, Peabody and Co"] == ("Kidder, Peabody", "ORG")  # legal form off the name, not the span


def test_shared_surname_coordination_and_junk_around_names():
    body = "Bill and Hillary Clinton came. John Kasich 2 left. Bill Clinton ' spoke. He left ex-Yukos staff."
    ms = article(body, ("Bill and Hillary Clinton", "PERSON"), ("John Kasich 2", "PERSON"),
                 ("Bill Clinton '", "PERSON"), ("ex-Yukos", "ORG"))
    k = keys(ms)
    assert k["Bill"] == k["Bill Clinton"] == ("Bill Clinton", "PERSON")
    assert k["Hillary Clinton"] == ("Hillary Clinton", "PERSON")
    assert "John Kasich" in k and "Yukos" in k


def test_particles_join_a_name_the_model_cut():
    body = "Philips chairman Cor van der Klugt said so."
    i = body.index("Cor")
    ms = resolve_article(body, [EntitySpan(i, i + 7, "PERSON", "Cor van"),
                                EntitySpan(body.index("Klugt"), body.index("Klugt") + 5, "PERSON", "Klugt")])
    assert [m.surface for m in ms] == ["Cor van der Klugt"]


# ---------------------------------------------------------------------------------------------- types

def test_types_settled_with_evidence_never_person_by_one_bad_span():
    body = "Copenhagen won. Wiltshire and Devon voted. Dish Network Corp rose. The Santa Fe governor spoke."
    ms = article(body, ("Copenhagen", "ORG"), ("Wiltshire", "PERSON"), ("Devon", "PERSON"),
                 ("Dish Network Corp", "PERSON"), ("Santa Fe", "ORG"))
    k = keys(ms)
    assert k["Copenhagen"][1] == k["Wiltshire"][1] == k["Devon"][1] == k["Santa Fe"][1] == "GPE"
    assert k["Dish Network Corp"] == ("Dish Network", "ORG")
    # across articles: one article's PERSON span does not make a place a person
    arts = [art("a", "Devon voted.", ("Devon", "PERSON")), art("b", "Devon voted.", ("Devon", "GPE")),
            art("c", "Lib Dems won.", ("Lib Dems", "PERSON")), art("d", "The Oscar went to her.", ("Oscar", "PERSON"))]
    entities, rows = resolve_corpus(arts)
    by = {e["name"]: e["type"] for e in entities}
    assert by["Devon"] == "GPE" and by["Liberal Democrats"] == "ORG" and by["Oscars"] == "EVENT"


def test_news_abbreviations_resolve_to_the_state():
    body = "He lives in Phoenix, Ariz., and works in Calif. and in N.D. near the Wyo border."
    ms = article(body, ("Phoenix", "GPE"), ("Ariz.", "GPE"), ("Calif.", "GPE"), ("N.D.", "GPE"), ("Wyo", "ORG"))
    k = keys(ms)
    assert k["Ariz."] == ("Arizona", "GPE") and k["Calif."] == ("California", "GPE")
    assert k["N.D."] == ("North Dakota", "GPE") and k["Wyo"] == ("Wyoming", "GPE")
    arts = [art("a", "In Calif. today.", ("Calif.", "GPE")), art("b", "California voted.", ("California", "GPE"))]
    entities, _ = resolve_corpus(arts)
    assert [(e["name"], e["article_count"]) for e in entities] == [("California", 2)]


# -------------------------------------------------------------------------------------- acronyms, merges

def test_acronym_in_parentheses_and_its_one_expansion_in_the_corpus():
    body = ("The Organisation for Economic Co-operation and Development (OECD) said so. "
            "The Freedonian Widget Board (FWB) agreed.")
    ms = article(body, ("Organisation for Economic Co-operation and Development", "ORG"), ("OECD", "ORG"),
                 ("Freedonian Widget Board", "ORG"), ("FWB", "ORG"))
    k = keys(ms)
    assert k["FWB"] == k["Freedonian Widget Board"]
    arts = [art("a", "The Freedonian Widget Board (FWB) met.", ("Freedonian Widget Board", "ORG"), ("FWB", "ORG")),
            art("b", "FWB said no.", ("FWB", "ORG")),
            art("c", "The Sylvanian Trade Office spoke; STO agreed.", ("Sylvanian Trade Office", "ORG")),
            art("d", "STO agreed.", ("STO", "ORG"))]
    entities, rows = resolve_corpus(arts)
    assert name_of(entities, rows, "b", "FWB") == "Freedonian Widget Board"  # an article linked them
    assert name_of(entities, rows, "d", "STO") == "Sylvanian Trade Office"  # the corpus's one expansion


def test_organisation_named_after_a_place_stays_apart_from_the_place():
    body = ("The University of Alabama and Blue Cross and Blue Shield of Alabama are in Alabama. "
            "The New York Stock Exchange is in New York.")
    ms = article(body, ("University of Alabama", "ORG"), ("Blue Cross and Blue Shield of Alabama", "ORG"),
                 ("Alabama", "GPE"), ("New York Stock Exchange", "ORG"), ("New York", "GPE"))
    k = keys(ms)
    assert len({k["University of Alabama"], k["Blue Cross and Blue Shield of Alabama"], k["Alabama"]}) == 3
    assert k["New York Stock Exchange"] != k["New York"]
    assert k["University of Alabama"][1] == "ORG" and k["Alabama"] == ("Alabama", "GPE")
    arts = [art("a", "The University of Alabama won.", ("University of Alabama", "ORG")),
            art("b", "Alabama voted.", ("Alabama", "ORG")),
            art("c", "Harvard University and Harvard.", ("Harvard University", "ORG")),
            art("d", "Harvard won.", ("Harvard", "ORG"))]
    entities, rows = resolve_corpus(arts)
    assert name_of(entities, rows, "b", "Alabama") == "Alabama"  # a state: never the school
    assert name_of(entities, rows, "d", "Harvard") == "Harvard University"  # a school's one-word name


def test_middle_name_variants_join_the_plain_name_unless_ambiguous():
    arts = [art("a", "Martin E. Dempsey spoke.", ("Martin E. Dempsey", "PERSON")),
            art("b", "Martin Dempsey spoke.", ("Martin Dempsey", "PERSON")),
            art("c", "Dempsey left.", ("Dempsey", "PERSON")),
            art("d", "George W. Bush and George H. W. Bush met George Bush.", ("George W. Bush", "PERSON"),
                ("George H. W. Bush", "PERSON"), ("George Bush", "PERSON"))]
    entities, rows = resolve_corpus(arts)
    assert name_of(entities, rows, "a", "Martin E. Dempsey") == name_of(entities, rows, "b", "Martin Dempsey") \
        == name_of(entities, rows, "c", "Dempsey") == "Martin Dempsey"
    names = {name_of(entities, rows, "d", s) for s in ("George W. Bush", "George H. W. Bush", "George Bush")}
    assert len(names) == 3


def test_a_mislabelled_surname_joins_the_one_person_of_the_corpus():
    arts = [art("a", "Albert Lutuli won the prize.", ("Albert Lutuli", "PERSON")),
            art("b", "Lutuli spoke in Natal.", ("Lutuli", "GPE")),
            art("c", "Washington agreed.", ("Washington", "GPE")),
            art("d", "George Washington crossed.", ("George Washington", "PERSON"))]
    entities, rows = resolve_corpus(arts)
    assert name_of(entities, rows, "b", "Lutuli") == "Albert Lutuli"
    assert name_of(entities, rows, "c", "Washington") == "Washington"  # a place of the gazetteer stays one
    assert {e["name"]: e["type"] for e in entities}["Albert Lutuli"] == "PERSON"


def test_generational_suffix_and_cut_names_keep_people_apart():
    arts = [art("a", "Donald J. Trump spoke.", ("Donald J. Trump", "PERSON")),
            art("b", "Donald Trump spoke.", ("Donald Trump", "PERSON")),
            art("c", "Donald Trump Jr. spoke.", ("Donald Trump Jr.", "PERSON")),
            art("d", "Jeb Bush and the Jeb Bush Super PAC.", ("Jeb Bush", "PERSON"), ("Jeb Bush Super", "PERSON"))]
    entities, rows = resolve_corpus(arts)
    assert name_of(entities, rows, "a", "Donald J. Trump") == name_of(entities, rows, "b", "Donald Trump")
    assert name_of(entities, rows, "c", "Donald Trump Jr.") == "Donald Trump Jr."  # the son
    assert name_of(entities, rows, "d", "Jeb Bush") == "Jeb Bush"


def test_us_prefix_of_a_federal_body_and_holding_forms_leave_the_name():
    body = ("The U.S. Bureau of Land Management and U.S. Steel Corp agreed; Reuters Holdings Plc and "
            "US Airways Group did not.")
    ms = article(body, ("U.S. Bureau of Land Management", "ORG"), ("U.S. Steel Corp", "ORG"),
                 ("Reuters Holdings Plc", "ORG"), ("US Airways Group", "ORG"))
    assert [m.key[0] for m in ms] == ["Bureau of Land Management", "U.S. Steel", "Reuters", "US Airways Group"]


def test_a_short_name_of_another_type_brings_no_votes_to_the_full_name():
    body = "R. Foster Winans appealed. Winans said so, and Winans left."
    ms = article(body, ("R. Foster Winans", "PERSON"), ("Winans", "NORP"))
    assert {m.key for m in ms} == {("R. Foster Winans", "PERSON")}
    assert dict(ms[0].votes) == {"PERSON": 1.0}
    entities, _ = resolve_corpus([("a", ms)])
    assert [(e["name"], e["type"]) for e in entities] == [("R. Foster Winans", "PERSON")]


def test_repeats_of_a_name_the_model_missed_become_mentions():
    body = ("Elie Wiesel spoke in Paris. Later Wiesel and the Hartford Courant agreed. Film critics, said Wiesel, "
            "like the Hartford Courant. Film is art.")

    def first(text, label):
        i = body.index(text)
        return EntitySpan(i, i + len(text), label, text)

    ms = resolve_article(body, [first("Elie Wiesel", "PERSON"), first("Paris", "GPE"),
                                first("Hartford Courant", "ORG"), first("Film", "ORG")])
    got = [(m.surface, m.key[0], m.label) for m in ms]
    assert got == [("Elie Wiesel", "Elie Wiesel", "PERSON"), ("Paris", "Paris", "GPE"),
                   ("Wiesel", "Elie Wiesel", ""), ("Hartford Courant", "Hartford Courant", "ORG"),
                   ("Film", "Film", "ORG"), ("Wiesel", "Elie Wiesel", ""), ("Hartford Courant", "Hartford Courant", "")]
    assert all(body[m.start:m.end] == m.surface for m in ms)
    # "Film" (found once) is not repeated: a capitalised common word; no votes from repeats
    assert ms[2].votes == ms[0].votes


# ----------------------------------------------------------------------------------------- phase B additions

def test_place_names_get_the_gazetteer_spelling_the_text_lost():
    from newsdesk.entities.evidence import place_spelling
    assert [place_spelling(n) for n in ("Sao Paulo", "Brasilia", "Parana", "Zurich")] == [
        "São Paulo", "Brasília", "Paraná", "Zürich"]
    # as written when the text has them, for names the gazetteer writes plainly, and not a transliteration's
    assert [place_spelling(n) for n in ("São Paulo", "Paris", "Georgia", "Baghdad")] == [
        "São Paulo", "Paris", "Georgia", "Baghdad"]
    entities, _ = resolve_corpus([art("a", "Talks in Sao Paulo ended.", ("Sao Paulo", "GPE"))])
    assert [e["name"] for e in entities] == ["São Paulo"]


def test_tokenized_possessive_is_closed_up_in_the_name():
    ms = article("Honican was taken to Children 's Hospital in Cincinnati .", ("Children 's Hospital", "ORG"))
    assert keys(ms)["Children 's Hospital"] == ("Children's Hospital", "ORG")


def test_a_one_word_school_name_joins_its_university_before_its_college():
    arts = [art("a", "She taught at Harvard University.", ("Harvard University", "ORG")),
            art("b", "He studied at Harvard College.", ("Harvard College", "ORG")),
            art("c", "A Harvard study.", ("Harvard", "ORG"))]
    entities, rows = resolve_corpus(arts)
    assert name_of(entities, rows, "c", "Harvard") == "Harvard University"
