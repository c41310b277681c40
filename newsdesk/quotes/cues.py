"""Attribution from the dependency parse: the cue verb a quote hangs from, or that hangs from it, and its subject.

Owns :class:`GrammarCue` and the readings of a :class:`~newsdesk.quotes.grammar.Grammar` that attribute a quote:
:func:`grammar_cue` (the verb a quote hangs from, or that hangs from it, and that verb's subject or agent),
:func:`according_to` (the source of "according to X"), :func:`intro_cue` (a clause ending in a colon that
introduces a quote), :func:`turn_speaker` ("NAME: “…”"), :func:`sentence_cue` (a sentence whose main verb is one
of saying, next to a quote standing alone) and :func:`speech_above` (a quote inside reported speech). Where a
paragraph was not parsed, the surface rules of :mod:`~newsdesk.quotes.attribution` stand in.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from newsdesk.lexicon import SPEECH_NOUNS
from newsdesk.quotes.grammar import Grammar


@dataclass
class GrammarCue:
    """What the parse says about one quote: the cue verb (token, stored form), the head token of its
    subject or agent (None when it has none), and how they were found: 'governs' (the quote hangs from
    the cue), 'attached' (the cue hangs from the quote: “…,” he said), 'according_to', 'intro' (a sentence
    ending in a colon right before the quote) or 'turn' ("NAME: “…”")."""

    verb: int | None
    cue: str | None
    subject: int | None
    how: str


def quote_tokens(g: Grammar, qi: int) -> list[int]:
    sp = g.doc.spans[qi]
    end = sp.close_pos + 1 if sp.close_pos is not None else sp.end
    a = bisect.bisect_left(g.starts, sp.open_pos)
    b = bisect.bisect_left(g.starts, end)
    return [i for i in range(a, b) if g.quote[i] == qi]


def grammar_cue(g: Grammar, qi: int) -> GrammarCue | None:
    """The cue verb of quote qi and its subject, read from the parse; None when the parse shows none."""
    inside = quote_tokens(g, qi)
    if not inside:
        return None
    qset = set(inside)
    best: tuple[int, GrammarCue] | None = None

    def offer(rank: int, gc: GrammarCue) -> None:
        nonlocal best
        if best is None or rank < best[0]:
            best = (rank, gc)

    # 1. the quote hangs from a verb outside it (its nearest verb ancestor; a speech verb further up wins
    #    over a plain verb: "X said the plan would be “a disaster”"). A title in a circumstantial phrase
    #    ("X said on NBC's “Meet the Press”") is not what was said.
    sp = g.doc.spans[qi]
    title = _title_like(g.body[sp.start:sp.end])
    for i in inside:
        h = g.head(i)
        if h in qset or h == i or g.quote[h] not in (-1,):
            continue
        chain = [h] + [a for a in g.ancestors(h) if a not in qset]
        first_verb = None
        for depth, v in enumerate(chain):
            if g.quote[v] != -1:
                if _passes(g, v, qi):
                    continue
                break
            if title and g.dep(v) == "prep" and g.lower(v) in CIRCUMSTANCE_PREPS:
                break
            if not g.is_verb(v):
                if first_verb is None and g.lower(v) in SPEECH_NOUNS:
                    owner = g.children(v, "poss")
                    if owner and g.tag(owner[0]) not in ("PRP$", "WP$"):
                        # "Clinton's broadside against “printing money”": the possessor said it
                        # (unless a verb of saying further up reports it all)
                        offer(15 + depth, GrammarCue(None, None, owner[0], "said_noun"))
                continue
            if first_verb is None:
                first_verb = v
            c = g.cue_of(v)
            if c is not None:
                offer(depth, GrammarCue(v, c, g.subject(v), "governs"))
                # "X said “…”, the Times reported": the outlet reporting it all is the source
                for u in chain[depth + 1:]:
                    if g.quote[u] != -1:
                        break
                    if g.lower(u) in REPORT_VERBS and g.subject(u) is not None:
                        offer(-1, GrammarCue(u, g.lower(u), g.subject(u), "governs"))
                        break
                break
            if g.dep(v) in ("ROOT",):
                break
        if first_verb is not None and g.cue_of(first_verb) is None:
            s = g.subject(first_verb)
            if s is not None and s > inside[-1] and _frame(g, qi, first_verb, inside):
                # “…!” beamed X / “…,” X beamed: any verb in the attribution frame is one of saying
                offer(10, GrammarCue(first_verb, g.particle(first_verb), s, "governs"))
            elif s is not None:
                offer(20 + _dist(g, first_verb, inside), GrammarCue(first_verb, None, s, "governs"))
    # 2. a verb outside the quote hangs from it (“…,” he said / “…,” said X)
    for i in inside:
        for k in g.kids[i]:
            if k in qset or g.quote[k] != -1 or not g.is_verb(k) or g.children(k, "mark"):
                continue  # (a subordinate clause, "until X said", is not an attribution)
            c = g.cue_of(k)
            s = g.subject(k)
            if c is not None:
                offer(1 + _dist(g, k, inside) // 8, GrammarCue(k, c, s, "attached"))
            elif s is not None and s > inside[-1] and g.dep(k) in ("parataxis", "ccomp", "conj", "advcl") and \
                    _frame(g, qi, k, inside):
                # “…,” Trump shot back: any verb right after the quote with a subject
                offer(10, GrammarCue(k, g.particle(k), s, "attached"))
            elif k < inside[0]:
                p = _introducing(g, k, inside[0])
                if p is not None:
                    # "X was unimpressed, telling reporters, “…”": the parser hung the clause from the quote;
                    # the participle of saying right before the quote introduces it
                    offer(3, GrammarCue(p, g.cue_of(p), g.subject(p), "attached"))
    if best is None:
        # “…!” the group shouted: the parser ended a sentence with the quote; the frame after it
        sp = g.doc.spans[qi]
        if sp.close_pos is not None and g.body[sp.start:sp.end].rstrip()[-1:] in ",!?":
            for k in range(inside[-1] + 1, min(len(g), inside[-1] + 10)):
                if g.quote[k] != -1 or g.text(k) in ".;:":
                    break
                if g.is_verb(k):
                    s = g.subject(k)
                    c = g.cue_of(k)
                    if s is not None and s > inside[-1] and (c is not None or s < k):
                        offer(12, GrammarCue(k, c or g.particle(k), s, "attached"))
                    break
    if best is not None and best[1].subject is None and best[1].verb is not None and best[1].verb > inside[-1]:
        s = name_after(g, qi, inside, best[1].verb)
        if s is None and best[1].cue is not None and _frame(g, qi, best[1].verb, inside):
            s = g.inverted_subject(best[1].verb)
        if s is not None:
            best[1].subject = s
    return best[1] if best else None


def _introducing(g: Grammar, k: int, first: int) -> int | None:
    """A verb of saying among ``k``'s clause modifiers whose phrase ends right before the quote's first token
    (its object and a comma or colon between them, nothing else)."""
    for c in g.children(k, "advcl", "xcomp", "conj"):
        if c >= first or not g.is_verb(c) or g.cue_of(c) is None or g.children(c, "mark"):
            continue
        if all(g.text(t) in ",:" or c in g.ancestors(t) for t in range(c + 1, first)):
            return c
    return None


def _passes(g: Grammar, v: int, qi: int) -> bool:
    """A token of another quote that quote qi's chain of heads may climb through: a short quoted phrase
    in the same reported clause ("X said Trump has “several ways” of reaching it, with the “unbound”
    delegates"), not the words of a quote the chain would read as the speaker's verb."""
    qj = g.quote[v]
    if qj == qi:
        return False
    sp = g.doc.spans[qj]
    return len(g.body[sp.start:sp.end].split()) <= 4


#: verbs of an outlet reporting what others said
REPORT_VERBS = frozenset({"reported", "reports", "reporting"})

#: prepositions of circumstance: a title under one of them names a show, a paper, an event
CIRCUMSTANCE_PREPS = frozenset({"on", "at", "in", "during", "via", "through", "from", "before", "after", "for"})


def _title_like(text: str) -> bool:
    """Every longer word capitalised ("Meet the Press", "Sean Hannity Show"): a title or a name."""
    words = re.findall(r"[^\W_][\w’'\-]*", text)
    if not words or len(words) > 9:
        return False
    longer = [w for w in words if len(w) > 3] or words
    return words[0][:1].isupper() and all(w[:1].isupper() or w[:1].isdigit() for w in longer)


def _dist(g: Grammar, k: int, inside: list[int]) -> int:
    return min(abs(k - inside[0]), abs(k - inside[-1]))


def _frame(g: Grammar, qi: int, k: int, inside: list[int]) -> bool:
    """Verb k is in the attribution frame of a quote ending a clause (“…,” X said / “…?” asked X): it
    follows the closing mark within a few tokens of the same sentence."""
    sp = g.doc.spans[qi]
    if sp.close_pos is None or g.body[sp.start:sp.end].rstrip()[-1:] not in ",!?":
        return False
    if any(g.text(j) in ".;:" or g.quote[j] != -1 for j in range(inside[-1] + 1, k)):
        return False
    # right after the quote, or after the subject that follows it ("the party's vice-presidential
    # nominee riffed")
    s = g.subject(k)
    return 0 < k - inside[-1] <= 6 or (s is not None and inside[-1] < s < k and k - inside[-1] <= 16)


def name_after(g: Grammar, qi: int, inside: list[int], cue: int) -> int | None:
    """“…,” Nate Silver, the polling guru who founded X, tweeted: when the parse gives the cue no subject,
    a name right after the quote's closing mark (and its comma), before the cue."""
    j = inside[-1] + 1
    if j < len(g) and g.text(j) == ",":
        j += 1
    if j >= len(g) or j >= cue or g.quote[j] != -1 or g.ent[j] == -1:
        return None
    ent = g.doc.ents[g.ent[j]]
    if ent.label not in ("PERSON", "ORG") or g.toks[j].start != ent.start:
        return None
    k = j
    while k + 1 < len(g) and g.ent[k + 1] == g.ent[j]:
        k += 1
    return k


def according_to(g: Grammar, a: int, b: int) -> int | None:
    """The object of "according to" among tokens [a, b) outside quotes (the head of the source)."""
    for i in range(a, b):
        if g.lower(i) == "according" and g.quote[i] == -1:
            for to in g.children(i, "prep"):
                objs = g.children(to, "pobj")
                if objs:
                    return objs[0]
            if i + 1 < b and g.lower(i + 1) == "to":
                objs = g.children(i + 1, "pobj")
                if objs:
                    return objs[0]
    return None


def intro_cue(g: Grammar, colon: int) -> GrammarCue | None:
    """A clause ending in a colon that introduces a quote ("Cruz continued:", "the headline reads:",
    "Politico reveals a few facts:"): its verb and subject. ``colon`` is the colon's parse token."""
    if colon < 0 or g.text(colon) != ":":
        return None
    v = g.head(colon)
    for _ in range(4):
        if g.is_verb(v) or g.head(v) == v:
            break
        v = g.head(v)
    if not g.is_verb(v) or g.quote[v] != -1:
        # the parser hung the clause from the quote ("a spokesman could only quip: “…”"): the nearest
        # verb of saying before the colon
        for k in range(colon - 1, max(-1, colon - 25), -1):
            if g.quote[k] != -1 or g.text(k) in ".;":
                break
            if g.cue_of(k) is not None and g.subject(k) is not None:
                return GrammarCue(k, g.cue_of(k), g.subject(k), "intro")
        return None
    s = g.subject(v)
    if s is None and g.cue_of(v) is not None:
        s = g.inverted_subject(v)  # "Continued Stone: “…”"
    if s is None:
        return None
    return GrammarCue(v, g.cue_of(v), s, "intro")


def turn_speaker(g: Grammar, colon: int, sent_first: int) -> int | None:
    """"Clinton: “…”": a name alone before a colon that opens the quote's sentence; its head token."""
    if colon < 0 or g.text(colon) != ":" or not 0 < colon - sent_first <= 5:
        return None
    ents = {g.ent[i] for i in range(sent_first, colon)}
    if len(ents) == 1 and -1 not in ents:
        ei = next(iter(ents))
        if g.doc.ents[ei].label in ("PERSON", "ORG"):
            return colon - 1
    if colon - sent_first <= 3 and all(g.tag(i) in ("NNP", "NNPS") for i in range(sent_first, colon)):
        return colon - 1
    return None


def sentence_cue(g: Grammar, a: int, b: int) -> GrammarCue | None:
    """A sentence (parse tokens [a, b)) without quotes whose main verb is one of saying and has a subject:
    the cue and subject of a quote standing alone right after it ("Howard continued his remarks. “…”")."""
    if a < 0 or b <= a or any(g.quote[i] != -1 for i in range(a, b)):
        return None
    for i in range(a, b):
        h = g.head(i)
        if (h == i or not a <= h < b) and g.is_verb(i):
            for v in [i] + [k for k in g.kids[i] if g.dep(k) == "conj" and g.is_verb(k)]:
                c = g.cue_of(v)
                s = g.subject(v)
                if c is not None and s is not None and a <= s < b:
                    return GrammarCue(v, c, s, "before")
            return None
    return None


def speech_above(g: Grammar, qi: int) -> bool:
    """A verb of saying among the quote's ancestors outside quotes ("X said the plan, which Y calls “…”,
    failed"): the quoted words are inside reported speech."""
    for i in quote_tokens(g, qi):
        h = g.head(i)
        if g.quote[h] == qi:
            continue
        for v in [h, *g.ancestors(h)]:
            if g.quote[v] != -1:
                break
            if g.cue_of(v) is not None:
                return True
    return False
