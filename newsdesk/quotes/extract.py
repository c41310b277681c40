"""The entry point :func:`extract_quotes`: one article's direct quotations with speaker, cue and kind.

Owns the order of the steps (quote marks, entity cleanup, tokens and sentences, each sentence's subject,
then each quote's attribution), the keep/drop decision (real quotations: full clauses, or phrases inside
reported speech; scare quotes, titles, slogans and nicknames are left out), ``kind`` (full / partial),
continuation (an unattributed full quote right after a quote of known speaker, in the same paragraph or
first thing in the next), multi-paragraph chains sharing one speaker, and other languages (quotes by their
marks, speaker ``None``). Errors are not caught here: the caller decides what a failing article becomes.
"""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Sequence

from newsdesk.entities.mentions import CleanSpan, normalize_for_quotes
from newsdesk.lexicon import (
    AGENT_NOUNS, FOREIGN_CUES, FUNCTION_CAPS, MENTION_NOUNS, NAMING_CUES, ROLE_NOUNS, SO_CALLED, TITLE_CONTEXT,
)
from newsdesk.quotes.attribution import cue_before, post_quote, subject_of_cue
from newsdesk.quotes.cues import according_to, grammar_cue, intro_cue, sentence_cue, speech_above, turn_speaker
from newsdesk.quotes.grammar import Grammar
from newsdesk.quotes.marks import ALL_MARKS, find_quote_spans, paragraphs
from newsdesk.quotes.phrases import cue_at, is_cap_name_tok, main_subject, np_starting_at
from newsdesk.quotes.resolve import resolve_np, resolve_phrase
from newsdesk.names import name_key
from newsdesk.quotes.speakers import Speaker, collect_names
from newsdesk.quotes.text import Doc, quote_tok_range, split_sentences, tokenize
from newsdesk.quotes.turns import find_turns, maybe_transcript

__all__ = ["extract_quotes"]


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


def extract_quotes(body: str | None, language: str | None, ents: Sequence = (), parse: Sequence = ()) -> list[dict]:
    """Direct quotations in ``body`` with speaker, cue and attribution; sorted by start.

    ``ents``: the article's NER spans (objects with ``start``, ``end`` and ``label``, or dicts with those
    keys); spans outside the body are ignored. ``parse``: the dependency parse of the paragraphs
    :func:`~newsdesk.quotes.grammar.wants_parse` accepts (:class:`newsdesk.entities.ner.ParsedToken` rows, body
    offsets; without it the surface rules alone attribute). Each row has ``text``, ``start``, ``end``
    (``body[start:end] == text``), ``kind``, ``speaker``, ``cue``, ``attribution``, and ``speaker_start`` /
    ``speaker_end`` (the words naming the speaker at the attribution, ``body[speaker_start:speaker_end]``;
    None without a speaker) and ``speaker_refers_to`` (for a description resolved to a named person or
    organisation, that name, to link in place of the description; else None). An internal error is not
    caught: it propagates to the caller, which counts the article as failed.
    """
    return _extract(body or "", (language or "").lower()[:2], list(ents or ()), list(parse or ()))


def _extract(body: str, lang: str, ents: list, parse: list | None = None) -> list[dict]:
    if not body:
        return []
    spans = find_quote_spans(body, lang) if any(c in ALL_MARKS or c == "‘" for c in body) else []
    if any(body[s.open_pos] != "‘" for s in spans):
        # an article that quotes with double marks uses single ones for headlines and nested quotes only
        spans = [s for s in spans if body[s.open_pos] != "‘"]
    if not spans and not maybe_transcript(body):
        return []
    doc = _article(body, lang, ents, spans)
    rows = _extract_spans(doc, parse) if spans else []
    turns = find_turns(doc, spans)
    return sorted(rows + turns, key=lambda r: r["start"]) if turns else rows


def _article(body: str, lang: str, ents: list, spans: list) -> Doc:
    """The rules' view of the article: its entities cleaned, tokens, sentences and names."""
    clean_ents = []
    for e in ents:
        if isinstance(e, dict):
            e = CleanSpan(int(e["start"]), int(e["end"]), str(e["label"]), str(e.get("text", "")))
        s, t = int(e.start), int(e.end)
        if 0 <= s < t <= len(body):
            clean_ents.append(CleanSpan(s, t, str(e.label), body[s:t]))
    doc = Doc(body, lang, spans, ents=normalize_for_quotes(body, clean_ents))
    paras = paragraphs(body)
    tokenize(doc)
    split_sentences(doc, paras)
    collect_names(doc)
    return doc


def _extract_spans(doc: Doc, parse: list | None) -> list[dict]:
    lang, spans = doc.lang, doc.spans
    if lang != "en":
        return _extract_foreign(doc)
    g = Grammar(doc, parse) if parse else None

    # sentence subjects (resolved in order, so that pronoun subjects chain)
    results: dict[int, dict] = {}
    last_speakers: list[tuple[int, Speaker]] = []
    q_by_sent: dict[int, list[int]] = defaultdict(list)
    q_ranges = {}
    for qi in range(len(spans)):
        qa, qb = quote_tok_range(doc, qi)
        q_ranges[qi] = (qa, qb)
        if qa >= 0:
            q_by_sent[doc.toks[qa].sent].append(qi)

    # a sentence's subject is only read back from quotes up to 7 sentences later (pronouns, roles)
    wanted = {sj for si in q_by_sent for sj in range(max(0, si - 7), si + 1)}
    for si, (sa, sb, para) in enumerate(doc.sents):
        sub_sp = _sentence_subject(doc, g, si, last_speakers) if si in wanted else None
        if sub_sp is not None and sub_sp.name:
            doc.sent_subject[si] = sub_sp
        prev_in_sent: Speaker | None = None
        for qi in q_by_sent.get(si, []):
            row = _attribute(doc, qi, si, sa, sb, prev_in_sent, last_speakers, g)
            if row is None:
                continue
            results[qi] = row
            sp = row.pop("_sp", None)
            if sp is not None and sp.name:
                prev_in_sent = sp
                last_speakers.append((spans[qi].start, sp))
                if si not in doc.sent_subject:
                    doc.sent_subject[si] = sp

    # continuation: unattributed full quotes following a quote with a known speaker
    order = sorted(results)
    prev_row = None
    prev_qi = None
    for qi in order:
        row = results[qi]
        sp = spans[qi]
        if row["speaker"] is None and row["kind"] == "full" and row["attribution"] == "none" \
                and prev_row is not None and prev_row["speaker"] is not None and \
                row.get("_standalone"):
            same_para = spans[prev_qi].para == sp.para
            next_para = spans[prev_qi].para == sp.para - 1 and row.get("_para_initial")
            if same_para or next_para:
                _same_speaker(row, prev_row)
                row["attribution"] = "continuation"
        prev_row, prev_qi = row, qi

    # multi-paragraph chains share one speaker
    chains: dict[int, list[int]] = defaultdict(list)
    for qi, sp in enumerate(spans):
        if sp.chain != -1 and qi in results:
            chains[sp.chain].append(qi)
    for members in chains.values():
        named = [results[q] for q in members if results[q]["speaker"] is not None]
        if not named:
            continue
        src = named[-1] if named[-1]["attribution"] != "continuation" else named[0]
        for q in members:
            r = results[q]
            if r["speaker"] is None:
                _same_speaker(r, src)
                r["cue"], r["attribution"] = src["cue"], "continuation"
            r["kind"] = "full"

    out = []
    for qi in sorted(results, key=lambda q: spans[q].start):
        r = results[qi]
        r.pop("_standalone", None)
        r.pop("_para_initial", None)
        if r.pop("_drop_if_unattributed", False) and r["speaker"] is None:
            continue
        out.append(r)
    return out


OUTER_SOURCE = True


def _same_speaker(row: dict, src: dict) -> None:
    """A continued quote: the speaker of ``src``, and where it is named."""
    for k in ("speaker", "speaker_start", "speaker_end", "speaker_refers_to"):
        row[k] = src[k]


def _sentence_subject(doc: Doc, g: Grammar | None, si: int, last_speakers) -> Speaker | None:
    """The subject of sentence si as a speaker: from the parse where the sentence was parsed, else the
    surface approximation (:func:`~newsdesk.quotes.phrases.main_subject`)."""
    sa, sb, _p = doc.sents[si]
    if sa >= sb:
        return None
    if g is not None and g.covers(doc.toks[sa].start, doc.toks[sb - 1].end):
        a, b = g.at(doc.toks[sa].start), g.at(doc.toks[sb - 1].start) + 1
        s = g.sentence_subject(a, b)
        if s is None:
            return None
        ph = g.phrase(s)
        if ph is None or ph.kind == "description":
            return None
        return resolve_phrase(doc, g, ph, si, ph.start, last_speakers)
    sub_np = main_subject(doc, si)
    if sub_np is None:
        return None
    pos = doc.toks[sub_np.tok_start].start
    return resolve_np(doc, sub_np, si, sub_np.kind if sub_np.kind != "name" else "explicit", pos, last_speakers)


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
            elif gc.cue is not None:
                cue = gc.cue
                governed = True
                if gc.cue in NAMING_CUES and gc.subject is None:
                    naming_without_agent = True
        if gc is None or gc.cue is None:
            governed = governed or speech_above(g, qi)
        if speaker is None:
            s, c = _introduced(doc, g, qi, qa, si, sa, last_speakers)
            if s is None and full and qa == sa and cue is None and not any(
                    cue_at(doc, k) for k in range(qb, sb)):
                s, c = _said_after(doc, g, qi, si, qb, sb, last_speakers)
                if s is None:
                    s, c = _said_before(doc, g, qi, si, last_speakers)
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
    if not_speech is not None and plain:
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
    gc = intro_cue(g, c)
    if gc is None:
        return None, None
    ph = g.phrase(gc.subject)
    if ph is None or (gc.cue is None and ph.kind != "name"):
        return None, None
    s = resolve_phrase(doc, g, ph, toks[colon].sent, sp.start, last_speakers)
    if s is None or not s.name:
        return None, None
    return s, gc.cue or g.particle(gc.verb)


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


def _extract_foreign(doc: Doc) -> list[dict]:
    """Other languages: quotes by their marks; no speaker. Scare quotes dropped by shape."""
    cues = FOREIGN_CUES.get(doc.lang, set())
    out = []
    for qi, sp in enumerate(doc.spans):
        text = doc.body[sp.start:sp.end]
        n = _word_count(text)
        if n == 0:
            continue
        qa, qb = quote_tok_range(doc, qi)
        if qa < 0:
            continue
        si = doc.toks[qa].sent
        sa, sb, _p = doc.sents[si]
        outside = {t.lower for t in doc.toks[sa:sb] if t.quote == -1}
        has_cue = bool(outside & cues)
        clause = n >= 4 and (text[:1].isupper() or text.rstrip()[-1:] in ".!?,") or n >= 7
        if not clause and not (has_cue and n >= 2):
            continue
        prev = doc.toks[qa - 1] if qa - 1 >= sa else None
        standalone = prev is None or prev.text in (":", "—", "–")
        out.append({"text": text, "start": sp.start, "end": sp.end,
                    "kind": "full" if standalone and n >= 2 else "partial", "speaker": None,
                    "cue": None, "attribution": "none", "speaker_start": None, "speaker_end": None,
                    "speaker_refers_to": None})
    return out
