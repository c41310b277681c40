"""Transcripts and interviews: "NAME: …", "Q: …" and "A: …" paragraphs are quotes of that speaker.

Owns what a turn is (:func:`find_turns`): a paragraph opening with a speaker label and a colon, in an article
that has at least two such paragraphs (a transcript, not a lone "NOTE:"). A label is a name in capitals
("JAKE TAPPER:", "MR. SMITH:", "TRUMP:") or "Q"/"A". The turn's text is the rest of the paragraph (no quote
marks needed); paragraphs with quote marks of their own are left to the quote-mark rules, and a quote they find
that opens with a label ('"RAMOS: …', '“CLINTON: …': a transcript quoted paragraph by paragraph) becomes that
speaker's turn (:func:`label_quoted_turns`), the label counting towards the two. A name label is
the speaker, in the fullest form the article gives ("TAPPER" -> "Jake Tapper"); "A" is the person the
article says it interviews ("Q&A with X", "interview with X") when exactly one is named so; "Q" is the
interviewer, left unnamed. Rows have ``attribution`` 'transcript' (the only one whose speaker may be null).
"""
from __future__ import annotations

import re

from newsdesk.names import name_key
from newsdesk.quotes.marks import ALL_MARKS, paragraphs
from newsdesk.quotes.speakers import canonical

__all__ = ["find_turns", "label_quoted_turns", "maybe_transcript"]

_LABEL = re.compile(r"(?P<label>Q|A|(?:[A-Z][A-Z.'’\-]*)(?: [A-Z][A-Z.'’\-]*){0,3})\s*:\s+(?=\S)")
#: capitalised labels that are not speakers
_NOT_SPEAKERS = frozenset({
    "UPDATE", "UPDATED", "NOTE", "EDITOR'S NOTE", "EDITOR’S NOTE", "WATCH", "READ", "READ MORE", "VIDEO", "PHOTO",
    "PHOTOS", "CORRECTION", "RELATED", "MORE", "SOURCE", "SOURCES", "CREDIT", "BREAKING", "ALSO", "PLUS",
    "WHAT", "WHY", "HOW", "WHO", "WHEN", "WHERE", "TRANSCRIPT", "DISCLOSURE", "SUBSCRIBE", "FOLLOW", "EMAIL",
    "CLARIFICATION", "ADVERTISEMENT", "LISTEN", "SEE", "SPONSORED", "TOPICS", "TAGS", "BOTTOM LINE",
})
_INTERVIEWEE = re.compile(r"\b(?:Q\s*&\s*A|Q\s+and\s+A|[Ii]nterview(?:ed)?|spoke|talked)\s+(?:with|to)\s+")


def _labels(body: str) -> list[tuple[int, int, int, str]]:
    """(paragraph start, label start, text start, label) of each paragraph opening with a label."""
    out = []
    for ps, pe in paragraphs(body):
        lead = len(body[ps:pe]) - len(body[ps:pe].lstrip())
        m = _LABEL.match(body, ps + lead, pe)
        if m is None:
            continue
        label = m.group("label")
        if _is_speaker_label(label):
            out.append((ps, m.start("label"), m.end(), label))
    return out


def _is_speaker_label(label: str) -> bool:
    """A name in capitals, "Q" or "A"; not "NOTE", "UPDATE", "VIDEO", ... nor a lone letter."""
    return label.rstrip(".") not in _NOT_SPEAKERS and (len(label) >= 2 or label in ("Q", "A"))


def _turn_speaker(doc, label: str, labels: list[str], interviewee: str | None) -> str | None:
    """Who speaks a turn: "Q" the unnamed interviewer, "A" the interviewee, a name label the fullest name of
    the longest label ending in the same words ("TAPPER" after "JAKE TAPPER")."""
    if label == "Q":
        return None
    if label == "A":
        return interviewee
    longer = [lb for lb in labels if lb.split()[-len(label.split()):] == label.split()]
    return _full_name(doc, max(longer, key=len))


def maybe_transcript(body: str) -> bool:
    """Cheap test: two or more paragraphs open with a label."""
    return len(_labels(body)) >= 2


def find_turns(doc, spans) -> list[dict]:
    """The turns of a transcript or interview in ``doc`` (a :class:`~newsdesk.quotes.text.Doc` with its
    names collected) as quote rows; none when the article has fewer than two labelled paragraphs."""
    body = doc.body
    labels = _labels(body)
    if len(labels) < 2:
        return []
    interviewee = _interviewee(doc, labels[0][0])
    rows = []
    for ps, ls, ts, label in labels:
        pe = body.find("\n", ts)
        pe = len(body) if pe < 0 else pe
        text_end = pe
        while text_end > ts and body[text_end - 1].isspace():
            text_end -= 1
        if text_end <= ts or any(c in ALL_MARKS for c in body[ts:text_end]) or \
                any(s.open_pos < text_end and ts < (s.close_pos or s.end) for s in spans):
            continue
        le = ls + len(label)
        speaker = _turn_speaker(doc, label, [lb for *_x, lb in labels], interviewee)
        rows.append({"text": body[ts:text_end], "start": ts, "end": text_end, "kind": "full",
                     "speaker": speaker, "cue": None, "attribution": "transcript",
                     "speaker_start": ls if speaker else None, "speaker_end": le if speaker else None,
                     "speaker_refers_to": None})
    return rows


def label_quoted_turns(doc, rows: list[dict]) -> None:
    """Quotes without a speaker whose text opens with a speaker label become transcript turns, in place: the
    label's person speaks ("Q" unnamed, "A" the interviewee) and the text starts after the label. Only when the
    article has two or more labels, quoted or not (one "NOTE:" inside a quote is not a transcript)."""
    quoted = []
    for r in rows:
        if r["speaker"] is not None:
            continue
        m = _LABEL.match(r["text"])
        if m is None or m.end() >= len(r["text"]):
            continue
        if _is_speaker_label(m.group("label")):
            quoted.append((r, m, m.group("label")))
    if not quoted:
        return  # most articles: no paragraph scan for labels
    plain = _labels(doc.body)
    if len(quoted) + len(plain) < 2:
        return
    labels = [lb for *_x, lb in plain] + [lb for _r, _m, lb in quoted]
    interviewee = _interviewee(doc, min([r["start"] for r, _m, _l in quoted] + [p[0] for p in plain]))
    for r, m, label in quoted:
        speaker = _turn_speaker(doc, label, labels, interviewee)
        ls = r["start"] + m.start("label")
        r.update(text=r["text"][m.end():], start=r["start"] + m.end(), kind="full", speaker=speaker, cue=None,
                 attribution="transcript", speaker_start=ls if speaker else None,
                 speaker_end=ls + len(label) if speaker else None, speaker_refers_to=None)


def _full_name(doc, label: str) -> str:
    """"JAKE TAPPER" / "TAPPER" / "MR. TRUMP" -> the fullest name the article gives, else the label in
    title case."""
    words = [w for w in label.split() if w.rstrip(".") not in ("MR", "MRS", "MS", "DR", "SEN", "REP", "GOV")]
    title = " ".join(w.capitalize() if not w.endswith(".") else w.title() for w in words) or label.title()
    key = name_key(title).split()
    for text, lab, _start in doc.names:
        if lab == "PERSON" and key and name_key(text).split()[-len(key):] == key:
            full = canonical(doc, text, "PERSON")
            return full.title() if full.isupper() else full
    return title


def _interviewee(doc, first_turn: int) -> str | None:
    """The one person the article says it interviews before its first turn ("Q&A with Vice President
    Joe Biden"), or None."""
    head = doc.body[:first_turn]
    found = set()
    for m in _INTERVIEWEE.finditer(head):
        for text, lab, start in doc.names:
            if lab == "PERSON" and m.end() <= start <= m.end() + 60:
                found.add(canonical(doc, text, "PERSON"))
                break
    return next(iter(found)) if len(found) == 1 else None
