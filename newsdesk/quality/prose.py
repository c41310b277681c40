"""Prose vs. site furniture: what every sentence of a short document is (:func:`prose_profile`).

A news article, however short, reports: it has sentences with a named subject, a number or a date, often a
reporting verb ('said'). The pages this gate exists for are site furniture instead: buttons and labels, calls to
action ('Subscribe', 'Accept all', 'Sign in'), the reader addressed ('you', 'your'), the site speaking ('we use
cookies'), commenters speaking ('I think'), timestamps and counters, the vocabulary of the site itself (cookies,
account, browser, newsletter, episode). This module owns :class:`ProseLexicon` (the word lists: data, the
``[prose]`` table of the catalog, per language, English merged into each; the lists exist for en, de, fr, es, it,
nl, pt, pl, and a language without its own is judged by the English one only, which rarely finds furniture there:
precision), :class:`ProseProfile` and :func:`prose_profile`, which sorts every sentence of a short document into
these classes - quotations, transcripts and sentences with a reporting verb are speech, never furniture. The
``prose.*`` statistics (:mod:`~newsdesk.quality.checks`) reject a document that is mostly furniture and has
(almost) no reporting.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from newsdesk.boilerplate import Removed
from newsdesk.quality.text import _CLAUSE_END, _CLOSERS, _PUNCT, _SENTENCE_SPLIT, _TERMINAL, _strip_punct


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
