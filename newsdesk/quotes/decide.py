"""One quote decided: full or partial, speech or not, its speaker and cue, kept or dropped; the row it becomes.

Owns ``_attribute``, which :mod:`~newsdesk.quotes.extract` calls for each quote in sentence order: its kind
(a full clause or a partial phrase), whether it is speech at all (scare quotes, "so-called", terms mentioned,
titles, names and nicknames are not, unless a speaker is found for them), its speaker and cue (where the
paragraph was parsed: the verb the quote hangs from, :mod:`~newsdesk.quotes.cues`, then a speaker outside the
quote's own clause, :mod:`~newsdesk.quotes.fallbacks`, then "according to X" as the source of the whole
sentence; else, or when none is found, the surface rules), and the keep/drop decision: real quotations are full
clauses, or phrases inside reported speech.
"""
from __future__ import annotations

import re

from newsdesk.lexicon import (
    AGENT_NOUNS, FUNCTION_CAPS, MENTION_NOUNS, NAMING_CUES, ROLE_NOUNS, SO_CALLED, TITLE_CONTEXT, WORK_NOUNS, WORK_ROLES,
)
from newsdesk.quotes.cues import according_to, grammar_cue, speech_above
from newsdesk.quotes.fallbacks import (
    _as_clause, _introduced, _named_before_cue, _reporter, _said_after, _said_before, _surface, _topic_before,
)
from newsdesk.quotes.grammar import Grammar
from newsdesk.quotes.phrases import cue_at, is_cap_name_tok
from newsdesk.quotes.resolve import resolve_phrase
from newsdesk.quotes.speakers import Speaker
from newsdesk.quotes.text import Doc, quote_tok_range


def _is_title_like(text: str) -> bool:
    words = re.findall(r"[^\W_][\w’'\-]*", text)
    if not words or len(words) > 9:
        return False
    if text.rstrip()[-1:] in ";:":
        return False
    long_words = [w for w in words if len(w) > 3]
    if not long_words:
        return words[0][:1].isupper() and len(words) <= 3
    return all(w[:1].isupper() or w[:1].isdigit() for w in long_words) and words[0][:1].isupper()


def _looks_full(text: str) -> bool:
    words = re.findall(r"[^\W_][\w’'\-]*", text)
    if not words:
        return False
    first = text.lstrip("‘'([—–-… ")[:1]
    if first.isupper() or first.isdigit():
        return len(words) >= 3 or (len(words) >= 2 and text.rstrip()[-1:] in ".!?,")
    return False


def _word_count(text: str) -> int:
    return len(re.findall(r"[^\W_][\w’'\-]*", text))


OUTER_SOURCE = True


def _split_around(doc: Doc, g: Grammar, qi: int, verb: int, sent_start: int) -> bool:
    """“A,” said Jane Roe, a long apposition, “B.”: the quote before this one, in the same sentence, closes right
    before the verb of saying this one hangs from (its own cue), and this one opens after it: one quotation
    split around one verb, so one speaker."""
    prev = doc.spans[qi - 1]
    if prev.start < sent_start or prev.close_pos is None:
        return False
    close, opening = g.at(prev.close_pos), g.at(doc.spans[qi].open_pos)
    pc = grammar_cue(g, qi - 1)
    return pc is not None and pc.verb == verb and 0 <= close < verb < opening and all(
        not any(ch.isalnum() for ch in g.text(k)) for k in range(close + 1, verb))


def _attribute(doc: Doc, qi: int, si: int, sa: int, sb: int, prev_in_sent: Speaker | None,
               last_speakers, g: Grammar | None = None) -> dict | None:
    body, toks = doc.body, doc.toks
    sp = doc.spans[qi]
    text = body[sp.start:sp.end]
    qa, qb = quote_tok_range(doc, qi)
    if qa < 0 or _word_count(text) == 0:
        return None
    prev_tok = toks[qa - 1] if qa - 1 >= sa else None
    next_tok = toks[qb] if qb < sb else None
    full = _looks_full(text) or sp.close_pos is None and _word_count(text) >= 6
    # a quote that opens its sentence (or follows a colon / "said,") stands alone
    standalone = prev_tok is None or prev_tok.text in (":",) or (
        prev_tok.text == "," and qa - 2 >= sa and cue_at(doc, qa - 2) is not None)
    if full and not standalone and not (text[:1].isupper() and _word_count(text) >= 5):
        full = False
    kind = "full" if full else "partial"

    # ---- scare quotes, titles, nicknames: left out unless a speaker is found for them (below)
    prev_low = [t.lower for t in toks[max(sa, qa - 3):qa] if t.quote == -1]
    title_like = _is_title_like(text) or any(
        e.label in ("WORK_OF_ART", "EVENT", "LAW") and e.start <= sp.start + 2 and e.end >= sp.end - 2
        for e in doc.ents if e.start < sp.end and e.end > sp.start)
    not_speech = None
    if prev_low and prev_low[-1] in SO_CALLED or (len(prev_low) >= 2 and prev_low[-2:] == ["so", "-"]):
        not_speech = "so-called"
    elif prev_low[-1:] and prev_low[-1] in MENTION_NOUNS and not (standalone and full):
        not_speech = "mention"  # "the term “denazification”": a word mentioned, not a statement quoted
    elif prev_low[-2:] == ["known", "as"] or prev_low[-1:] in (["titled"], ["entitled"], ["headlined"],
                                                              ["nicknamed"], ["codenamed"], ["code-named"]):
        not_speech = "name"
    elif title_like and kind == "partial" and prev_tok is not None and sp.open_pos - prev_tok.end <= 1 and (
            prev_tok.lower in ("on", "told") or prev_tok.lower.endswith(("'s", "’s")) or
            set(prev_low) & WORK_NOUNS or prev_low[-2:] in (["author", "of"], ["star", "of"], ["host", "of"],
                                                            ["interview", "with"])):
        not_speech = "programme"  # a show, paper or book: on CNN’s “New Day,”, author of “Going Viral,”
    elif title_like and next_tok is not None and next_tok.quote == -1 and next_tok.lower in WORK_ROLES and \
            text.rstrip()[-1:] not in ".!?":
        not_speech = "programme"  # “Orange Is the New Black” star Dascha Polanco
    elif title_like and (set(prev_low) & TITLE_CONTEXT or kind == "partial") and \
            not (standalone and sp.close_pos is not None and text.rstrip()[-1:] in ",.!?"):
        not_speech = "title"  # titles and names of books, operations, ...
    elif prev_tok is not None and next_tok is not None and prev_tok.text[:1].isupper() and \
            next_tok.text[:1].isupper() and prev_tok.quote == -1 and next_tok.quote == -1 and \
            _word_count(text) <= 4 and prev_tok.end == sp.open_pos - 1 and \
            (prev_tok.ent != -1 or next_tok.ent != -1 or is_cap_name_tok(prev_tok)) and \
            prev_tok.lower not in FUNCTION_CAPS:
        return None  # nickname between first and last name: Joaquín “El Chapo” Guzmán

    speaker: Speaker | None = None
    cue: str | None = None
    attribution = "none"
    parsed = g is not None and g.covers(sp.open_pos, sp.end)

    # 0. the parse: the verb the quote hangs from (or that hangs from it) and its subject or agent
    naming_without_agent = False
    governed = in_predicate = plain = False
    if parsed:
        gc = grammar_cue(g, qi)
        if gc is not None:
            s = None
            if gc.subject is not None:
                ph = g.phrase(gc.subject)
                plain_ok = ph is not None and (ph.kind == "pronoun" or ph.kind == "name" and ph.label in (
                    "PERSON", "ORG", None) or ph.kind == "description" and _someone(g, ph)) or \
                    gc.how == "said_noun" and ph is not None and ph.kind == "name"
                hedged = gc.cue is None and gc.verb is not None and g.hedged(gc.verb)
                if ph is not None and (gc.cue is not None or plain_ok and kind == "partial" and not hedged
                                       and not _according_to_in(g, toks, sa, sb)):
                    s = resolve_phrase(doc, g, ph, si, sp.start, last_speakers)
                elif ph is not None and kind == "partial" and not hedged and (ph.kind != "description" or
                                                                              _someone(g, ph)):
                    in_predicate = True  # a phrase in someone's predicate: reported, not a title
            if s is not None and s.name:
                speaker, cue, attribution = s, gc.cue or (g.particle(gc.verb) if gc.verb is not None else None), \
                    s.attribution
                plain = gc.cue is None
                if plain:
                    s2, c2 = _as_clause(doc, g, qi, si, sa, last_speakers, opening=True)
                    if s2 is not None:  # "As X puts it, Y is trying to make them “…”": X's words
                        speaker, cue, attribution, plain = s2, c2, s2.attribution, False
                if gc.verb is not None:
                    s2, c2 = _reporter(doc, g, qi, gc.verb, si, last_speakers)
                    if s2 is not None:  # "Biden, Rubio said, had been in the Senate for “…”": Rubio's words
                        speaker, cue, attribution, plain = s2, c2, s2.attribution, False
            elif gc.cue is not None:
                cue = gc.cue
                governed = True
                if gc.cue in NAMING_CUES and gc.subject is None:
                    naming_without_agent = True
                if gc.subject is None and prev_in_sent is not None and gc.verb is not None and qi > 0 and \
                        _split_around(doc, g, qi, gc.verb, toks[sa].start):
                    speaker, attribution = prev_in_sent, prev_in_sent.attribution
        if gc is None or gc.cue is None:
            governed = governed or speech_above(g, qi)
        if speaker is None:
            s, c = _introduced(doc, g, qi, qa, si, sa, last_speakers)
            if s is None and gc is not None and gc.cue is not None and gc.subject is None and gc.verb is not None:
                s, c = _named_before_cue(doc, g, qi, gc.verb, gc.cue, si, last_speakers)
            if s is None:
                s, c = _as_clause(doc, g, qi, si, sa, last_speakers)
            if s is None and full and qa == sa and cue is None and not any(
                    cue_at(doc, k) for k in range(qb, sb)):
                s, c = _said_after(doc, g, qi, si, qb, sb, last_speakers)
                if s is None:
                    s, c = _said_before(doc, g, qi, si, last_speakers)
                if s is None:
                    s, c = _topic_before(doc, qi, si, last_speakers)
            if s is not None:
                speaker, cue, attribution = s, c, s.attribution
        if speaker is None or OUTER_SOURCE:
            # "according to X" names the source of the whole sentence, also of the words of someone X
            # reports ("According to GMA News, Salceda said “…”")
            a = g.at(toks[sa].start)
            b = g.at(toks[sb - 1].start) + 1
            src = according_to(g, a, b) if a >= 0 and b > 0 else None
            if speaker is not None and src is not None and gc is not None and gc.verb is not None and \
                    g.at(sp.start) < gc.verb < src and gc.subject is not None and gc.subject > g.at(sp.start):
                src = None  # "“…,” Putin said, according to Reuters": the frame names who said the words
            ph = g.phrase(src) if src is not None else None
            s = resolve_phrase(doc, g, ph, si, sp.start, last_speakers, "according_to") if ph else None
            if s is not None and s.name:
                speaker, cue = s, "according to"
                attribution = "according_to" if s.attribution == "explicit" else s.attribution
    if speaker is None:
        speaker, cue, attribution, naming2 = _surface(doc, qi, qa, qb, si, sa, sb, prev_in_sent,
                                                      last_speakers, cue)
        naming_without_agent = naming_without_agent or naming2

    if speaker is not None and attribution == "explicit" and speaker.attribution == "pronoun":
        attribution = "pronoun"
    if speaker is not None and speaker.attribution in ("role", "description"):
        attribution = speaker.attribution

    # ---- keep / drop
    if not_speech is not None and (plain or not_speech == "programme"):
        return None  # a name or title in someone's predicate ("X, once known as “…”, led"): not speech
    if speaker is None and not (governed and not naming_without_agent) and \
            not (in_predicate and not_speech is None and not title_like):
        if not_speech is not None:
            return None
        if naming_without_agent and not full:
            return None  # "a war called “aggression”"
        if not full and cue is None:
            return None  # scare quote / term
        if title_like and not full:
            return None

    mention = speaker.mention if speaker is not None else None
    row = {
        "text": text,
        "start": sp.start,
        "end": sp.end,
        "kind": kind,
        "speaker": speaker.name if speaker else None,
        "cue": cue if (speaker is not None or cue is not None) else None,
        "attribution": attribution if speaker else "none",
        "speaker_start": mention[0] if mention else None,
        "speaker_end": mention[1] if mention else None,
        "speaker_refers_to": speaker.ref if speaker else None,
        "_sp": speaker,
        "_standalone": prev_tok is None and (next_tok is None or next_tok.quote != -1 or
                                             not any(cue_at(doc, k) for k in range(qb, sb))),
        "_para_initial": qa == doc.sents[si][0] and (si == 0 or doc.sents[si - 1][2] != doc.sents[si][2]),
    }
    return row


def _someone(g: Grammar, ph) -> bool:
    """A description that can say things: headed by a person, a group or an organisation ("the former
    pollster", "critics", "the campaign"), not a thing ("the plan", "the invasion")."""
    head = g.lower(ph.head)
    return head in ROLE_NOUNS or head in AGENT_NOUNS or head.rstrip("s") in ROLE_NOUNS or \
        head.endswith(("er", "ers", "or", "ors", "ist", "ists", "ian", "ians", "ent", "ents"))


def _according_to_in(g: Grammar, toks, sa: int, sb: int) -> bool:
    a, b = g.at(toks[sa].start), g.at(toks[sb - 1].start) + 1
    return a >= 0 and b > 0 and according_to(g, a, b) is not None
