"""The gate's answer about one document: :class:`Verdict`, keep or reject with the rule that fired.

Owns :class:`Verdict` (rule, kind and the measured value, and the ``rejects.reason`` / ``rejects.detail`` they
become), ``REJECT_REASON`` (``not_article``), ``KEEP`` and the number format of details and listed thresholds
(``_fmt``).
"""
from __future__ import annotations

from dataclasses import dataclass

#: The ``rejects.reason`` of a document this gate turns away; ``rejects.detail`` is ``Verdict.reject_detail``.
REJECT_REASON = "not_article"


@dataclass(frozen=True, slots=True)
class Verdict:
    """Keep, or reject with the rule that fired (``rule``), its kind and the measured value (``detail``)."""

    keep: bool
    rule: str | None = None
    kind: str | None = None
    detail: str | None = None

    @property
    def reason(self) -> str | None:
        """``rejects.reason`` (``not_article``) for a rejected document, else None."""
        return None if self.keep else REJECT_REASON

    @property
    def reject_detail(self) -> str | None:
        """``rejects.detail``: the rule and what was measured, e.g. ``gopher.min_words: 12 words of prose (< 15)``."""
        return None if self.keep else f"{self.rule}: {self.detail}"


KEEP = Verdict(True)


def _fmt(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if isinstance(x, float) else str(x)
