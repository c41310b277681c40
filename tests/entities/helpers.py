"""The entity tests' data and builders: seed bodies and gold, hand-made spans and articles."""
from __future__ import annotations

import json
from pathlib import Path

from newsdesk.entities import ArticleMention, resolve_article
from newsdesk.spans import EntitySpan


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


GOLD = json.loads((FIXTURES / "seeds_gold.json").read_text(encoding="utf-8"))


def seed_body(g: dict) -> str:
    """Approximate curated body: from the gold first words to the gold last words, one paragraph a line,
    paragraphs joined by a blank line (the exact parse is the parser's job, not this module's)."""
    raw = (FIXTURES / "seeds" / g["file"]).read_text(encoding="utf-8")
    s = raw.index(g["body_first"])
    e = raw.index(g["body_last"], s) + len(g["body_last"])
    return "\n\n".join(line.strip() for line in raw[s:e].split("\n") if line.strip())


def spans_for(body: str, *items: tuple[str, str]) -> list[EntitySpan]:
    """EntitySpans for every occurrence of each (text, label) in body."""
    out = []
    for text, label in items:
        i = body.find(text)
        assert i >= 0, text
        while i >= 0:
            out.append(EntitySpan(i, i + len(text), label, text))
            i = body.find(text, i + 1)
    return sorted(out, key=lambda s: s.start)


def article(body: str, *items: tuple[str, str]) -> list[ArticleMention]:
    ms = resolve_article(body, spans_for(body, *items))
    for m in ms:
        assert body[m.start:m.end] == m.surface
    return ms


def keys(ms) -> dict[str, tuple[str, str]]:
    return {m.surface: m.key for m in ms}


def art(aid: str, body: str, *items) -> tuple[str, list[ArticleMention]]:
    return aid, article(body, *items)


def name_of(entities, rows, aid, surface) -> str:
    ents = {e["entity_id"]: e for e in entities}
    (r,) = [r for r in rows if r["article_id"] == aid and r["surface"] == surface][:1]
    return ents[r["entity_id"]]["name"]


def seed_like_articles():
    return [
        art("a1", "Vladimir Putin met Kim Jong-un in Pyongyang. Putin left.", ("Vladimir Putin", "PERSON"),
             ("Kim Jong-un", "PERSON"), ("Pyongyang", "GPE"), ("Putin", "PERSON")),
        art("a2", "Kim Jong Un thanked Mr. Putin and North Korea's allies; the DPRK agreed.",
             ("Kim Jong Un", "PERSON"), ("Putin", "PERSON"), ("North Korea's", "GPE"), ("DPRK", "ORG")),
        art("a3", "Kim Jong Un and the US. Kim spoke to Reuters.", ("Kim Jong Un", "PERSON"), ("US", "GPE"),
             ("Kim", "PERSON"), ("Reuters", "ORG")),
    ]


def ids_by_surface(rows) -> dict[str, set[str]]:
    ids: dict[str, set[str]] = {}
    for r in rows:
        ids.setdefault(r["surface"], set()).add(r["entity_id"])
    return ids
