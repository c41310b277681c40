"""The surface attribution rules: the cue verb next to a quote and its subject, read from the tokens.

Owns the patterns that attribute a quote where its paragraph was not parsed, and where the parse found no
speaker (the parse's reading is :mod:`~newsdesk.quotes.cues`): ``“…,” X said`` / ``“…,” said X`` right after
the quote (:func:`post_quote`); the nearest cue verb before the quote in its sentence (:func:`cue_before`) and
that verb's subject (:func:`subject_of_cue`: ``X [adverbs] CUE``, ``X, a Z at W, CUE``, ``Sen. X, D-Calif.,
CUE``, a passive "was described as" (no speaker), ``…, CUE-ing …`` and ``… and CUE`` taking the sentence's
subject).
"""
from __future__ import annotations

import re

from newsdesk.lexicon import (
    ABBREVIATIONS, AGENT_NOUNS, BE_FORMS, CUE_NOUNISH, HONORIFICS, POST_ONLY_CUES, PREPOSITIONS, ROLE_NOUNS,
    SKIP_BEFORE_CUE, SPEECH_NOUNS,
)
from newsdesk.quotes.grammar import speech_cue
from newsdesk.quotes.phrases import NounPhrase, cue_at, np_ending_at, np_starting_at, person_chunk
from newsdesk.quotes.resolve import resolve_np
from newsdesk.quotes.speakers import Speaker
from newsdesk.quotes.text import Doc, para_of_tok


def post_quote(doc: Doc, qi: int, qa: int, qb: int) -> tuple[NounPhrase | None, str | None]:
    """"“…,” X said" / "“…,” said X" right after the closing mark."""
    toks, body = doc.toks, doc.body
    sp = doc.spans[qi]
    inner = body[sp.start:sp.end].rstrip()
    ends_period = inner[-1:] == "."
    j = qb
    n = len(toks)
    if j < n and toks[j].text == ",":
        j += 1
    if j >= n or toks[j].quote != -1:
        return None, None
    if para_of_tok(doc, j) != sp.para:
        return None, None
    hi = j
    while hi < n and hi - j < 30 and toks[hi].quote == -1 and para_of_tok(doc, hi) == sp.para:
        if toks[hi].text in ";!?":
            break
        if toks[hi].text == "." and not (hi > j and (toks[hi - 1].lower in ABBREVIATIONS or
                                                     toks[hi - 1].lower in HONORIFICS or
                                                     "." in toks[hi - 1].text)):
            break
        hi += 1
    # "said X"
    c = cue_at(doc, j) or _speech_at(doc, j)
    if c is not None:
        np = np_starting_at(doc, j + 1, hi)
        if np is not None:
            return np, c
        return None, c
    # "X [appositive] [adverbs] said"
    k = j
    while k < hi and k - j < 14:
        c = cue_at(doc, k) or (_speech_at(doc, k) if k > j else None)
        if c is not None:
            break
        k += 1
    else:
        return None, None
    if k >= hi:
        return None, None
    if ends_period and not (k + 1 >= hi or toks[k + 1].text in ",." or c in ("told", "wrote")
                            or toks[k + 1].lower in ("in", "on", "at", "during", "after",
                                                      "to", "when", "of", "about", "before",
                                                      "according", "last", "this")):
        return None, None
    m = skip_back(doc, k - 1, j)
    np = np_ending_at(doc, m, j)
    if np is None and m >= j and toks[m].text == ",":
        # "X, a Z at W, said"
        np = appositive_head(doc, m, j)
    if np is None:
        return None, c
    # the NP must start right after the quote (allow "Putin, who..." etc. only via appositive)
    j2 = j
    while j2 < np.tok_start and (toks[j2].lower in HONORIFICS or toks[j2].text == "."):
        j2 += 1
    if np.tok_start != j2 and not (toks[j].lower == "the" and (np.kind == "role" or all(
            toks[x].text[:1].isupper() or toks[x].lower == "the" for x in range(j, np.tok_start)))):
        first = np_starting_at(doc, j, np.tok_start)
        if first is None:
            return None, c
    return np, c


def _speech_at(doc: Doc, j: int) -> str | None:
    """A verb of saying outside the cue list ("riffed", "exhorted"), read only in the frame right after a
    quote: a lower-case word that is no noun of saying."""
    t = doc.toks[j]
    if t.quote != -1 or not t.text.isalpha() or not t.text.islower() or t.lower in CUE_NOUNISH or \
            t.lower in SPEECH_NOUNS:
        return None
    return speech_cue(t.lower)


_PARTY_TAG = re.compile(r"[RDIL]-[A-Z][\w.]*$")


def skip_party_tag(doc: Doc, k: int, lo: int) -> int:
    """For "Sen. Adam Schiff, D-Calif., said": k is the comma after the tag; return the comma
    before it (so the name is read before the tag)."""
    toks = doc.toks
    j = k - 1
    if j >= lo and toks[j].text == ".":
        j -= 1
    if j - 1 >= lo and _PARTY_TAG.match(toks[j].text) and toks[j - 1].text == ",":
        return j - 1
    return k


def appositive_head(doc: Doc, comma: int, lo: int) -> NounPhrase | None:
    """For "X, a Z at W, said": comma is the token index of the comma before the cue."""
    toks = doc.toks
    k = comma - 1
    while k >= lo and comma - k < 24 and not (toks[k].text == "," and toks[k].quote == -1):
        k -= 1
    if k < lo or toks[k].text != ",":
        return None
    k = skip_party_tag(doc, k, lo)
    # "The home secretary, Yvette Cooper, said": the name is the appositive itself
    chunk_person = person_chunk(doc, k + 1, comma)
    if chunk_person is not None:
        return chunk_person
    if k - 1 >= lo and toks[k - 1].lower in ROLE_NOUNS:
        inner = np_ending_at(doc, comma - 1, k + 1)
        if inner is not None and inner.kind == "name" and inner.tok_start == k + 1 or (
                inner is not None and inner.kind == "name" and all(
                    toks[x].lower in HONORIFICS or toks[x].text == "." for x in range(k + 1, inner.tok_start))):
            return inner
    first = toks[k + 1].lower if k + 1 < comma else ""
    if first not in ("a", "an", "the", "who", "whose", "his", "her", "its", "their", "one", "director",
                     "head", "chief", "former", "spokesman", "spokeswoman", "spokesperson",
                     "senior", "president", "minister", "secretary", "deputy") and \
            not toks[k + 1].text[:1].isupper():
        return None
    np = np_ending_at(doc, k - 1, lo)
    if np is not None and np.kind in ("name", "pronoun"):
        return np
    return None


def cue_before(doc: Doc, qa: int, sa: int) -> tuple[int, str] | None:
    """Nearest cue verb (or "according to") before token qa within the sentence."""
    toks = doc.toks
    j = qa - 1
    while j >= sa and qa - j <= 40:
        t = toks[j]
        if t.quote == -1:
            if t.lower == "according" and j + 1 < len(toks) and toks[j + 1].lower == "to":
                return j, "according to"
            c = cue_at(doc, j)
            if c is not None and c not in POST_ONLY_CUES:
                return j, c
        j -= 1
    return None



def skip_back(doc: Doc, m: int, lo: int) -> int:
    """Skip adverbs, auxiliaries and time phrases ("on Monday") leftwards from m."""
    toks = doc.toks
    while m >= lo:
        t = toks[m]
        if t.quote != -1:
            break
        if t.lower in SKIP_BEFORE_CUE or (t.lower.endswith("ly") and t.text.islower()
                                          and len(t.lower) > 4 and t.lower not in ("italy", "july")):
            m -= 1
            continue
        if t.ent != -1 and doc.ents[t.ent].label in ("DATE", "TIME"):
            while m >= lo and toks[m].ent == t.ent:
                m -= 1
            if m >= lo and toks[m].lower in ("on", "at", "in", "late", "early", "last", "this",
                                              "earlier", "during"):
                m -= 1
            continue
        break
    return m


def subject_of_cue(doc: Doc, j: int, sa: int, si: int, prev_in_sent: Speaker | None,
                    q_char: int, last_speakers) -> tuple[Speaker | None, bool]:
    """Speaker for a cue verb at token j. Returns (speaker, passive_or_subjectless)."""
    toks = doc.toks
    m = skip_back(doc, j - 1, sa)
    cue_tok = toks[j].lower
    if m >= sa and toks[m].lower in BE_FORMS and not cue_tok.endswith("ing"):
        return None, True  # passive: "was described as"
    if m >= sa and toks[m].lower in ("who",) and m - 1 >= sa and toks[m - 1].text == ",":
        m -= 2  # "Putin, who said"
    participial = cue_tok.endswith("ing")
    if not participial or (m >= sa and toks[m].text not in (",", "and")):
        np = np_ending_at(doc, m, sa)
        hops = 0
        while np is not None and np.tok_start - 1 >= sa and toks[np.tok_start - 1].lower in PREPOSITIONS:
            np = np_ending_at(doc, np.tok_start - 2, sa)
            hops += 1
            if np is None or hops > 3:
                return None, False
        if np is not None:
            sp = resolve_np(doc, np, si, "explicit" if np.kind == "name" else np.kind, q_char,
                             last_speakers)
            if sp is not None and np.kind == "name" and sp.name:
                sp.attribution = "explicit"
            return sp, False
        if m >= sa and toks[m].text == ",":
            k2 = skip_party_tag(doc, m, sa)
            if k2 != m:
                np = np_ending_at(doc, k2 - 1, sa)
                if np is not None:
                    sp = resolve_np(doc, np, si, "explicit" if np.kind == "name" else np.kind,
                                     q_char, last_speakers)
                    return sp, False
        closing_comma = m >= sa and toks[m].quote != -1 and \
            doc.body[doc.spans[toks[m].quote].start:doc.spans[toks[m].quote].end].rstrip().endswith(",")
        if m >= sa and (toks[m].text == "," or closing_comma):
            np = appositive_head(doc, m, sa)
            if np is not None:
                sp = resolve_np(doc, np, si, "explicit" if np.kind == "name" else np.kind,
                                 q_char, last_speakers)
                return sp, False
    if m >= sa and (toks[m].text == "," or toks[m].lower in ("and", "but")) or participial:
        # coordinated / participial cue: the sentence subject
        if prev_in_sent is not None:
            return Speaker(prev_in_sent.name, prev_in_sent.label, prev_in_sent.attribution,
                           prev_in_sent.gender, prev_in_sent.mention, prev_in_sent.ref), False
        sub = doc.sent_subject.get(si)
        if sub is not None:
            return Speaker(sub.name, sub.label, sub.attribution, sub.gender, sub.mention, sub.ref), False
        return None, False
    if m >= sa and toks[m].lower in AGENT_NOUNS:
        return None, False  # "critics called it …": an agent, but no named speaker
    return None, True
