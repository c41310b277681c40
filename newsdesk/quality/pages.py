"""The page-type verdict: is a short document dominated by one kind of page (an error page, a wall, a menu...)?

Owns ``_page_verdict``, which tries the catalog's page rules in order. A page-type rule fires only when the
document is *dominated* by that content: it is short (``max_words``), at least one line or sentence opens with
one of the rule's specific phrases, and those lines plus the kind's generic lines (buttons, labels),
headline-like lines (menus, index pages: ``_is_headline``), lines in the kind's vocabulary and lines the
boilerplate catalog cut as that kind hold ``min_share`` of its words - or the document *ends* in ``tail_hits`` of
its specific lines (a teaser paragraph, then the paywall: ``_tail_hits``). A real article that mentions a 404 or
a paywall is never caught. Lines of at most ``SPLIT_MAX_WORDS`` words are also judged sentence by sentence
(``_LineSentences``).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsdesk.boilerplate import Removed
from newsdesk.quality.config import QualityConfig
from newsdesk.quality.rules import PageRule, QualityRules
from newsdesk.quality.text import _CLOSERS, _SENTENCE_BREAK, _SENTENCE_SPLIT, _TERMINAL, _strip_punct
from newsdesk.quality.verdict import Verdict

#: Lines of at most this many words are also judged sentence by sentence by the page-type rules.
SPLIT_MAX_WORDS = 40


def _page_verdict(rules: QualityRules, config: QualityConfig, title: str | None, subtitle: str | None,
                  paragraphs: Sequence[str], paragraph_words: Sequence[int],
                  removed: Sequence[Removed] = ()) -> Verdict | None:
    head = [s for s in (title, subtitle) if s]
    head_words = [len(h.split()) for h in head]
    total = sum(head_words) + sum(paragraph_words)
    if total > rules.max_page_words:
        return None  # long documents are never judged by page type (cheap exit for real articles)
    cut: dict[str, tuple[int, int]] = {}  # boilerplate rule -> (lines, words) the catalog removed
    for r in removed:
        lines_, words_ = cut.get(r.rule, (0, 0))
        cut[r.rule] = (lines_ + 1, words_ + len(r.text.split()))
    lines = head + list(paragraphs)
    counts = head_words + list(paragraph_words)
    # a rule's phrase opens a line, or one of the sentences of a line that has several
    # (only lines of at most SPLIT_MAX_WORDS words are split: interface text comes in short lines)
    sentences = _LineSentences(lines, counts)  # split on first use (a long document may need none)
    headline: list[bool] | None = None
    lowered: str | None = None  # the document in lower case, for search_if_any
    vocabulary: frozenset[str] = frozenset()
    for rule in rules.pages:
        own_cut_lines = own_cut_words = 0
        for b in rule.boilerplate_rules:
            if b in cut:
                own_cut_lines += cut[b][0]
                own_cut_words += cut[b][1]
        total_r = total + own_cut_words
        if not config.is_enabled(rule.name):
            continue
        tail_only = total_r > rule.max_words
        if tail_only and not (rule.tail_hits and total_r <= rule.tail_max_words):
            continue
        if rule.count_headlines and headline is None:
            headline = [_is_headline(line, n) for line, n in zip(lines, counts)]
        # cheap bound first: the words that could possibly count (short lines, sentences of short lines,
        # headline-like lines) must reach min_share, or no pattern needs to run
        reach = max(rule.max_line_words, SPLIT_MAX_WORDS)
        possible = own_cut_words + sum(n for n in counts if n <= reach)
        if rule.count_headlines:
            possible += sum(n for n, h in zip(counts, headline) if h and n > reach)  # type: ignore[arg-type]
        if rule.tail_hits:
            tail = _tail_hits(rule, lines, counts, sentences)
            if tail >= rule.tail_hits:
                return Verdict(False, rule.name, rule.kind,
                               f"the document ends in {tail} specific lines of that kind (>= {rule.tail_hits})")
            if tail_only:
                continue
        if possible < rule.min_share * total_r:
            continue
        search = True
        if rule.search_if_any and rule.search_regex is not None:
            if lowered is None:
                lowered = "\n".join(lines).lower()
                vocabulary = frozenset(filter(None, map(_strip_punct, lowered.split())))
            # a single word is looked up among the document's words, anything else as a substring
            search = any((g in vocabulary) if g.isalpha() else (g in lowered) for g in rule.search_if_any)
        hits, hit_words = 0, own_cut_words  # lines cut as boilerplate add words, never hits
        weak = weak_words = related_words = 0
        rest: list[tuple[str, int]] = []  # lines/sentences that matched nothing (candidates for 'related')
        for i, (line, n) in enumerate(zip(lines, counts)):
            kind = rule.classify(line, n, search)
            if kind is None and sentences[i] is not None:
                for text, k in sentences[i]:  # type: ignore[union-attr]
                    sub = rule.classify(text, k, search)
                    if sub == "hit":
                        hits += 1
                        hit_words += k
                    elif sub == "weak":
                        weak += 1
                        weak_words += k
                    else:
                        rest.append((text, k))
                continue
            if kind == "hit":
                hits += 1
                hit_words += n
            elif kind == "weak":
                weak += 1
                weak_words += n
            elif rule.count_headlines and headline[i]:  # type: ignore[index]
                hit_words += n
            elif n <= reach:
                rest.append((line, n))
        if (hits >= rule.min_hits and rule.vocab_regex is not None
                and hit_words + weak_words < rule.min_share * total_r):
            related_words = sum(k for text, k in rest if rule.related(text, k))
        hit_words += weak_words + related_words
        if not total_r:
            continue
        if hits >= rule.min_hits and hit_words / total_r >= rule.min_share:
            parts = [f"{hits} specific"] + ([f"{weak} generic"] if weak else [])
            parts += ["related"] if related_words else []
            extra = " and headline-like lines" if rule.count_headlines else ""
            extra += f" and {own_cut_lines} lines cut as boilerplate" if own_cut_lines else ""
            return Verdict(False, rule.name, rule.kind,
                           f"{' and '.join(parts)} lines or sentences{extra} hold {hit_words / total_r:.0%} of "
                           f"{total_r} words (>= {rule.min_share:.0%})")
        if weak_words / total_r >= rule.weak_only_share:
            return Verdict(False, rule.name, rule.kind,
                           f"{weak} generic lines (buttons, labels, fields) hold {weak_words / total_r:.0%} of "
                           f"{total_r} words (>= {rule.weak_only_share:.0%})")
    return None


class _LineSentences:
    """The sentences of each line (None for a line of one sentence or over SPLIT_MAX_WORDS words), split when
    first asked for."""

    __slots__ = ("lines", "counts", "_got")
    _UNSET: Any = object()

    def __init__(self, lines: Sequence[str], counts: Sequence[int]) -> None:
        self.lines, self.counts = lines, counts
        self._got: list[Any] = [self._UNSET] * len(lines)

    def __getitem__(self, i: int) -> list[tuple[str, int]] | None:
        got = self._got[i]
        if got is self._UNSET:
            line, n = self.lines[i], self.counts[i]
            parts = (_SENTENCE_SPLIT.split(line) if 3 < n <= SPLIT_MAX_WORDS
                     and _SENTENCE_BREAK.search(line.rstrip(_CLOSERS + _TERMINAL)) else None)
            got = [(u, len(u.split())) for u in parts] if parts and len(parts) > 1 else None
            self._got[i] = got
        return got


def _tail_hits(rule: PageRule, lines: Sequence[str], counts: Sequence[int], sentences: _LineSentences) -> int:
    """Specific lines (sentences) of ``rule`` in the closing run of the document's lines that are all the rule's
    (specific or generic): 'This article is for subscribers. Subscribe for full access.' after a teaser."""
    tail = 0
    for i in range(len(lines) - 1, -1, -1):
        units = sentences[i] if sentences[i] is not None else [(lines[i], counts[i])]
        kinds = [rule.classify(text, k) for text, k in units]
        if rule.classify(lines[i], counts[i]) == "hit" and not any(kinds):
            kinds = ["hit"]
        for k in reversed(kinds):
            if k is None:
                return tail
            tail += k == "hit"
    return tail


def _is_headline(line: str, n_words: int) -> bool:
    """A line that is not a sentence: a headline, a menu item, a label, a teaser cut off with '...' (or several
    of them, joined by the parser's hard-wrap detection)."""
    if n_words < 1:
        return False
    t = line.rstrip(_CLOSERS)
    if t.endswith(("...", "…")):
        return _SENTENCE_BREAK.search(t[:-3] if t.endswith("...") else t[:-1]) is None
    return bool(t) and t[-1] not in _TERMINAL and _SENTENCE_BREAK.search(line) is None
