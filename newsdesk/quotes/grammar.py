"""The dependency parse of an article's quote paragraphs, as the attribution rules read it (:class:`Grammar`).

Owns which paragraphs are worth parsing (:func:`wants_parse`: a quote mark, a cue word, an introducing colon,
a transcript turn), the parse's view of one article (tokens in body offsets with their heads and children,
which quote and which entity each token is in, :meth:`Grammar.at`) and the grammatical reading the
attribution needs: the verb that governs a quote (:meth:`Grammar.governors`), a verb's subject or agent
whatever it is (:meth:`Grammar.subject`: ``nsubj``, the agent of a passive, the subject of the verb a
participle, a conjunct or an ``xcomp`` hangs from, the noun a relative clause or a participle modifies), a
sentence's subject (:meth:`Grammar.sentence_subject`) and the extent of a speaker's noun phrase
(:meth:`Grammar.phrase`: a name, a pronoun, or a description cut to its head noun phrase, never a clause).
The parse comes from :func:`newsdesk.entities.ner.analyse` (spaCy's parser); paragraphs that were not parsed
have no tokens here, and the surface rules of :mod:`~newsdesk.quotes.attribution` stand in for them.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Sequence

from newsdesk.lexicon import CUE_VERBS, CUES, FUNCTION_CAPS, SPEECH_VERBS
from newsdesk.quotes.marks import ALL_MARKS

__all__ = ["wants_parse", "Grammar", "Phrase"]

_QUOTE_CHARS = frozenset(ALL_MARKS | {"‘"})
_TURN = re.compile(r"^\s*(?:[A-Z][A-Z.'’\- ]{0,40}[A-Z.]|Q|A)\s*:\s")


def wants_parse(paragraph: str) -> bool:
    """Whether the attribution needs this paragraph's parse: it has a quote mark, ends with a colon
    (it introduces the next one) or opens with a transcript turn ("SMITH:", "Q:")."""
    if any(c in _QUOTE_CHARS for c in paragraph):
        return True
    tail = paragraph.rstrip()
    return tail.endswith(":") or bool(_TURN.match(paragraph))


#: every form of the cue verbs (nouns too: the parse tells a verb) -> the cue stored
_CUE_FORMS = {f: canon for canon, forms in CUE_VERBS.items() for f in forms} | dict(CUES)


def _bases(w: str) -> set[str]:
    """The base forms an inflected English verb may come from ("snapped" -> "snap", "argues" -> "argue")."""
    out = {w}
    if w.endswith("s"):
        out |= {w[:-1], w[:-2]}
    if w.endswith(("ied", "ies")):
        out.add(w[:-3] + "y")
    if w.endswith("ed"):
        out |= {w[:-2], w[:-1]}
        if len(w) > 4 and w[-3] == w[-4]:
            out.add(w[:-3])
    if w.endswith("ing"):
        out |= {w[:-3], w[:-3] + "e"}
        if len(w) > 5 and w[-4] == w[-5]:
            out.add(w[:-4])
    return out


def speech_cue(word: str) -> str | None:
    """The cue stored for a verb of saying ("says" -> "said"; "questioning" as written), else None."""
    w = word.lower()
    if w in _CUE_FORMS:
        return _CUE_FORMS[w]
    return w if _bases(w) & SPEECH_VERBS else None


#: dependency labels of a verb's subject
SUBJ = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
#: modifiers kept in a description's noun phrase (left of its head)
_NP_LEFT = frozenset({"det", "amod", "compound", "poss", "nummod", "quantmod", "nmod", "npadvmod", "case",
                      "predet", "advmod", "punct"})
_PRONOUN_TAGS = frozenset({"PRP"})
_NOUN_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS"})


@dataclass
class Phrase:
    """A speaker's words in the body: ``kind`` is 'name', 'pronoun' or 'description'; ``head`` the parse
    token of its head; ``start``/``end`` body offsets of the phrase (``body[start:end]``); ``label`` the
    entity label of a name (None for an untagged capitalised name)."""

    kind: str
    start: int
    end: int
    head: int
    label: str | None = None
    ent: int = -1


class Grammar:
    """The parse of one article's parsed paragraphs, indexed for the attribution rules."""

    def __init__(self, doc, parse: Sequence) -> None:
        self.doc = doc
        self.body = doc.body
        self.toks = list(parse)
        n = len(self.toks)
        self.starts = [t.start for t in self.toks]
        self.kids: list[list[int]] = [[] for _ in range(n)]
        for i, t in enumerate(self.toks):
            if t.head != i and 0 <= t.head < n:
                self.kids[t.head].append(i)
        # quote and entity membership, from the rules' own tokens
        self.quote = [-1] * n
        self.ent = [-1] * n
        dt = doc.toks
        dstarts = [t.start for t in dt]
        for i, t in enumerate(self.toks):
            k = bisect.bisect_right(dstarts, t.start) - 1
            if k >= 0 and dt[k].start <= t.start < dt[k].end:
                self.quote[i] = dt[k].quote
                self.ent[i] = dt[k].ent
            elif k + 1 < len(dt) and dt[k + 1].start < t.end:
                self.quote[i] = dt[k + 1].quote
                self.ent[i] = dt[k + 1].ent
        # a quote's marks: tokens between its opening and closing mark count as inside it
        for qi, sp in enumerate(doc.spans):
            end = sp.close_pos + 1 if sp.close_pos is not None else sp.end
            a = bisect.bisect_left(self.starts, sp.open_pos)
            b = bisect.bisect_left(self.starts, end)
            for i in range(a, b):
                self.quote[i] = qi

    # -------------------------------------------------------------------------------------- lookups
    def __len__(self) -> int:
        return len(self.toks)

    def at(self, pos: int) -> int:
        """The parse token starting at or covering body offset ``pos`` (-1 when that text was not parsed)."""
        i = bisect.bisect_right(self.starts, pos) - 1
        if i >= 0 and self.toks[i].start <= pos < self.toks[i].end:
            return i
        return -1

    def covers(self, start: int, end: int) -> bool:
        """Whether the text between two offsets was parsed (its first and last characters are)."""
        return self.at(start) != -1 and self.at(max(start, end - 1)) != -1

    def text(self, i: int) -> str:
        t = self.toks[i]
        return self.body[t.start:t.end]

    def lower(self, i: int) -> str:
        return self.text(i).lower()

    def tag(self, i: int) -> str:
        return self.toks[i].tag

    def dep(self, i: int) -> str:
        return self.toks[i].dep

    def head(self, i: int) -> int:
        return self.toks[i].head

    def hedged(self, v: int) -> bool:
        """A verb under a modal or a condition ("will interpret", "if X interprets"): not a report."""
        return any(self.toks[k].tag == "MD" or self.toks[k].dep == "mark" for k in self.kids[v])

    def is_verb(self, i: int) -> bool:
        return self.toks[i].tag.startswith("VB") or (self.toks[i].tag == "MD")

    def children(self, i: int, *deps: str) -> list[int]:
        return [k for k in self.kids[i] if not deps or self.toks[k].dep in deps]

    def sentence_of(self, i: int) -> tuple[int, int]:
        """The parser's sentence around token i: (first, end) token indices."""
        a = i
        while a > 0 and not self.toks[a].sent_start:
            a -= 1
        b = i + 1
        while b < len(self.toks) and not self.toks[b].sent_start:
            b += 1
        return a, b

    def ancestors(self, i: int, limit: int = 12):
        seen = 0
        while seen < limit:
            h = self.toks[i].head
            if h == i:
                return
            yield h
            i = h
            seen += 1

    # ------------------------------------------------------------------------------------- reading
    def cue_of(self, i: int) -> str | None:
        """The cue stored for verb i ("said" for "says"), or None when it is not a verb of saying."""
        if not self.is_verb(i) or (i >= 2 and self.lower(i - 2) == "so" and self.text(i - 1) == "-"):
            return None  # ("so-called" is no verb of saying)
        c = speech_cue(self.lower(i))
        if c is not None and c == self.lower(i):
            c = self.particle(i)  # "shot back", "pointed out", "fired back"
        return c

    def particle(self, i: int) -> str:
        """A phrasal verb's particle ("shot back", "pointed out"): the verb with it, else the verb."""
        prt = [k for k in self.kids[i] if k > i and (self.toks[k].dep == "prt" or self.toks[k].dep == "advmod"
                                                     and self.lower(k) in ("back", "out", "up", "in"))]
        w = self.lower(i)
        return f"{w} {self.lower(prt[0])}" if prt else w

    def subject(self, v: int, depth: int = 0) -> int | None:
        """The token that is the subject or agent of verb v, whatever it is (None when there is none).

        ``nsubj``; the agent of a passive ("was quoted by X"); a participle, conjunct, ``xcomp`` or adverbial
        clause takes the subject of the verb it hangs from; a relative clause ("X, who said") and a participle
        modifying a noun ("a statement saying") take that noun."""
        if depth > 4:
            return None
        passive = False
        subjects = []
        for k in self.kids[v]:
            d = self.toks[k].dep
            if d == "nsubj" or d == "csubj" or (d == "nsubjpass" and depth > 0):
                # (a participle hanging from a passive takes its subject: "X was booed after telling")
                if self.lower(k) in ("who", "that", "which") and self.toks[v].dep == "relcl":
                    return self.toks[v].head
                subjects.append(k)
            if d == "nsubjpass":
                passive = True
        if subjects:
            # two subjects are a misparse ("Speaking in Salem, New Hampshire, Trump went"): the one next to
            # the verb
            before = [k for k in subjects if k < v]
            return before[-1] if before else subjects[0]
        for k in self.kids[v]:
            # "…,” Will described Trump as …": a capitalised name the tagger read as a modal, inside a sentence,
            # right before a verb in the past
            if k == v - 1 and self.toks[k].tag == "MD" and self.text(k)[:1].isupper() and \
                    self.toks[v].tag in ("VBD", "VBN") and not self.toks[k].sent_start:
                return k
        if passive:
            for k in self.children(v, "agent"):
                objs = self.children(k, "pobj")
                if objs:
                    return objs[0]
            return None
        d = self.toks[v].dep
        h = self.toks[v].head
        if h == v:
            return None
        if d == "acl" and self.toks[h].tag in _NOUN_TAGS and self.toks[h].dep in ("dobj", "pobj", "appos"):
            # "Trump issued a statement saying", "emailed supporters saying", "published an article in a
            # newspaper thanking": the one who issued it speaks
            for a in self.ancestors(h, 4):
                if self.is_verb(a):
                    s = self.subject(a, depth + 1)
                    if s is not None and self.quote[s] == -1:
                        return s
                    break
        if d == "relcl" or (d == "acl" and self.toks[h].tag in _NOUN_TAGS):
            return h
        if self.quote[h] != -1 and self.quote[v] == -1:
            # "“…,” adding, “…”": a participle the parser hung from the previous quote takes the subject
            # of the verb that quote hangs from
            gov = self.governor(self.quote[h])
            return self.subject(gov, depth + 1) if gov is not None else None
        if d == "xcomp" and self.is_verb(h):
            objs = self.children(h, "dobj")
            if objs and objs[0] < v:
                return objs[0]  # "prompted X to state": the object speaks
            return self.subject(h, depth + 1)
        if d == "conj" and self.cue_of(v) is not None and self.cue_of(h) is None and \
                self.toks[h].dep == "ccomp" and self.cue_of(self.toks[h].head) is not None:
            # "X said A had happened and promised B": a verb of saying joined to the reported clause is
            # joined to the verb reporting it
            return self.subject(self.toks[h].head, depth + 1)
        if d == "pcomp" and self.toks[h].dep == "prep" and self.is_verb(self.toks[h].head):
            # "X continued by saying", "X responded by saying": the verb the preposition hangs from
            d, h = "advcl", self.toks[h].head
        if d in ("conj", "advcl", "pcomp", "prep", "dep") and self.is_verb(h):
            if d == "advcl" and self.cue_of(v) is not None and self.toks[h].dep == "ccomp" and \
                    self.cue_of(self.toks[h].head) is not None and self.quote[self.toks[h].head] == -1:
                # "X said the process could be “messy,” adding, “…”": the parser hung the participle from the
                # reported clause; it goes with the verb reporting it (not with a verb of the quoted words)
                return self.subject(self.toks[h].head, depth + 1)
            return self.subject(h, depth + 1)
        return None

    def dateline(self, i: int) -> bool:
        """Token i is in a dateline ("SEOUL, South Korea (AP) —", "WASHINGTON —"): capitals opening the
        paragraph before a dash."""
        a = i
        body = self.body
        while a > 0 and body[self.toks[a - 1].end:self.toks[a].start].count("\n") == 0 and i - a < 10:
            a -= 1
        if not self.text(a).isupper() or len(self.text(a)) < 2:
            return False
        for k in range(a, min(len(self.toks), a + 12)):
            if self.text(k) in ("—", "–", "-", "--") and k > i:
                return True
        return False

    def inverted_subject(self, v: int) -> int | None:
        """“…,” opined Cleveland's Plain Dealer: the noun after a verb of saying that the parser took for
        its object (an inverted subject), when the verb has no subject."""
        for k in self.kids[v]:
            if k > v and self.toks[k].dep in ("dobj", "attr", "npadvmod", "oprd", "nsubjpass") and \
                    self.toks[k].tag in _NOUN_TAGS and self.quote[k] == -1 and k - v <= 8:
                return k
        return None

    def governor(self, qi: int) -> int | None:
        """The verb outside quote qi that one of its tokens hangs from (the nearest), or None."""
        for i, q in enumerate(self.quote):
            if q != qi:
                continue
            h = self.toks[i].head
            if self.quote[h] == -1 and h != i:
                for v in [h, *self.ancestors(h)]:
                    if self.quote[v] != -1:
                        break
                    if self.is_verb(v):
                        return v
        return None

    def sentence_subject(self, a: int, b: int) -> int | None:
        """The subject of the main verb among tokens [a, b) (the first root-like verb with one)."""
        for i in range(a, b):
            h = self.toks[i].head
            if (h == i or not a <= h < b) and self.is_verb(i) and self.quote[i] == -1:
                s = self.subject(i)
                if s is not None and a <= s < b and self.quote[s] == -1:
                    return s
        return None

    def phrase(self, s: int) -> Phrase | None:
        """The speaker's words around head token s: a named entity, a pronoun, a run of proper nouns, or
        a description cut to its noun phrase (left modifiers, a possessor and an "of"/"for"/"at" phrase,
        no relative clause or apposition). An apposition naming a person wins over a description
        ("the home secretary, Yvette Cooper")."""
        doc = self.doc
        toks = self.toks
        if self.quote[s] != -1:
            return None
        t = toks[s]
        if self.dateline(s):
            return None
        if t.tag in _PRONOUN_TAGS or self.lower(s) in ("who",):
            return Phrase("pronoun", t.start, t.end, s)
        e = self.ent[s]
        if e != -1:
            ent = doc.ents[e]
            if ent.label in ("PERSON", "ORG", "GPE", "NORP", "FAC", "LOC") and not (
                    ent.label == "NORP" and t.tag not in ("NNP", "NNPS")):
                return Phrase("name", ent.start, ent.end, s, ent.label, e)
            if ent.label in ("DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"):
                return None
        # a description whose apposition names it: "the home secretary, Yvette Cooper", "the Russian state
        # news agency TASS"
        for k in self.kids[s]:
            if k > s and self.toks[k].dep in ("appos", "compound", "npadvmod") or \
                    k < s and self.toks[k].dep == "appos":
                ek = self.ent[k]
                if ek != -1 and doc.ents[ek].label in ("PERSON", "ORG") and self.quote[k] == -1:
                    ent = doc.ents[ek]
                    return Phrase("name", ent.start, ent.end, k, ent.label, ek)
        if s + 1 < len(toks) and self.ent[s + 1] != -1 and self.quote[s + 1] == -1 and \
                doc.ents[self.ent[s + 1]].label in ("PERSON", "ORG") and \
                doc.ents[self.ent[s + 1]].start == toks[s + 1].start and t.tag in _NOUN_TAGS:
            # "the Russian state news agency TASS", "his spokesman Dmitry Peskov": the name that follows
            ent = doc.ents[self.ent[s + 1]]
            return Phrase("name", ent.start, ent.end, s + 1, ent.label, self.ent[s + 1])
        if t.tag in ("NNP", "NNPS"):
            titled = self._titled_person(s)
            if titled is not None:
                return titled
        if t.tag.startswith("VB") and t.dep in ("nsubj", "nsubjpass") and self.text(s).istitle() and \
                self.lower(s) not in FUNCTION_CAPS:
            return Phrase("name", t.start, t.end, s, None)  # a surname tagged as a verb: "Husted continued"
        if t.tag == "MD" and self.text(s).istitle() and not t.sent_start:
            return Phrase("name", t.start, t.end, s, None)  # a surname tagged as a modal: "Will described"
        if t.tag in ("NNP", "NNPS") and self.lower(s) not in ("campaign",):
            # a run of proper nouns the NER missed: "Trump" untagged, "Sen. Jones"
            a = s
            while a - 1 >= 0 and toks[a - 1].tag in ("NNP", "NNPS") and toks[a - 1].head == s and \
                    self.quote[a - 1] == -1:
                a -= 1
            return Phrase("name", toks[a].start, t.end, s, None)
        if t.tag not in _NOUN_TAGS and t.tag not in ("CD",):
            return None
        lo = s
        for k in sorted(self._left_mods(s)):
            lo = min(lo, k)
        hi = s
        for k in self.children(s, "prep"):
            if k > s and self.lower(k) in ("of", "for", "at", "with", "from") and k - s <= 2:
                objs = self.children(k, "pobj")
                if objs and objs[0] - s <= 6:
                    hi = max(hi, objs[0])
                    for m in self._left_mods(objs[0]):
                        hi = max(hi, m)
        while lo < s and (toks[lo].dep == "punct" or self.quote[lo] != -1):
            lo += 1
        while hi > s and (toks[hi].dep == "punct" or self.quote[hi] != -1):
            hi -= 1
        if any(self.quote[k] != -1 for k in range(lo, hi + 1)):
            lo = hi = s
        return Phrase("description", toks[lo].start, toks[hi].end, s, None)

    def _titled_person(self, s: int) -> Phrase | None:
        """"Speaker of the House Rep. Paul Ryan", "Director of National Intelligence James Clapper": a
        capitalised title whose "of" object ends in a person's name after the title's own words (so not
        "a friend of Paul Ryan"); the person."""
        for k in self.children(s, "prep"):
            if k < s or self.lower(k) != "of":
                continue
            for p in self.children(k, "pobj"):
                e = self.ent[p]
                if e == -1 or self.quote[p] != -1 or self.doc.ents[e].label != "PERSON":
                    continue
                ent = self.doc.ents[e]
                first = self.at(ent.start)
                if first > k + 1 and all(self.tag(i) in ("NNP", "NNPS", "DT") for i in range(k + 1, first)) \
                        and self.tag(k + 1 if self.tag(k + 1) != "DT" else k + 2) in ("NNP", "NNPS"):
                    return Phrase("name", ent.start, ent.end, p, ent.label, e)
        return None

    def _left_mods(self, s: int) -> list[int]:
        out = []
        stack = [k for k in self.kids[s] if k < s and self.toks[k].dep in _NP_LEFT]
        while stack:
            k = stack.pop()
            out.append(k)
            stack.extend(m for m in self.kids[k] if m < s and self.toks[m].dep in _NP_LEFT | {"cc", "conj"})
        return out
