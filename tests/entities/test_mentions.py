"""newsdesk.entities.mentions: cleaning raw spans (titles, possessives, "the", coordinations, title fragments)."""
from __future__ import annotations

from newsdesk.entities import resolve_article
from newsdesk.entities.mentions import CleanSpan, normalize_for_quotes
from newsdesk.spans import EntitySpan
from tests.entities.helpers import article, keys, spans_for


def test_honorifics_titles_possessives_and_the():
    body = ("President Vladimir Putin spoke. Mr. Putin’s aides agreed. Putin's plan was clear. "
            "The Associated Press reported it, and the AP's editors agreed. Reuters' desk too.")
    ms = article(body, ("President Vladimir Putin", "PERSON"), ("Mr. Putin’s", "PERSON"),
                 ("Putin's", "PERSON"), ("The Associated Press", "ORG"), ("the AP's", "ORG"),
                 ("Reuters'", "ORG"))
    assert [m.surface for m in ms] == ["Vladimir Putin", "Putin", "Putin", "Associated Press", "AP", "Reuters"]
    k = keys(ms)
    assert k["Putin"] == k["Vladimir Putin"] == ("Vladimir Putin", "PERSON")
    assert k["AP"] == k["Associated Press"] == ("Associated Press", "ORG")


def test_title_without_name_is_dropped():
    body = "The President spoke to the Supreme Leader."
    assert article(body, ("President", "PERSON"), ("Supreme Leader", "PERSON")) == []


def test_coordination_and_org_possessive_split():
    body = "Talks between North and South Korea stalled, a fellow at the Stimson Center’s Korea program said."
    ms = article(body, ("North and South Korea", "GPE"), ("the Stimson Center’s Korea", "FAC"))
    k = keys(ms)
    assert k["North"] == ("North Korea", "GPE") and k["South Korea"] == ("South Korea", "GPE")
    assert k["Stimson Center"] == ("Stimson Center", "ORG")


def test_mislabelled_surname_title_fragments_and_spellings():
    body = ("WASHINGTON — U.S. President Joe Biden met German Chancellor Olaf Scholz. Scholz said Berlin agreed. "
            "Secretary of State Antony Blinken and National Security adviser Jake Sullivan joined. "
            "Later, in Washington, judges at The Hague were mentioned.")
    lone = body.index("Scholz said")
    spans = spans_for(body, ("WASHINGTON", "GPE"), ("U.S. President Joe Biden", "PERSON"), ("German", "NORP"),
                      ("Olaf Scholz", "PERSON"), ("Berlin", "GPE"), ("State", "ORG"),
                      ("Antony Blinken", "PERSON"), ("National Security", "ORG"), ("Jake Sullivan", "PERSON"),
                      ("Washington", "GPE"), ("The Hague", "GPE")) + [EntitySpan(lone, lone + 6, "GPE", "Scholz")]
    ms = resolve_article(body, spans)
    assert all(body[m.start:m.end] == m.surface for m in ms)
    k = keys(ms)
    assert k["Joe Biden"] == ("Joe Biden", "PERSON")
    assert k["Scholz"] == ("Olaf Scholz", "PERSON")  # the model called it GPE
    assert "State" not in k and "National Security" not in k
    assert k["WASHINGTON"] == k["Washington"] == ("Washington", "GPE")
    assert k["The Hague"] == ("The Hague", "GPE")  # "The" kept: the alias table knows the name with it


def test_a_score_a_link_or_an_open_parenthesis_ends_a_name():
    body = ("Springfield Owls 6-2 ended the streak. Follow Night Kites http://ex.am/ple/1A for more. "
            "The lab in Lakeville (northern Ohio said so.")
    ms = article(body, ("Springfield Owls 6-2", "ORG"), ("Night Kites http://ex.am/ple/1A", "ORG"),
                 ("Lakeville (northern Ohio", "GPE"))
    assert [m.surface for m in ms] == ["Springfield Owls", "Night Kites", "Lakeville"]


def test_a_possessive_that_lost_its_apostrophe():
    body = ("Norways Trade Ministry said the E.U.s Fisheries Agency agreed. A Halvorsen Co spokesman said "
            "Halvorsens Bergen Yards unit and the Nordic Paper Groups mill would gain, as would Nordic Paper "
            "Group. Texas Instruments and the Athens Olympics did not. William Eckhart of Williams Harbor, "
            "Frances Lindqvist and the Peace Corps spoke.")
    ms = article(body, ("Norways Trade Ministry", "ORG"), ("the E.U.s Fisheries Agency", "ORG"),
                 ("Halvorsen Co", "ORG"), ("Halvorsens Bergen Yards", "ORG"),
                 ("the Nordic Paper Groups", "ORG"), ("Nordic Paper Group", "ORG"), ("Texas Instruments", "ORG"),
                 ("the Athens Olympics", "EVENT"), ("William", "PERSON"), ("Williams Harbor", "ORG"),
                 ("Frances Lindqvist", "PERSON"), ("Peace Corps", "ORG"))
    names = {m.surface: m.key[0] for m in ms}
    assert names["Norways"] == "Norway" and names["Trade Ministry"] == "Trade Ministry"
    assert names["E.U.s"] == "European Union" and names["Fisheries Agency"] == "Fisheries Agency"
    assert names["Halvorsens"] == names["Halvorsen Co"] == "Halvorsen"  # a name of the article
    assert names["Bergen Yards"] == "Bergen Yards"
    assert names["Nordic Paper Groups"] == "Nordic Paper Group"
    # names that end in "s" themselves, and people's names, stay whole
    assert {"Texas Instruments", "Athens Olympics", "Williams Harbor", "Frances Lindqvist", "Peace Corps"} <= set(names)


# ----------------------------------------------------------------------------- the quote rules' variant

def _quote_view(body: str, *items: tuple[str, str, int]) -> list[tuple[str, str]]:
    """normalize_for_quotes over spans given as (text, label, occurrence of text in body)."""
    spans = []
    for text, label, nth in items:
        i = -1
        for _ in range(nth + 1):
            i = body.index(text, i + 1)
        spans.append(CleanSpan(i, i + len(text), label, text))
    out = normalize_for_quotes(body, spans)
    assert all(body[c.start:c.end] == c.text for c in out)
    return [(c.text, c.label) for c in out]


def test_quote_view_extends_names_and_keeps_titles_out():
    assert _quote_view("Ursula von der Leyen spoke.", ("Ursula von der", "PERSON", 0)) == [
        ("Ursula von der Leyen", "PERSON")]  # over particles
    assert _quote_view("Recep Tayyip Erdogan spoke.", ("Tayyip Erdogan", "PERSON", 0)) == [
        ("Recep Tayyip Erdogan", "PERSON")]  # leftwards over a name word
    assert _quote_view("President Biden spoke.", ("Biden", "PERSON", 0)) == [("Biden", "PERSON")]  # not a title
    assert _quote_view("Then the Kremlin’s spokesman spoke.", ("the Kremlin’s", "ORG", 0)) == [("Kremlin", "ORG")]


def test_quote_view_relabels_people_the_model_called_organisations():
    body = "Olaf Scholz came. Later Scholz spoke."
    assert _quote_view(body, ("Olaf Scholz", "PERSON", 0), ("Scholz", "ORG", 1)) == [
        ("Olaf Scholz", "PERSON"), ("Scholz", "PERSON")]  # the article's person has that surname
    assert _quote_view(body, ("Olaf Scholz", "PERSON", 0), ("Scholz", "GPE", 1)) == [
        ("Olaf Scholz", "PERSON"), ("Scholz", "GPE")]  # (not a GPE: "Washington" after "George Washington")
    assert _quote_view("Senator Elizabeth Warren spoke.", ("Elizabeth Warren", "ORG", 0)) == [
        ("Elizabeth Warren", "PERSON")]  # a personal title right before it
    assert _quote_view("Vladimir Putin, Putin.", ("Vladimir Putin", "PERSON", 0), ("Vladimir", "GPE", 0)) == [
        ("Vladimir Putin", "PERSON")]  # overlapping spans: the first, longest one stays


def test_a_name_in_a_headline_stops_at_the_headline_verb():
    from newsdesk.entities.mentions import normalize_for_quotes
    from newsdesk.spans import EntitySpan

    body = ("Rena Talbot Slams Council Over Budget Vote\n\n"
            "Mayor Rena Talbot said the vote was rushed. She met Edward Said Jr. later.")
    spans = [EntitySpan(0, 17, "PERSON", "Rena Talbot Slams")]
    i = body.index("Edward Said Jr.")
    spans.append(EntitySpan(i, i + len("Edward Said"), "PERSON", "Edward Said"))
    out = [e.text for e in normalize_for_quotes(body, spans)]
    assert out == ["Rena Talbot", "Edward Said"]  # a sentence's "Said" is no headline verb
