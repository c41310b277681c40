"""The rule catalog: page-type rules and statistic rules, data in ``newsdesk/data/quality_rules.toml``.

Owns :class:`PageRule` (a kind of page: its specific phrases, generic lines and vocabulary, and how much of a
short document they must hold), :class:`StatRule` (a statistic's threshold and parameters), :class:`QualityRules`
(the catalog), ``STAT_RULES`` (the statistics the code implements, in the order tried) and
:func:`load_quality_rules` (reading, validating and caching a catalog; ``DEFAULT_RULES_PATH`` unless told
otherwise). The catalog keeps, with each page rule, examples it must catch and news text it must keep; its
``[prose]`` table is built by :mod:`~newsdesk.quality.prose`.
"""
from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsdesk.quality.prose import ProseLexicon, _build_prose

#: The catalog shipped with the package: ``newsdesk/data/quality_rules.toml``.
DEFAULT_RULES_PATH = Path(__file__).resolve().parents[1] / "data" / "quality_rules.toml"

#: News reporting: a sentence with one of these is never 'related' page furniture, whatever its vocabulary.
_REPORTING = re.compile(
    r"\b(?:said|says|told|tells|according to|announced|reported|added|stated|confirmed|claimed|warned|insisted|"
    r"explained|wrote|testified|alleged|denied|sagte|sagt|erklärte|teilte|a déclaré|a dit|selon|dijo|afirmó|"
    r"según|ha detto|secondo|zei|volgens|disse|segundo)\b", re.IGNORECASE)

#: A 'related' line or sentence has at least this share of its words in the rule's vocabulary.
VOCAB_DENSITY = 0.2


@dataclass(frozen=True, slots=True)
class PageRule:
    """A page-type rule: the document is short and dominated by lines that match ``patterns``."""

    name: str
    kind: str
    description: str
    patterns: tuple[str, ...]
    search_patterns: tuple[str, ...]
    weak_patterns: tuple[str, ...]
    vocabulary: tuple[str, ...]
    regex: re.Pattern[str]          # the patterns as one alternation, matched at the start of a line/sentence
    max_words: int                  # only documents of at most this many words (title included)
    max_line_words: int             # a line (sentence) longer than this never matches
    min_share: float                # matching lines hold at least this share of the document's words
    min_hits: int                   # at least this many lines (sentences) match patterns/search_patterns
    count_headlines: bool = False   # headline-like lines (short, no sentence) count toward min_share too
    search_regex: re.Pattern[str] | None = None  # search_patterns: may match anywhere in the line/sentence
    weak_regex: re.Pattern[str] | None = None    # weak_patterns: count toward min_share, never toward min_hits
    weak_only_share: float = 0.5    # ... unless generic lines alone hold this share of the words
    vocab_regex: re.Pattern[str] | None = None   # vocabulary of the kind (whole words)
    vocab_min: int = 2              # a line/sentence with this many vocabulary words is 'related'
    boilerplate_rules: tuple[str, ...] = ()  # lines the boilerplate catalog cut under these rules: toward min_share
    tail_hits: int = 0              # the document ENDS in this many specific lines (0: off): a teaser + a wall
    search_if_any: tuple[str, ...] = ()  # search_patterns run only on a document containing one of these (cost)
    tail_max_words: int = 0         # ... judged up to this many words, whatever min_share
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()

    def line_hits(self, unit: str, n_words: int | None = None) -> bool:
        """Does this line (or sentence of a line) open with one of the rule's specific phrases?"""
        return self.classify(unit, len(unit.split()) if n_words is None else n_words) == "hit"

    def line_weak(self, unit: str, n_words: int | None = None) -> bool:
        """Is it one of the rule's generic lines (a button, a label, a field)?"""
        return self.classify(unit, len(unit.split()) if n_words is None else n_words) == "weak"

    def classify(self, unit: str, n_words: int, search: bool = True) -> str | None:
        """'hit' (a specific phrase), 'weak' (a generic line) or None. ``search=False``: without the
        search_patterns (the document has none of ``search_if_any``)."""
        if n_words <= self.max_line_words:
            if self.regex.match(unit) is not None or (search and self.search_regex is not None
                                                      and self.search_regex.search(unit) is not None):
                return "hit"
            if self.weak_regex is not None and self.weak_regex.match(unit) is not None:
                return "weak"
        return None

    def related(self, unit: str, n_words: int) -> bool:
        """Written in the kind's vocabulary (and no reporting verb): counts toward min_share only once the
        document has a specific phrase."""
        if self.vocab_regex is None:
            return False
        k = len(self.vocab_regex.findall(unit))
        return k >= self.vocab_min and k >= VOCAB_DENSITY * n_words and _REPORTING.search(unit) is None



@dataclass(frozen=True, slots=True)
class StatRule:
    """A text statistic: its threshold (number or [low, high]) and the extra parameters the code reads."""

    name: str
    kind: str
    description: str
    threshold: Any
    params: Mapping[str, Any]
    source: str


@dataclass(frozen=True, slots=True)
class QualityRules:
    pages: tuple[PageRule, ...]
    stats: tuple[StatRule, ...]
    version: int = 1
    source: str = ""
    prose: ProseLexicon | None = None   # the [prose] table: word lists of site furniture vs. reporting
    stat_by_name: Mapping[str, StatRule] = field(init=False, repr=False, compare=False)
    max_page_words: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "stat_by_name", {s.name: s for s in self.stats})
        object.__setattr__(self, "max_page_words", max((max(p.max_words, p.tail_max_words if p.tail_hits else 0)
                                                        for p in self.pages), default=0))

    @property
    def names(self) -> frozenset[str]:
        return frozenset(p.name for p in self.pages) | frozenset(s.name for s in self.stats)


#: The statistic rules the code implements, in the order they are tried (after the page-type rules).
STAT_RULES = (
    "gopher.min_words", "repetition.char_run", "repetition.word_run", "c4.lorem_ipsum", "table_lines",
    "gopher.alpha_words", "gopher.mean_word_length", "gopher.symbol_ratio", "gopher.bullet_lines",
    "gopher.ellipsis_lines", "gopher.dup_lines", "sentence_lines", "gopher.stop_words",
    "gopher.top_ngram", "gopher.dup_ngram", "prose.furniture", "prose.site_words",
)


def _build_page(raw: Mapping[str, Any], where: str) -> PageRule:
    try:
        name, kind, patterns = str(raw["name"]), str(raw["kind"]), tuple(str(p) for p in raw["patterns"])
        max_words = int(raw["max_words"])
    except KeyError as e:
        raise ValueError(f"{where}: missing key {e.args[0]!r}") from None
    if not name.startswith("page.") or not patterns:
        raise ValueError(f"{where} ({name}): a page rule is named 'page.<x>' and has patterns")
    flags = 0 if raw.get("case_sensitive", False) else re.IGNORECASE
    search = tuple(str(p) for p in raw.get("search_patterns", ()))
    weak = tuple(str(p) for p in raw.get("weak_patterns", ()))
    vocab = tuple(str(v).lower() for v in raw.get("vocabulary", ()))
    try:
        for p in (*patterns, *search, *weak):
            re.compile(p, flags)
        regex = re.compile("|".join(f"(?:{p})" for p in patterns), flags)
        search_regex = re.compile("|".join(f"(?:{p})" for p in search), flags) if search else None
        weak_regex = re.compile("|".join(f"(?:{p})" for p in weak), flags) if weak else None
        vocab_regex = (re.compile(r"\b(?:" + "|".join(re.escape(v) for v in sorted(vocab, key=len, reverse=True))
                                  + r")\b", re.IGNORECASE) if vocab else None)
    except re.error as e:
        raise ValueError(f"{where} ({name}): bad pattern: {e}") from None
    min_share = float(raw.get("min_share", 0.3))
    if not 0.0 <= min_share <= 1.0:
        raise ValueError(f"{where} ({name}): min_share must be within [0, 1]")
    return PageRule(
        name=name, kind=kind, description=str(raw.get("description", kind)), patterns=patterns,
        search_patterns=search, weak_patterns=weak, vocabulary=vocab, regex=regex, max_words=max_words,
        max_line_words=int(raw.get("max_line_words", 30)), min_share=min_share,
        min_hits=int(raw.get("min_hits", 1)), count_headlines=bool(raw.get("count_headlines", False)),
        search_regex=search_regex, weak_regex=weak_regex, weak_only_share=float(raw.get("weak_only_share", 0.5)),
        vocab_regex=vocab_regex, vocab_min=int(raw.get("vocab_min", 2)),
        boilerplate_rules=tuple(str(b) for b in raw.get("boilerplate_rules", ())),
        tail_hits=int(raw.get("tail_hits", 0)), tail_max_words=int(raw.get("tail_max_words", raw["max_words"])),
        search_if_any=tuple(str(x).lower() for x in raw.get("search_if_any", ())),
        examples=tuple(raw.get("examples", ())), counter_examples=tuple(raw.get("counter_examples", ())))


def _build_stat(raw: Mapping[str, Any], where: str) -> StatRule:
    try:
        name, kind, threshold = str(raw["name"]), str(raw["kind"]), raw["threshold"]
    except KeyError as e:
        raise ValueError(f"{where}: missing key {e.args[0]!r}") from None
    if name not in STAT_RULES:
        raise ValueError(f"{where}: unknown statistic {name!r} (the code implements {', '.join(STAT_RULES)})")
    params = {k: v for k, v in raw.items() if k not in ("name", "kind", "threshold", "description", "source")}
    return StatRule(name=name, kind=kind, description=str(raw.get("description", kind)), threshold=threshold,
                    params=params, source=str(raw.get("source", "")))


@functools.lru_cache(maxsize=8)
def _load(path: str) -> QualityRules:
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    pages = tuple(_build_page(r, f"{path} page rule #{i}") for i, r in enumerate(data.get("pages", [])))
    stats = tuple(_build_stat(r, f"{path} stat rule #{i}") for i, r in enumerate(data.get("stats", [])))
    names = [r.name for r in (*pages, *stats)]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise ValueError(f"{path}: rule names must be unique: {sorted(dup)}")
    prose = _build_prose(data["prose"], f"{path} [prose]") if "prose" in data else None
    if prose is None and any(st.name.startswith("prose.") for st in stats):
        raise ValueError(f"{path}: the prose.* statistics need a [prose] table")
    return QualityRules(pages=pages, stats=stats, version=int(data.get("version", 1)), source=path, prose=prose)


def load_quality_rules(path: Path | str | None = None) -> QualityRules:
    """Load (once, cached per path) the quality catalog; default ``newsdesk/data/quality_rules.toml``."""
    return _load(str(Path(path).resolve() if path is not None else DEFAULT_RULES_PATH))
