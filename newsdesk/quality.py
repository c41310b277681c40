"""Document-quality gate: decides whether a parsed, boilerplate-stripped document is a news article at all.

This module owns the *not an article* verdict (reject reason ``not_article``): error and "no longer available"
pages, paywall / cookie / login / captcha / "enable JavaScript" walls, navigation and index pages, video /
gallery / podcast / live stubs, newsletter sign-ups, comment sections and placeholder text (**page-type rules**,
kept as data in ``newsdesk/data/quality_rules.toml`` with examples each rule must catch and news text it must
keep), text that is not prose (**text statistics** in the manner of the Gopher rules, Rae et al. 2021, appendix A,
and of the C4 / FineWeb filters as implemented by datatrove: too few words, mean word length out of range, no
sentence lines, symbol / number / table / markup lines, no stop words of the detected language, lorem ipsum, runs
of one repeated character or word, Gopher's repeated n-grams), and pages that are **site furniture rather than
reporting** (:func:`prose_profile`: every sentence of a short document sorted into reporting - a named subject, a
number, a reporting verb - or furniture: calls to action, buttons and labels, timestamps and counters, headline
lists, the site's own vocabulary, the reader addressed, the site or a commenter speaking; word lists per language
as data). It runs after parsing and boilerplate removal, before deduplication.

Principles
    * Precision first: a real article lost is worse than a stub kept. Every threshold is set beyond what real
      news shows (see the TOML comments and ``bench/bench_quality.py``); a short wire brief is an article.
    * A page-type rule fires only when the document is *dominated* by that content: it is short (``max_words``),
      at least one line or sentence opens with one of the rule's specific phrases, and those lines plus the
      kind's generic lines (buttons, labels), headline-like lines (menus, index pages), lines in the kind's
      vocabulary and lines the boilerplate catalog cut as that kind hold ``min_share`` of its words - or the
      document *ends* in ``tail_hits`` of its specific lines (a teaser paragraph, then the paywall). A real
      article that mentions a 404 or a paywall is never caught.
    * The furniture statistics (``prose.*``) need both: most words in furniture and (almost) none in reporting.
      'You' alone is a feature writer's voice: the reader/site/commenter voice counts only on a page that also
      has buttons, labels, calls to action or the site's vocabulary; quotations, transcripts and sentences with
      a reporting verb are speech, never furniture.
    * Language-aware: stop words come from spaCy's list for the detected language (langdetect code); a language
      without a list skips the stop-word check; word statistics are skipped for scripts written without spaces;
      the prose word lists exist for en, de, fr, es, it, nl, pt, pl (English merged into each), and a language
      without its own list is judged by the English one only (it rarely finds furniture there: precision).
    * Pure and deterministic: no I/O except reading the rule file and spaCy's stop-word modules once; the
      verdict depends only on the document and the configuration.

Entry points: :func:`assess` (one document -> :class:`Verdict`; :func:`assess_prepared` takes a ``Prepared``),
:func:`measure` (the statistics alone), :func:`prose_profile` (the furniture/reporting profile, with a trace of
each sentence's class), :func:`rule_rows` (rule, kind, threshold, description: for the dataset card),
:class:`QualityConfig` (rules turned off, thresholds overridden, ``keep_low_quality``). Cost: ~0.6 ms a document
on the real corpora of ``bench/bench_quality.py`` (main's gate: ~0.3 ms), about 1-2% of prepare + NER; the
costlier statistics run only on short documents or when a cheap bound says they could fire.
"""
from __future__ import annotations

import functools
import hashlib
import importlib.util
import math
import operator
import re
import tomllib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, compress
from pathlib import Path
from typing import Any

from newsdesk.boilerplate import Removed

__all__ = [
    "DEFAULT_RULES_PATH", "REJECT_REASON", "PageRule", "QualityConfig", "QualityRules", "StatRule", "Stats",
    "Verdict", "assess", "assess_prepared", "config_from", "load_quality_rules", "measure", "rule_rows",
    "stop_words",
]

DEFAULT_RULES_PATH = Path(__file__).resolve().parent / "data" / "quality_rules.toml"
#: The ``rejects.reason`` of a document this gate turns away; ``rejects.detail`` is ``Verdict.reject_detail``.
REJECT_REASON = "not_article"

# --------------------------------------------------------------------------------------------- configuration


@dataclass(frozen=True, slots=True)
class QualityConfig:
    """What the gate applies. The default applies every rule of the catalog with its catalog threshold.

    ``keep_low_quality=True`` turns the whole gate off (every document is kept); ``disabled`` names rules to skip
    (exact names, or a prefix ending in ``.``/``*``: ``"page."`` or ``"page.*"`` turns off every page-type rule);
    ``thresholds`` overrides a statistic's ``threshold`` by rule name; ``rules_path`` loads another catalog.
    """

    keep_low_quality: bool = False
    disabled: frozenset[str] = frozenset()
    thresholds: Mapping[str, Any] = field(default_factory=dict, hash=False)
    rules_path: str | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> QualityConfig:
        """Build from a config table, e.g. the ``[quality]`` table of a TOML config file::

            keep_low_quality = false
            disabled = ["gopher.stop_words", "page.comments"]
            thresholds = { "gopher.min_words" = 10 }
        """
        unknown = set(data) - {"keep_low_quality", "disabled", "thresholds", "rules_path"}
        if unknown:
            raise ValueError(f"unknown quality setting(s): {', '.join(sorted(unknown))}")
        cfg = cls(keep_low_quality=bool(data.get("keep_low_quality", False)),
                  disabled=frozenset(str(x) for x in data.get("disabled", ())),
                  thresholds=dict(data.get("thresholds", {})),
                  rules_path=(str(data["rules_path"]) if data.get("rules_path") else None))
        cfg.validate()
        return cfg

    def validate(self, rules: QualityRules | None = None) -> None:
        """Raise ValueError for a disabled name or threshold override that matches no rule of the catalog."""
        rules = rules if rules is not None else load_quality_rules(self.rules_path)
        names = rules.names
        for d in self.disabled:
            prefix = d.rstrip("*")
            if d not in names and not (d.endswith((".", "*")) and any(n.startswith(prefix) for n in names)):
                raise ValueError(f"disabled quality rule {d!r} is not in the catalog ({rules.source})")
        for k in self.thresholds:
            if k not in rules.stat_by_name:
                raise ValueError(f"threshold override {k!r} names no statistic rule of the catalog")

    def fingerprint(self) -> str:
        """16 hex digits identifying what this configuration applies: the catalog's bytes and the settings.
        Store it with a run; when it changes, files rejected as ``not_article`` deserve another look."""
        h = hashlib.blake2b(digest_size=8)
        path = Path(self.rules_path).resolve() if self.rules_path else DEFAULT_RULES_PATH
        h.update(path.read_bytes())
        h.update(repr((self.keep_low_quality, sorted(self.disabled),
                       sorted((k, repr(v)) for k, v in self.thresholds.items()))).encode())
        return h.hexdigest()

    def is_enabled(self, name: str) -> bool:
        if self.keep_low_quality:
            return False
        for d in self.disabled:
            if d == name or (d.endswith((".", "*")) and name.startswith(d.rstrip("*"))):
                return False
        return True


DEFAULT_CONFIG = QualityConfig()


def config_from(path: Path | str | None = None, keep_low_quality: bool = False) -> QualityConfig:
    """The configuration of a run: the ``[quality]`` table of a TOML file (optional), and the command line's
    ``--keep-low-quality``, which wins. Raises ValueError (a one-line message) for a bad file."""
    data: dict[str, Any] = {}
    if path is not None:
        try:
            raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ValueError(f"cannot read quality config {path}: {exc}") from None
        if "quality" not in raw:
            raise ValueError(f"quality config {path} has no [quality] table")
        data = dict(raw["quality"])
    if keep_low_quality:
        data["keep_low_quality"] = True
    return QualityConfig.from_mapping(data) if data else DEFAULT_CONFIG

# ------------------------------------------------------------------------------------------------ the catalog


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


# ----------------------------------------------------------------------------------------------- stop words

#: langdetect codes whose spaCy stop-word module has another name.
_SPACY_CODE = {"zh-cn": "zh", "zh-tw": "zh", "no": "nb"}
#: Scripts written without spaces between words: whitespace "words" mean nothing there, so the word-based
#: statistics (word count, mean word length, stop words, repeated words) are skipped or estimated.
NO_SPACE_LANGUAGES = frozenset({"zh-cn", "zh-tw", "ja", "th", "lo", "km", "my"})


@functools.lru_cache(maxsize=None)
def stop_words(language: str) -> frozenset[str] | None:
    """spaCy's stop words for a langdetect code (lower-cased), or None when spaCy has no list for it.

    Read from ``spacy/lang/<code>/stop_words.py`` (a module without imports) without importing the spaCy
    package: the first call costs milliseconds, not the second or so of ``import spacy``.
    """
    code = _SPACY_CODE.get(language, language)
    if not re.fullmatch(r"[a-z]{2,3}", code):
        return None
    root = _spacy_lang_dir()
    path = root / code / "stop_words.py" if root is not None else None
    if path is None or not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location(f"_newsdesk_spacy_stop_words_{code}", path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    words = getattr(module, "STOP_WORDS", None)
    return frozenset(w.lower() for w in words) if words else None


@functools.lru_cache(maxsize=1)
def _spacy_lang_dir() -> Path | None:
    spec = importlib.util.find_spec("spacy")  # locates the package without running its __init__
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "lang"


# ---------------------------------------------------------------------------------------------- statistics

#: Punctuation stripped from both ends of a whitespace token to get a word (a token of only these is no word).
_PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~“”‘’«»‹›„‚—–‐‑‒―…•·▪●◦‣∙′″°§¶†‡¡¿«»©®™€£¥¢→←↑↓★☆✓✔✗✘"
_strip_punct = operator.methodcaller("strip", _PUNCT)
_first = operator.itemgetter(0)
_ALPHA = re.compile(r"[^\W\d_]")
_CLOSERS = "\"'”’»)]*_` \t"  # closing quotes and brackets (and spaces: tokenized text ends '. ''')
_TERMINAL = ".!?…。！？؟।"
# a sentence end inside a line: terminal punctuation, optional closers, then a space and a capital/quote/digit
# (not after a one- or two-digit list number: '1. Why your mortgage ...' is a list item, not a sentence end)
_SENTENCE_BREAK = re.compile(
    r"(?<!\s\d)(?<!\s\d\d)(?<!^\d)(?<!^\d\d)[.!?…。！？؟।][\"'”’»)\]]*(?:\s+[\"'“‘«(\[]?[^\W_a-z]|$)")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…。！？])[\"'”’»)\]]*\s+(?=[\"'“‘«(\[]?[^\W_a-z])")
#: A line of at least this many words ending in ':' ';' or ',' is prose too ('The Latest on the campaign (all
#: times EST):' opens wire roundups); headlines and menu items are shorter or end in nothing.
CLAUSE_MIN_WORDS = 10
_CLAUSE_END = frozenset(":;,")
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


@functools.lru_cache(maxsize=None)
def _with_english(language: str) -> frozenset[str] | None:
    own = stop_words(language)
    return None if own is None else own | (stop_words("en") or frozenset())


# ------------------------------------------------------------------------------- prose vs. site furniture
#
# A news article, however short, reports: it has sentences with a named subject, a number or a date, often a
# reporting verb ('said'). The pages this gate exists for are site furniture instead: buttons and labels, calls to
# action ('Subscribe', 'Accept all', 'Sign in'), the reader addressed ('you', 'your'), the site speaking ('we use
# cookies'), commenters speaking ('I think'), timestamps and counters, the vocabulary of the site itself (cookies,
# account, browser, newsletter, episode). :func:`prose_profile` sorts every sentence of a short document into
# these classes; the ``prose.*`` statistics reject a document that is mostly furniture and has (almost) no
# reporting. Word lists are data (the ``[prose]`` table of the catalog), per language, English always included.


@dataclass(frozen=True, slots=True)
class ProseLexicon:
    """The ``[prose]`` table: per-language word sets (English merged into every language) and line patterns."""

    languages: Mapping[str, Mapping[str, frozenset[str]]]   # language -> list name -> words (lower case)
    meta_regex: re.Pattern[str] | None                       # a whole short line: timestamp, counter, credit...
    reporting_regex: re.Pattern[str] | None                  # multi-word reporting phrases ('according to')
    max_words: int                                           # documents longer than this are not profiled
    meta_max_words: int
    label_max_words: int
    question_max_words: int
    min_sentence_words: int
    strong_anchors: int
    min_anchors: int                                         # names/numbers that make a sentence reporting
    capitalised_nouns: frozenset[str]                        # languages that capitalise every noun (de)
    quote_min_words: int

    def words(self, language: str) -> Mapping[str, frozenset[str]]:
        got = self.languages.get(language)
        if got is None:
            got = self.languages.get(language.split("-")[0], self.languages.get("en", {}))
        return got


#: The word lists of a [prose.lexicon.<lang>] table.
PROSE_LISTS = ("second_person", "second_person_cased", "first_plural", "first_singular", "imperatives", "please",
               "site", "reporting")


def _build_prose(raw: Mapping[str, Any], where: str) -> ProseLexicon:
    lex = raw.get("lexicon", {})
    if "en" not in lex:
        raise ValueError(f"{where}: [prose.lexicon.en] is required (English is merged into every language)")
    parsed: dict[str, dict[str, frozenset[str]]] = {}
    for lang, lists in lex.items():
        unknown = set(lists) - set(PROSE_LISTS)
        if unknown:
            raise ValueError(f"{where}: lexicon.{lang}: unknown list(s) {sorted(unknown)} (known: {PROSE_LISTS})")
        parsed[lang] = {}
        for name in PROSE_LISTS:
            value = lists.get(name, "")
            items = value.split() if isinstance(value, str) else [str(v) for v in value]
            cased = name == "second_person_cased"
            parsed[lang][name] = frozenset(w if cased else w.lower() for w in items)
    en = parsed["en"]
    merged = {lang: {k: v | en[k] for k, v in lists.items()} for lang, lists in parsed.items()}
    try:
        metas = [str(m) for m in raw.get("meta_patterns", ())]
        meta = re.compile("|".join(f"(?:{m})" for m in metas), re.IGNORECASE) if metas else None
        phrases = [str(m) for m in raw.get("reporting_phrases", ())]
        rep = re.compile(r"\b(?:" + "|".join(phrases) + r")\b", re.IGNORECASE) if phrases else None
    except re.error as e:
        raise ValueError(f"{where}: bad pattern: {e}") from None
    return ProseLexicon(
        languages=merged, meta_regex=meta, reporting_regex=rep, max_words=int(raw.get("max_words", 400)),
        meta_max_words=int(raw.get("meta_max_words", 8)), label_max_words=int(raw.get("label_max_words", 4)),
        question_max_words=int(raw.get("question_max_words", 10)),
        min_sentence_words=int(raw.get("min_sentence_words", 6)), strong_anchors=int(raw.get("strong_anchors", 3)),
        min_anchors=int(raw.get("min_anchors", 1)),
        capitalised_nouns=frozenset(raw.get("capitalised_nouns", ("de",))),
        quote_min_words=int(raw.get("quote_min_words", 4)))


@dataclass(frozen=True, slots=True)
class ProseProfile:
    """Words of a short document by what its sentences are (:func:`prose_profile`)."""

    words: int            # the body, and the lines the boilerplate catalog cut from it (when given)
    heading: int          # title and subtitle: not counted in ``words`` (a headline is neither furniture nor
                          # reporting), but their site vocabulary counts in ``site_words``
    cta: int              # calls to action: an imperative first word ('Subscribe', 'Sign in'), 'please'
    label: int            # short body lines that are no sentence: buttons, menu items, field names
    headline: int         # longer body lines that are no sentence (5-11 words, no full stop): lists of headlines
    meta: int             # timestamps, counters, durations, pagination, credits, prices, user names
    site: int             # sentences written in the site's own vocabulary (cookies, account, browser...)
    question: int         # short questions to the reader ('Already a subscriber?')
    cut: int              # lines the boilerplate catalog removed (promos, share bars, 'Read more')
    address: int          # the reader addressed ('you', 'your', 'Sie', 'vous') outside quotes and reporting
    we: int               # the site speaking ('we', 'our') outside quotes and reporting
    i: int                # a commenter speaking ('I', 'my') outside quotes and reporting
    reporting: int        # sentences of reporting: a named subject, a number or a reporting verb
    prose: int            # other sentences
    site_words: int       # words of the site vocabulary anywhere in the document
    complete: bool = True # False: stopped early, reporting already beyond what any prose rule allows

    @property
    def hard(self) -> int:
        return self.cta + self.label + self.headline + self.meta + self.site + self.question + self.cut

    @property
    def soft(self) -> int:
        return self.address + self.we + self.i


_QUOTE_CHARS = "\"“”«»„"
_QUOTED_SPAN = re.compile(r"[\"“«„]([^\"”»“]{1,600})[\"”»“]")
_DIGIT = re.compile(r"\d")
_DIGIT_TOKEN = re.compile(r"\S*\d\S*")
_ALPHA_TOKEN = re.compile(r"\S*[^\W\d_]\S*")
#: A transcript's speaker label: 'KATE BOULDUAN:', 'Q:', 'CLINTON:' (capitals, then a colon).
_SPEAKER = re.compile(r"[A-Z][A-Z.'’ -]{0,40}:\s")


def _split_units(line: str, n: int) -> list[str]:
    """The sentences of a line (not split after an ellipsis: 'I'm a Celebrity... Get Me Out of Here')."""
    if n <= 3:
        return [line]
    parts = _SENTENCE_SPLIT.split(line)
    if len(parts) == 1:
        return parts
    out = [parts[0]]
    for q in parts[1:]:
        if out[-1].rstrip(_CLOSERS).endswith(("...", "…")):
            out[-1] = f"{out[-1]} {q}"
        else:
            out.append(q)
    return out


def prose_profile(title: str | None, subtitle: str | None, paragraphs: Sequence[str], language: str,
                  lex: ProseLexicon, removed: Sequence[Removed] = (),
                  trace: list[tuple[str, str]] | None = None, stop_reporting: float | None = None) -> ProseProfile:
    """Sort every sentence of a document into reporting, prose or site furniture (see :class:`ProseProfile`).

    Per body line: a short line matching ``meta_patterns`` is meta; otherwise each sentence, in this order: a
    sentence inside a quotation (of ``quote_min_words``+ words), with a reporting verb or after a transcript's
    speaker label is never furniture; an imperative first word or 'please' (unless ``strong_anchors`` names or
    numbers and no 'you') -> cta; 2+ site words making up 20%+ of it (or 1 in a sentence of at most 6 words) ->
    site; a line of at most ``label_max_words`` words without final punctuation -> label; a short question without
    names -> question; 'you' / 'we' / 'I' (unless ``strong_anchors`` names or numbers) -> address / we / i; a
    sentence of ``min_sentence_words``+ words with ``min_anchors`` names or numbers (capitalised words after the
    first; in languages that capitalise nouns, acronyms and runs of capitalised words) or a reporting verb ->
    reporting; other sentences ->
    prose. Pronouns in ALL CAPS ('US') are no pronouns, nor is 'I' after two capitalised words ('World War I').

    ``trace``: a list to which (class, sentence) is appended for every sentence (to see why a page was judged).
    ``stop_reporting``: stop as soon as reporting sentences hold more than this share of the words (no rule can
    fire any more); the profile is then partial (``complete`` False).
    """
    lists = lex.words(language)
    second, second_cased = lists["second_person"], lists["second_person_cased"]
    we_set, i_set, imper, please = lists["first_plural"], lists["first_singular"], lists["imperatives"], lists["please"]
    site_set, rep_set = lists["site"], lists["reporting"]
    site_has = site_set.__contains__
    pronouns = second | we_set | i_set
    rep_rx, meta_rx = lex.reporting_regex, lex.meta_regex
    nouns_capitalised = language.split("-")[0] in lex.capitalised_nouns
    counts = dict.fromkeys(("cta", "label", "headline", "meta", "site", "question", "address", "we", "i",
                            "reporting", "prose"), 0)
    cut = sum(len(r.text.split()) for r in removed)
    body = cut + sum(len(p.split()) for p in paragraphs)
    stop = stop_reporting * body if stop_reporting is not None else None
    heading = site_words = 0
    for h in (title, subtitle):
        if h:
            low_h = " ".join(filter(None, map(_strip_punct, h.split()))).lower().split()
            heading += len(h.split())
            site_words += sum(map(site_has, low_h))

    def done(complete: bool = True) -> ProseProfile:
        return ProseProfile(words=body, heading=heading, cut=cut, site_words=site_words, complete=complete,
                            **counts)

    for line in paragraphs:
        toks_line = line.split()
        n_line = len(toks_line)
        if not n_line:
            continue
        if (n_line <= 2 * lex.meta_max_words and meta_rx is not None
                and sum(1 for t in toks_line if _strip_punct(t)) <= lex.meta_max_words
                and meta_rx.fullmatch(line.strip()) is not None):
            counts["meta"] += n_line
            if trace is not None:
                trace.append(("meta", line))
            site_words += sum(1 for t in toks_line if t.strip(_PUNCT).lower() in site_set)
            continue
        units = _split_units(line, n_line)
        single = len(units) == 1
        open_quote = False  # a quotation spans sentences, not lines
        for u in units:
            toks = u.split()
            n = len(toks)
            words = list(filter(None, map(_strip_punct, toks)))
            if not words:
                continue
            low = " ".join(words).lower().split()
            k_site = sum(map(site_has, low))
            site_words += k_site
            # quotation: a quoted span of quote_min_words+ words, or a quotation left open by an earlier sentence
            quoted = open_quote
            if any(c in u for c in _QUOTE_CHARS):
                if any(len(sp.split()) >= lex.quote_min_words for sp in _QUOTED_SPAN.findall(u)):
                    quoted = True
                opens = u.count("“") + u.count("«") + u.count("„")
                closes = u.count("”") + u.count("»")
                if "„" in u:  # German „...“: the upper mark closes
                    opens -= u.count("“")
                    closes += u.count("“")
                straight = u.count('"') % 2
                if straight or opens != closes:
                    quoted = True  # a quotation opens (or closes) in this sentence
                    open_quote = (not open_quote) if straight else opens > closes
            reporting = not rep_set.isdisjoint(low) or (rep_rx is not None and rep_rx.search(u) is not None)
            # a transcript's speaker label ('BENENSON: ...', 'Q: ...') makes the sentence quoted speech
            exempt = quoted or reporting or _SPEAKER.match(u) is not None
            t = u.rstrip(_CLOSERS)
            ends = t[-1:] in _TERMINAL
            # anchors: numbers, and capitalised words after the first (names, places, dates)
            anchors = len(_DIGIT_TOKEN.findall(u)) if _DIGIT.search(u) is not None else 0
            if nouns_capitalised:
                # every noun is capitalised (German): a name is an acronym or a run of capitalised words
                # ('Olaf Scholz', 'Deutsche Bahn'), not counting the sentence's first word
                for j in range(1, len(words)):
                    w = words[j]
                    if w[0].isupper() and _DIGIT.search(w) is None and w not in second_cased:
                        if (len(w) > 1 and w.isupper()) or (j > 1 and words[j - 1][0].isupper()
                                                            and words[j - 1] not in second_cased):
                            if w.lower() not in site_set:
                                anchors += 1
            else:
                for w in [w for w in words[1:] if w[0].isupper()]:
                    lw = w.lower()
                    if (lw not in site_set and lw not in pronouns and w not in second_cased
                            and _DIGIT.search(w) is None):
                        anchors += 1
            if not exempt and (low[0] in imper or not please.isdisjoint(low)) and (
                    anchors < lex.strong_anchors or not second.isdisjoint(low)):
                kind = "cta"
            elif not exempt and k_site and ((k_site >= 2 and 5 * k_site >= n) or n <= 6):
                kind = "site"
            elif single and len(words) <= lex.label_max_words and not ends:
                kind = "label"
            elif (single and not exempt and n < 2 * lex.min_sentence_words and not ends
                  and t[-1:] not in _CLAUSE_END and words[0][0].isupper()):
                kind = "headline"  # a line of a list of headlines or links (not a sentence, no full stop)
            elif not exempt and anchors < 2 and n <= lex.question_max_words and t.endswith("?"):
                kind = "question"
            else:
                kind = None
                if (not exempt and anchors < lex.strong_anchors
                        and (not pronouns.isdisjoint(low) or (second_cased and not second_cased.isdisjoint(words)))):
                    for j, w in enumerate(words):
                        if len(w) > 1 and w.isupper():
                            continue  # 'US', 'WE' in a headline: an acronym or shouting, not a pronoun
                        lw = low[j]
                        if lw in second or (j and w in second_cased):
                            kind = "address"
                            break
                        if kind is None and lw in we_set:
                            kind = "we"
                        elif (kind is None and lw in i_set
                              and not (w == "I" and j > 1 and words[j - 1][:1].isupper())):
                            kind = "i"  # ('World War I', 'Queen Elizabeth I' are no pronoun)
                if (kind is None and n >= lex.min_sentence_words and (ends or n >= 2 * lex.min_sentence_words)
                        and 4 * len(_ALPHA_TOKEN.findall(u)) >= 3 * len(words)):
                    kind = "reporting" if (anchors >= lex.min_anchors or reporting) else "prose"
            if kind is None:
                if trace is not None:
                    trace.append(("other", u))
                continue
            counts[kind] += n
            if trace is not None:
                trace.append((kind, u))
            if kind == "reporting" and stop is not None and counts["reporting"] > stop:
                return done(False)
    return done()


# ------------------------------------------------------------------------------------- repetition (Gopher)

def _ngram_stats(low: Sequence[str], top_ns: Sequence[int], dup_ns: Sequence[int],
                 min_count: int = 2, bound_below: float = 0.0) -> dict[str, float]:
    """Gopher's repetition measures (Rae et al. 2021, table A1; datatrove GopherRepetitionFilter) over the
    lower-cased words: for each n in ``top_ns`` the characters of the most frequent n-gram times its count (as
    datatrove: overlapping occurrences count), over all characters, when it occurs ``min_count``+ times ('top2'...);
    for each n in ``dup_ns`` the share of characters in n-grams that repeat an earlier one, overlaps counted once
    ('dup5'...). Characters: the words' lengths (spaces not counted). C-level passes; Python only walks the
    repeated positions. ``bound_below``: an n > 2 whose share provably stays under this (the top 2-gram's count
    times n times the longest word) is reported as 0 without counting (when 2 is among ``top_ns``)."""
    total = sum(map(len, low)) or 1
    out: dict[str, float] = {}
    c2 = maxlen = 0  # the most frequent 2-gram's count bounds every longer n-gram's count
    for n in sorted(top_ns):
        if len(low) < 2 * n:
            out[f"top{n}"] = 0.0
            continue
        if n > 2 and c2:
            if not maxlen:
                maxlen = max(map(len, low))
            if c2 < min_count or c2 * n * maxlen <= bound_below * total:
                out[f"top{n}"] = 0.0  # no n-gram can reach min_count, or bound_below of the characters
                continue
        gram, count = Counter(zip(*(low[i:] for i in range(n)))).most_common(1)[0]
        if n == 2:
            c2 = count
        out[f"top{n}"] = (sum(map(len, gram)) * count / total) if count >= min_count else 0.0
    for n in dup_ns:
        out[f"dup{n}"] = _dup_share(low, n, total)
    return out


def _dup_share(low: Sequence[str], n: int, total: int) -> float:
    """Share of characters in n-grams that repeat an earlier n-gram (overlapping repeats counted once)."""
    if len(low) < 2 * n:
        return 0.0
    grams = list(zip(*(low[i:] for i in range(n))))
    m = len(grams)
    if len(set(grams)) == m:
        return 0.0
    first = dict(zip(reversed(grams), range(m - 1, -1, -1)))  # each n-gram -> its first position
    repeats = compress(range(m), map(operator.ne, map(first.__getitem__, grams), range(m)))
    lengths = list(map(len, low))
    dup_chars = 0
    covered = -1  # last word already counted
    for i in repeats:
        start = i if i > covered else covered + 1
        end = i + n
        if start < end:
            dup_chars += sum(lengths[start:end])
        covered = end - 1
    return dup_chars / total


# ------------------------------------------------------------------------------------------------- verdicts


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


def assess_prepared(prepared: Any, config: QualityConfig | None = None) -> Verdict:
    """:func:`assess` on a ``newsdesk.prepare.Prepared`` (or anything with its title, subtitle, paragraphs,
    language, language_prob and removed fields)."""
    return assess(prepared.title, prepared.paragraphs, prepared.language, prepared.language_prob, config,
                  subtitle=prepared.subtitle, removed=prepared.removed)


#: News reporting: a sentence with one of these is never 'related' page furniture, whatever its vocabulary.
_REPORTING = re.compile(
    r"\b(?:said|says|told|tells|according to|announced|reported|added|stated|confirmed|claimed|warned|insisted|"
    r"explained|wrote|testified|alleged|denied|sagte|sagt|erklärte|teilte|a déclaré|a dit|selon|dijo|afirmó|"
    r"según|ha detto|secondo|zei|volgens|disse|segundo)\b", re.IGNORECASE)

#: A 'related' line or sentence has at least this share of its words in the rule's vocabulary.
VOCAB_DENSITY = 0.2

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


# ------------------------------------------------------------------------------------------------- listing

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
