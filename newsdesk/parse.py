"""Split a raw article text into title / subtitle / section / dateline / byline / paragraphs, then strip boilerplate.

Input: a decoded str (LF newlines, NFC, trailing spaces stripped). Pure: no I/O except loading the rule catalog once.

Segmentation
    Lines are grouped into *blocks* separated by blank lines. A block's lines are separate paragraphs
    (single-newline style, seed 002; or header lines like a dateline over a repeated title, seed 004) unless the
    document is *hard-wrapped*: at least 3 non-final block lines, the longest of them <= 110 chars, and >= 60% of
    them within 75% of that width W. Then a line is joined to the next when the next line's first word would not
    have fitted on it (``len(line) + 1 + len(next_word) > 0.9 * W``) and neither line is a date/byline.
    Every resulting non-empty paragraph is a *segment*; ``Removed.position`` and ``paragraph_positions`` index
    segments in order of appearance (title and header lines included).

Header (conservative: a wrong title/subtitle moves a body paragraph out of the body)
    * leading date lines, bylines and one-line boilerplate (Advertisement, captions) are consumed first;
    * section: 1-3 capitalised words (<= 30 chars, no digits, no final punctuation) directly above a title;
    * title: <= 20 words and <= 200 chars, not ending in '.', ',', ';' or ':' ('?' and '!' allowed; a final
      abbreviation like 'U.S.' allowed), followed by a blank line or a date/byline, with more text after it.
      A body-only file therefore gets ``title=None``: the first paragraph is never promoted;
    * subtitle: the segment right after the title, <= 40 words and <= 300 chars, not a wire lead
      ('WASHINGTON (AP) —'), that either has no sentence-final punctuation and is followed by a blank line, or is
      followed by a date line / byline / the repeated title (i.e. it sits inside the header block);
    * then any run of: date lines (first 'Published'/'Posted' one wins, else the first; others -> removed
      'extra_dateline'), a byline ('By X', 'By X and Y', 'By X, Reuters' -> 'X', 'X | Staff writer',
      'By X | June 20, 2024' -> author and dateline), the title printed again (-> removed 'repeated_title'),
      and one-line boilerplate.
    * published_at: dateutil on the date line without its 'Updated'/'Published' prefix, ``ignoretz=True``
      (naive time as printed), ``dayfirst`` only for dotted numeric dates (20.06.2024). A year is required.

Body
    Everything after the header, through the rule catalog (:mod:`newsdesk.boilerplate`). A trailing author bio
    ('X is the opinion editor of ...') is removed as 'author_bio' and sets ``author`` when no byline did.
    Wire leads ('WASHINGTON (AP) — ...') stay in the body and set nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from dateutil import parser as _dateparser

from newsdesk.boilerplate import Removed, RuleCatalog, load_rules, strip_with_positions
from newsdesk.lexicon import BYLINE_AGENCIES
from newsdesk.names import looks_like_person_name

__all__ = ["ParsedArticle", "Removed", "parse_article", "parse_dateline", "parse_byline"]


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    title: str | None
    subtitle: str | None
    section: str | None
    author: str | None
    dateline: str | None
    published_at: datetime | None  # naive datetime as printed
    paragraphs: list[str]          # clean body paragraphs, in order; body = "\n\n".join(paragraphs)
    removed: list[Removed]         # sorted by position
    paragraph_positions: tuple[int, ...] = ()  # segment index of each paragraph (same length as paragraphs)

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


# ----------------------------------------------------------------------------------------------- small helpers

_WS = re.compile(r"\s+")


def _clean(s: str) -> str:
    """Collapse whitespace (incl. NBSP) for header fields."""
    return _WS.sub(" ", s).strip()


_CLOSERS = "\"'”’»)]*"
_TERMINAL = ".!?…"
_ABBREV_END = re.compile(r"(?:\b[A-Z]\.){2,}$|\b(?:Jr|Sr|Inc|Co|Corp|Ltd|St|Dr|Mr|Mrs|Ms|Gen|Sen|Rep|Gov|No|vs)\.$")


def _ends_sentence(s: str) -> bool:
    """True when ``s`` ends with . ! ? … (ignoring closing quotes/brackets)."""
    t = s.rstrip(_CLOSERS)
    return bool(t) and t[-1] in _TERMINAL


def _ends_with_period(s: str) -> bool:
    t = s.rstrip(_CLOSERS)
    if not t:
        return False
    if t.endswith("..."):
        return True
    return t[-1] == "." and not _ABBREV_END.search(t)


# ------------------------------------------------------------------------------------------------------- dates

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_WDAY = (r"(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|"
         r"sat(?:urday)?|sun(?:day)?)\.?")
_AMPM = r"(?:[ap]\.?\s?m\.?)"
_TIME = rf"(?:\d{{1,2}}[:.]\d{{2}}(?::\d{{2}})?(?:\s*{_AMPM})?|\d{{1,2}}\s*{_AMPM}|{_AMPM})"
_TZ = (r"(?:UTC|GMT|Z|[ECMPAH][SD]T|BST|CES?T|EES?T|WES?T|MSK|KST|JST|IST|AES?T|AEDT|SGT|HKT|ET|PT|CT|MT)"
       r"(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2}")
_ISO = r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_NUMDATE = r"\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}/\d{1,2}/\d{1,2}"
_TOKEN = rf"(?:{_ISO}|{_NUMDATE}|{_TIME}|{_MONTH}|{_WDAY}|\d{{1,2}}(?:st|nd|rd|th)?|\d{{4}}|at|on|{_TZ})"
_SEP = r"(?:\s*[,·•|—–-]\s*|\s+)"
_DATE_RE = re.compile(rf"\(?{_TOKEN}(?:{_SEP}\(?{_TOKEN}\)?)*\.?", re.IGNORECASE)
_DATE_PREFIX = re.compile(
    r"(?:(?:last\s+|first\s+)?(?:updated|published|posted|modified)|date|dateline)(?:\s+on)?\s*[:|·•—–-]?\s*",
    re.IGNORECASE)
_PUBLISH_PREFIX = re.compile(r"(?:first\s+)?(?:published|posted)\b", re.IGNORECASE)
_HAS_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)|\d{1,2}[/.-]\d{1,2}[/.-]\d{2}(?!\d)")
_HAS_DAY_OR_MONTH = re.compile(rf"{_ISO}|{_NUMDATE}|\b{_MONTH}(?![a-z])", re.IGNORECASE)
_DOTTED = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{2,4}\b")
_AMPM_DOTS = re.compile(r"\b([ap])\.\s?m\.?(?=\s|$|,)", re.IGNORECASE)
_PARSE_SEPS = re.compile(r"[·•|—–]")


def _date_text(line: str) -> str | None:
    """The date part of a line that is only a (prefixed) date, else None."""
    s = _clean(line)
    if len(s) > 80 or not _HAS_YEAR.search(s):
        return None
    m = _DATE_PREFIX.match(s)
    rest = s[m.end():] if m else s
    if not rest or not _DATE_RE.fullmatch(rest) or not _HAS_DAY_OR_MONTH.search(rest):
        return None
    return rest


def parse_dateline(line: str) -> datetime | None:
    """Parse a date line ('Jun 20, 2024 · 07:10', ISO, '06/20/2024', 'Updated 3:45 PM EDT, Wed June 19, 2024')."""
    rest = _date_text(line)
    if rest is None:
        return None
    return _parse_date(rest)


def _parse_date(rest: str) -> datetime | None:
    s = _AMPM_DOTS.sub(lambda m: m.group(1).upper() + "M", rest)
    s = _PARSE_SEPS.sub(" ", s).replace("(", " ").replace(")", " ")
    dayfirst = bool(_DOTTED.match(s))
    try:
        # parsed twice with different defaults: a field that differs was not printed (a year, month and day
        # are required; a missing time is midnight)
        a = _dateparser.parse(s, ignoretz=True, dayfirst=dayfirst, default=datetime(1900, 1, 1))
        b = _dateparser.parse(s, ignoretz=True, dayfirst=dayfirst, default=datetime(1901, 2, 2))
    except (ValueError, OverflowError, TypeError):
        return None
    return a if a.date() == b.date() else None


# ---------------------------------------------------------------------------------------------------- bylines

_BY = re.compile(r"(?:by|von|par|por|door)\s*:?\s+(?=\S)", re.IGNORECASE)
_BY_SPLIT = re.compile(r"\s+[|·•—–]\s+|\s+-\s+")
_ROLE = re.compile(
    r"\b(?:staff|writer|reporter|correspondent|editor|contributor|columnist|journalist|special to|for the|"
    r"bureau|chief|producer|analyst|desk|news service|wire)\b", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*,\s*|\s+(?:and|und|et|y|e|en|&)\s+")
_STAFF_SUFFIX = re.compile(r"\s*[|·•—–,]\s*(?P<role>(?:[\w.'’-]+\s+){0,3}(?:writer|reporter|correspondent|editor|"
                           r"contributor|columnist|journalist|staff))s?\s*$", re.IGNORECASE)


def _names(s: str) -> bool:
    parts = [p for p in _NAME_SPLIT.split(s.strip()) if p]
    return bool(parts) and all(looks_like_person_name(p) for p in parts)


def _strip_affiliation(names: str) -> str:
    """'Jane Doe, Reuters' -> 'Jane Doe'; 'Jane Doe, Staff Writer' -> 'Jane Doe'; keeps 'A, B and C'."""
    parts = [p.strip() for p in names.split(",")]
    while len(parts) > 1:
        last = parts[-1]
        low = last.casefold().rstrip(".")
        if low in BYLINE_AGENCIES or _ROLE.search(last) or low.startswith("the "):
            parts.pop()
        else:
            break
    return ", ".join(parts)


def parse_byline(line: str) -> tuple[str, str | None] | None:
    """``(author, date_text_or_None)`` for a byline, else None.

    'By X', 'By X and Y', 'By X, Reuters' (-> 'X'), 'X | Staff writer' (-> 'X'), 'By X | June 20, 2024'.
    """
    s = _clean(line)
    if len(s) > 160 or len(s.split()) > 20:
        return None
    m = _BY.match(s)
    if m:
        rest = s[m.end():]
        date = None
        pieces = _BY_SPLIT.split(rest)
        if len(pieces) > 1:
            # 'By X | June 20, 2024' / 'By X · Updated ...': the other pieces must be dates or roles/agencies
            keep = [pieces[0]]
            for piece in pieces[1:]:
                d = _date_text(piece)
                if d is not None and date is None:
                    date = piece
                elif piece.casefold().rstrip(".") in BYLINE_AGENCIES or _ROLE.search(piece):
                    continue
                else:
                    return None
            rest = keep[0]
        rest = _strip_affiliation(rest.rstrip(" ."))
        if rest and not _ends_with_period(rest) and _names(rest):
            return rest, date
        return None
    m = _STAFF_SUFFIX.search(s)
    if m and m.start() > 0:
        name = s[:m.start()].strip()
        if _names(name):
            return name, None
    return None


# ------------------------------------------------------------------------------------------------ segmentation

_FIRST_WORD = re.compile(r"\S+")
_WIRE_LEAD = re.compile(r"^[A-ZÀ-Þ][A-ZÀ-Þ .,'’-]{2,}(?:,\s*[A-Z][\w. ]+)?\s*(?:\([^)]{1,40}\))?\s*[—–-]")


def _is_meta(line: str) -> bool:
    return _date_text(line) is not None or parse_byline(line) is not None


def _segments(text: str) -> tuple[list[str], list[bool]]:
    """Split into segments; returns (segments, ends_block) where ends_block[i] says a blank line (or EOF) follows."""
    blocks: list[list[str]] = []
    cur: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if line:
            cur.append(line)
        elif cur:
            blocks.append(cur)
            cur = []
    if cur:
        blocks.append(cur)

    non_last = [len(line) for b in blocks if len(b) > 1 for line in b[:-1]]
    width = 0
    if len(non_last) >= 3:
        w = max(non_last)
        if w <= 110 and sum(1 for x in non_last if x >= 0.75 * w) >= 0.6 * len(non_last):
            width = w

    segs: list[str] = []
    ends: list[bool] = []
    for b in blocks:
        if len(b) == 1:
            segs.append(b[0])
            ends.append(True)
            continue
        if not width:
            segs.extend(b)
            ends.extend([False] * (len(b) - 1) + [True])
            continue
        para = b[0]
        prev = b[0]
        for line in b[1:]:
            nxt_word = _FIRST_WORD.match(line)
            wrapped = (len(prev) + 1 + (len(nxt_word.group()) if nxt_word else 0) > 0.9 * width
                       and not _is_meta(prev) and not _is_meta(line))
            if wrapped:
                para = para + " " + line
            else:
                segs.append(para)
                ends.append(False)
                para = line
            prev = line
        segs.append(para)
        ends.append(True)
    return segs, ends


# ------------------------------------------------------------------------------------------------ header tests

def _title_like(s: str) -> bool:
    if len(s) > 200 or len(s.split()) > 20:
        return False
    t = s.rstrip(_CLOSERS)
    if not t or t[-1] in ",;:" or _ends_with_period(s):
        return False
    return True


def _section_like(s: str) -> bool:
    words = s.split()
    if not 1 <= len(words) <= 3 or len(s) > 30 or s[-1] in ".,;:!?":
        return False
    for w in words:
        if any(ch.isdigit() for ch in w):
            return False
        if not (w[0].isupper() or w in {"&", "and", "of", "the", "/", "-", "+"}):
            return False
    return True


def _same_text(a: str, b: str) -> bool:
    return _clean(a).casefold() == _clean(b).casefold()


# ---------------------------------------------------------------------------------------------------- parsing

def parse_article(text: str, rules: RuleCatalog | None = None) -> ParsedArticle:
    """Parse one decoded article text (see module docstring for the heuristics)."""
    rules = rules if rules is not None else load_rules()
    segs, ends = _segments(text)
    n = len(segs)
    removed: list[Removed] = []
    title = subtitle = section = author = None
    dates: list[tuple[int, str, str]] = []  # (position, line, date text)

    memo: dict[int, tuple[str | None, tuple[str, str | None] | None, str | None]] = {}

    def facts(i: int) -> tuple[str | None, tuple[str, str | None] | None, str | None]:
        """(date text, byline, boilerplate rule name) of segment i, computed once."""
        f = memo.get(i)
        if f is None:
            s = segs[i]
            date = _date_text(s)
            byline = parse_byline(s) if date is None else None
            hit = rules.match_anywhere(s) if date is None and byline is None else None
            f = memo[i] = (date, byline, hit[0].name if hit else None)
        return f

    def meta_at(i: int) -> str | None:
        """Kind of header line at i: 'date', 'byline', 'repeat', 'boiler', or None."""
        date, byline, boiler = facts(i)
        if date is not None:
            return "date"
        if author is None and byline is not None:
            return "byline"
        if title is not None and _same_text(segs[i], title):
            return "repeat"
        if boiler is not None:
            return "boiler"
        return None

    def consume(i: int, limit: int) -> int:
        nonlocal author
        while i < n and i < limit:
            kind = meta_at(i)
            if kind is None:
                break
            s = segs[i]
            date_text, byline, boiler = facts(i)
            if kind == "date":
                dates.append((i, s, date_text or ""))
            elif kind == "byline":
                name, date = byline  # type: ignore[misc]
                author = name
                if date is not None:
                    dates.append((i, date, _date_text(date) or ""))
            elif kind == "repeat":
                removed.append(Removed(i, s, "repeated_title"))
            else:
                removed.append(Removed(i, s, boiler or "boilerplate"))
            i += 1
        return i

    i = consume(0, 6)

    def title_ok(j: int) -> bool:
        return (j + 1 < n and _title_like(segs[j]) and meta_at(j) is None
                and (ends[j] or meta_at(j + 1) in ("date", "byline")))

    if i < n and _section_like(segs[i]) and meta_at(i) is None and title_ok(i + 1) and ends[i]:
        section = _clean(segs[i])
        title = _clean(segs[i + 1])
        i += 2
    elif i < n and title_ok(i):
        title = _clean(segs[i])
        i += 1

    if title is not None and i + 1 < n:
        s = segs[i]
        if (len(s) <= 300 and len(s.split()) <= 40 and meta_at(i) is None and not _WIRE_LEAD.match(s)
                and not _same_text(s, title)):
            nxt = meta_at(i + 1)
            open_end = not _ends_sentence(s) and s.rstrip(_CLOSERS)[-1:] not in (":", ";", ",")
            if nxt in ("date", "byline", "repeat") or (ends[i] and open_end):
                subtitle = _clean(s)
                i += 1
    if title is not None:
        i = consume(i, i + 8)

    dateline = None
    published_at = None
    if dates:
        chosen = next((d for d in dates if _PUBLISH_PREFIX.match(_clean(d[1]))), dates[0])
        dateline = _clean(chosen[1])
        published_at = _parse_date(chosen[2]) if chosen[2] else None
        for d in dates:
            if d is not chosen and _clean(d[1]) == _clean(segs[d[0]]):
                removed.append(Removed(d[0], segs[d[0]], "extra_dateline"))

    body_pos = list(range(i, n))
    kept, kept_pos, body_removed, bio_author = strip_with_positions(segs[i:], body_pos, rules)
    if author is None and bio_author is not None:
        author = _clean(bio_author)
    removed.extend(body_removed)
    removed.sort(key=lambda r: r.position)
    return ParsedArticle(
        title=title, subtitle=subtitle, section=section, author=author, dateline=dateline,
        published_at=published_at, paragraphs=kept, removed=removed, paragraph_positions=tuple(kept_pos),
    )
