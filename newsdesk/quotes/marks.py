"""Quote-mark detection: the quoted spans of a body, by their marks, before any keep/drop decision.

Owns which characters open and close a quotation (“…”, "…", „…“, «…», »…«, and British ‘…’ outside
double quotes; single quotes nested in double ones stay part of the outer quote), unbalanced marks
(contained to their paragraph) and quotations running over paragraphs (an opening mark, no closing mark,
the next paragraph opening again: one span per paragraph, linked by a chain id).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Span", "find_quote_spans", "paragraphs", "outer_end", "OPENERS", "ALL_MARKS", "CLOSE_MARKS"]


_WS = " \t\u00a0\u202f\u2009\u2007\u200a\r"

OPENERS = "“\"„«»”‘"
ALL_MARKS = set("“”\"„«»‟")
CLOSE_MARKS = ALL_MARKS | {"’", "‘"}


# --------------------------------------------------------------------------------------------
# Quote-span detection
# --------------------------------------------------------------------------------------------

@dataclass
class Span:
    start: int           # inner text start (marks excluded, whitespace trimmed)
    end: int             # inner text end
    open_pos: int        # offset of the opening mark
    close_pos: int | None  # offset of the closing mark (None: runs to paragraph end)
    para: int
    chain: int = -1      # multi-paragraph chain id (-1: none)
    nested: bool = False


def paragraphs(body: str) -> list[tuple[int, int]]:
    """Paragraph (start, end) offsets: split on newlines (one or more), empty ones dropped."""
    out = []
    for m in re.finditer(r"[^\n]+", body):
        s, e = m.start(), m.end()
        seg = m.group()
        if seg.strip():
            out.append((s, e))
    return out


def _left_flanking(text: str, i: int) -> bool:
    """Mark at i looks like an opener: preceded by start/space/bracket, followed by non-space."""
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return (prev.isspace() or prev in "([{—–-/:;,\u00a0" or prev in ALL_MARKS or i == 0) and \
        not nxt.isspace() and nxt != ""


def _right_flanking(text: str, i: int) -> bool:
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return not prev.isspace() and (nxt.isspace() or not nxt.isalnum())


def _scan_paragraph(body: str, ps: int, pe: int, lang: str):
    """Yield (open_pos, close_pos_or_None) pairs for top-level quotes in body[ps:pe]."""
    pairs: list[tuple[int, int | None]] = []
    open_pos: int | None = None
    opener = ""
    closers = ""
    i = ps
    while i < pe:
        ch = body[i]
        if ch not in ALL_MARKS:
            i += 1
            continue
        lf, rf = _left_flanking(body, i), _right_flanking(body, i)
        if open_pos is None:
            if ch == "„":
                open_pos, opener, closers = i, ch, "“”\""
            elif ch == "«":
                open_pos, opener, closers = i, ch, "»"
            elif ch == "»" and lf and not rf:
                open_pos, opener, closers = i, ch, "«"
            elif ch in "“‟":
                if lf or not rf:
                    open_pos, opener, closers = i, ch, "”\"“"
            elif ch == "\"":
                if lf and not (rf and not lf):
                    open_pos, opener, closers = i, ch, "\"”“"
            elif ch == "”":
                # stray closer; some styles use ” as an opener
                if lf and not rf:
                    open_pos, opener, closers = i, ch, "”\""
        else:
            if ch in closers:
                if ch == "“" and opener in "“‟\"" and lf and not rf:
                    # a new opener while one is open: the previous quote is unbalanced; drop it
                    open_pos, opener = i, ch
                else:
                    pairs.append((open_pos, i))
                    open_pos = None
            elif ch in "„«" or (ch == "“" and opener not in "„"):
                # a fresh opener while a quote is open: restart (the unbalanced one is dropped)
                if lf:
                    open_pos, opener = i, ch
                    closers = {"„": "“”\"", "«": "»"}.get(ch, "”\"“")
            # other marks inside an open quote (e.g. a straight quote in a curly one) are nested
        i += 1
    if open_pos is not None:
        pairs.append((open_pos, None))
    if "‘" in body[ps:pe]:
        pairs = sorted(pairs + _scan_single(body, ps, pe, pairs), key=lambda p: p[0])
    return pairs


def _scan_single(body: str, ps: int, pe: int, pairs) -> list[tuple[int, int]]:
    """British-style top-level ‘…’ quotes outside the double-quoted spans. An opener ‘ starts a
    word; a closer ’ ends one and is not followed by a letter (so don’t / Putin’s never close)."""
    covered = [(o, c if c is not None else pe) for o, c in pairs]

    def inside(i: int) -> bool:
        return any(o <= i <= c for o, c in covered)

    out = []
    i = ps
    while i < pe:
        if body[i] == "‘" and not inside(i) and _left_flanking(body, i):
            j = i + 1
            close = None
            while j < pe:
                if inside(j):
                    break
                if body[j] == "’":
                    nxt = body[j + 1] if j + 1 < pe else " "
                    prev = body[j - 1]
                    if not prev.isspace() and not nxt.isalnum():
                        close = j
                        break
                elif body[j] == "‘" and _left_flanking(body, j):
                    break  # a new opener: the first one was an apostrophe or unbalanced
                j += 1
            if close is not None:
                out.append((i, close))
                i = close + 1
                continue
        i += 1
    return out


def _trim(body: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (body[s] in _WS or body[s] == "\n"):
        s += 1
    while e > s and (body[e - 1] in _WS or body[e - 1] == "\n"):
        e -= 1
    return s, e


def find_quote_spans(body: str, language: str = "en") -> list[Span]:
    """All top-level quoted spans (before any keep/drop decision)."""
    paras = paragraphs(body)
    spans: list[Span] = []
    chain_id = 0
    pending_chain: int | None = None  # an unclosed quote at the end of the previous paragraph
    for pi, (ps, pe) in enumerate(paras):
        pairs = _scan_paragraph(body, ps, pe, language)
        first_nonspace = ps
        while first_nonspace < pe and body[first_nonspace] in _WS:
            first_nonspace += 1
        starts_with_opener = first_nonspace < pe and body[first_nonspace] in OPENERS and \
            bool(pairs) and pairs[0][0] == first_nonspace
        if pending_chain is not None and starts_with_opener:
            spans[-1].chain = pending_chain  # previous paragraph's open quote continues here
        elif pending_chain is not None:
            # the previous open quote did not continue: keep it only up to its paragraph end
            spans[-1].chain = -1
        pending_chain = None
        for k, (o, c) in enumerate(pairs):
            if c is None:
                s, e = _trim(body, o + 1, pe)
                # strip a trailing stray mark-less punctuation-only remainder
                if e <= s:
                    continue
                sp = Span(s, e, o, None, pi)
                spans.append(sp)
                chain_id += 1
                pending_chain = chain_id
                if k == 0 and starts_with_opener and spans and len(spans) >= 2 and \
                        spans[-2].chain != -1 and spans[-2].para == pi - 1:
                    sp.chain = spans[-2].chain
                    pending_chain = sp.chain
                continue
            s, e = _trim(body, o + 1, c)
            if e <= s:
                continue
            sp = Span(s, e, o, c, pi)
            if k == 0 and starts_with_opener and len(spans) >= 1 and spans[-1].chain != -1 \
                    and spans[-1].para == pi - 1 and spans[-1].close_pos is None:
                sp.chain = spans[-1].chain
            spans.append(sp)
    return spans


def outer_end(body: str, sp: Span) -> int:
    if sp.close_pos is not None:
        return sp.close_pos + 1
    return sp.end
