"""Speaker resolution: turning a noun phrase into a named speaker.

:func:`resolve_phrase` does it for a phrase of the parse (names, pronouns, and descriptions, which stay
speakers in their own words); :func:`resolve_np` for a noun phrase of the surface rules.

Owns :func:`resolve_np`: a name goes to its fullest form in the article; a pronoun (he/she/it/they) to a
compatible speaker of an earlier quote in the paragraph or the subject of one of the six preceding
sentences (a known woman preferred for "she"); a role phrase ("the French president") to the person the
article named earlier with that role, "X’s spokesman" to X, and an organisation noun ("the agency") to the
phrase itself or the nearest earlier organisation subject. Unresolvable phrases give ``None``.
"""
from __future__ import annotations

import bisect

from newsdesk.lexicon import HONORIFICS, ORG_ROLE_NOUNS, PERSON_ROLE_NOUNS, PRONOUNS, ROLE_NOUNS, NP_GLUE
from newsdesk.quotes.grammar import Grammar, Phrase
from newsdesk.names import name_key, strip_honorifics
from newsdesk.quotes.phrases import NounPhrase
from newsdesk.quotes.speakers import Speaker, canonical, gender_of
from newsdesk.quotes.text import Doc, para_of_char


def resolve_np(doc: Doc, np: NounPhrase | None, si: int, attribution: str, q_char: int,
                last_speakers: list[tuple[int, Speaker]]) -> Speaker | None:
    """The speaker a noun phrase of the surface rules names (None when it cannot be resolved); its
    ``mention`` is the phrase's offsets."""
    sp = _resolve_np(doc, np, si, attribution, q_char, last_speakers)
    if sp is not None and np is not None and sp.mention is None:
        sp.mention = (doc.toks[np.tok_start].start, doc.toks[np.tok_end - 1].end)
    return sp


def _resolve_np(doc: Doc, np: NounPhrase | None, si: int, attribution: str, q_char: int,
                last_speakers: list[tuple[int, Speaker]]) -> Speaker | None:
    if np is None:
        return None
    if np.kind == "name":
        label = np.label
        if label is None:
            # untagged capitalised words: only accept when the article names it as an entity
            canon = canonical(doc, np.text, None)
            if canon == strip_honorifics(np.text):
                known = any(name_key(canon) in name_key(n) for n, _l, _s in doc.names)
                first = doc.toks[np.tok_start]
                sent_initial = doc.sents[first.sent][0] == np.tok_start if first.sent >= 0 else True
                if not known and (np.tok_end - np.tok_start == 1 and sent_initial and
                                  not np.text.isupper() and np.text.lower().endswith("s")):
                    return None  # "Protesters said"
            label = next((l for n, l, _s in doc.names if name_key(n) == name_key(canon)), None)
        else:
            canon = canonical(doc, np.text, label)
        hon = np.role_words[0] if np.role_words else None
        return Speaker(canon, label, attribution, gender_of(doc, canon, hon) if label == "PERSON" else None)
    if np.kind == "pronoun":
        return _resolve_pronoun(doc, np.text.lower(), si, q_char, last_speakers, np.tok_start)
    if np.kind == "role":
        if np.owner:
            # "Putin’s spokesman", "China’s embassy": someone of the owner's, in the article's words
            head = np.role_words[-1] if np.role_words else ""
            text = doc.body[doc.toks[np.tok_start].start:doc.toks[np.tok_end - 1].end]
            return Speaker(text, "ORG" if head in ORG_ROLE_NOUNS else None, "description")
        return _resolve_role(doc, np, q_char)
    return None


def _resolve_role(doc: Doc, np: NounPhrase, before: int) -> Speaker | None:
    words = [w for w in np.role_words if w not in ("the", "a", "an")]
    if not words:
        return None
    head = words[-1]
    mods = [w for w in words[:-1] if w not in ("’s", "'s", "country’s", "country's", "nation’s",
                                               "former", "then")]
    if head not in ROLE_NOUNS:
        return None
    toks = doc.toks
    best = None
    for ei, e in enumerate(doc.ents):
        if e.start >= before:
            break
        if e.label not in ("PERSON", "ORG"):
            continue
        if head in PERSON_ROLE_NOUNS and e.label != "PERSON":
            continue
        # tokens of this entity
        k = doc.ent_tok.get(ei)
        if k is None:
            continue
        window = []
        w = k - 1
        while w >= 0 and k - w <= 8 and toks[w].sent == toks[k].sent and toks[w].quote == -1 and (
                toks[w].text[:1].isupper() or toks[w].lower in ROLE_NOUNS or toks[w].lower in NP_GLUE
                or toks[w].text == "."):
            window.append(toks[w].lower)
            w -= 1
        m = k
        while m < len(toks) and toks[m].ent == ei:
            m += 1
        after = [t.lower for t in toks[m:m + 10] if t.sent == toks[k].sent]
        appos = after[1:] if after[:1] == [","] else []
        if "," in appos:
            appos = appos[:appos.index(",")]
        for ctx in (window, appos):
            if head in ctx and all(any(c[:4] == md[:4] for c in ctx) for md in mods):
                best = e
                break
    if best is None and head in PERSON_ROLE_NOUNS and np.tok_start < len(toks) and \
            toks[np.tok_start].lower == "the":
        si = toks[np.tok_start].sent
        prev = doc.sent_subject.get(si - 1) if si > 0 else None
        if prev is not None and prev.label == "PERSON" and prev.name and \
                doc.sents[si - 1][2] >= doc.sents[si][2] - 1:
            a, b, _p = doc.sents[si - 1]
            persons = {canonical(doc, doc.ents[t.ent].text, "PERSON") for t in toks[a:b]
                       if t.ent != -1 and t.quote == -1 and doc.ents[t.ent].label == "PERSON"}
            if persons <= {prev.name}:
                return Speaker(prev.name, "PERSON", "role", prev.gender)
    if best is None:
        if head in ORG_ROLE_NOUNS:
            # "The Israeli military said": the phrase itself names the organisation
            words_np = doc.body[toks[np.tok_start].start:toks[np.tok_end - 1].end].split()
            while words_np and words_np[0].lower() in ("the", "a", "an", "its", "their"):
                words_np = words_np[1:]
            if words_np and words_np[0][:1].isupper():
                return Speaker(" ".join(words_np), "ORG", "role")
            # "The agency said" after "TASS reported": the nearest earlier organisation subject
            if np.tok_start < len(toks) and toks[np.tok_start].lower == "the":
                si = doc.toks[np.tok_start].sent
                for sj in range(si - 1, max(-1, si - 3), -1):
                    sub = doc.sent_subject.get(sj)
                    if sub is not None and sub.label == "ORG" and sub.name:
                        return Speaker(sub.name, "ORG", "role")
        return None
    canon = canonical(doc, best.text, best.label)
    return Speaker(canon, best.label, "role", gender_of(doc, canon, None) if best.label == "PERSON" else None)


def _resolve_pronoun(doc: Doc, pron: str, si: int, q_char: int,
                     last_speakers: list[tuple[int, Speaker]], pron_tok: int = -1) -> Speaker | None:
    want = PRONOUNS.get(pron)
    if want in (None, "x"):
        return None
    para = doc.sents[si][2]

    def compatible(sp: Speaker) -> bool:
        if sp is None or sp.name is None:
            return False
        if want in ("m", "f"):
            g = doc.gender.get(sp.name, sp.gender)
            return sp.label in ("PERSON", None) and g in (want, None)
        if want in ("p", "n"):
            return sp.label in ("ORG", "GPE")
        return False

    found = None
    # 0. a single compatible name earlier in the same sentence ("… what it called “…”")
    if pron_tok > doc.sents[si][0] and want == "n":
        labels = ("PERSON",) if want in ("m", "f") else ("ORG",)
        names = {}
        for t in doc.toks[doc.sents[si][0]:pron_tok]:
            if t.ent != -1 and t.quote == -1 and doc.ents[t.ent].label in labels:
                e = doc.ents[t.ent]
                canon = canonical(doc, e.text, e.label)
                names[canon] = e.label
        if len(names) == 1:
            canon, lab = next(iter(names.items()))
            cand = Speaker(canon, lab, "pronoun", gender_of(doc, canon, None) if lab == "PERSON" else None)
            if compatible(cand):
                found = cand
    # 1. the speaker of an earlier quote in the same paragraph
    for qpos, sp in reversed(last_speakers):
        if found is not None:
            break
        if qpos < q_char and doc.toks and para_of_char(doc, qpos) == para and compatible(sp):
            found = sp
            break
    # 2. subjects of the preceding sentences (nearest first), up to 6 sentences back; for "she"
    #    a known woman is preferred to a person of unknown gender
    if found is None:
        cands = []
        for sj in range(si - 1, max(-1, si - 7), -1):
            c = doc.sent_subject.get(sj)
            if c is not None and compatible(c):
                cands.append(c)
            elif c is None and doc.sents[sj][2] == para:
                lone = _lone_person(doc, sj)
                if lone is not None and compatible(lone):
                    cands.append(lone)
        if want == "f":
            known = [c for c in cands if doc.gender.get(c.name, c.gender) == "f"]
            cands = known or cands
        found = cands[0] if cands else None
    if found is None:
        return None
    if want in ("m", "f") and found.name not in doc.gender:
        doc.gender[found.name] = want
    return Speaker(found.name, found.label, "pronoun", want if want in ("m", "f") else None)


def _lone_person(doc: Doc, sj: int) -> Speaker | None:
    a, b, _p = doc.sents[sj]
    names = {}
    for t in doc.toks[a:b]:
        if t.ent != -1 and t.quote == -1 and doc.ents[t.ent].label == "PERSON":
            e = doc.ents[t.ent]
            canon = canonical(doc, e.text, "PERSON")
            names[canon] = e
    if len(names) != 1:
        return None
    canon = next(iter(names))
    return Speaker(canon, "PERSON", "pronoun", gender_of(doc, canon, None))


def resolve_phrase(doc: Doc, g: Grammar, ph: Phrase, si: int, q_char: int,
                   last_speakers: list[tuple[int, Speaker]], attribution: str = "explicit") -> Speaker | None:
    """The speaker a phrase of the parse names: a name (its fullest form; ``attribution``), a pronoun (the
    nearest compatible earlier speaker or subject: 'pronoun'), or a description ("the governor", "a senior
    aide", "the report"): its words as written, as 'role' with ``ref`` the named person or organisation it
    stands for when the article gave that title to one, else as 'description'."""
    toks = doc.toks
    a, b = _tok_range(doc, ph.start, ph.end)
    if a < 0:
        return None
    if ph.kind == "name":
        text = doc.body[ph.start:ph.end]
        label = ph.label
        if label in ("NORP", "LOC", "FAC"):
            label = "ORG"
        hon = None
        if a - 1 >= 0 and toks[a - 1].lower in HONORIFICS:
            hon = toks[a - 1].lower
        elif a - 2 >= 0 and toks[a - 1].text == "." and toks[a - 2].lower in HONORIFICS:
            hon = toks[a - 2].lower
        np = NounPhrase("name", text, label, a, b, role_words=(hon,) if hon else ())
        sp = resolve_np(doc, np, si, attribution, q_char, last_speakers)
        if sp is not None:
            sp.mention = (ph.start, ph.end)
        return sp
    if ph.kind == "pronoun":
        word = doc.body[ph.start:ph.end].lower()
        sp = _resolve_pronoun(doc, word, si, q_char, last_speakers, a)
        if sp is not None:
            sp.mention = (ph.start, ph.end)
        return sp
    text = doc.body[ph.start:ph.end]
    words = tuple(t.lower for t in toks[a:b])
    head = doc.body[g.toks[ph.head].start:g.toks[ph.head].end].lower()
    ref = None
    if head in ROLE_NOUNS and words[:1] in (("the",), ("his",), ("her",), ("its",), ("their",)) or \
            head in ORG_ROLE_NOUNS:
        np = NounPhrase("role", text, None, a, b, role_words=words)
        found = _resolve_role(doc, np, q_char)
        if found is not None and found.name and found.name.lower() != text.lower():
            ref = found.name  # a person or organisation named earlier, or the name the phrase is
    return Speaker(text, "ORG" if head in ORG_ROLE_NOUNS else None, "role" if ref else "description",
                   mention=(ph.start, ph.end), ref=ref)


def _tok_range(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """The rules' tokens covering body[start:end] (-1, -1 when none)."""
    if doc.tok_starts is None:
        doc.tok_starts = [t.start for t in doc.toks]
    a = bisect.bisect_right(doc.tok_starts, start) - 1
    if a < 0 or doc.toks[a].end <= start:
        a += 1
    b = bisect.bisect_left(doc.tok_starts, end)
    if a >= b:
        return -1, -1
    return a, b
