"""The text form the accuracy harnesses compare in (eval_entities.py, eval_quotes_polnear.py): the scoring rules'
normalisation of a mention, a quote or a speaker, kept in one place so both harnesses score alike."""
from __future__ import annotations

import re
import unicodedata


def norm(s: str | None) -> str:
    """Lower case, quotes/dashes/hyphens unified, punctuation dropped, spaces collapsed."""
    if s is None:
        return ""
    s = unicodedata.normalize("NFKC", s).lower()
    s = re.sub(r"[\u2018\u2019\u201a\u201b`']", "'", s)
    s = re.sub(r"[\u2010-\u2015-]", " ", s)
    s = re.sub(r"[^\w\s']", " ", s)
    s = s.replace("'", "")
    return re.sub(r"\s+", " ", s).strip()
