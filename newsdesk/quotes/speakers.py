"""Speaker names within an article: the names it gives, the fullest form of a mention, and gender.

Owns :class:`Speaker` (a resolved speaker: name, label, how it was attributed, gender),
:func:`collect_names` (the article's names, leaving out title lines left in the body; capitalised word
sequences stand in when NER gave nothing), :func:`canonical` ("Biden" -> "Joe Biden": among the longer
names containing the mention, the person mentioned first, then that person's longest variant) and
:func:`gender_of` (from honorifics, pronouns already resolved, and first names: :func:`first_name_gender`, the
first-name dictionary of the ``gender-guesser`` package).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from newsdesk.lexicon import (
    FEMALE_HONORIFICS, FUNCTION_CAPS, MALE_HONORIFICS, PARTICLES_IN_TEXT, PERSON_TITLES,
)
from newsdesk.names import name_key, strip_honorifics
from newsdesk.quotes.marks import paragraphs
from newsdesk.quotes.text import ADJ_NORP, SPEAKER_LABELS, Doc


def canonical(doc: Doc, mention: str, label: str | None) -> str:
    key = (mention, label)
    if key not in doc.canon_cache:
        doc.canon_cache[key] = _canonical_uncached(doc, mention, label)
    return doc.canon_cache[key]


def _canonical_uncached(doc: Doc, mention: str, label: str | None) -> str:
    """The fullest name the article gives for a mention: among the longer names that contain it
    (as whole words), the person mentioned first ("Biden" -> "Joe Biden" even if "Hunter Biden"
    appears later), then that person's longest variant ("Vladimir Vladimirovich Putin")."""
    m = strip_honorifics(mention)
    mwords = name_key(m).split()
    if not mwords:
        return m
    L = len(mwords)

    def contains(words: list[str], sub: list[str]) -> bool:
        n = len(sub)
        return any(words[i:i + n] == sub for i in range(len(words) - n + 1))

    cands = []
    for text, lab, start in doc.names:
        if label == "PERSON" and lab != "PERSON":
            continue
        if label in ("ORG", "GPE") and lab == "PERSON":
            continue
        words = name_key(text).split()
        if len(words) > L and contains(words, mwords):
            cands.append((start, words, text))
    if not cands:
        return m
    cands.sort(key=lambda c: c[0])
    first_words, best = cands[0][1], cands[0][2]
    best_len = len(first_words)
    for _s, words, text in cands[1:]:
        if len(words) > best_len and contains(words, first_words):
            best, best_len = text, len(words)
    return best


_CAP_SEQ = re.compile(r"(?<![\w’'])(?:[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-Za-zà-ÿ]+)?|[A-Z]\.)"
                      r"(?:[ \u00a0]+(?:(?:%s)[ \u00a0]+)*(?:[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-Za-zà-ÿ]+)?|[A-Z]\.))+"
                      % "|".join(sorted(PARTICLES_IN_TEXT, key=len, reverse=True)))


def _headline_paragraphs(body: str) -> list[tuple[int, int]]:
    """Title-case lines without final punctuation (a title left in the body): their "names" are
    not used as the fullest form of a speaker's name."""
    out = []
    for ps, pe in paragraphs(body):
        text = body[ps:pe].strip()
        words = re.findall(r"[^\W\d_][\w’'\-]*", text)
        if not words or len(words) > 16 or text[-1:] in ".!?”\"»":
            continue
        caps = sum(1 for w in words if w[:1].isupper() or len(w) <= 3)
        if caps / len(words) >= 0.75:
            out.append((ps, pe))
    return out


def collect_names(doc: Doc) -> None:
    heads = _headline_paragraphs(doc.body)

    def in_headline(pos: int) -> bool:
        return any(a <= pos < b for a, b in heads)

    names = []
    for e in doc.ents:
        if e.label in SPEAKER_LABELS and not in_headline(e.start):
            t = strip_honorifics(e.text)
            if t and t[0].isupper():
                names.append((t, e.label, e.start))
    if not doc.ents:
        # no NER (e.g. it failed upstream): capitalised multi-word sequences stand in for names
        for m in _CAP_SEQ.finditer(doc.body):
            if in_headline(m.start()):
                continue
            words = m.group().split()
            while words and (words[0].lower().rstrip(".") in PERSON_TITLES or
                             words[0].lower() in FUNCTION_CAPS or ADJ_NORP.search(words[0]) and
                             len(words) > 2):
                words = words[1:]
            if len(words) >= 2:
                names.append((" ".join(words), "PERSON", m.start()))
    doc.names = names


@functools.lru_cache(maxsize=1)
def _detector():
    import gender_guesser.detector as gd

    return gd.Detector(case_sensitive=False)


@functools.lru_cache(maxsize=4096)
def first_name_gender(first: str) -> str | None:
    """'f' / 'm' when the gender-guesser dictionary says a first name is female / male, else None (unknown,
    androgynous, an initial, or only "mostly" one: "Kim", "Bernie" and "Kelly" are mostly female there)."""
    w = first.strip(".’'")
    if len(w) < 2 or not w[:1].isupper():
        return None
    g = _detector().get_gender(w)
    return "f" if g == "female" else "m" if g == "male" else None


def gender_of(doc: Doc, canon: str, hon: str | None) -> str | None:
    if canon in doc.gender:
        return doc.gender[canon]
    if hon in FEMALE_HONORIFICS:
        return "f"
    if hon in MALE_HONORIFICS:
        return "m"
    first = strip_honorifics(canon).split()[:1]
    g = first_name_gender(first[0]) if first else None
    if g is not None:
        return g
    # honorifics used elsewhere in the article for this person
    if doc.hon_gender is None:
        doc.hon_gender = {}
        for m in re.finditer(r"\b(Mr|Mrs|Ms|Mme)\.?\s+([A-Z][\w\-]+)", doc.body):
            doc.hon_gender.setdefault(name_key(m.group(2)), "f" if m.group(1) in ("Mrs", "Ms", "Mme") else "m")
    for w in name_key(canon).split():
        if w in doc.hon_gender:
            return doc.hon_gender[w]
    return None


@dataclass
class Speaker:
    """A resolved speaker. ``name``: the fullest name (a name, or the person a pronoun stands for), or the
    description as written ("a senior aide"); ``mention``: body offsets of the words that name the speaker
    at the attribution (the name, pronoun or description as written); ``ref``: for a description resolved
    to a named person or organisation ("the governor" -> "Chris Christie"), that name (linked to an entity
    in place of the description)."""

    name: str | None
    label: str | None
    attribution: str
    gender: str | None = None
    mention: tuple[int, int] | None = None
    ref: str | None = None
