"""Boilerplate removal: a rule catalog (data) plus corpus-learned repeated lines (CCNet-style).

Two mechanisms, both auditable (every removal is a :class:`Removed` with the rule that fired):

1. **Rule catalog** - ``newsdesk/data/boilerplate_rules.toml`` (see its header for the format). Each rule is an
   anchored regex with a scope (``line`` = whole paragraph, ``prefix`` = paragraph start, ``tail`` = paragraph
   start, only among the last ``tail_n`` body paragraphs or inside the trailing all-boilerplate run) and a
   ``max_words`` length limit. Rules are precise by construction: losing a real paragraph is worse than keeping
   a boilerplate line. Each rule carries ``examples``/``counter_examples`` that the tests check.

2. **Repeated lines** - a short paragraph (<= :data:`REPEATED_MAX_WORDS` words) whose :func:`line_key` occurs in
   at least ``min_docs`` distinct articles *and* at least ``min_fraction`` of the articles of the same source
   is boilerplate of that source ("Follow us on:", outlet-specific promos). Learned with
   :func:`learn_repeated_lines` over deduplicated articles, applied with :func:`remove_repeated_lines`, which
   never empties an article.

Everything here is pure (no I/O except reading the catalog once), deterministic and regex/string only.
"""
from __future__ import annotations

import bisect
import functools
import hashlib
import re
import tomllib
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

__all__ = [
    "DEFAULT_RULES_PATH", "REPEATED_MAX_WORDS", "Removed", "Rule", "RuleCatalog", "load_rules",
    "strip_boilerplate", "strip_with_positions", "line_key", "learn_repeated_lines", "remove_repeated_lines",
]

DEFAULT_RULES_PATH = Path(__file__).resolve().parent / "data" / "boilerplate_rules.toml"
SCOPES = ("line", "prefix", "tail")
REPEATED_LINE_RULE = "repeated_line"
#: Paragraphs longer than this are never learned as repeated lines (real paragraphs are long; boilerplate short).
REPEATED_MAX_WORDS = 40


@dataclass(frozen=True, slots=True)
class Removed:
    """A piece of text cut from an article, for the ``removed_text`` audit table."""

    position: int  # index among the article's non-empty lines/paragraphs (after parsing), in order of appearance
    text: str      # the removed text as it appeared (ends stripped)
    rule: str      # rule name from the catalog, or a parser rule ('repeated_title', 'extra_dateline', 'repeated_line')


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    scope: str
    pattern: str
    regex: re.Pattern[str]
    max_words: int
    tail_n: int
    sets_author: bool = False
    author_absent_from_body: bool = False
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()

    def match(self, text: str, n_words: int | None = None) -> re.Match[str] | None:
        """Match ``text`` against this rule, ignoring position constraints (``tail``) but honouring max_words."""
        if n_words is None:
            n_words = len(text.split())
        if n_words > self.max_words:
            return None
        if self.scope == "line":
            return self.regex.fullmatch(text)
        return self.regex.match(text)


@dataclass(frozen=True, slots=True)
class RuleCatalog:
    """The loaded catalog: rules in file order (first match wins), split by where they may fire."""

    rules: tuple[Rule, ...]
    version: int = 1
    tail_n: int = 4
    source: str = ""
    anywhere: tuple[Rule, ...] = field(init=False, repr=False)  # 'line' and 'prefix' rules
    tail: tuple[Rule, ...] = field(init=False, repr=False)      # 'tail' rules
    # speed: for each distinct max_words value t (ascending), one alternation regex over the 'anywhere' rules
    # with max_words >= t, alternatives in catalog order (Python's re tries them in order, so the first rule
    # that matches wins, exactly as a loop would). One C-level match per paragraph instead of ~20.
    _thresholds: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _combined: tuple[tuple[re.Pattern[str] | None, tuple[Rule, ...]], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        anywhere = tuple(r for r in self.rules if r.scope != "tail")
        object.__setattr__(self, "anywhere", anywhere)
        object.__setattr__(self, "tail", tuple(r for r in self.rules if r.scope == "tail"))
        thresholds = tuple(sorted({r.max_words for r in anywhere}))
        combined = []
        for t in thresholds:
            eligible = tuple(r for r in anywhere if r.max_words >= t)
            combined.append((_combine(eligible), eligible))
        object.__setattr__(self, "_thresholds", thresholds)
        object.__setattr__(self, "_combined", tuple(combined))

    @property
    def names(self) -> frozenset[str]:
        return frozenset(r.name for r in self.rules)

    def match_anywhere(self, text: str, n_words: int | None = None) -> tuple[Rule, re.Match[str]] | None:
        """First 'line'/'prefix' rule matching ``text`` (catalog order), or None."""
        if n_words is None:
            n_words = len(text.split())
        k = bisect.bisect_left(self._thresholds, n_words)
        if k == len(self._thresholds):
            return None
        combined, eligible = self._combined[k]
        if combined is None:
            for rule in eligible:
                m = rule.regex.fullmatch(text) if rule.scope == "line" else rule.regex.match(text)
                if m is not None:
                    return rule, m
            return None
        m = combined.match(text)
        if m is None:
            return None
        rule = eligible[int(m.lastgroup[2:])]  # type: ignore[index]
        return rule, (rule.regex.fullmatch(text) if rule.scope == "line" else rule.regex.match(text))  # type: ignore[return-value]


def _combine(rules: tuple[Rule, ...]) -> re.Pattern[str] | None:
    """One regex trying ``rules`` in order (None if a rule has its own groups, then rules are tried one by one)."""
    if not rules or any(r.regex.groups for r in rules):
        return None
    parts = []
    for i, r in enumerate(rules):
        flag = "i" if r.regex.flags & re.IGNORECASE else "-i"
        end = r"\Z" if r.scope == "line" else ""
        parts.append(f"(?P<_r{i}>(?{flag}:{r.pattern}){end})")
    try:
        return re.compile("|".join(parts))
    except re.error:  # e.g. a pattern with a global inline flag cannot be embedded: fall back to a loop
        return None


def _build_rule(raw: dict, default_tail_n: int, where: str) -> Rule:
    try:
        name = str(raw["name"])
        scope = str(raw["scope"])
        pattern = str(raw["pattern"])
        max_words = int(raw["max_words"])
    except KeyError as e:
        raise ValueError(f"{where}: missing key {e.args[0]!r}") from None
    if scope not in SCOPES:
        raise ValueError(f"{where} ({name}): scope must be one of {SCOPES}, not {scope!r}")
    flags = 0 if raw.get("case_sensitive", False) else re.IGNORECASE
    try:
        regex = re.compile(pattern, flags)
    except re.error as e:
        raise ValueError(f"{where} ({name}): bad pattern: {e}") from None
    sets_author = bool(raw.get("sets_author", False))
    if sets_author and not (set(regex.groupindex) & {"author", "author2"}):
        raise ValueError(f"{where} ({name}): sets_author needs a named group 'author'")
    return Rule(
        name=name, scope=scope, pattern=pattern, regex=regex, max_words=max_words,
        tail_n=int(raw.get("tail_n", default_tail_n)), sets_author=sets_author,
        author_absent_from_body=bool(raw.get("author_absent_from_body", False)),
        examples=tuple(raw.get("examples", ())), counter_examples=tuple(raw.get("counter_examples", ())),
    )


@functools.lru_cache(maxsize=8)
def _load(path: str) -> RuleCatalog:
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    default_tail_n = int(data.get("defaults", {}).get("tail_n", 4))
    rules = tuple(_build_rule(r, default_tail_n, f"{path} rule #{i}") for i, r in enumerate(data.get("rules", [])))
    return RuleCatalog(rules=rules, version=int(data.get("version", 1)), tail_n=default_tail_n, source=path)


def load_rules(path: Path | str | None = None) -> RuleCatalog:
    """Load (once, cached per path) the boilerplate rule catalog; default ``newsdesk/data/boilerplate_rules.toml``."""
    return _load(str(Path(path).resolve() if path is not None else DEFAULT_RULES_PATH))


# ------------------------------------------------------------------------------------------------ rule stripping

def _author_from(m: re.Match[str]) -> str | None:
    gd = m.groupdict()
    return gd.get("author") or gd.get("author2") or None


def strip_with_positions(
    paragraphs: Sequence[str], positions: Sequence[int], rules: RuleCatalog,
) -> tuple[list[str], list[int], list[Removed], str | None]:
    """Apply the catalog to body paragraphs.

    Returns ``(kept, kept_positions, removed, bio_author)``; ``bio_author`` is the name captured by a rule with
    ``sets_author`` (the trailing author bio), else None.
    """
    n = len(paragraphs)
    words = [len(p.split()) for p in paragraphs]
    hit: list[tuple[Rule, re.Match[str]] | None] = [rules.match_anywhere(p, w) for p, w in zip(paragraphs, words)]
    tail_rules = rules.tail
    bio_author: str | None = None
    if tail_rules:
        trailing = True  # every paragraph after i is boilerplate
        for i in range(n - 1, -1, -1):
            if hit[i] is None:
                from_end = n - i
                text, w = paragraphs[i], words[i]
                for rule in tail_rules:
                    if w > rule.max_words or not (trailing or from_end <= rule.tail_n):
                        continue
                    m = rule.regex.match(text)
                    if m is None:
                        continue
                    if rule.sets_author:
                        name = _author_from(m)
                        if rule.author_absent_from_body and name and _name_in(name, paragraphs, i, hit):
                            continue
                        if bio_author is None:
                            bio_author = name
                    hit[i] = (rule, m)
                    break
            trailing = trailing and hit[i] is not None
    kept: list[str] = []
    kept_pos: list[int] = []
    removed: list[Removed] = []
    for p, pos, h in zip(paragraphs, positions, hit):
        if h is None:
            kept.append(p)
            kept_pos.append(pos)
        else:
            removed.append(Removed(pos, p, h[0].name))
    return kept, kept_pos, removed, bio_author


def _name_in(name: str, paragraphs: Sequence[str], skip: int, hit: list) -> bool:
    """True when the surname of ``name`` occurs (as a word) in another non-boilerplate paragraph."""
    surname = name.split()[-1].rstrip(".,")
    rx = re.compile(r"\b" + re.escape(surname) + r"\b")
    return any(rx.search(p) for j, p in enumerate(paragraphs) if j != skip and hit[j] is None)


def strip_boilerplate(
    paragraphs: Sequence[str], rules: RuleCatalog | None = None, start_position: int = 0,
) -> tuple[list[str], list[Removed]]:
    """Remove catalog boilerplate from ``paragraphs`` (positions numbered from ``start_position``)."""
    rules = rules if rules is not None else load_rules()
    kept, _, removed, _ = strip_with_positions(
        list(paragraphs), range(start_position, start_position + len(paragraphs)), rules)
    return kept, removed


# --------------------------------------------------------------------------------------------- repeated lines

_QUOTES_DASHES = str.maketrans({
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"',
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
})
_DIGIT = re.compile(r"\d")
_PUNCT = re.compile(r"[^\w\s]+")
_WS = re.compile(r"\s+")


_ASCII_NORM = str.maketrans({**{c: "0" for c in "0123456789"},
                              **{c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^`{|}~"}})


def normalize_line(line: str) -> str:
    """NFKC, casefold, digits -> 0, punctuation dropped, whitespace collapsed (the text behind :func:`line_key`)."""
    if line.isascii():
        return " ".join(line.lower().translate(_ASCII_NORM).split())
    s = unicodedata.normalize("NFKC", line).casefold().translate(_QUOTES_DASHES)
    s = _DIGIT.sub("0", s)
    s = _PUNCT.sub(" ", s)
    return " ".join(s.split())


def line_key(line: str) -> str:
    """Normalized hash of a paragraph: 16 hex digits of BLAKE2b over :func:`normalize_line`."""
    return hashlib.blake2b(normalize_line(line).encode("utf-8"), digest_size=8).hexdigest()


def learn_repeated_lines(
    docs: Iterable[tuple[str | None, Sequence[str]]], min_docs: int = 5, min_fraction: float = 0.1,
) -> frozenset[tuple[str | None, str]]:
    """Learn per-source boilerplate lines from a corpus of DISTINCT (already deduplicated) articles.

    ``docs`` yields ``(source, paragraphs)``; ``source`` (the outlet) may be None, in which case all source-less
    articles form one group. A paragraph of at most :data:`REPEATED_MAX_WORDS` words is returned as
    ``(source, line_key(paragraph))`` when its key occurs in at least ``min_docs`` distinct articles of that source
    AND in at least ``min_fraction`` of that source's articles. Counting is per article (a line repeated inside
    one article counts once). The result is a set, hence independent of the order of ``docs``.

    Defaults trade recall for precision: a recurring background sentence of a single-topic outlet must appear in
    >= 10% of its articles (and >= 5 of them) before it is treated as boilerplate.
    """
    if min_docs < 1:
        raise ValueError("min_docs must be >= 1")
    n_docs: Counter[str | None] = Counter()
    counts: Counter[tuple[str | None, str]] = Counter()
    for source, paragraphs in docs:
        n_docs[source] += 1
        keys = {line_key(p) for p in paragraphs if p and len(p.split()) <= REPEATED_MAX_WORDS}
        for k in keys:
            counts[(source, k)] += 1
    return frozenset(
        sk for sk, c in counts.items() if c >= min_docs and c >= min_fraction * n_docs[sk[0]]
    )


def remove_repeated_lines(
    paragraphs: Sequence[str],
    source: str | None,
    repeated: frozenset[tuple[str | None, str]] | set[tuple[str | None, str]],
    start_position: int | Sequence[int] = 0,
) -> tuple[list[str], list[Removed]]:
    """Drop paragraphs whose ``(source, line_key)`` is in ``repeated`` (rule ``'repeated_line'``).

    ``start_position``: either the position of ``paragraphs[0]`` (positions then count up by one), or - preferred,
    since rule-based removals leave gaps - the sequence of positions of every paragraph
    (``ParsedArticle.paragraph_positions``). Never empties an article: if every paragraph would go, the original
    paragraphs are kept and nothing is reported.
    """
    paragraphs = list(paragraphs)
    if isinstance(start_position, int):
        positions: Sequence[int] = range(start_position, start_position + len(paragraphs))
    else:
        positions = start_position
        if len(positions) != len(paragraphs):
            raise ValueError("start_position sequence must have one position per paragraph")
    if not repeated or not paragraphs:
        return paragraphs, []
    kept: list[str] = []
    removed: list[Removed] = []
    for p, pos in zip(paragraphs, positions):
        if len(p.split()) <= REPEATED_MAX_WORDS and (source, line_key(p)) in repeated:
            removed.append(Removed(pos, p, REPEATED_LINE_RULE))
        else:
            kept.append(p)
    if not kept:
        return paragraphs, []
    return kept, removed
