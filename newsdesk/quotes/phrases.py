"""Noun phrases around cue verbs: reading a speaker phrase and a sentence's subject from the tokens.

Owns :class:`NounPhrase` (a name, a pronoun or a role phrase such as "the Russian president" or "Putin’s
spokesman") and the readers: the phrase ending at a token (:func:`np_ending_at`, for "X said"), the one
starting at a token (:func:`np_starting_at`, for "said X" and "according to X"), a PERSON entity filling
a span (:func:`person_chunk`), and the approximate grammatical subject of a sentence
(:func:`main_subject`: the head of the first noun phrase after an introductory phrase and a dateline).
"""
from __future__ import annotations

from dataclasses import dataclass

from newsdesk.lexicon import (
    ABBREVIATIONS, BE_FORMS, CUES, FUNCTION_CAPS, HONORIFICS, INTRO_WORDS, NP_GLUE, ORG_ROLE_NOUNS, PRONOUNS,
    ROLE_NOUNS,
)
from newsdesk.quotes.text import ADJ_NORP, SPEAKER_LABELS, Doc, Tok


# --------------------------------------------------------------------------------------------
# Noun-phrase reading around cue verbs
# --------------------------------------------------------------------------------------------

@dataclass
class NounPhrase:
    kind: str          # 'name' | 'pronoun' | 'role'
    text: str
    label: str | None
    tok_start: int
    tok_end: int       # exclusive
    role_words: tuple[str, ...] = ()
    owner: str | None = None   # "X’s spokesperson" -> X


def is_cap_name_tok(t: Tok) -> bool:
    w = t.text
    return bool(w[:1].isupper()) and w.lower() not in FUNCTION_CAPS \
        and any(c.isalpha() for c in w) and w.lower() not in CUES


def np_ending_at(doc: Doc, j: int, lo: int) -> NounPhrase | None:
    """Read a speaker noun phrase whose last token is j (tokens >= lo)."""
    toks = doc.toks
    if j < lo or j < 0:
        return None
    t = toks[j]
    if t.quote != -1:
        return None
    if t.lower in PRONOUNS:
        return NounPhrase("pronoun", t.text, None, j, j + 1)
    if t.ent != -1:
        e = doc.ents[t.ent]
        if e.label == "NORP" and ADJ_NORP.search(e.text) and t.lower not in ROLE_NOUNS:
            return None  # "South Korean officials": an adjective, not a speaker
        if e.label in SPEAKER_LABELS and not (e.label == "NORP" and t.lower in ROLE_NOUNS):
            k = j
            while k - 1 >= lo and toks[k - 1].ent == t.ent:
                k -= 1
            # include preceding honorific (Mr. Kim) in the mention text, for gender only
            text = e.text
            hon = _honorific_before(doc, k, lo)
            return NounPhrase("name", text, e.label if e.label != "NORP" else "ORG", k, j + 1,
                       role_words=(hon,) if hon else ())
    if t.lower in ORG_ROLE_NOUNS and t.text[:1].isupper():
        # a proper organisation name ending in an org noun: "Taiwan’s Defence Ministry"
        k = j
        while k - 1 >= lo and toks[k - 1].quote == -1 and toks[k - 1].text[:1].isupper() and \
                toks[k - 1].lower not in FUNCTION_CAPS:
            k -= 1
        if k < j or (toks[k].lower not in ORG_ROLE_NOUNS):
            return NounPhrase("name", doc.body[toks[k].start:t.end], "ORG", k, j + 1)
    if t.lower in ROLE_NOUNS or (t.lower in ("minister", "secretary") and j > lo):
        # role NP: [the|a|X’s] [modifiers] ROLE
        k = j
        words = [t.lower]
        owner = None
        while k - 1 >= lo:
            p = toks[k - 1]
            if p.quote != -1:
                break
            if p.lower in ("the", "a", "an", "his", "her", "its", "their"):
                k -= 1
                break
            if p.lower in ("’s", "'s"):
                # possessive owner: X’s spokesperson
                if k - 2 >= lo:
                    own = np_ending_at(doc, k - 2, lo)
                    if own is not None and own.kind == "name":
                        owner = own.text
                        k = own.tok_start
                    elif own is not None and own.kind == "role":
                        words = list(own.role_words) + words
                        k = own.tok_start
                break
            if p.text in ",.;:!?()" or p.lower in CUES or p.lower in BE_FORMS or p.lower in (
                    "and", "or", "but", "that", "who", "which"):
                break
            if p.text[:1].isupper() and p.ent != -1 and doc.ents[p.ent].label == "PERSON" \
                    and t.lower not in ORG_ROLE_NOUNS:
                break
            words.insert(0, p.lower)
            k -= 1
            if j - k > 6:
                return None
        if t.lower in ("official", "officials", "analyst", "expert", "fellow", "researcher",
                       "professor", "economist", "lawyer", "aide", "adviser", "advisor") and \
                owner is None and not (k < len(toks) and toks[k].lower == "the"):
            # "a senior official said" — anonymous: no speaker
            return NounPhrase("role", " ".join(words), None, k, j + 1, role_words=tuple(words), owner=None)
        return NounPhrase("role", doc.body[toks[k].start:t.end], None, k, j + 1, role_words=tuple(words),
                   owner=owner)
    # capitalised sequence (NER missed it)
    if is_cap_name_tok(t) and t.text.isalpha() or (t.text[:1].isupper() and "-" in t.text):
        k = j
        while k - 1 >= lo and toks[k - 1].quote == -1 and (
                (is_cap_name_tok(toks[k - 1]) and toks[k - 1].ent == -1) or toks[k - 1].text == "."
                and k - 2 >= lo and toks[k - 2].lower in HONORIFICS):
            k -= 1
        while k <= j and (toks[k].text == "." or toks[k].lower in HONORIFICS):
            k += 1
        if k > j:
            return None
        text = doc.body[toks[k].start:t.end]
        if len(text) < 2:
            return None
        # a lone sentence-initial capitalised word is only a name if the article names it elsewhere
        hon = _honorific_before(doc, k, lo)
        return NounPhrase("name", text, None, k, j + 1, role_words=(hon,) if hon else ())
    return None


def _honorific_before(doc: Doc, k: int, lo: int) -> str | None:
    toks = doc.toks
    if k - 1 >= lo and toks[k - 1].text == "." and k - 2 >= lo and toks[k - 2].lower in HONORIFICS:
        return toks[k - 2].lower
    if k - 1 >= lo and toks[k - 1].lower in HONORIFICS:
        return toks[k - 1].lower
    return None


def np_starting_at(doc: Doc, j: int, hi: int) -> NounPhrase | None:
    """Read a speaker NP beginning at token j (used for "said X" and "according to X")."""
    toks = doc.toks
    if j >= hi:
        return None
    t = toks[j]
    if t.quote != -1:
        return None
    if t.lower in PRONOUNS:
        return NounPhrase("pronoun", t.text, None, j, j + 1)
    # scan forward up to the end of the NP: stop at comma / verb-ish / end; take the last name or
    # role noun in it
    k = j
    last = None
    while k < hi and k - j < 12:
        u = toks[k]
        if u.text == "." and k > j and toks[k - 1].lower in HONORIFICS:
            k += 1
            continue
        if u.quote != -1 or u.text in ",.;:!?()" or u.lower in ("who", "which", "that", "in",
                                                                  "on", "at", "to", "and", "as"):
            break
        np = np_ending_at(doc, k, j)
        if np is not None:
            # extend a name to the end of its entity
            last = np
        k += 1
    return last


def cue_at(doc: Doc, j: int) -> str | None:
    t = doc.toks[j]
    if t.quote != -1:
        return None
    c = CUES.get(t.lower)
    if c and t.text[:1].islower():
        return c
    return None




def main_subject(doc: Doc, si: int) -> NounPhrase | None:
    np = _main_subject_prefix(doc, si)
    if np is not None and np.kind == "name" and np.label == "PERSON":
        return np
    if np is not None and np.kind == "pronoun":
        return np
    # "X’s powerful sister, Kim Yo-jong, warned": a person in apposition to the subject
    a, b, _p = doc.sents[si]
    toks = doc.toks
    start = np.tok_start if np is not None else a
    c1 = start
    while c1 < b and c1 - start < 12 and toks[c1].text != "," and toks[c1].quote == -1 and \
            cue_at(doc, c1) is None:
        c1 += 1
    if c1 < b and toks[c1].text == ",":
        c2 = c1 + 1
        while c2 < b and c2 - c1 < 8 and toks[c2].text != "," and toks[c2].quote == -1:
            c2 += 1
        if c2 < b and toks[c2].text == ",":
            pc = person_chunk(doc, c1 + 1, c2)
            if pc is not None:
                return pc
    return np


def _main_subject_prefix(doc: Doc, si: int) -> NounPhrase | None:
    """The grammatical subject of a sentence, approximated: the head of the first noun phrase
    after an introductory phrase ("During the signing, ...") and a dateline ("BERLIN —")."""
    a, b, _p = doc.sents[si]
    toks = doc.toks
    j = a
    if j < b and toks[j].quote != -1:
        return None  # "“…,” he said": handled by the post-quote rule
    # dateline: "WASHINGTON (Reuters) -" / "BERLIN —"
    for k in range(j, min(b, j + 8)):
        if toks[k].text in ("—", "–", "-") and all(
                t.text.isupper() or t.text in "(),." or t.text[:1].isupper() for t in toks[j:k]):
            j = k + 1
            break
        if toks[k].text[:1].islower():
            break
    if j < b and (toks[j].lower in INTRO_WORDS or (toks[j].lower.endswith("ly") and j + 1 < b
                                                    and toks[j + 1].text == ",")):
        k = j
        while k < b and k - j < 25 and toks[k].text != "," and toks[k].quote == -1:
            k += 1
        if k < b and toks[k].text == ",":
            j = k + 1
        else:
            return None
    if j >= b:
        return None
    if toks[j].lower in PRONOUNS:
        return NounPhrase("pronoun", toks[j].text, None, j, j + 1)
    # the noun-phrase prefix: capitalised words, entities, role nouns and glue words
    k = j
    while k < b and k - j < 14:
        u = toks[k]
        if u.quote != -1:
            break
        if u.text[:1].isupper() or u.ent != -1 or u.lower in ROLE_NOUNS or u.lower in NP_GLUE or \
                (u.text == "." and k > j and (toks[k - 1].lower in ABBREVIATIONS or
                                              toks[k - 1].lower in HONORIFICS or "." in toks[k - 1].text)):
            if u.lower in ("and",) and k + 1 < b and toks[k + 1].lower in CUES:
                break
            k += 1
            continue
        break
    if k == j:
        return None
    prefix = range(j, k)
    words = [toks[i].lower for i in prefix]
    if "and" in words:
        # "Putin and Kim signed": a plural subject, no single speaker (unless "X and Y" is one org)
        ia = words.index("and")
        if any(toks[i].ent != -1 and doc.ents[toks[i].ent].label == "PERSON" for i in range(j, j + ia)):
            return None
    # head: a role noun ending the phrase ("The French president") or the last person named,
    # else the last named entity
    last = k - 1
    while last >= j and toks[last].text in (".", "-") :
        last -= 1
    if last < j:
        return None
    if toks[last].lower in ROLE_NOUNS:
        if k < b and toks[k].text == ",":
            # "The home secretary, Yvette Cooper, has announced"
            c2 = k + 1
            while c2 < b and c2 - k < 8 and toks[c2].text != "," and toks[c2].quote == -1:
                c2 += 1
            if c2 < b and toks[c2].text == ",":
                inner = np_ending_at(doc, c2 - 1, k + 1)
                if inner is not None and inner.kind == "name" and inner.tok_start == k + 1:
                    return inner
        return np_ending_at(doc, last, j)
    person = None
    other = None
    for i in prefix:
        ei = toks[i].ent
        if ei != -1 and doc.ents[ei].label in SPEAKER_LABELS:
            if doc.ents[ei].label == "PERSON":
                person = i
            elif doc.ents[ei].label != "NORP":
                other = i
    head = person if person is not None else other
    if head is not None and not (toks[last].lower in ("’s", "'s")):
        return np_ending_at(doc, _ent_last_tok(doc, head, k), j)
    if toks[last].lower in ("’s", "'s"):
        return None
    np = np_ending_at(doc, last, j)
    if np is not None and np.kind == "name" and toks[np.tok_start].lower in FUNCTION_CAPS:
        return None
    return np


def _ent_last_tok(doc: Doc, i: int, hi: int) -> int:
    ei = doc.toks[i].ent
    while i + 1 < hi and doc.toks[i + 1].ent == ei:
        i += 1
    return i


def person_chunk(doc: Doc, a: int, b: int) -> NounPhrase | None:
    """A PERSON entity filling toks[a:b] exactly (an honorific may precede it)."""
    toks = doc.toks
    while a < b and (toks[a].lower in HONORIFICS or toks[a].text == "."):
        a += 1
    if a >= b or toks[a].ent == -1 or toks[a].quote != -1:
        return None
    ei = toks[a].ent
    if doc.ents[ei].label != "PERSON" or any(toks[x].ent != ei for x in range(a, b)):
        return None
    if a > 0 and toks[a - 1].ent == ei:
        return None
    return NounPhrase("name", doc.ents[ei].text, "PERSON", a, b)
