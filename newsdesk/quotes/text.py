"""The quote rules' view of one article: its tokens, sentences and the entities on them (:class:`Doc`).

Owns the tokenizer (words, punctuation, possessive "’s"), each token's quote / sentence / entity membership,
the sentence splitter (not inside quotes, not after abbreviations; a quote ending in "." closes its
sentence) and the lookups between characters, tokens, sentences and paragraphs. No spaCy parse is used.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from newsdesk.lexicon import ABBREVIATIONS
from newsdesk.quotes.marks import CLOSE_MARKS, OPENERS, Span, outer_end


_TOKEN_RE = re.compile(r"[’'][sS](?![^\W_])|[^\W_]+(?:[-.][^\W_]+)*|\S")


SPEAKER_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC"}


ADJ_NORP = re.compile(r"(?:an|ese|ish|ic|i|ch)$")


@dataclass
class Tok:
    text: str
    start: int
    end: int
    lower: str
    quote: int = -1     # index of the quote span containing it, -1 outside
    sent: int = -1
    ent: int = -1       # index into ents


@dataclass
class Doc:
    body: str
    lang: str
    spans: list[Span]
    toks: list[Tok] = field(default_factory=list)
    sents: list[tuple[int, int, int]] = field(default_factory=list)  # (tok_start, tok_end, para)
    ents: list = field(default_factory=list)
    names: list[tuple[str, str, int]] = field(default_factory=list)  # (text, label, start)
    sent_subject: dict = field(default_factory=dict)
    gender: dict = field(default_factory=dict)   # speaker name -> 'm' / 'f' learnt from pronouns
    q_ranges: dict | None = None
    ent_tok: dict = field(default_factory=dict)  # entity index -> its first token
    canon_cache: dict = field(default_factory=dict)
    hon_gender: dict | None = None  # surname key -> gender from "Mr./Ms. X" in the article
    tok_starts: list | None = None


def tokenize(doc: Doc) -> None:
    body = doc.body
    toks = [Tok(m.group(), m.start(), m.end(), m.group().lower()) for m in _TOKEN_RE.finditer(body)]
    # quote membership (marks themselves count as inside)
    qi = 0
    spans = doc.spans
    for t in toks:
        while qi < len(spans) and outer_end(body, spans[qi]) <= t.start:
            qi += 1
        if qi < len(spans) and spans[qi].open_pos <= t.start < outer_end(body, spans[qi]):
            t.quote = qi
    # entity membership
    ents = sorted(doc.ents, key=lambda e: e.start)
    doc.ents = ents
    ei = 0
    for ti, t in enumerate(toks):
        while ei < len(ents) and ents[ei].end <= t.start:
            ei += 1
        if ei < len(ents) and ents[ei].start <= t.start and t.end <= ents[ei].end:
            t.ent = ei
            doc.ent_tok.setdefault(ei, ti)
    doc.toks = toks




def split_sentences(doc: Doc, paras: list[tuple[int, int]]) -> None:
    toks, body = doc.toks, doc.body
    sents: list[tuple[int, int, int]] = []
    ti = 0
    n = len(toks)
    for pi, (ps, pe) in enumerate(paras):
        while ti < n and toks[ti].start < ps:
            ti += 1
        begin = ti
        j = ti
        while j < n and toks[j].start < pe:
            t = toks[j]
            boundary = False
            if t.text in ".!?" and t.quote == -1:
                prev = toks[j - 1].lower if j > begin else ""
                nxt = toks[j + 1] if j + 1 < n and toks[j + 1].start < pe else None
                if nxt is not None and (nxt.text[:1].isupper() or nxt.text in OPENERS
                                        or nxt.text[:1].isdigit()):
                    if not (t.text == "." and (prev in ABBREVIATIONS or (len(prev) == 1 and prev.isalpha())
                                               or re.fullmatch(r"(?:[a-z]\.)+[a-z]", prev or "-"))):
                        boundary = True
                elif nxt is None:
                    boundary = False
            elif t.quote != -1 and j + 1 < n and toks[j + 1].quote != t.quote and \
                    body[t.start] in CLOSE_MARKS and t.start == outer_end(body, doc.spans[t.quote]) - 1:
                # closing mark of a quote whose text ends a sentence, followed by a capital
                sp = doc.spans[t.quote]
                inner = body[sp.start:sp.end].rstrip()
                nxt = toks[j + 1]
                if inner[-1:] in ".!?" and nxt.start < pe and (nxt.text[:1].isupper() or nxt.text in OPENERS):
                    boundary = True
            if boundary:
                sents.append((begin, j + 1, pi))
                begin = j + 1
            j += 1
        if begin < j:
            sents.append((begin, j, pi))
        ti = j
    for si, (a, b, _p) in enumerate(sents):
        for k in range(a, b):
            toks[k].sent = si
    doc.sents = sents


def para_of_char(doc: Doc, pos: int) -> int:
    if doc.tok_starts is None:
        doc.tok_starts = [t.start for t in doc.toks]
    i = bisect.bisect_left(doc.tok_starts, pos)
    if i >= len(doc.toks):
        return -1
    t = doc.toks[i]
    return doc.sents[t.sent][2] if t.sent >= 0 else -1


def para_of_tok(doc: Doc, j: int) -> int:
    s = doc.toks[j].sent
    return doc.sents[s][2] if s >= 0 else -1


def quote_tok_range(doc: Doc, qi: int) -> tuple[int, int]:
    if doc.q_ranges is None:
        rng: dict[int, list[int]] = {}
        for i, t in enumerate(doc.toks):
            if t.quote != -1:
                r = rng.setdefault(t.quote, [i, i + 1])
                r[1] = i + 1
        doc.q_ranges = {q: (a, b) for q, (a, b) in rng.items()}
    return doc.q_ranges.get(qi, (-1, -1))
