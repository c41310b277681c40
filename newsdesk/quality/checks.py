"""The statistic verdict: each statistic rule of the catalog, in order, checked against its threshold.

Owns ``_stat_verdict`` and ``_check`` (the detail of the first statistic that fires, from
:class:`~newsdesk.quality.stats.Stats`), the furniture rules (``_check_prose``: most words in furniture and
(almost) none in reporting; 'you' alone is a feature writer's voice, so the reader / site / commenter voice counts
only on a page that also has buttons, labels, calls to action or the site's vocabulary: ``_furniture_words``),
lorem-ipsum filler with or without the phrase (``_check_lorem``), the n-gram rules (``_check_ngrams``), and
``_Context``, which computes what the costlier statistics need (the prose profile of a short document, the n-gram
measures) once, and only when a rule asks.
"""
from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from itertools import chain
from typing import Any

from newsdesk.boilerplate import Removed
from newsdesk.quality.config import QualityConfig
from newsdesk.quality.prose import ProseProfile, prose_profile
from newsdesk.quality.repetition import _ngram_stats
from newsdesk.quality.rules import QualityRules
from newsdesk.quality.stats import Stats
from newsdesk.quality.text import _strip_punct
from newsdesk.quality.verdict import Verdict, _fmt


class _Context:
    """What the costlier statistics need, computed once and only when a rule asks: the prose profile of a short
    document, the n-gram repetition measures."""

    __slots__ = ("title", "subtitle", "paragraphs", "line_tokens", "language", "removed", "rules", "_prose",
                 "_low", "_ngrams")

    def __init__(self, title: str | None, subtitle: str | None, paragraphs: Sequence[str],
                 line_tokens: Sequence[Sequence[str]], language: str, removed: Sequence[Removed],
                 rules: QualityRules, low: list[str] | None = None) -> None:
        self.title, self.subtitle, self.paragraphs, self.line_tokens = title, subtitle, paragraphs, line_tokens
        self.language, self.removed, self.rules = language, removed, rules
        self._prose: ProseProfile | None = None
        self._low: list[str] | None = low
        self._ngrams: dict[tuple[tuple[int, ...], tuple[int, ...], int, float], dict[str, float]] = {}

    def prose(self) -> ProseProfile | None:
        """The prose profile, or None when the document is longer than ``[prose] max_words`` (or no lexicon)."""
        lex = self.rules.prose
        if lex is None:
            return None
        if self._prose is None:
            head = sum(len(h.split()) for h in (self.title, self.subtitle) if h)
            if head + sum(map(len, self.line_tokens)) > lex.max_words:
                return None
            caps = [float(st.params.get("max_reporting", 0.35)) for st in self.rules.stats
                    if st.name.startswith("prose.")]
            self._prose = prose_profile(self.title, self.subtitle, self.paragraphs, self.language, lex,
                                        self.removed, stop_reporting=max(caps, default=None))
        return self._prose

    def low(self) -> list[str]:
        if self._low is None:
            words = filter(None, map(_strip_punct, chain.from_iterable(self.line_tokens)))
            self._low = " ".join(words).lower().split()
        return self._low

    def ngrams(self, tops: tuple[int, ...], dups: tuple[int, ...], min_count: int = 2,
               bound_below: float = 0.0) -> dict[str, float]:
        key = (tops, dups, min_count, bound_below)
        if key not in self._ngrams:
            self._ngrams[key] = _ngram_stats(self.low(), tops, dups, min_count, bound_below)
        return self._ngrams[key]


def _stat_verdict(rules: QualityRules, config: QualityConfig, s: Stats, language: str,
                  language_prob: float, ctx: _Context | None = None) -> Verdict | None:
    for rule in rules.stats:
        if not config.is_enabled(rule.name):
            continue
        t = config.thresholds.get(rule.name, rule.threshold)
        p = rule.params
        detail = _check(rule.name, t, p, s, language, language_prob, ctx)
        if detail is not None:
            return Verdict(False, rule.name, rule.kind, detail)
    return None


def _check(name: str, t: Any, p: Mapping[str, Any], s: Stats, language: str, prob: float,
           ctx: _Context | None = None) -> str | None:
    """The detail when statistic ``name`` fires with threshold ``t``, else None."""
    w = s.words
    if name.startswith("prose."):
        return _check_prose(name, t, p, ctx.prose() if ctx is not None else None)
    if name in ("gopher.top_ngram", "gopher.dup_ngram"):
        return _check_ngrams(name, t, p, s, ctx)
    if name == "gopher.min_words":
        return f"{w} words of prose (< {t})" if w < t else None
    if w == 0:
        return None  # an empty body is min_words' business
    lines = s.lines
    min_lines = int(p.get("min_lines", 1))
    if name == "repetition.char_run":
        share = s.char_run_chars / max(s.chars, 1)
        return (f"runs of one repeated character hold {share:.0%} of the text (longest {s.longest_char_run}; "
                f">= {t:.0%})") if s.char_run_chars and share >= t else None
    if name == "repetition.word_run":
        share = s.word_run_words / w
        return f"runs of one repeated word hold {share:.0%} of the words (>= {t:.0%})" if share >= t else None
    if name == "c4.lorem_ipsum":
        if ctx is not None and "words" in p:
            return _check_lorem(t, p, ctx)
        share = s.lorem_words / w
        return f"'lorem ipsum' filler: {share:.0%} of the words (>= {t:.0%})" if share >= t else None
    if name == "table_lines":
        share = s.table_lines / lines
        prose = s.sentence_words / max(s.tokens, 1)
        max_prose = float(p.get("max_prose_share", 1.0))
        if lines >= min_lines and share >= t and prose < max_prose:
            return (f"{s.table_lines} of {lines} lines are symbol/number/table/markup lines ({share:.0%} >= {t:.0%}; "
                    f"prose {prose:.0%} of the words)")
        return None
    if name == "gopher.alpha_words":
        share = s.alpha_words / w
        return f"{share:.0%} of words contain a letter (< {t:.0%})" if share < t else None
    if name == "gopher.mean_word_length":
        if s.no_spaces:
            return None
        lo, hi = t
        m = s.mean_word_length
        return f"mean word length {m:.1f} (outside {_fmt(lo)}-{_fmt(hi)})" if not lo <= m <= hi else None
    if name == "gopher.symbol_ratio":
        r = s.hashes_ellipses / w
        return f"{s.hashes_ellipses} '#' and ellipses for {w} words ({r:.2f} > {_fmt(t)})" if r > t else None
    if name == "gopher.bullet_lines":
        share = s.bullet_lines / lines
        return (f"{s.bullet_lines} of {lines} lines start with a bullet ({share:.0%} > {t:.0%})"
                if lines >= min_lines and share > t else None)
    if name == "gopher.ellipsis_lines":
        share = s.ellipsis_lines / lines
        return (f"{s.ellipsis_lines} of {lines} lines end with an ellipsis ({share:.0%} > {t:.0%})"
                if lines >= min_lines and share > t else None)
    if name == "gopher.dup_lines":
        share = s.dup_lines / lines
        return (f"{s.dup_lines} of {lines} lines repeat an earlier line ({share:.0%} > {t:.0%})"
                if lines >= min_lines and share > t else None)
    if name == "sentence_lines":
        share = s.sentence_words / max(s.tokens, 1)
        if share < t:
            return (f"{s.sentence_lines} of {lines} lines are sentences, holding {share:.0%} of the words "
                    f"(< {t:.0%})")
        return None
    if name == "gopher.stop_words":
        if s.stop_words is None:
            return None  # no list for this language (or no spaces): never judged by another language's list
        # Gopher's 2 stop words are for documents of >= 50 words; a shorter one needs proportionally fewer
        full = int(p.get("full_at_words", 0))
        need = min(t, max(1, round(t * w / full))) if full else t
        return (f"{s.stop_words} stop words of language '{language}' (p={prob:.2f}) (< {need})"
                if s.stop_words < need else None)
    raise AssertionError(name)  # every name in STAT_RULES is handled above


def _furniture_words(f: ProseProfile, p: Mapping[str, Any]) -> int:
    """Words of site furniture: the hard classes always; the reader / site / commenter voice only on a page that
    also has buttons, labels or calls to action (``soft_gate_hard`` of its words) or speaks the site's
    vocabulary (``soft_gate_site``): 'you' alone is a feature writer's voice, not a page."""
    hard = f.hard
    if f.words and (hard >= float(p.get("soft_gate_hard", 0.1)) * f.words
                    or f.site_words >= float(p.get("soft_gate_site", 0.03)) * f.words):
        return hard + f.soft
    return hard


def _check_prose(name: str, t: Any, p: Mapping[str, Any], f: ProseProfile | None) -> str | None:
    if f is None or not f.words:
        return None
    # shares of the words that are furniture or sentences (not of fragments: 'Klaus B.', 'Genau so ist es.'),
    # and of at least half of the document
    judged = max(f.hard + f.soft + f.reporting + f.prose, f.words / 2)
    rep = f.reporting / judged
    max_rep = float(p.get("max_reporting", 0.35))
    if rep > max_rep:
        return None
    if name == "prose.furniture":
        furn = _furniture_words(f, p)
        if furn < t * judged:
            return None
        parts = [(k, getattr(f, k)) for k in ("cta", "label", "headline", "meta", "site", "question", "cut",
                                                "address", "we", "i")]
        named = {"cta": "calls to action", "label": "buttons/labels", "headline": "headline/link lines",
                 "meta": "timestamps/counters",
                 "site": "site vocabulary", "question": "questions to the reader", "cut": "cut as boilerplate",
                 "address": "reader addressed", "we": "site speaking", "i": "first person"}
        what = ", ".join(f"{named[k]} {v}" for k, v in parts if v)
        return (f"{furn / judged:.0%} of {judged:.0f} words in sentences and furniture (of {f.words}) are site "
                f"furniture ({what}; >= {t:.0%}), {rep:.0%} reporting (<= {max_rep:.0%})")
    if name == "prose.site_words":
        share = f.site_words / f.words
        if share < t:
            return None
        return (f"{f.site_words} of {f.words} words are the site's own vocabulary ({share:.0%} >= {t:.0%}), "
                f"{rep:.0%} reporting (<= {max_rep:.0%})")
    raise AssertionError(name)


def _check_lorem(t: Any, p: Mapping[str, Any], ctx: _Context) -> str | None:
    """'lorem ipsum' in the title or body and filler words >= t of the body's words, or filler words alone >=
    ``without_phrase`` of them (pseudo-Latin filler that never says 'lorem ipsum')."""
    vocab = _lorem_vocabulary(str(p["words"]))
    phrase = (any("lorem" in x.lower() for x in ctx.paragraphs) or "lorem ipsum" in (ctx.title or "").lower())
    if not phrase:
        # without the phrase: only filler-looking text is measured (its first 30 words are half filler)
        head = " ".join(ctx.paragraphs[:3]).lower().split()[:30]
        if not head or 2 * sum(map(vocab.__contains__, map(_strip_punct, head))) < len(head):
            return None
    low = ctx.low()
    if not low:
        return None
    share = sum(map(vocab.__contains__, low)) / len(low)
    phrase = phrase and ("lorem ipsum" in " ".join(low) or "lorem ipsum" in (ctx.title or "").lower())
    if phrase and share >= t:
        return f"'lorem ipsum' filler: {share:.0%} of the words (>= {t:.0%})"
    alone = float(p.get("without_phrase", 1.1))
    if share >= alone:
        return f"lorem-ipsum vocabulary: {share:.0%} of the words (>= {alone:.0%}, no 'lorem ipsum')"
    return None


@functools.lru_cache(maxsize=4)
def _lorem_vocabulary(words: str) -> frozenset[str]:
    return frozenset(words.lower().split())


def _check_ngrams(name: str, t: Any, p: Mapping[str, Any], s: Stats, ctx: _Context | None) -> str | None:
    if ctx is None or s.words < int(p.get("min_words", 0)):
        return None
    pairs = [(int(n), float(frac)) for n, frac in t]
    if s.words > int(p.get("max_words", 10**9)):
        # long documents: only when the vocabulary is poor (distinct words / words, counted by measure)
        if s.distinct_words > float(p.get("long_max_distinct", 0.3)) * s.words:
            return None
    ns = tuple(n for n, _ in pairs)
    if name == "gopher.dup_ngram":
        # repeated n-grams cover no more characters than the repeated (shorter) m-grams inside them: when the
        # shortest n stays under every threshold, no longer n can pass one
        first = min(ns)
        if ctx.ngrams((), (first,))[f"dup{first}"] <= min(frac for _, frac in pairs):
            return None
    got = (ctx.ngrams(ns, (), int(p.get("min_count", 2)), min(frac for _, frac in pairs))
           if name == "gopher.top_ngram" else ctx.ngrams((), ns))
    what = "the most frequent {n}-gram" if name == "gopher.top_ngram" else "repeated {n}-grams"
    key = "top" if name == "gopher.top_ngram" else "dup"
    for n, frac in pairs:
        v = got[f"{key}{n}"]
        if v > frac:
            return f"{what.format(n=n)} hold {v:.0%} of the characters (> {frac:.0%})"
    return None
