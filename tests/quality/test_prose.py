"""Tests for newsdesk.quality.prose and the prose.* rules: reporting vs. site furniture, sentence by sentence."""
from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.quality.gate import assess
from newsdesk.quality.prose import ProseProfile, prose_profile
from newsdesk.quality.rules import load_quality_rules
from tests.quality.helpers import BRIEF, CATALOG, REAL, REAL2, fires, passes


def _profile(paragraphs: list[str], language: str = "en", title: str | None = None) -> tuple[ProseProfile, dict]:
    trace: list[tuple[str, str]] = []
    f = prose_profile(title, None, paragraphs, language, CATALOG.prose, trace=trace)
    return f, {u: k for k, u in trace}


@pytest.mark.parametrize("sentence,kind", [
    ("Subscribe now and get unlimited access.", "cta"),
    ("Accept all", "cta"),
    ("Please enter your email address to continue.", "cta"),
    ("Klicken Sie hier, um fortzufahren.", "cta"),
    ("Like (54)", "label"),
    ("2 hours ago", "meta"),
    ("grandpa_joe says:", "meta"),
    ("Sanne K. – 14 juni 2024 om 10:03", "meta"),
    ("Image 3 of 12", "meta"),
    ("Photo: Markus Schreiber/AP", "meta"),
    ("Monthly $9.99", "meta"),
    ("These cookies help us measure website traffic.", "site"),
    ("Already a subscriber?", "site"),
    ("New here?", "question"),
    ("When you visit any site, it may store information on your browser.", "address"),
    ("We are unable to comment further at this time.", "we"),
    ("I have lived in this town for forty years.", "i"),
    ("The Senate passed the bill 77-19 on Friday, sending it to the House.", "reporting"),
    ("The measure keeps agencies open until mid-December, officials said.", "reporting"),
    ("The curbs were introduced earlier this year to ward off soaring prices.", "prose"),
])
def test_prose_profile_classes(sentence: str, kind: str) -> None:
    language = "de" if "Sie" in sentence else "en"
    f, got = _profile([REAL, sentence], language)
    assert got[sentence] == kind, got


def test_prose_profile_speech_and_names_are_never_furniture() -> None:
    speech = [
        '"We will not back down," the union leader told reporters on Monday.',   # quotation and reporting verb
        "“You have run out of excuses.",                                          # a quotation opens ...
        "Act now,” she said.",                                                    # ... and closes
        "BENENSON: Senator Sanders doesn't get to decide when we debate.",       # a transcript
        "US officials met their Chinese counterparts in Geneva.",                # 'US' is no pronoun
        "Veterans of World War I were honoured in Ypres.",                       # nor is 'War I'
        "Share prices in Tesco fell 3% on Monday.",                               # an imperative? 3 names/numbers
    ]
    f, got = _profile(speech)
    assert f.cta == f.address == f.we == f.i == f.question == 0, got


def test_prose_profile_counts_the_body_and_cut_lines() -> None:
    from newsdesk.boilerplate import Removed
    f = prose_profile("A title of five words", None, [REAL], "en", CATALOG.prose,
                      removed=[Removed(3, "Sign up for our newsletter", "newsletter")])
    assert f.heading == 5 and f.cut == 5 and f.words == len(REAL.split()) + 5


COOKIE_PROSE = ["We value your privacy",
                "We and our 842 partners store and access information on a device, such as cookies, to process "
                "personal data. You may accept or manage your choices by clicking below, including your right to "
                "object where legitimate interest is used.",
                "These choices will be signalled to our partners and will not affect browsing data.",
                "I Accept", "Show Purposes"]
NEWSLETTER_PROSE = ["Start every day knowing what matters. Our editors pick the five stories you need, with context, "
                    "in under five minutes. Written by people, not algorithms, and free forever.",
                    "your@email.com", "Get it free", "Unsubscribe anytime. Read our privacy notice."]
ERROR_PROSE_DE = ["Diese Seite gibt es leider nicht mehr",
                  "Der Artikel, den Sie suchen, wurde möglicherweise entfernt oder umbenannt. Bitte überprüfen Sie "
                  "die Adresse oder nutzen Sie unsere Suche.", "Zur Startseite"]
COMMENTS_PROSE = ["grumpy_in_leeds", "3h", "Another tax on working people dressed up as a green policy. Nobody I "
                  "know can afford an electric car.", "Like (54) Reply", "TheRealDave", "4h",
                  "Same old story, I have seen it all before.", "Like (31) Reply", "Show more replies"]


@pytest.mark.parametrize("page,language", [(COOKIE_PROSE, "en"), (NEWSLETTER_PROSE, "en"),
                                           (ERROR_PROSE_DE, "de"), (COMMENTS_PROSE, "en")])
def test_prose_furniture_fires_on_furniture_pages(page: list[str], language: str) -> None:
    detail = fires("prose.furniture", page, language)
    assert "site furniture" in detail and "reporting" in detail


FEATURE_LEAD = ["How many times have you wanted a camera to hand to catch an unexpected event? With a modern "
                "mobile phone you no longer need to curse: you can capture the action as it happens."]
DIARY_LEAD = ["It was back to official duties last week in my role as an ambassador to London's Olympic bid. But I "
              "still managed to do all my marathon training, and I think we could be heading for a medal."]
ADVICE_BRIEF = ["Heavy snow is expected across northern England on Tuesday, with up to 20cm on high ground, the Met "
                "Office said. Allow extra time for journeys and check before you travel. Some schools may close."]
TRANSCRIPT = ["KATE BOULDUAN: Why not debate in New York?", "JOEL BENENSON: This is a man who said he'd never run "
              "a negative ad. We will talk about debates when he changes his tone.", "BOULDUAN: You guys were "
              "open to more debates in January.", REAL]


@pytest.mark.parametrize("body", [FEATURE_LEAD, DIARY_LEAD, ADVICE_BRIEF, TRANSCRIPT, [BRIEF], [REAL, REAL2]])
def test_prose_furniture_keeps_real_news(body: list[str]) -> None:
    """A feature writer's 'you', a columnist's 'I', reader advice in a brief and an interview transcript are
    news: the reader/site/commenter voice counts only on a page that also has buttons, labels or the site's
    vocabulary, and reporting sentences protect the rest."""
    passes("prose.furniture", body)
    passes("prose.site_words", body)
    assert assess("A headline", body).keep


def test_prose_furniture_needs_little_reporting() -> None:
    # a paywall stub whose teaser is most of the page is left to page.paywall, not to the statistics
    teaser = [BRIEF, REAL, "To keep reading, subscribe.", "Sign in"]
    passes("prose.furniture", teaser)


def test_prose_site_words() -> None:
    page = ["This website uses cookies and javascript. Your browser settings block cookies, so the page and "
            "the video player cannot load. Allow cookies or change the browser settings, then reload the page."]
    assert "site's own vocabulary" in fires("prose.site_words", page)
    passes("prose.site_words", ["BRUSSELS — The Belgian data protection authority fined a news website €50,000 "
                                "for setting advertising cookies before visitors gave consent, the regulator said "
                                "on Thursday. The site has three months to change its consent banner."])


def test_prose_rules_skip_long_documents() -> None:
    long_page = COOKIE_PROSE * 40
    assert sum(len(p.split()) for p in long_page) > CATALOG.prose.max_words
    passes("prose.furniture", long_page)


def test_prose_lexicon_is_data_and_validated(tmp_path: Path) -> None:
    assert {"en", "de", "fr", "es", "it", "nl", "pt"} <= set(CATALOG.prose.languages)
    assert "you" in CATALOG.prose.words("de")["second_person"]  # English merged into every language
    assert "Sie" in CATALOG.prose.words("de")["second_person_cased"]
    assert CATALOG.prose.words("xx") is CATALOG.prose.words("en")  # unknown language: English
    base = '[[stats]]\nname = "prose.furniture"\nkind = "k"\nthreshold = 0.5\n'
    p = tmp_path / "q.toml"
    p.write_text(base)
    with pytest.raises(ValueError, match=r"need a \[prose\] table"):
        load_quality_rules(p)
    p.write_text(base + '[prose]\n[prose.lexicon.de]\nsecond_person = "du"\n')
    with pytest.raises(ValueError, match="lexicon.en"):
        load_quality_rules(p)
    p.write_text(base + '[prose]\n[prose.lexicon.en]\nsecond_persons = "you"\n')
    with pytest.raises(ValueError, match="unknown list"):
        load_quality_rules(p)
