"""Text statistics of a document's body: what :func:`measure` counts for the Gopher and C4 statistic rules.

Owns :class:`Stats` and :func:`measure`: words, tokens, mean word length, words with a letter, stop words of the
detected language, '#' and ellipses, bullet / ellipsis / duplicate lines, sentence lines, symbol / number / table
/ markup / code lines (``_is_table_line``), runs of one repeated character or word, lorem-ipsum filler and
distinct words - in the manner of the Gopher rules (Rae et al. 2021, appendix A) and of the C4 / FineWeb filters
as implemented by datatrove. Only counts: the thresholds they are judged against are the catalog's, applied by
:mod:`~newsdesk.quality.checks`.
"""
from __future__ import annotations

import math
import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, compress

from newsdesk.quality.stopwords import NO_SPACE_LANGUAGES, _with_english, stop_words
from newsdesk.quality.text import CLAUSE_MIN_WORDS, _CLAUSE_END, _CLOSERS, _SENTENCE_BREAK, _TERMINAL, _strip_punct

_first = operator.itemgetter(0)
_ALPHA = re.compile(r"[^\W\d_]")
_ELLIPSIS_END = re.compile(r"(?:\.\.\.|…)[\"'”’»)\]]*$")
_BULLET = re.compile(r"[•·▪●◦‣∙*\-–—>]\s")
_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]{0,300})?/?>")
_JSON_KEY = re.compile(r"[\"'][\w $.-]{1,40}[\"']\s*:")
_CODE = re.compile(r"^(?:<\?|<!|//|/\*|#include\b|function\s*\w*\(|(?:var|const|let) \w+\s*=|def \w+\(|"
                   r"import \w+(?:\.\w+)*;?$|SELECT\b.*\bFROM\b)")
_CHAR_RUN = re.compile(r"(\S)\1{15,}")
_MARKUP_CHARS = re.compile(r"[<>{}\[\]|\t]")
_BULLET_START = frozenset("•·▪●◦‣∙*-–—>")
_LOREM_WORDS = frozenset(
    "lorem ipsum dolor sit amet consectetur consectetuer adipiscing adipisicing elit sed do eiusmod tempor "
    "incididunt ut labore et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris "
    "nisi aliquip ex ea commodo consequat duis aute irure in reprehenderit voluptate velit esse cillum eu fugiat "
    "nulla pariatur excepteur sint occaecat cupidatat non proident sunt culpa qui officia deserunt mollit anim id "
    "est laborum vestibulum ante primis faucibus orci luctus ultrices posuere cubilia curae donec nec mauris "
    "pellentesque nunc vel neque integer egestas ac turpis aenean justo morbi tristique senectus netus malesuada "
    "fames etiam vitae".split())
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f"
                  r"\u1780-\u17ff]")


@dataclass(frozen=True, slots=True)
class Stats:
    """What :func:`measure` finds in a document's body (the paragraphs, title excluded)."""

    lines: int                 # body paragraphs
    words: int                 # whitespace tokens stripped of outer punctuation, pure punctuation dropped
    tokens: int                # whitespace tokens (the unit of sentence_words / table_words)
    mean_word_length: float
    alpha_words: int           # words with at least one letter
    stop_words: int | None     # words in the detected language's stop-word list, counted up to stop_limit
                               # (None: no list for the language, or written without spaces)
    hashes_ellipses: int       # '#' plus '...' / '…' (Gopher's symbol-to-word ratio)
    bullet_lines: int
    ellipsis_lines: int        # lines ending in '...' / '…'
    dup_lines: int             # lines identical to an earlier line
    sentence_lines: int        # lines with >= 3 words that end a sentence (C4) or contain a sentence break
    sentence_words: int        # tokens in those lines
    table_lines: int           # symbol / number / CSV / markup / code lines
    table_words: int           # tokens in those lines
    chars: int                 # characters of the body
    char_run_chars: int        # characters in runs of >= 16 identical non-space characters
    longest_char_run: int
    word_run_words: int        # words in runs of >= 8 identical consecutive words
    lorem_words: int           # words of the lorem-ipsum vocabulary when 'lorem ipsum' occurs, else 0
    no_spaces: bool            # the language is written without spaces (word statistics are estimates)
    distinct_words: int = 0    # distinct lower-cased words (repetition: real news has >= 35% distinct)


def _is_table_line(line: str, words: list[str], n_alpha: int) -> bool:
    """A line of data rather than prose: markup, code/JSON, CSV/table cells, tickers, score lists."""
    n = len(words)
    if _TAG.search(line) and len(_TAG.findall(line)) * 6 >= max(n, 1):
        return True                                  # HTML/XML: a tag for every few words
    s = line.lstrip()
    if _CODE.match(s) or (s[:1] in "{[" and _JSON_KEY.search(s)) or len(_JSON_KEY.findall(s)) >= 2:
        return True
    if n == 0:
        return True                                  # only symbols
    if n_alpha * 2 < n:
        return True                                  # mostly numbers: tickers, scores, tables
    for sep in ("|", "\t"):
        k = line.count(sep)
        if k >= 3 and n <= 4 * (k + 1):
            return True                              # table rows: many short cells between pipes or tabs
    sentence = _SENTENCE_BREAK.search(line) is not None
    if not sentence:
        for sep in (",", ";"):
            k = line.count(sep)
            if k >= 3 and n <= 4 * (k + 1):
                return True                          # CSV row: many short cells, no sentence
        digits = sum(1 for w in words if not _ALPHA.search(w))
        if n >= 3 and digits * 3 >= n:
            return True                              # 'Arsenal 2 Chelsea 1', 'FTSE 100 7,523.1 +0.4%'
    return False


def measure(paragraphs: Sequence[str], language: str = "en",
            line_tokens: Sequence[Sequence[str]] | None = None, stop_limit: int | None = None) -> Stats:
    """Text statistics of a body (see :class:`Stats`). Pure; ~0.1-0.2 ms for an 800-word article.

    ``line_tokens``: ``[p.split() for p in paragraphs]`` when the caller already has it. ``stop_limit``: stop
    counting stop words once this many are found (the rule only asks "fewer than N?"); None counts them all.
    """
    return _measure(paragraphs, language, line_tokens, stop_limit)[0]


def _measure(paragraphs: Sequence[str], language: str = "en", line_tokens: Sequence[Sequence[str]] | None = None,
             stop_limit: int | None = None) -> tuple[Stats, list[str]]:
    """:func:`measure`, and the lower-cased words it split (the n-gram statistics reuse them)."""
    no_spaces = language in NO_SPACE_LANGUAGES
    stops = None if no_spaces else stop_words(language)
    if stops is not None and language != "en":
        # a wrongly tagged English text (short, full of names) keeps its English stop words; a non-English text
        # is judged by its own list (English words only ever help it pass, never make it fail)
        stops = _with_english(language)
    if line_tokens is None:
        line_tokens = [p.split() for p in paragraphs]
    tokens = list(chain.from_iterable(line_tokens))
    # words: whitespace tokens stripped of surrounding punctuation, the empty ones (pure punctuation) dropped
    words = list(filter(None, map(_strip_punct, tokens)))
    n_words = len(words)
    lower = " ".join(words).lower()
    low = lower.split(" ") if lower else []
    # words without a letter: only words starting with a digit can be (itertools/map keep this at C speed)
    n_numeric = 0
    for w in compress(words, map(str.isdigit, map(_first, words))):
        if _ALPHA.search(w) is None:
            n_numeric += 1
    if no_spaces:
        body_cjk = sum(len(_CJK.findall(p)) for p in paragraphs)
        n_words = max(n_words, math.ceil(body_cjk / 2))  # ~2 characters a word (Chinese, Japanese, Thai)
        n_numeric = 0
    stop_total = None
    if stops is not None:
        stop_total = 0
        contains = stops.__contains__
        if stop_limit is None:
            stop_total = sum(map(contains, low))
        else:
            for w in low:
                if contains(w):
                    stop_total += 1
                    if stop_total >= stop_limit:
                        break
    word_run = 0
    if not no_spaces and len(low) > 7 and sum(map(str.__eq__, low, low[1:])) >= 7:
        word_run = _word_run_words(low)
    lorem = sum(map(_LOREM_WORDS.__contains__, low)) if "lorem ipsum" in lower else 0
    runs: list[int] = []
    if tokens and max(map(len, tokens)) >= 16:
        for t in tokens:
            if len(t) >= 16:
                runs.extend(len(m.group()) for m in _CHAR_RUN.finditer(t))
    # per line: sentence lines (fast path for prose), table lines, bullets, ellipses
    n_tokens = bullets = ellipsis_lines = sentence_lines = sentence_words = table_lines = table_words = 0
    for line, toks in zip(paragraphs, line_tokens):
        n = len(toks)
        n_tokens += n
        if line[:1] in _BULLET_START and _BULLET.match(line):
            bullets += 1
        t = line.rstrip(_CLOSERS)
        ellipsis = t.endswith(("...", "…"))
        if ellipsis:
            ellipsis_lines += 1
        if t and t[-1] in _TERMINAL and not ellipsis and _MARKUP_CHARS.search(line) is None:
            if n >= 3 or no_spaces:  # ordinary prose: ends a sentence, no markup, no table separators
                sentence_lines += 1
                sentence_words += n
            continue
        lw = list(filter(None, map(_strip_punct, toks)))
        n_alpha = len(lw) if no_spaces else sum(1 for w in lw if _ALPHA.search(w))
        if _is_table_line(line, lw, n_alpha):
            table_lines += 1
            table_words += n
        elif (n >= 3 or no_spaces) and ((t and t[-1] in _TERMINAL and not ellipsis)
                                        or _SENTENCE_BREAK.search(line) is not None
                                        or (n >= CLAUSE_MIN_WORDS and t[-1:] in _CLAUSE_END)):
            sentence_lines += 1
            sentence_words += n
    return (Stats(
        lines=len(paragraphs), words=n_words, tokens=n_tokens,
        mean_word_length=(sum(map(len, words)) / len(words)) if words else 0.0,
        alpha_words=n_words - n_numeric, stop_words=stop_total,
        hashes_ellipses=sum(p.count("#") + p.count("...") + p.count("…") for p in paragraphs),
        bullet_lines=bullets, ellipsis_lines=ellipsis_lines, dup_lines=len(paragraphs) - len(set(paragraphs)),
        sentence_lines=sentence_lines, sentence_words=sentence_words, table_lines=table_lines,
        table_words=table_words, chars=sum(map(len, paragraphs)), char_run_chars=sum(runs),
        longest_char_run=max(runs, default=0), word_run_words=word_run, lorem_words=lorem, no_spaces=no_spaces,
        distinct_words=len(set(low))), low)


def _word_run_words(low: Sequence[str], min_run: int = 8) -> int:
    """Words inside runs of >= ``min_run`` identical consecutive words (``low``: lower-cased words)."""
    total = run = 0
    prev = None
    for w in low:
        if w == prev:
            run += 1
        else:
            if run >= min_run:
                total += run
            run, prev = 1, w
    if run >= min_run:
        total += run
    return total
