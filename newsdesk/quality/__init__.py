"""Document-quality gate: decides whether a parsed, boilerplate-stripped document is a news article at all.

The package owns the *not an article* verdict (reject reason ``not_article``): error and "no longer available"
pages, paywall / cookie / login / captcha / "enable JavaScript" walls, navigation and index pages, video /
gallery / podcast / live stubs, newsletter sign-ups, comment sections and placeholder text (**page-type rules**,
kept as data in ``newsdesk/data/quality_rules.toml`` with examples each rule must catch and news text it must
keep), text that is not prose (**text statistics** in the manner of the Gopher rules and the C4 / FineWeb
filters), and pages that are **site furniture rather than reporting**. It runs after parsing and boilerplate
removal, before deduplication. Precision first: a real article lost is worse than a stub kept; every threshold
is set beyond what real news shows (see the TOML comments and ``bench/bench_quality.py``), and a short wire
brief is an article. Pure and deterministic: no I/O except reading the rule file and spaCy's stop-word modules
once; the verdict depends only on the document and the configuration. Cost: ~0.6 ms a document on the real
corpora of ``bench/bench_quality.py``, about 1-2% of prepare + NER; the costlier statistics run only on short
documents or when a cheap bound says they could fire.

The package:

* :mod:`~newsdesk.quality.gate` — :func:`assess` (one document -> :class:`Verdict`), :func:`assess_prepared`;
* :mod:`~newsdesk.quality.verdict` — :class:`Verdict`, ``REJECT_REASON``;
* :mod:`~newsdesk.quality.config` — :class:`QualityConfig` (rules turned off, thresholds overridden,
  ``keep_low_quality``), :func:`config_from`;
* :mod:`~newsdesk.quality.rules` — the catalog: ``PageRule``, ``StatRule``, ``QualityRules``, ``STAT_RULES``,
  :func:`load_quality_rules`;
* :mod:`~newsdesk.quality.pages` — the page-type verdict (a short document dominated by one kind of page);
* :mod:`~newsdesk.quality.checks` — the statistic verdict (each statistic against its threshold);
* :mod:`~newsdesk.quality.stats` — :func:`measure`, the text statistics of a body;
* :mod:`~newsdesk.quality.text` — words and sentence ends as the measures read them;
* :mod:`~newsdesk.quality.stopwords` — :func:`stop_words` of the detected language (spaCy's lists);
* :mod:`~newsdesk.quality.prose` — :func:`prose_profile`, each sentence reporting or site furniture;
* :mod:`~newsdesk.quality.repetition` — Gopher's repeated n-gram measures;
* :mod:`~newsdesk.quality.listing` — :func:`rule_rows` (rule, kind, threshold, description: for the dataset card).
"""
from __future__ import annotations

from newsdesk.quality.config import QualityConfig, config_from
from newsdesk.quality.gate import assess, assess_prepared
from newsdesk.quality.listing import rule_rows
from newsdesk.quality.prose import ProseProfile, prose_profile
from newsdesk.quality.rules import DEFAULT_RULES_PATH, STAT_RULES, PageRule, QualityRules, StatRule, load_quality_rules
from newsdesk.quality.stats import Stats, measure
from newsdesk.quality.stopwords import stop_words
from newsdesk.quality.verdict import REJECT_REASON, Verdict

__all__ = [
    "DEFAULT_RULES_PATH", "REJECT_REASON", "STAT_RULES", "PageRule", "ProseProfile", "QualityConfig",
    "QualityRules", "StatRule", "Stats", "Verdict", "assess", "assess_prepared", "config_from",
    "load_quality_rules", "measure", "prose_profile", "rule_rows", "stop_words",
]
