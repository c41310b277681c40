"""The rules a configuration applies, as text for the dataset card: :func:`rule_rows`.

Owns the listing: (rule, kind, threshold, description) of every rule the configuration applies, in the order
tried; a page rule's threshold reads ``<= 150 words, >= 30% of them in lines of that kind``, a statistic's shows
its override, n-gram pairs and the caps it is judged with (reporting, prose share, fewer stop words below a
length).
"""
from __future__ import annotations

from newsdesk.quality.config import DEFAULT_CONFIG, QualityConfig
from newsdesk.quality.rules import QualityRules, load_quality_rules
from newsdesk.quality.verdict import _fmt


def rule_rows(config: QualityConfig | None = None, rules: QualityRules | None = None
              ) -> list[tuple[str, str, str, str]]:
    """(rule, kind, threshold, description) of every rule the configuration applies, in the order tried.

    For the dataset card. A page rule's threshold reads ``<= 150 words, >= 30% of them in lines of that kind``.
    """
    config = config if config is not None else DEFAULT_CONFIG
    rules = rules if rules is not None else load_quality_rules(config.rules_path)
    rows = []
    for r in rules.pages:
        if config.is_enabled(r.name):
            cond = f"<= {r.max_words} words, >= {r.min_share:.0%} of them in lines of that kind"
            if r.min_hits > 1:
                cond += f", >= {r.min_hits} matching lines"
            rows.append((r.name, r.kind, cond, r.description))
    for st in rules.stats:
        if config.is_enabled(st.name):
            t = config.thresholds.get(st.name, st.threshold)
            if isinstance(t, (list, tuple)) and t and isinstance(t[0], (list, tuple)):
                thr = ", ".join(f"{int(n)}-grams {_fmt(float(f))}" for n, f in t)
            else:
                thr = (f"{_fmt(t[0])}-{_fmt(t[1])}" if isinstance(t, (list, tuple)) else _fmt(t))
            if "max_reporting" in st.params:
                thr += f" (and reporting <= {_fmt(float(st.params['max_reporting']))})"
            if "max_prose_share" in st.params:
                thr += f" (and prose < {_fmt(float(st.params['max_prose_share']))})"
            if "full_at_words" in st.params:
                thr += f" (fewer below {st.params['full_at_words']} words, at least 1)"
            rows.append((st.name, st.kind, thr, st.description))
    return rows
