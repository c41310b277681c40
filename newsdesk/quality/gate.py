"""The gate's entry point: :func:`assess`, one parsed document -> :class:`~newsdesk.quality.verdict.Verdict`.

Owns the order a document is judged in: the configuration (``keep_low_quality`` keeps everything), the page-type
rules (:mod:`~newsdesk.quality.pages`), then the statistics of the body (measured by
:mod:`~newsdesk.quality.stats`, judged by :mod:`~newsdesk.quality.checks`); the first rule that fires is the
verdict. :func:`assess_prepared` does the same for a ``newsdesk.prepare.Prepared``.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from newsdesk.boilerplate import Removed
from newsdesk.quality.checks import _Context, _stat_verdict
from newsdesk.quality.config import DEFAULT_CONFIG, QualityConfig
from newsdesk.quality.pages import _page_verdict
from newsdesk.quality.rules import QualityRules, load_quality_rules
from newsdesk.quality.stats import _measure
from newsdesk.quality.verdict import KEEP, Verdict


def assess(title: str | None, paragraphs: Sequence[str], language: str = "en", language_prob: float = 1.0,
           config: QualityConfig | None = None, subtitle: str | None = None,
           removed: Sequence[Removed] = (), rules: QualityRules | None = None) -> Verdict:
    """Is this parsed document (after boilerplate removal) a news article? Returns the first rule that fires.

    Page-type rules are tried first (title, subtitle and paragraphs as lines), in catalog order, then the
    statistics on the body in :data:`STAT_RULES` order. ``language``/``language_prob`` are langdetect's.
    ``removed``: what the boilerplate catalog cut from the document (``Prepared.removed``); a page rule that
    lists a boilerplate rule in ``boilerplate_rules`` counts those cut lines as its own (a cookie wall whose
    banner sentence the catalog already removed is still a cookie wall). Other removed lines are ignored.
    """
    config = config if config is not None else DEFAULT_CONFIG
    if config.keep_low_quality:
        return KEEP
    rules = rules if rules is not None else load_quality_rules(config.rules_path)
    line_tokens = [p.split() for p in paragraphs]
    if not all(line_tokens):
        paragraphs = [p for p, t in zip(paragraphs, line_tokens) if t]
        line_tokens = [t for t in line_tokens if t]
    counts = list(map(len, line_tokens))
    if rules.pages:
        verdict = _page_verdict(rules, config, title, subtitle, paragraphs, counts, removed)
        if verdict is not None:
            return verdict
    stop_rule = rules.stat_by_name.get("gopher.stop_words")
    stop_limit = None
    if stop_rule is not None:
        stop_limit = int(math.ceil(config.thresholds.get(stop_rule.name, stop_rule.threshold)))
    stats, low = _measure(paragraphs, language, line_tokens, stop_limit)
    ctx = _Context(title, subtitle, paragraphs, line_tokens, language, removed, rules, low)
    return _stat_verdict(rules, config, stats, language, language_prob, ctx) or KEEP


def assess_prepared(prepared: Any, config: QualityConfig | None = None) -> Verdict:
    """:func:`assess` on a ``newsdesk.prepare.Prepared`` (or anything with its title, subtitle, paragraphs,
    language, language_prob and removed fields)."""
    return assess(prepared.title, prepared.paragraphs, prepared.language, prepared.language_prob, config,
                  subtitle=prepared.subtitle, removed=prepared.removed)
