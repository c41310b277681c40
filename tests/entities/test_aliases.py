"""newsdesk.entities.aliases: the shipped alias table and a user's file."""
from __future__ import annotations

import pytest

from newsdesk.entities import load_aliases, resolve_corpus
from tests.entities.helpers import art, name_of


def test_alias_table_joins_and_keeps_distinct_entities_apart():
    arts = [
        art("a", "The DPRK and the US met at the UN. North Korea and South Korea did not.",
             ("DPRK", "ORG"), ("US", "GPE"), ("UN", "ORG"), ("North Korea", "GPE"), ("South Korea", "GPE")),
        art("b", "The U.S. and the United States of America, the USSR and Russia, and the U.N. Security Council.",
             ("U.S.", "GPE"), ("United States of America", "GPE"), ("USSR", "GPE"), ("Russia", "GPE"),
             ("U.N. Security Council", "ORG")),
        art("c", "Britain, the U.K. and the UK; the EU; the UN Security Council; AP reported.",
             ("Britain", "GPE"), ("U.K.", "GPE"), ("UK", "GPE"), ("EU", "ORG"), ("UN Security Council", "ORG"),
             ("AP", "ORG")),
    ]
    entities, rows = resolve_corpus(arts)
    name = lambda aid, s: name_of(entities, rows, aid, s)  # noqa: E731
    assert name("a", "DPRK") == name("a", "North Korea") == "North Korea"
    assert name("a", "US") == name("b", "U.S.") == name("b", "United States of America") == "United States"
    assert name("a", "UN") == "United Nations"
    assert name("b", "U.N. Security Council") == name("c", "UN Security Council") == "United Nations Security Council"
    assert name("c", "Britain") == name("c", "U.K.") == name("c", "UK") == "United Kingdom"
    assert name("c", "EU") == "European Union" and name("c", "AP") == "Associated Press"
    assert name("b", "USSR") == "Soviet Union" != name("b", "Russia")
    assert name("a", "South Korea") != name("a", "North Korea")
    table = load_aliases()
    assert len({a.canonical for a in table.values()}) >= 40


def test_user_alias_file_extends_the_table(tmp_path):
    extra = tmp_path / "aliases.tsv"
    extra.write_text("# mine\nFreedonian Republic\tFreedonia\tGPE\nFrdn\tFreedonia\tGPE\n", encoding="utf-8")
    arts = [art("a", "The Freedonian Republic and Frdn and Freedonia.", ("Freedonian Republic", "ORG"),
                 ("Frdn", "ORG"), ("Freedonia", "ORG"))]
    plain, _ = resolve_corpus(arts)
    assert len(plain) == 3
    entities, rows = resolve_corpus(arts, aliases_path=extra)
    assert [(e["name"], e["type"], e["mention_count"]) for e in entities] == [("Freedonia", "GPE", 3)]
    bad = tmp_path / "bad.tsv"
    bad.write_text("only-one-column\n", encoding="utf-8")
    with pytest.raises(ValueError):
        resolve_corpus(arts, aliases_path=bad)
