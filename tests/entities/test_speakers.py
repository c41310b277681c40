"""newsdesk.entities.speakers: link_speaker."""
from __future__ import annotations

from newsdesk.entities import link_speaker, resolve_corpus
from newsdesk.fingerprint import short_hash
from tests.entities.helpers import GOLD, art


def test_link_speaker(seeds):
    *_, entities, rows = seeds
    by_name = {e["name"]: e["entity_id"] for e in entities}
    f0, f2 = GOLD["articles"][0]["file"], GOLD["articles"][2]["file"]
    m0 = [r for r in rows if r["article_id"] == f0]
    m2 = [r for r in rows if r["article_id"] == f2]
    assert link_speaker("Vladimir Putin", f0, m0, entities) == by_name["Vladimir Putin"]
    assert link_speaker("Putin", f0, m0, entities) == by_name["Vladimir Putin"]
    assert link_speaker("President Putin", f0, m0, entities) == by_name["Vladimir Putin"]
    assert link_speaker("TASS", f0, m0, entities) == by_name["TASS"]
    assert link_speaker("Kim Jong-un", f0, m0, entities) == by_name["Kim Jong Un"]
    assert link_speaker("Kim Jong Un", f0, m0, entities) == by_name["Kim Jong Un"]
    assert link_speaker("Japan", f2, m2, entities) == by_name["Japan"]
    assert link_speaker("Japan", f0, m0, entities) == by_name["Japan"]  # not in the article: corpus
    assert link_speaker("the DPRK", f0, m0, entities) == by_name["North Korea"]
    assert link_speaker(None, f0, m0, entities) is None
    assert link_speaker("", f0, m0, entities) is None
    assert link_speaker("a senior official", f0, m0, entities) is None
    assert link_speaker("Angela Merkel", f0, m0, entities) is None


def test_link_speaker_ambiguous_is_none():
    arts = [art("a", "Kim Jong Un spoke.", ("Kim Jong Un", "PERSON")),
            art("b", "Kim Yo Jong spoke.", ("Kim Yo Jong", "PERSON"))]
    entities, rows = resolve_corpus(arts)
    assert link_speaker("Kim", "c", [], entities) is None
    ma = [r for r in rows if r["article_id"] == "a"]
    assert link_speaker("Kim", "a", ma, entities) == short_hash("PERSON", "Kim Jong Un")
