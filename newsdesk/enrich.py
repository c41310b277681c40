"""The enrich step, over a batch of kept articles: the final article rows, named entities (English only) and
direct quotes, written by the worker to the run's staging area.

The worker reads its articles back from the ``prepared`` part the prepare step wrote, removes the outlet's
repeated lines the plan learned, and writes four staged parts named after its batch: ``articles`` and
``removed_text`` (final rows), ``mentions`` (each mention with its article-level entity key; the driver maps
keys to entity ids) and ``quotes`` (each quote with its speaker's article key or the names to look up, its
clustering block and content words), and ``keys``: per article-level entity key the counts corpus resolution
needs (:func:`newsdesk.entities.totals.key_stats_table`). It returns an :class:`EnrichResult`: counts and
errors, never rows or keys.

NER runs once per article and serves both the entity step and the quote step's speaker search; the
dependency parse runs on the paragraphs the quote step asks for (:func:`newsdesk.quotes.wants_parse`: a quote
mark, an introducing colon, a transcript turn) and serves its attribution; ``NEWSDESK_PARSE=0`` turns the
parse off (NER only, quotes by the surface rules: the speed of the pipeline before the parser).
Non-English articles get no NER (the English model would mislabel them): their quotes are still found by
their marks, with speakers only where the quote rules cover the language. An article whose entity or quote
extraction raises is kept without mentions and quotes, and the error is counted and reported by the run
summary (``errors``), never swallowed.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from newsdesk import schema
from newsdesk.boilerplate import remove_repeated_lines
from newsdesk.entities import ArticleMention, load_nlp, resolve_article
from newsdesk.entities.totals import key_stats, key_stats_table
from newsdesk.entities.speakers import speaker_ref
from newsdesk.entities.ner import analyse
from newsdesk.fingerprint import short_hash
from newsdesk.prepare import Prepared, read_prepared
from newsdesk.quotes import extract_quotes, wants_parse
from newsdesk.quotes.clusters import quote_stems, speaker_block
from newsdesk.staging import write_part

NER_LANGUAGES = frozenset({"en"})
_NLP_LOCK = threading.Lock()  # one spaCy pipeline per process; spaCy does not promise thread safety

_S = pa.string()
MENTIONS_SCHEMA = pa.schema([("article_id", _S), ("key_name", _S), ("key_type", _S), ("surface", _S),
                             ("start", pa.int32()), ("end", pa.int32())])
QUOTES_SCHEMA = pa.schema([
    ("quote_id", _S), ("article_id", _S), ("text", _S), ("speaker", _S), ("cue", _S), ("start", pa.int32()),
    ("end", pa.int32()), ("kind", _S), ("attribution", _S), ("key_name", _S), ("key_type", _S), ("wanted", _S),
    ("block", _S), ("stems", pa.list_(_S)), ("speaker_start", pa.int32()), ("speaker_end", pa.int32()),
])


@dataclass(frozen=True, slots=True)
class ArticleText:
    article_id: str
    body: str
    language: str


@dataclass
class Enriched:
    """Entities and quotes of a batch of articles, in memory (:func:`enrich_texts`)."""

    mentions: dict[str, list[ArticleMention]] = field(default_factory=dict)  # article_id -> mentions
    quotes: dict[str, list[dict]] = field(default_factory=dict)  # article_id -> quote rows (no ids yet)
    ner_skipped: int = 0  # articles not in an NER language
    errors: dict[str, str] = field(default_factory=dict)  # article_id -> "step: ExceptionType: message"

    @classmethod
    def merge(cls, parts: Sequence[Enriched]) -> Enriched:
        """One result from the results of several batches (their articles are disjoint)."""
        merged = cls()
        for e in parts:
            merged.mentions.update(e.mentions)
            merged.quotes.update(e.quotes)
            merged.ner_skipped += e.ner_skipped
            merged.errors.update(e.errors)
        return merged


@dataclass
class EnrichResult:
    """What an enrich task returns to the driver: counts and errors (its rows and key counts are staged)."""

    articles: int = 0
    ner_skipped: int = 0
    errors: dict[str, str] = field(default_factory=dict)
    mentions: int = 0
    quotes: int = 0

    @classmethod
    def merge(cls, parts: Sequence[EnrichResult]) -> EnrichResult:
        out = cls()
        for p in parts:
            out.articles += p.articles
            out.ner_skipped += p.ner_skipped
            out.errors.update(p.errors)
            out.mentions += p.mentions
            out.quotes += p.quotes
        return out


def nlp():
    """The spaCy pipeline of the enrich step: NER and the dependency parse (cached per process)."""
    return load_nlp(parser=True)


def warm_worker() -> None:
    """Load the model and the quality rules when a worker process starts (a process-pool initializer)."""
    from newsdesk.quality import load_quality_rules, stop_words

    nlp()
    load_quality_rules()
    stop_words("en")


def _error(step: str, exc: Exception) -> str:
    return f"{step}: {type(exc).__name__}: {exc}"


def enrich_texts(articles: Sequence[ArticleText]) -> Enriched:
    """Entities and quotes of articles held in memory."""
    result = Enriched()
    english = [a for a in articles if a.language in NER_LANGUAGES]
    if english:
        parse_if = None if os.environ.get("NEWSDESK_PARSE", "1") == "0" else wants_parse
        with _NLP_LOCK:
            analysed = analyse(nlp(), [a.body for a in english], parse_if)
    else:
        analysed = []
    by_id = {a.article_id: r for a, r in zip(english, analysed)}
    result.ner_skipped = len(articles) - len(english)
    for a in articles:
        ents, parse = by_id.get(a.article_id, ([], []))
        try:
            mentions = resolve_article(a.body, ents) if ents else []
            quotes = extract_quotes(a.body, a.language, ents, parse)
        except Exception as exc:  # one article's bug must not lose the batch: count it, keep the article
            result.errors[a.article_id] = _error("entities+quotes", exc)
            mentions, quotes = [], []
        result.mentions[a.article_id] = mentions
        result.quotes[a.article_id] = quotes
    return result


def strip_repeated(p: Prepared, repeated: frozenset[tuple[str | None, str]]) -> Prepared:
    """The article without its outlet's repeated lines (recorded as removed, rule 'repeated_line')."""
    if not repeated:
        return p
    paragraphs, removed = remove_repeated_lines(list(p.paragraphs), p.outlet, repeated,
                                                start_position=list(p.paragraph_positions))
    if not removed:
        return p
    gone = {r.position for r in removed}
    positions = tuple(i for i in p.paragraph_positions if i not in gone)
    return replace(p, paragraphs=tuple(paragraphs), paragraph_positions=positions,
                   removed=tuple(sorted(p.removed + tuple(removed), key=lambda r: r.position)))


def article_row(p: Prepared, run_id: str) -> dict:
    """Every column from the article's field of the same name, plus the derived ones."""
    body = p.body
    return schema.table("articles").row(p, body=body, paragraph_count=len(p.paragraphs),
                                        word_count=len(body.split()), run_id=run_id)


def removed_rows(p: Prepared, run_id: str) -> list[dict]:
    t = schema.table("removed_text")
    return [t.row(r, article_id=p.article_id, source_path=p.source_path, run_id=run_id) for r in p.removed]


def _quote_rows(article_id: str, quotes: list[dict], mentions: list[ArticleMention]) -> list[dict]:
    rows = []
    for q in quotes:
        # a description links to the name it stands for ("the governor" -> the governor named earlier);
        # one that stands for no one ("a bartender") links to nothing
        named = q.get("speaker_refers_to") or q.get("speaker")
        ref = speaker_ref(named, mentions) if named and q.get("attribution") != "description" else None
        key = ref.key if ref else None
        rows.append({"quote_id": short_hash(article_id, str(q["start"]), str(q["end"])), "article_id": article_id,
                     "text": q["text"], "speaker": q.get("speaker"), "cue": q.get("cue"), "start": q["start"],
                     "end": q["end"], "kind": q["kind"], "attribution": q.get("attribution") or "none",
                     "key_name": key[0] if key else None, "key_type": key[1] if key else None,
                     "wanted": ref.wanted if ref else None, "block": speaker_block(q.get("speaker")),
                     "stems": quote_stems(q["text"]), "speaker_start": q.get("speaker_start"),
                     "speaker_end": q.get("speaker_end")})
    return rows


def enrich_batch(stage: Path | str, prepared_part: str, paths: Sequence[str],
                 repeated: frozenset[tuple[str | None, str]], run_id: str, name: str) -> EnrichResult:
    """Enrich the articles ``paths`` of staged part ``prepared_part``; write the staged parts ``name``."""
    stage = Path(stage)
    table = pq.read_table(stage / "prepared" / f"{prepared_part}.parquet",
                          filters=[("source_path", "in", list(paths))])
    docs = sorted((strip_repeated(p, repeated) for p in read_prepared(table)), key=lambda p: p.article_id)
    enriched = enrich_texts([ArticleText(p.article_id, p.body, p.language) for p in docs])
    result = EnrichResult(articles=len(docs), ner_skipped=enriched.ner_skipped, errors=enriched.errors)
    keys = key_stats((p.article_id, enriched.mentions[p.article_id]) for p in docs)
    mention_rows, quote_rows = [], []
    for p in docs:
        ms = enriched.mentions[p.article_id]
        mention_rows += [{"article_id": p.article_id, "key_name": m.key[0], "key_type": m.key[1],
                          "surface": m.surface, "start": m.start, "end": m.end} for m in ms]
        quote_rows += _quote_rows(p.article_id, enriched.quotes[p.article_id], ms)
    result.mentions, result.quotes = len(mention_rows), len(quote_rows)
    write_part(schema.table("articles").to_arrow([article_row(p, run_id) for p in docs]),
               stage / "articles" / f"{name}.parquet")
    write_part(schema.table("removed_text").to_arrow([r for p in docs for r in removed_rows(p, run_id)]),
               stage / "removed_text" / f"{name}.parquet")
    write_part(pa.Table.from_pylist(mention_rows, schema=MENTIONS_SCHEMA), stage / "mentions" / f"{name}.parquet")
    write_part(pa.Table.from_pylist(quote_rows, schema=QUOTES_SCHEMA), stage / "quotes" / f"{name}.parquet")
    write_part(key_stats_table(keys), stage / "keys" / f"{name}.parquet")
    return result
