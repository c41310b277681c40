"""A quote's speaker where its own clause names none: a colon before it, the sentence before or after, the surface.

Owns the speaker finders :mod:`~newsdesk.quotes.decide` tries, in this order, when the verb a quote hangs
from gives no speaker: ``_introduced`` (a quote after a colon: "NAME: “…”", "X continued: “…”", or a
paragraph opening with the quote after one ending in a colon; else the one person the colon's sentence
names), ``_reporter`` ("X, Y said, called it “…”": Y), ``_named_before_cue`` (“…,” NAME, a long apposition, said; ..., Speaker Rep. NAME (R-WI) said “…”), ``_as_clause`` ("as X put it, “…”"), ``_said_after`` and ``_said_before`` (a quote that is its whole
sentence, and the sentence right after or before it whose verb of saying reports nothing else), all read from
the parse (:mod:`~newsdesk.quotes.cues`); ``_topic_before`` (a quote paragraph after one whose last sentence
is about a person, read from the surface: that paragraph was not parsed); and ``_surface``, the surface rules
of :mod:`~newsdesk.quotes.attribution` where the parse is missing or found no speaker. Each gives the speaker
and cue, or none.
"""
from __future__ import annotations

from newsdesk.lexicon import NAMING_CUES
from newsdesk.names import name_key
from newsdesk.quotes.attribution import cue_before, post_quote, subject_of_cue
from newsdesk.quotes.cues import intro_cue, sentence_cue, turn_speaker
from newsdesk.quotes.grammar import Grammar
from newsdesk.quotes.phrases import main_subject, np_starting_at
from newsdesk.quotes.resolve import resolve_np, resolve_phrase
from newsdesk.quotes.speakers import Speaker
from newsdesk.quotes.text import Doc


def _said_after(doc: Doc, g: Grammar, qi: int, si: int, qb: int, sb: int, last_speakers):
    """A quote that is its whole sentence, then a sentence of the same paragraph whose verb of saying
    reports nothing else: its subject ("“We will win.” Hart said so on Tuesday.")."""
    if qb < sb - 1 or si + 1 >= len(doc.sents) or doc.sents[si + 1][2] != doc.sents[si][2]:
        return None, None
    na, nb, _p = doc.sents[si + 1]
    if nb <= na:
        return None, None
    a, b = g.at(doc.toks[na].start), g.at(doc.toks[nb - 1].start) + 1
    gc = sentence_cue(g, a, b)
    if gc is None or gc.subject > gc.verb or any(
            g.dep(k) in ("ccomp", "xcomp", "dobj", "parataxis") and g.lower(k) not in ("so", "this", "that", "it")
            for k in g.kids[gc.verb]):
        return None, None
    ph = g.phrase(gc.subject)
    if ph is None:
        return None, None
    s = resolve_phrase(doc, g, ph, si + 1, doc.spans[qi].start, last_speakers)
    return (s, gc.cue) if s is not None and s.name else (None, None)


def _said_before(doc: Doc, g: Grammar, qi: int, si: int, last_speakers):
    """A quote opening its sentence with no cue, right after a sentence (same or previous paragraph) whose
    main verb is one of saying: that verb's subject ("Lynch announced the lawsuit. “We are seeking …”")."""
    if si == 0 or doc.sents[si - 1][2] < doc.sents[si][2] - 1:
        return None, None
    pa, pb, _p = doc.sents[si - 1]
    if pb <= pa:
        return None, None
    a, b = g.at(doc.toks[pa].start), g.at(doc.toks[pb - 1].start) + 1
    gc = sentence_cue(g, a, b)
    if gc is None:
        return None, None
    ph = g.phrase(gc.subject)
    if ph is None:
        return None, None
    s = resolve_phrase(doc, g, ph, si - 1, doc.spans[qi].start, last_speakers)
    return (s, gc.cue) if s is not None and s.name else (None, None)


def _topic_before(doc: Doc, qi: int, si: int, last_speakers):
    """A paragraph that opens with a whole-sentence quote after a paragraph whose last sentence is about a
    person (its subject a PERSON name) and quotes nothing ("Viguerie is upbeat about Cruz's chances.\n\n“Not
    only can …”"): that person. Read from the surface: such a paragraph has no quote mark, so no parse."""
    if si == 0 or doc.sents[si - 1][2] != doc.sents[si][2] - 1 or doc.spans[qi].close_pos is None:
        return None, None  # (a quote running on into the next paragraph is attributed where it ends)
    pa, pb, _p = doc.sents[si - 1]
    if pb <= pa or any(doc.toks[k].quote != -1 for k in range(pa, pb)):
        return None, None
    np = main_subject(doc, si - 1)
    if np is None or np.kind != "name" or np.label != "PERSON":
        return None, None
    s = resolve_np(doc, np, si - 1, "explicit", doc.spans[qi].start, last_speakers)
    return (s, None) if s is not None and s.name else (None, None)


def _as_clause(doc: Doc, g: Grammar, qi: int, si: int, sa: int, last_speakers, opening: bool = False):
    """A quote right after an as-clause whose verb is one of saying ("But as The Hill pointed out, “…”",
    "As Milbank puts it, “…”"): that verb's subject. (speaker, cue) or (None, None).

    ``opening``: the as-clause may be anywhere between the sentence's first words and the quote ("As Marcus
    puts it, Obama is trying to make them “an offer …”": the columnist's words, not Obama's)."""
    def as_mark(m: int) -> bool:
        return g.lower(m) == "as" and g.dep(m) == "mark"

    sp = doc.spans[qi]
    q0, a = g.at(sp.open_pos), g.at(doc.toks[sa].start)
    if q0 <= 0 or a < 0:
        return None, None
    if opening:
        marks = [m for m in range(a, min(a + 3, q0)) if as_mark(m)]
        candidates = [g.head(marks[0])] if marks and g.head(marks[0]) < q0 else []
    else:
        k = q0 - 1  # the clause's last word before the quote's comma or dash
        while k >= a and g.text(k) in (",", "—", "–"):
            k -= 1
        candidates = list(range(k, max(a - 1, k - 3), -1))
    for v in candidates:
        if not g.is_verb(v) or g.quote[v] != -1 or not any(as_mark(m) for m in g.kids[v]):
            continue
        cue = g.cue_of(v)
        if cue is None and g.lower(v) in ("put", "puts") and any(g.lower(m) == "it" for m in g.kids[v]):
            cue = "put it"
        subj = g.subject(v) if cue is not None else None
        ph = g.phrase(subj) if subj is not None else None
        s = resolve_phrase(doc, g, ph, si, sp.start, last_speakers) if ph is not None else None
        return (s, cue) if s is not None and s.name else (None, None)
    return None, None


def _introduced(doc: Doc, g: Grammar, qi: int, qa: int, si: int, sa: int, last_speakers):
    """A quote after a colon: "NAME: “…”", "X continued: “…”", or a paragraph opening with the quote after
    one ending in a colon. (speaker, cue) or (None, None)."""
    toks = doc.toks
    sp = doc.spans[qi]
    colon = None
    if qa - 1 >= sa and toks[qa - 1].text == ":" and toks[qa - 1].quote == -1:
        colon = qa - 1
    elif qa == sa and sa > 0 and toks[sa - 1].text == ":" and toks[sa - 1].quote == -1 and \
            doc.sents[si - 1][2] == doc.sents[si][2] - 1:
        colon = sa - 1
    if colon is None:
        return None, None
    c = g.at(toks[colon].start)
    if c < 0:
        return None, None
    if colon >= sa:
        head = turn_speaker(g, c, g.at(toks[sa].start))
        if head is not None:
            ph = g.phrase(head)
            s = resolve_phrase(doc, g, ph, si, sp.start, last_speakers) if ph else None
            if s is not None and s.name:
                return s, None
    named = _dash_name(doc, g, colon, sa)
    if named is not None:  # "Pollsters agree - Carl Bialik: “…”": the name after the dash speaks
        s = resolve_phrase(doc, g, named, toks[colon].sent, sp.start, last_speakers)
        if s is not None and s.name:
            return s, None
    gc = intro_cue(g, c)
    ph = g.phrase(gc.subject) if gc is not None else None
    if ph is not None and (gc.cue is not None or ph.kind == "name"):
        s = resolve_phrase(doc, g, ph, toks[colon].sent, sp.start, last_speakers)
        if s is not None and s.name:
            return s, gc.cue or g.particle(gc.verb)
    head = _lone_person(g, c)
    if head is None:
        return None, None
    s = resolve_phrase(doc, g, g.phrase(head), toks[colon].sent, sp.start, last_speakers)
    return (s, None) if s is not None and s.name else (None, None)


def _named_before_cue(doc: Doc, g: Grammar, qi: int, verb: int, cue: str, si: int, last_speakers):
    """“…,” Texas delegate Bill Eastland, wearing a cowboy hat, said: the verb of saying after the quote has no
    subject in the parse (it hung the name from the quote's own verb), and a person is named right after the
    quote, before any other verb: that person, with ``cue`` (the verb's). A verb before the quote: see
    :func:`_named_right_before`. (speaker, cue) or (None, None)."""
    sp = doc.spans[qi]
    if g.quote[verb] != -1:
        return None, None
    if verb < g.at(sp.open_pos):
        return _named_right_before(doc, g, qi, verb, cue, si, last_speakers)
    if sp.close_pos is None:
        return None, None
    close = g.at(sp.close_pos)
    if close < 0 or verb <= close:
        return None, None
    for i in range(close + 1, min(verb, close + 6)):
        if g.quote[i] != -1 or g.is_verb(i) and not _role_before_name(g, i):
            return None, None
        e = g.ent[i]
        if e != -1 and g.doc.ents[e].label == "PERSON":
            s = resolve_phrase(doc, g, g.phrase(i), si, sp.start, last_speakers)
            return (s, cue) if s is not None and s.name else (None, None)
    return None, None


def _role_before_name(g: Grammar, i: int) -> bool:
    """A lower-case word the tagger called a verb right before a person's name ("screenwriter Jane Roe wrote"):
    a role word, not a verb, unless it is a verb of saying ("told Jane Roe")."""
    t = g.text(i)
    return t.islower() and i + 1 < len(g) and g.ent[i + 1] != -1 and g.doc.ents[g.ent[i + 1]].label == "PERSON" \
        and g.cue_of(i) is None and not t.endswith(("ed", "ing"))


def _named_right_before(doc: Doc, g: Grammar, qi: int, verb: int, cue: str, si: int, last_speakers):
    """..., Speaker of the House Rep. Jane Roe (R-WI) said “…”: the verb of saying before the quote has no
    subject in the parse (it hung the name from an earlier noun), and a person's name ends right before it, or
    before a parenthesis right before it: that person, with ``cue``. (speaker, cue) or (None, None)."""
    i = verb - 1
    if i >= 0 and g.text(i) == ")":
        k = i - 1
        while k >= 0 and k > verb - 8 and g.text(k) != "(":
            k -= 1
        if k < 0 or g.text(k) != "(":
            return None, None
        i = k - 1
    if i < 0 or g.quote[i] != -1:
        return None, None
    e = g.ent[i]
    if e == -1 or g.doc.ents[e].label != "PERSON":
        return None, None
    s = resolve_phrase(doc, g, g.phrase(i), si, doc.spans[qi].start, last_speakers)
    return (s, cue) if s is not None and s.name else (None, None)


def _reporter(doc: Doc, g: Grammar, qi: int, verb: int, si: int, last_speakers):
    """"Vice President Joe Biden, Rubio said, had been in the Senate for “a thousand years”": a verb of saying
    set off inside the clause the quote is part of (a ``parataxis`` of its verb, before it, with a subject)
    reports that clause: its subject speaks, not the clause's. (speaker, cue) or (None, None)."""
    heads = [verb] + ([g.head(verb)] if g.dep(verb) == "conj" else [])
    for h in heads:
        if g.quote[h] != -1:
            continue
        for k in g.children(h, "parataxis"):
            cue = g.cue_of(k)
            if cue is None or k > h or g.quote[k] != -1:
                continue
            subj = [s for s in g.children(k, "nsubj") if g.quote[s] == -1]
            ph = g.phrase(subj[0]) if subj else None
            s = resolve_phrase(doc, g, ph, si, doc.spans[qi].start, last_speakers) if ph is not None else None
            if s is not None and s.name:
                return s, cue
    return None, None


def _dash_name(doc: Doc, g: Grammar, colon: int, sa: int):
    """The speaker's phrase of "… - Carl Bialik:" / "… — Frank Newport and Jim Harter:": one to six capitalised
    words (or "and") between a spaced dash and the colon, the last of them part of a name; else None."""
    toks = doc.toks
    k = colon - 1
    while k >= sa and colon - k <= 7 and toks[k].text not in ("-", "–", "—"):
        k -= 1
    if k < sa or toks[k].text not in ("-", "–", "—") or colon - k < 2:
        return None
    if not (k == 0 or toks[k - 1].end < toks[k].start) or toks[k].end >= toks[k + 1].start:
        return None  # a hyphen inside a word, not a dash between a headline and a name
    words = toks[k + 1:colon]
    if not all(t.text[:1].isupper() or t.text in ("and", "&") for t in words) or words[-1].text in ("and", "&"):
        return None
    head = g.at(toks[colon - 1].start)
    ph = g.phrase(head) if head >= 0 else None
    return ph if ph is not None and ph.kind == "name" else None


def _lone_person(g: Grammar, colon: int) -> int | None:
    """The one person the clause before an introducing colon names, when its verb gives no speaker
    ("- Michael P. McDonald:", "Here's Clinton in December 1992:", "as Joel Pollak observed, …:"): the head
    token of the only PERSON entity of the colon's sentence that is not a possessor ("The timing of Sanders’ surge
    doesn’t surprise pollster Daron Shaw:"); None if none or several."""
    first, _end = g.sentence_of(colon)
    people: dict[int, int] = {}
    for i in range(first, colon):
        e = g.ent[i]
        if e == -1 or g.quote[i] != -1 or g.doc.ents[e].label != "PERSON":
            continue
        people[e] = i
    heads = [i for i in people.values() if not (i + 1 < len(g) and g.tag(i + 1) == "POS")]
    return heads[0] if len(heads) == 1 else None


def _surface(doc: Doc, qi: int, qa: int, qb: int, si: int, sa: int, sb: int, prev_in_sent, last_speakers,
             cue: str | None):
    """The surface rules, where the parse is missing or found no speaker: (speaker, cue, attribution,
    naming cue without an agent)."""
    toks = doc.toks
    sp = doc.spans[qi]
    speaker: Speaker | None = None
    attribution = "none"
    # 1. "“…,” X said" right after the quote
    np, c = post_quote(doc, qi, qa, qb)
    if np is not None:
        s = resolve_np(doc, np, si, "explicit" if np.kind == "name" else np.kind,
                       sp.start, last_speakers)
        if s is not None and s.name:
            speaker, cue = s, c
            attribution = "explicit" if np.kind == "name" else np.kind
    if speaker is None and c is not None and np is None:
        cue = cue or c
    # 2. nearest cue verb before the quote
    naming_without_agent = False
    if speaker is None:
        cb = cue_before(doc, qa, sa)
        if cb is not None:
            j, c2 = cb
            if c2 == "according to":
                np2 = np_starting_at(doc, j + 2, qa)
                s = resolve_np(doc, np2, si, "according_to", sp.start, last_speakers) if np2 else None
                if s is not None and s.name:
                    speaker, cue, attribution = s, "according to", "according_to"
                else:
                    cue = "according to"
            else:
                s, subjectless = subject_of_cue(doc, j, sa, si, prev_in_sent, sp.start, last_speakers)
                if s is not None and s.name:
                    speaker, cue = s, c2
                    attribution = s.attribution if s.attribution in ("pronoun", "role") else "explicit"
                elif c2 in NAMING_CUES and subjectless:
                    naming_without_agent = True
                else:
                    cue = cue or c2
    # 3. "according to X" after the quote in the same sentence
    if speaker is None:
        for k in range(qb, sb):
            if toks[k].quote == -1 and toks[k].lower == "according" and k + 1 < sb and \
                    toks[k + 1].lower == "to":
                np3 = np_starting_at(doc, k + 2, sb)
                s = resolve_np(doc, np3, si, "according_to", sp.start, last_speakers) if np3 else None
                if s is not None and s.name:
                    speaker, cue, attribution = s, "according to", "according_to"
                break
    if speaker is not None and speaker.attribution == "description":
        attribution = "description"
    elif speaker is not None and attribution == "role":
        # a role phrase stays a speaker in its own words; the name it stands for is the reference
        m = speaker.mention
        words = doc.body[m[0]:m[1]] if m else None
        if words and name_key(words) != name_key(speaker.name or ""):
            speaker = Speaker(words, speaker.label, "role", speaker.gender, m, ref=speaker.name)
    return speaker, cue, attribution, naming_without_agent
