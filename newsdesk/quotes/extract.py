"""The entry point :func:`extract_quotes`: one article's direct quotations with speaker, cue and kind.

Owns the order of the passes over an article: quote marks, entity cleanup, tokens and sentences, each
sentence's subject, then each quote in turn (decided by :mod:`~newsdesk.quotes.decide`: kept or dropped, full
or partial, its speaker), then continuation (an unattributed full quote right after a quote of known speaker,
in the same paragraph or first thing in the next), multi-paragraph chains sharing one speaker, and transcript
turns; and other languages (quotes by their marks, speaker ``None``). Errors are not caught here: the caller
decides what a failing article becomes.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Sequence

from newsdesk.entities.mentions import CleanSpan, normalize_for_quotes
from newsdesk.lexicon import FOREIGN_CUES
from newsdesk.quotes.decide import _attribute, _word_count
from newsdesk.quotes.grammar import Grammar
from newsdesk.quotes.marks import ALL_MARKS, find_quote_spans, paragraphs
from newsdesk.quotes.phrases import main_subject
from newsdesk.quotes.resolve import resolve_np, resolve_phrase
from newsdesk.quotes.speakers import Speaker, collect_names
from newsdesk.quotes.text import Doc, quote_tok_range, split_sentences, tokenize
from newsdesk.quotes.turns import find_turns, label_quoted_turns, maybe_transcript

__all__ = ["extract_quotes"]


def extract_quotes(body: str | None, language: str | None, ents: Sequence = (), parse: Sequence = ()) -> list[dict]:
    """Direct quotations in ``body`` with speaker, cue and attribution; sorted by start.

    ``ents``: the article's NER spans (objects with ``start``, ``end`` and ``label``, or dicts with those
    keys); spans outside the body are ignored. ``parse``: the dependency parse of the paragraphs
    :func:`~newsdesk.quotes.grammar.wants_parse` accepts (:class:`newsdesk.entities.ner.ParsedToken` rows, body
    offsets; without it the surface rules alone attribute). Each row has ``text``, ``start``, ``end``
    (``body[start:end] == text``), ``kind``, ``speaker``, ``cue``, ``attribution``, and ``speaker_start`` /
    ``speaker_end`` (the words naming the speaker at the attribution, ``body[speaker_start:speaker_end]``;
    None without a speaker) and ``speaker_refers_to`` (for a description resolved to a named person or
    organisation, that name, to link in place of the description; else None). An internal error is not
    caught: it propagates to the caller, which counts the article as failed.
    """
    return _extract(body or "", (language or "").lower()[:2], list(ents or ()), list(parse or ()))


def _extract(body: str, lang: str, ents: list, parse: list | None = None) -> list[dict]:
    if not body:
        return []
    spans = find_quote_spans(body, lang) if any(c in ALL_MARKS or c == "‘" for c in body) else []
    if any(body[s.open_pos] != "‘" for s in spans):
        # an article that quotes with double marks uses single ones for headlines and nested quotes only
        spans = [s for s in spans if body[s.open_pos] != "‘"]
    if not spans and not maybe_transcript(body):
        return []
    doc = _article(body, lang, ents, spans)
    rows = _extract_spans(doc, parse) if spans else []
    label_quoted_turns(doc, rows)
    turns = find_turns(doc, spans)
    return sorted(rows + turns, key=lambda r: r["start"]) if turns else rows


def _article(body: str, lang: str, ents: list, spans: list) -> Doc:
    """The rules' view of the article: its entities cleaned, tokens, sentences and names."""
    clean_ents = []
    for e in ents:
        if isinstance(e, dict):
            e = CleanSpan(int(e["start"]), int(e["end"]), str(e["label"]), str(e.get("text", "")))
        s, t = int(e.start), int(e.end)
        if 0 <= s < t <= len(body):
            clean_ents.append(CleanSpan(s, t, str(e.label), body[s:t]))
    doc = Doc(body, lang, spans, ents=normalize_for_quotes(body, clean_ents))
    paras = paragraphs(body)
    tokenize(doc)
    split_sentences(doc, paras)
    collect_names(doc)
    return doc


def _extract_spans(doc: Doc, parse: list | None) -> list[dict]:
    lang, spans = doc.lang, doc.spans
    if lang != "en":
        return _extract_foreign(doc)
    g = Grammar(doc, parse) if parse else None

    # sentence subjects (resolved in order, so that pronoun subjects chain)
    results: dict[int, dict] = {}
    last_speakers: list[tuple[int, Speaker]] = []
    q_by_sent: dict[int, list[int]] = defaultdict(list)
    q_ranges = {}
    for qi in range(len(spans)):
        qa, qb = quote_tok_range(doc, qi)
        q_ranges[qi] = (qa, qb)
        if qa >= 0:
            q_by_sent[doc.toks[qa].sent].append(qi)

    # a sentence's subject is only read back from quotes up to 7 sentences later (pronouns, roles)
    wanted = {sj for si in q_by_sent for sj in range(max(0, si - 7), si + 1)}
    for si, (sa, sb, para) in enumerate(doc.sents):
        sub_sp = _sentence_subject(doc, g, si, last_speakers) if si in wanted else None
        if sub_sp is not None and sub_sp.name:
            doc.sent_subject[si] = sub_sp
        prev_in_sent: Speaker | None = None
        for qi in q_by_sent.get(si, []):
            row = _attribute(doc, qi, si, sa, sb, prev_in_sent, last_speakers, g)
            if row is None:
                continue
            results[qi] = row
            sp = row.pop("_sp", None)
            if sp is not None and sp.name:
                prev_in_sent = sp
                last_speakers.append((spans[qi].start, sp))
                if si not in doc.sent_subject:
                    doc.sent_subject[si] = sp

    # continuation: unattributed full quotes following a quote with a known speaker
    order = sorted(results)
    prev_row = None
    prev_qi = None
    for qi in order:
        row = results[qi]
        sp = spans[qi]
        if row["speaker"] is None and row["kind"] == "full" and row["attribution"] == "none" \
                and prev_row is not None and prev_row["speaker"] is not None and \
                row.get("_standalone"):
            same_para = spans[prev_qi].para == sp.para
            next_para = spans[prev_qi].para == sp.para - 1 and row.get("_para_initial")
            if same_para or next_para:
                _same_speaker(row, prev_row)
                row["attribution"] = "continuation"
        prev_row, prev_qi = row, qi

    # multi-paragraph chains share one speaker
    chains: dict[int, list[int]] = defaultdict(list)
    for qi, sp in enumerate(spans):
        if sp.chain != -1 and qi in results:
            chains[sp.chain].append(qi)
    for members in chains.values():
        named = [results[q] for q in members if results[q]["speaker"] is not None]
        if not named:
            continue
        src = named[-1] if named[-1]["attribution"] != "continuation" else named[0]
        for q in members:
            r = results[q]
            if r["speaker"] is None:
                _same_speaker(r, src)
                r["cue"], r["attribution"] = src["cue"], "continuation"
            r["kind"] = "full"

    out = []
    for qi in sorted(results, key=lambda q: spans[q].start):
        r = results[qi]
        r.pop("_standalone", None)
        r.pop("_para_initial", None)
        if r.pop("_drop_if_unattributed", False) and r["speaker"] is None:
            continue
        out.append(r)
    return out


def _same_speaker(row: dict, src: dict) -> None:
    """A continued quote: the speaker of ``src``, and where it is named."""
    for k in ("speaker", "speaker_start", "speaker_end", "speaker_refers_to"):
        row[k] = src[k]


def _sentence_subject(doc: Doc, g: Grammar | None, si: int, last_speakers) -> Speaker | None:
    """The subject of sentence si as a speaker: from the parse where the sentence was parsed, else the
    surface approximation (:func:`~newsdesk.quotes.phrases.main_subject`)."""
    sa, sb, _p = doc.sents[si]
    if sa >= sb:
        return None
    if g is not None and g.covers(doc.toks[sa].start, doc.toks[sb - 1].end):
        a, b = g.at(doc.toks[sa].start), g.at(doc.toks[sb - 1].start) + 1
        s = g.sentence_subject(a, b)
        if s is None:
            return None
        ph = g.phrase(s)
        if ph is None or ph.kind == "description":
            return None
        return resolve_phrase(doc, g, ph, si, ph.start, last_speakers)
    sub_np = main_subject(doc, si)
    if sub_np is None:
        return None
    pos = doc.toks[sub_np.tok_start].start
    return resolve_np(doc, sub_np, si, sub_np.kind if sub_np.kind != "name" else "explicit", pos, last_speakers)


def _extract_foreign(doc: Doc) -> list[dict]:
    """Other languages: quotes by their marks; no speaker. Scare quotes dropped by shape."""
    cues = FOREIGN_CUES.get(doc.lang, set())
    out = []
    for qi, sp in enumerate(doc.spans):
        text = doc.body[sp.start:sp.end]
        n = _word_count(text)
        if n == 0:
            continue
        qa, qb = quote_tok_range(doc, qi)
        if qa < 0:
            continue
        si = doc.toks[qa].sent
        sa, sb, _p = doc.sents[si]
        outside = {t.lower for t in doc.toks[sa:sb] if t.quote == -1}
        has_cue = bool(outside & cues)
        clause = n >= 4 and (text[:1].isupper() or text.rstrip()[-1:] in ".!?,") or n >= 7
        if not clause and not (has_cue and n >= 2):
            continue
        prev = doc.toks[qa - 1] if qa - 1 >= sa else None
        standalone = prev is None or prev.text in (":", "—", "–")
        out.append({"text": text, "start": sp.start, "end": sp.end,
                    "kind": "full" if standalone and n >= 2 else "partial", "speaker": None,
                    "cue": None, "attribution": "none", "speaker_start": None, "speaker_end": None,
                    "speaker_refers_to": None})
    return out
