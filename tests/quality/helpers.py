"""The quality tests' data and builders: the catalog, real news text, one-rule configs, documents through
the real prepare step.
"""
from __future__ import annotations

from newsdesk.ingest import Decoded
from newsdesk.prepare import Prepared, prepare_file
from newsdesk.quality.config import QualityConfig
from newsdesk.quality.gate import assess
from newsdesk.quality.rules import load_quality_rules

CATALOG = load_quality_rules()
ALL = CATALOG.names

REAL = ("Russian President Vladimir Putin and North Korean leader Kim Jong Un signed a new partnership this week, "
        "vowing to offer mutual aid and protection against their enemies.")
REAL2 = "Details of the deal were not immediately clear, officials in Seoul said on Thursday."

# A 40-word wire brief (written for this test).
BRIEF_TITLE = "Court blocks port expansion"
BRIEF = ("ROTTERDAM (Reuters) — A Dutch court on Tuesday blocked the expansion of a container terminal at the port "
         "of Rotterdam, ruling that the operator had underestimated nitrogen emissions. The company said it would "
         "appeal and expected a decision within six months.")

GERMAN_EN = ("The German government approved a law on Wednesday to speed up the building of wind and solar farms, "
             "aiming for 80% of electricity from renewables by 2030.")
FRENCH_EN = ("In Paris, ministers presented a bill to cut energy use in public buildings, which they said could save "
             "two billion euros a year by the end of the decade.")

GERMAN = ("Die Bundesregierung hat am Mittwoch ein neues Gesetz zur Förderung erneuerbarer Energien beschlossen. "
          "Nach Angaben des Wirtschaftsministeriums sollen damit bis 2030 rund 80 Prozent des Stroms aus Wind- und "
          "Sonnenenergie stammen. Die Opposition kritisierte die Pläne als zu teuer.")
FRENCH = ("Le gouvernement a présenté mercredi un projet de loi visant à réduire la consommation d'énergie des "
          "bâtiments publics. Selon le ministre, les économies pourraient atteindre deux milliards d'euros par an "
          "d'ici à la fin de la décennie.")
SPANISH = ("El Gobierno aprobó este martes un plan para reducir las listas de espera en la sanidad pública. Según "
           "el ministerio, la medida permitirá contratar a cinco mil médicos antes de que termine el año.")

EXAMPLES = [(r.name, e) for r in CATALOG.pages for e in r.examples]
COUNTER = [(r.name, c) for r in CATALOG.pages for c in r.counter_examples]


def only(name: str) -> QualityConfig:
    """A config that applies one rule and disables every other."""
    return QualityConfig(disabled=frozenset(ALL - {name}))


def lines(page: str) -> list[str]:
    return [ln.strip() for ln in page.split("\n") if ln.strip()]


def fires(name: str, paragraphs: list[str], language: str = "en", title: str | None = None) -> str:
    v = assess(title, paragraphs, language, 0.99, config=only(name))
    assert (v.keep, v.rule) == (False, name), v
    return v.detail or ""


def passes(name: str, paragraphs: list[str], language: str = "en") -> None:
    v = assess(None, paragraphs, language, 0.99, config=only(name))
    assert v.keep, v


def prepared(text: str) -> Prepared:
    """Parsed, cleaned and language-tagged by the real prepare step, with the gate off (assessed below)."""
    p = prepare_file(Decoded("x/a.txt", "0" * 64, len(text), text, "utf-8"), QualityConfig(keep_low_quality=True))
    assert isinstance(p, Prepared)
    return p
