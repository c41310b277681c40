"""Direct-quotation extraction and attribution (rule-based; no dependency parse).

``extract_quotes`` finds quoted spans by their marks (“…”, "…", „…“, «…», »…«, and British ‘…’
outside double quotes; single quotes nested in double ones stay part of the outer quote), keeps real
quotations (full clauses, or phrases inside reported speech) and drops scare quotes, titles and
nicknames; it attributes a speaker (the fullest name the article gives) and a cue verb with
surface rules over the NER spans the entity step provides:

* ``“…,” X said`` / ``“…,” said X`` (X a name, a pronoun or a role noun phrase);
* ``X [adverbs] CUE [that|:] … “…”`` — the nearest cue verb before the quote in its sentence;
  ``X, a Z at W, CUE``; ``X’s spokesperson CUE``; ``…, CUE-ing …`` and ``… and CUE`` take the
  sentence's subject;
* ``according to X`` anywhere in the sentence;
* continuation: an unattributed full quote right after a quote of known speaker (same paragraph,
  or first thing in the next paragraph), and multi-paragraph quotations;
* pronouns (he/she) resolve to the subject of the nearest earlier sentence with a compatible
  person; role nouns (``the Russian president``) to the person named earlier with that role.

When a rule cannot name the speaker it leaves it ``None`` (a wrong speaker is worse than none).
Scare quotes, titles, slogans and nicknames (no cue and no speaker, title-case, "so-called",
"known as", "the term", a nickname between first and last name) are left out; no 'term' rows are
emitted. A quotation running over paragraphs (opening mark, no closing mark, next paragraph opens
again) is one row per paragraph, all with the chain's speaker. Unbalanced marks are contained to
their paragraph. Other languages: quotes by their marks, speaker ``None``.

The spaCy parser is not used: on the dev set and the seeds the surface rules over NER spans left
nothing for it to fix, and parsing only the quote sentences would cost ~25% of the step's
throughput (see ``bench/eval_quotes.py --throughput --parser-cost``).

``cluster_quotes`` groups quotes of one statement across articles (see its docstring).
"""
from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Sequence

try:  # the flow passes newsdesk.spans.EntitySpan; only .start/.end/.label/.text are used
    from newsdesk.spans import EntitySpan  # noqa: F401
except Exception:  # pragma: no cover
    EntitySpan = object  # type: ignore

__all__ = ["extract_quotes", "cluster_quotes", "find_quote_spans"]

# --------------------------------------------------------------------------------------------
# Lexicons
# --------------------------------------------------------------------------------------------

_CUE_FORMS: dict[str, tuple[str, ...]] = {
    # canonical (as stored in the table) -> surface forms
    "said": ("said", "says", "say", "saying"),
    "told": ("told", "tells", "telling"),
    "wrote": ("wrote", "writes", "writing", "written"),
    "added": ("added", "adds", "adding"),
    "noted": ("noted", "notes", "noting"),
    "stated": ("stated", "stating"),
    "explained": ("explained", "explains", "explaining"),
    "described": ("described", "describes", "describing"),
    "labeled": ("labeled", "labelled", "labels", "labeling", "labelling"),
    "called": ("called", "calling"),
    "characterized": ("characterized", "characterised", "characterizes", "characterizing",
                      "characterising"),
    "dubbed": ("dubbed", "dubbing"),
    "termed": ("termed", "terming"),
    "branded": ("branded", "branding"),
    "warned": ("warned", "warns", "warning"),
    "declared": ("declared", "declares", "declaring"),
    "insisted": ("insisted", "insists", "insisting"),
    "argued": ("argued", "argues", "arguing"),
    "claimed": ("claimed", "claiming"),
    "asked": ("asked", "asks", "asking"),
    "replied": ("replied", "replies", "replying"),
    "responded": ("responded", "responding"),
    "announced": ("announced", "announces", "announcing"),
    "stressed": ("stressed", "stresses", "stressing"),
    "emphasized": ("emphasized", "emphasised", "emphasizes", "emphasizing", "emphasising"),
    "urged": ("urged", "urges", "urging"),
    "vowed": ("vowed", "vowing"),
    "pledged": ("pledged", "pledging"),
    "promised": ("promised", "promising"),
    "acknowledged": ("acknowledged", "acknowledges", "acknowledging"),
    "admitted": ("admitted", "admits", "admitting"),
    "conceded": ("conceded", "concedes", "conceding"),
    "complained": ("complained", "complains", "complaining"),
    "suggested": ("suggested", "suggests", "suggesting"),
    "recalled": ("recalled", "recalls", "recalling"),
    "observed": ("observed", "observes", "observing"),
    "remarked": ("remarked", "remarks", "remarking"),
    "tweeted": ("tweeted", "tweets", "tweeting"),
    "posted": ("posted", "posting"),
    "lauded": ("lauded", "lauds", "lauding"),
    "praised": ("praised", "praises", "praising"),
    "hailed": ("hailed", "hails", "hailing"),
    "condemned": ("condemned", "condemns", "condemning"),
    "criticized": ("criticized", "criticised", "criticizes", "criticizing", "criticising"),
    "accused": ("accused", "accuses", "accusing"),
    "denounced": ("denounced", "denounces", "denouncing"),
    "voiced": ("voiced", "voices", "voicing"),
    "expressed": ("expressed", "expresses", "expressing"),
    "echoed": ("echoed", "echoes", "echoing"),
    "reaffirmed": ("reaffirmed", "reaffirms", "reaffirming"),
    "reiterated": ("reiterated", "reiterates", "reiterating"),
    "confirmed": ("confirmed", "confirms", "confirming"),
    "predicted": ("predicted", "predicts", "predicting"),
    "cautioned": ("cautioned", "cautions", "cautioning"),
    "testified": ("testified", "testifies", "testifying"),
    "commented": ("commented", "commenting"),
    "dismissed": ("dismissed", "dismisses", "dismissing"),
    "blasted": ("blasted", "blasts", "blasting"),
    "slammed": ("slammed", "slams", "slamming"),
    "thanked": ("thanked", "thanks", "thanking"),
    "boasted": ("boasted", "boasts", "boasting"),
    "joked": ("joked", "jokes", "joking"),
    "denied": ("denied", "denies", "denying"),
    "touted": ("touted", "touts", "touting"),
    "mocked": ("mocked", "mocks", "mocking"),
    "lamented": ("lamented", "laments", "lamenting"),
    "asserted": ("asserted", "asserts", "asserting"),
    "contended": ("contended", "contends", "contending"),
    "alleged": ("alleged", "alleges", "alleging"),
    "proclaimed": ("proclaimed", "proclaims", "proclaiming"),
    "quipped": ("quipped", "quips", "quipping"),
    "threatened": ("threatened", "threatens", "threatening"),
    "continued": ("continued",),
    "informed": ("informed",),
    "reported": ("reported", "reports", "reporting"),
    "quoted": ("quoted", "quoting"),
    "concluded": ("concluded", "concludes"),
    "answered": ("answered", "answers"),
    "shouted": ("shouted",),
}
_NOUNISH = {"remarks", "notes", "thanks", "voices", "reports", "answers", "jokes", "boasts",
            "laments", "praises", "blasts", "echoes", "cautions", "quips", "replies", "labels",
            "calls", "claims", "states", "comments", "posts", "vows", "pledges", "promises",
            "warning", "written", "says", "say"}
CUES: dict[str, str] = {f: canon for canon, forms in _CUE_FORMS.items() for f in forms
                        if f not in _NOUNISH}
CUES["says"] = "said"
# cue verbs that also name things ("a war called X"): they need an explicit agent
NAMING_CUES = {"called", "dubbed", "termed", "branded", "labeled", "described", "characterized"}
# cues that may only be used right after a quote ("“…,” he continued.")
POST_ONLY_CUES = {"continued", "informed", "reported", "quoted", "concluded", "answered",
                  "shouted", "thanked", "posted"}

SKIP_BEFORE_CUE = {
    "also", "has", "have", "had", "will", "would", "could", "may", "might", "then", "later",
    "again", "previously", "reportedly", "once", "further", "repeatedly", "publicly", "recently",
    "earlier", "subsequently", "initially", "privately", "separately", "now", "first", "last",
    "did", "does", "do", "not", "never", "even", "already", "still", "just", "since", "often",
    "has since", "only", "himself", "herself", "themselves", "itself", "openly", "then-",
}
BE_FORMS = {"is", "was", "were", "are", "be", "been", "being"}
PRONOUNS = {"he": "m", "she": "f", "they": "p", "it": "n", "we": "x", "i": "x"}
HONORIFICS = {"mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "prof", "president", "pres",
              "lt", "col", "sgt", "capt", "adm", "rev", "sir", "dame", "lord", "judge",
              "chancellor", "minister", "premier", "senator", "governor", "mayor",
              "ambassador", "pope", "congressman", "congresswoman", "mme", "herr", "frau",
              "monsieur", "madame"}
FEMALE_HON = {"mrs", "ms", "mme", "frau", "madame", "dame", "queen", "congresswoman",
              "chairwoman", "spokeswoman"}
MALE_HON = {"mr", "herr", "monsieur", "sir", "lord", "king", "prince", "congressman", "chairman",
            "spokesman"}
FEMALE_NAMES = set("""mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy
lisa margaret betty sandra ashley dorothy kimberly emily donna michelle carol amanda melissa deborah
stephanie rebecca laura sharon cynthia kathleen amy shirley angela helen anna brenda pamela nicole
samantha katherine christine emma catherine ruth rachel carolyn janet virginia maria heather diane
julie joyce victoria rachael kelly christina joan evelyn lauren judith olivia martha cheryl megan andrea
hannah jacqueline ann jean alice kathryn gloria teresa doris sara janice julia marie madison grace
judy theresa beverly denise marilyn amber danielle abigail brittany rose diana natalie sophia alexis
lori kayla jane hillary kamala nancy ursula angela kaja annalena marine giorgia liz theresa jacinda
sanna mette ana nikki elise tulsi ilhan alexandria marjorie lauren kristi sarah condoleezza madeleine
yulia svetlana maria valentina olena iryna yulia kristalina christine federica roberta ellie tsai
claudia dilma cristina michelle melania jill kaja antje agnes annegret malu sahra alice saskia
ségolène segolene valérie valerie anne rachida aurore yael élisabeth elisabeth mathilde clémentine
""".split())
ROLE_NOUNS = {
    "president", "leader", "minister", "premier", "chancellor", "spokesperson", "spokesman",
    "spokeswoman", "official", "secretary", "senator", "governor", "ambassador", "envoy", "mayor",
    "chief", "commander", "general", "diplomat", "king", "queen", "pope", "prime", "dictator",
    "strongman", "monarch", "lawmaker", "congressman", "congresswoman", "representative",
    "chairman", "chairwoman", "chair", "head", "director", "adviser", "advisor", "aide",
    "negotiator", "candidate", "nominee", "agency", "outlet", "newspaper", "broadcaster",
    "ministry", "kremlin", "government", "administration", "fellow", "analyst", "expert",
    "professor", "researcher", "economist", "prosecutor", "judge", "lawyer", "attorney",
    "sheikh", "emir", "crown", "prince", "speaker", "mogul", "billionaire", "founder", "ceo",
    "military", "army", "police", "embassy", "department", "office", "council", "party",
    "company", "firm", "group", "commission", "backbencher", "campaign", "spokesperson",
    "republican", "democrat", "conservative", "tory", "socialist", "liberal", "independent",
}
ORG_ROLE_NOUNS = {"agency", "outlet", "newspaper", "broadcaster", "ministry", "kremlin", "government",
                  "administration", "military", "army", "police", "embassy", "department", "office",
                  "council", "party", "company", "firm", "group", "commission", "campaign"}
PERSON_ROLE_NOUNS = ROLE_NOUNS - ORG_ROLE_NOUNS
INTRO_WORDS = {
    "in", "during", "at", "after", "before", "following", "ahead", "on", "while", "since",
    "speaking", "asked", "prior", "when", "as", "despite", "earlier", "later", "meanwhile",
    "however", "but", "and", "still", "yet", "separately", "also", "for", "with", "by", "from",
    "under", "addressing", "writing", "in a", "last", "this", "on", "over", "amid", "if",
    "although", "though", "because", "instead", "now", "then", "today", "yesterday", "moreover",
    "furthermore", "indeed", "nonetheless", "nevertheless", "similarly", "likewise", "later",
    "responding", "commenting", "separately", "elsewhere", "there", "here", "according",
}
TITLE_CONTEXT = {
    "titled", "entitled", "headlined", "book", "books", "film", "films", "movie", "novel", "song",
    "album", "show", "series", "documentary", "operation", "op-ed", "oped", "article", "essay",
    "headline", "campaign", "slogan", "program", "programme", "nicknamed", "named", "known",
    "so-called", "dubbed", "memoir", "play", "poem", "column", "podcast", "newsletter", "motto",
    "hashtag", "initiative", "exercise", "exercises", "doctrine", "plan", "codenamed", "code-named",
    "brand", "chant", "chanting", "chanted", "banner", "banners", "sign", "signs", "placards",
    "placard", "t-shirts", "hats", "caps", "mission", "report", "study", "paper", "bill", "act",
    "law", "treaty", "magazine", "dubbed", "titled", "called",
}
AGENT_NOUNS = {"critics", "officials", "analysts", "experts", "diplomats", "observers", "opponents",
               "supporters", "protesters", "lawmakers", "residents", "activists", "leaders", "sources",
               "people", "voters", "economists", "scholars", "commentators", "campaigners",
               "republicans", "democrats", "conservatives", "liberals", "rivals", "allies", "others",
               "witnesses", "members", "ministers", "negotiators", "investors", "traders", "groups"}
_MENTION_NOUNS = {"word", "words", "term", "terms", "phrase", "phrases", "label", "slogan",
                  "motto", "hashtag", "expression", "nickname", "moniker", "catchphrase",
                  "buzzword", "epithet", "headline", "title", "banner", "rallying"}
SO_CALLED = {"so-called", "so", "dubbed", "nicknamed", "self-styled", "self-described"}
FUNCTION_CAPS = {
    "the", "a", "an", "it", "this", "that", "these", "those", "there", "here", "in", "on", "at",
    "for", "but", "and", "or", "so", "if", "when", "while", "as", "after", "before", "during",
    "following", "his", "her", "their", "its", "our", "my", "your", "we", "i", "they", "he",
    "she", "you", "some", "many", "most", "both", "all", "no", "not", "yes", "what", "why", "how",
    "who", "where", "which", "one", "two", "three", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december", "according", "meanwhile",
    "however", "still", "yet", "also", "then", "now", "today", "last", "next", "other", "another",
    "such", "every", "each", "earlier", "later", "asked", "speaking", "despite", "since", "with",
    "without", "from", "by", "under", "over", "against", "between", "among", "about", "above",
    "below", "into", "upon", "instead", "although", "though", "because", "unless", "until",
    "whether", "ahead", "prior", "amid", "separately", "western", "eastern", "officials",
    "observers", "critics", "analysts", "experts", "recent", "several", "few",
}
SPEAKER_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC"}
ABBREV = {"mr", "mrs", "ms", "dr", "st", "gen", "sen", "rep", "gov", "lt", "col", "sgt", "capt",
          "prof", "jr", "sr", "inc", "corp", "co", "ltd", "vs", "no", "u.s", "u.n", "u.k", "e.u",
          "a.m", "p.m", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
          "nov", "dec", "adm", "rev", "fig", "approx", "mt", "ft", "etc", "i.e", "e.g", "mme",
          "d.c", "n.y", "st", "messrs", "gov", "atty", "supt", "pres"}

# Non-English cue words (speaker attribution is English-only; these only help keep partial quotes)
_FOREIGN_CUES = {
    "de": {"sagte", "sagt", "erklärte", "erklärt", "betonte", "betont", "so", "laut", "warnte",
           "schrieb", "nannte", "bezeichnete", "forderte", "kritisierte", "meinte", "sprach",
           "verkündete", "versprach", "fügte", "räumte", "zufolge"},
    "fr": {"a", "déclaré", "dit", "selon", "affirmé", "estimé", "ajouté", "souligné", "expliqué",
           "écrit", "dénoncé", "qualifié", "averti", "lancé", "assuré", "indiqué", "martelé",
           "déclare", "affirme", "estime", "ajoute", "souligne", "explique", "dénonce", "qualifie"},
}

_TOKEN_RE = re.compile(r"[’'][sS](?![^\W_])|[^\W_]+(?:[-.][^\W_]+)*|\S")
_WS = " \t\u00a0\u202f\u2009\u2007\u200a\r"

OPENERS = "“\"„«»”‘"
ALL_MARKS = set("“”\"„«»‟")
CLOSE_MARKS = ALL_MARKS | {"’", "‘"}


# --------------------------------------------------------------------------------------------
# Quote-span detection
# --------------------------------------------------------------------------------------------

@dataclass
class _Span:
    start: int           # inner text start (marks excluded, whitespace trimmed)
    end: int             # inner text end
    open_pos: int        # offset of the opening mark
    close_pos: int | None  # offset of the closing mark (None: runs to paragraph end)
    para: int
    chain: int = -1      # multi-paragraph chain id (-1: none)
    nested: bool = False


def _paragraphs(body: str) -> list[tuple[int, int]]:
    """Paragraph (start, end) offsets: split on newlines (one or more), empty ones dropped."""
    out = []
    for m in re.finditer(r"[^\n]+", body):
        s, e = m.start(), m.end()
        seg = m.group()
        if seg.strip():
            out.append((s, e))
    return out


def _left_flanking(text: str, i: int) -> bool:
    """Mark at i looks like an opener: preceded by start/space/bracket, followed by non-space."""
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return (prev.isspace() or prev in "([{—–-/:;,\u00a0" or prev in ALL_MARKS or i == 0) and \
        not nxt.isspace() and nxt != ""


def _right_flanking(text: str, i: int) -> bool:
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return not prev.isspace() and (nxt.isspace() or not nxt.isalnum())


def _scan_paragraph(body: str, ps: int, pe: int, lang: str):
    """Yield (open_pos, close_pos_or_None) pairs for top-level quotes in body[ps:pe]."""
    pairs: list[tuple[int, int | None]] = []
    open_pos: int | None = None
    opener = ""
    closers = ""
    i = ps
    while i < pe:
        ch = body[i]
        if ch not in ALL_MARKS:
            i += 1
            continue
        lf, rf = _left_flanking(body, i), _right_flanking(body, i)
        if open_pos is None:
            if ch == "„":
                open_pos, opener, closers = i, ch, "“”\""
            elif ch == "«":
                open_pos, opener, closers = i, ch, "»"
            elif ch == "»" and lf and not rf:
                open_pos, opener, closers = i, ch, "«"
            elif ch in "“‟":
                if lf or not rf:
                    open_pos, opener, closers = i, ch, "”\"“"
            elif ch == "\"":
                if lf and not (rf and not lf):
                    open_pos, opener, closers = i, ch, "\"”“"
            elif ch == "”":
                # stray closer; some styles use ” as an opener
                if lf and not rf:
                    open_pos, opener, closers = i, ch, "”\""
        else:
            if ch in closers:
                if ch == "“" and opener in "“‟\"" and lf and not rf:
                    # a new opener while one is open: the previous quote is unbalanced; drop it
                    open_pos, opener = i, ch
                else:
                    pairs.append((open_pos, i))
                    open_pos = None
            elif ch in "„«" or (ch == "“" and opener not in "„"):
                # a fresh opener while a quote is open: restart (the unbalanced one is dropped)
                if lf:
                    open_pos, opener = i, ch
                    closers = {"„": "“”\"", "«": "»"}.get(ch, "”\"“")
            # other marks inside an open quote (e.g. a straight quote in a curly one) are nested
        i += 1
    if open_pos is not None:
        pairs.append((open_pos, None))
    if "‘" in body[ps:pe]:
        pairs = sorted(pairs + _scan_single(body, ps, pe, pairs), key=lambda p: p[0])
    return pairs


def _scan_single(body: str, ps: int, pe: int, pairs) -> list[tuple[int, int]]:
    """British-style top-level ‘…’ quotes outside the double-quoted spans. An opener ‘ starts a
    word; a closer ’ ends one and is not followed by a letter (so don’t / Putin’s never close)."""
    covered = [(o, c if c is not None else pe) for o, c in pairs]

    def inside(i: int) -> bool:
        return any(o <= i <= c for o, c in covered)

    out = []
    i = ps
    while i < pe:
        if body[i] == "‘" and not inside(i) and _left_flanking(body, i):
            j = i + 1
            close = None
            while j < pe:
                if inside(j):
                    break
                if body[j] == "’":
                    nxt = body[j + 1] if j + 1 < pe else " "
                    prev = body[j - 1]
                    if not prev.isspace() and not nxt.isalnum():
                        close = j
                        break
                elif body[j] == "‘" and _left_flanking(body, j):
                    break  # a new opener: the first one was an apostrophe or unbalanced
                j += 1
            if close is not None:
                out.append((i, close))
                i = close + 1
                continue
        i += 1
    return out


def _trim(body: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (body[s] in _WS or body[s] == "\n"):
        s += 1
    while e > s and (body[e - 1] in _WS or body[e - 1] == "\n"):
        e -= 1
    return s, e


def find_quote_spans(body: str, language: str = "en") -> list[_Span]:
    """All top-level quoted spans (before any keep/drop decision)."""
    paras = _paragraphs(body)
    spans: list[_Span] = []
    chain_id = 0
    pending_chain: int | None = None  # an unclosed quote at the end of the previous paragraph
    for pi, (ps, pe) in enumerate(paras):
        pairs = _scan_paragraph(body, ps, pe, language)
        first_nonspace = ps
        while first_nonspace < pe and body[first_nonspace] in _WS:
            first_nonspace += 1
        starts_with_opener = first_nonspace < pe and body[first_nonspace] in OPENERS and \
            bool(pairs) and pairs[0][0] == first_nonspace
        if pending_chain is not None and starts_with_opener:
            spans[-1].chain = pending_chain  # previous paragraph's open quote continues here
        elif pending_chain is not None:
            # the previous open quote did not continue: keep it only up to its paragraph end
            spans[-1].chain = -1
        pending_chain = None
        for k, (o, c) in enumerate(pairs):
            if c is None:
                s, e = _trim(body, o + 1, pe)
                # strip a trailing stray mark-less punctuation-only remainder
                if e <= s:
                    continue
                sp = _Span(s, e, o, None, pi)
                spans.append(sp)
                chain_id += 1
                pending_chain = chain_id
                if k == 0 and starts_with_opener and spans and len(spans) >= 2 and \
                        spans[-2].chain != -1 and spans[-2].para == pi - 1:
                    sp.chain = spans[-2].chain
                    pending_chain = sp.chain
                continue
            s, e = _trim(body, o + 1, c)
            if e <= s:
                continue
            sp = _Span(s, e, o, c, pi)
            if k == 0 and starts_with_opener and len(spans) >= 1 and spans[-1].chain != -1 \
                    and spans[-1].para == pi - 1 and spans[-1].close_pos is None:
                sp.chain = spans[-1].chain
            spans.append(sp)
    return spans


# --------------------------------------------------------------------------------------------
# Tokens, sentences, entities
# --------------------------------------------------------------------------------------------

@dataclass
class _Tok:
    text: str
    start: int
    end: int
    lower: str
    quote: int = -1     # index of the quote span containing it, -1 outside
    sent: int = -1
    ent: int = -1       # index into ents


@dataclass
class _Doc:
    body: str
    lang: str
    spans: list[_Span]
    toks: list[_Tok] = field(default_factory=list)
    sents: list[tuple[int, int, int]] = field(default_factory=list)  # (tok_start, tok_end, para)
    ents: list = field(default_factory=list)
    names: list[tuple[str, str, int]] = field(default_factory=list)  # (text, label, start)
    sent_subject: dict = field(default_factory=dict)
    gender: dict = field(default_factory=dict)   # speaker name -> 'm' / 'f' learnt from pronouns
    q_ranges: dict | None = None
    ent_tok: dict = field(default_factory=dict)  # entity index -> its first token
    canon_cache: dict = field(default_factory=dict)
    hon_gender: dict | None = None  # surname key -> gender from "Mr./Ms. X" in the article
    tok_starts: list | None = None


def _tokenize(doc: _Doc) -> None:
    body = doc.body
    toks = [_Tok(m.group(), m.start(), m.end(), m.group().lower()) for m in _TOKEN_RE.finditer(body)]
    # quote membership (marks themselves count as inside)
    qi = 0
    spans = doc.spans
    for t in toks:
        while qi < len(spans) and _span_outer_end(body, spans[qi]) <= t.start:
            qi += 1
        if qi < len(spans) and spans[qi].open_pos <= t.start < _span_outer_end(body, spans[qi]):
            t.quote = qi
    # entity membership
    ents = sorted(doc.ents, key=lambda e: e.start)
    doc.ents = ents
    ei = 0
    for ti, t in enumerate(toks):
        while ei < len(ents) and ents[ei].end <= t.start:
            ei += 1
        if ei < len(ents) and ents[ei].start <= t.start and t.end <= ents[ei].end:
            t.ent = ei
            doc.ent_tok.setdefault(ei, ti)
    doc.toks = toks


def _span_outer_end(body: str, sp: _Span) -> int:
    if sp.close_pos is not None:
        return sp.close_pos + 1
    return sp.end


def _sentences(doc: _Doc, paras: list[tuple[int, int]]) -> None:
    toks, body = doc.toks, doc.body
    sents: list[tuple[int, int, int]] = []
    ti = 0
    n = len(toks)
    for pi, (ps, pe) in enumerate(paras):
        while ti < n and toks[ti].start < ps:
            ti += 1
        begin = ti
        j = ti
        while j < n and toks[j].start < pe:
            t = toks[j]
            boundary = False
            if t.text in ".!?" and t.quote == -1:
                prev = toks[j - 1].lower if j > begin else ""
                nxt = toks[j + 1] if j + 1 < n and toks[j + 1].start < pe else None
                if nxt is not None and (nxt.text[:1].isupper() or nxt.text in OPENERS
                                        or nxt.text[:1].isdigit()):
                    if not (t.text == "." and (prev in ABBREV or (len(prev) == 1 and prev.isalpha())
                                               or re.fullmatch(r"(?:[a-z]\.)+[a-z]", prev or "-"))):
                        boundary = True
                elif nxt is None:
                    boundary = False
            elif t.quote != -1 and j + 1 < n and toks[j + 1].quote != t.quote and \
                    body[t.start] in CLOSE_MARKS and t.start == _span_outer_end(body, doc.spans[t.quote]) - 1:
                # closing mark of a quote whose text ends a sentence, followed by a capital
                sp = doc.spans[t.quote]
                inner = body[sp.start:sp.end].rstrip()
                nxt = toks[j + 1]
                if inner[-1:] in ".!?" and nxt.start < pe and (nxt.text[:1].isupper() or nxt.text in OPENERS):
                    boundary = True
            if boundary:
                sents.append((begin, j + 1, pi))
                begin = j + 1
            j += 1
        if begin < j:
            sents.append((begin, j, pi))
        ti = j
    for si, (a, b, _p) in enumerate(sents):
        for k in range(a, b):
            toks[k].sent = si
    doc.sents = sents


def _strip_name(name: str) -> str:
    name = re.sub(r"[’']s$", "", name.strip())
    words = name.split()
    while words and (words[0].lower().rstrip(".") in HONORIFICS or words[0].lower() == "the"):
        words = words[1:]
    return " ".join(words) if words else name


def _name_key(w: str) -> str:
    return w.lower().replace("-", " ").replace("‐", " ")


def _canonical(doc: _Doc, mention: str, label: str | None) -> str:
    key = (mention, label)
    if key not in doc.canon_cache:
        doc.canon_cache[key] = _canonical_uncached(doc, mention, label)
    return doc.canon_cache[key]


def _canonical_uncached(doc: _Doc, mention: str, label: str | None) -> str:
    """The fullest name the article gives for a mention: among the longer names that contain it
    (as whole words), the person mentioned first ("Biden" -> "Joe Biden" even if "Hunter Biden"
    appears later), then that person's longest variant ("Vladimir Vladimirovich Putin")."""
    m = _strip_name(mention)
    mwords = _name_key(m).split()
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
        words = _name_key(text).split()
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


@dataclass
class _Ent:
    start: int
    end: int
    label: str
    text: str


_PARTICLES = {"von", "der", "van", "de", "da", "del", "della", "di", "du", "la", "le", "bin",
              "bint", "al", "el", "ibn", "dos", "das", "y", "ter", "den", "zu"}
_PERSON_TITLES = {"president", "chancellor", "minister", "senator", "sen", "rep", "gov",
                  "governor", "mr", "mrs", "ms", "dr", "leader", "spokesman", "spokeswoman",
                  "spokesperson", "secretary", "ambassador", "envoy", "mayor", "premier", "judge",
                  "general", "gen", "prime", "backbencher", "lawmaker", "congressman",
                  "congresswoman", "king", "queen", "prince", "pope", "adviser", "advisor", "aide",
                  "chief", "commissioner", "deputy", "speaker", "candidate", "nominee", "mme",
                  "professor", "prof", "fellow", "analyst", "director", "ceo", "chairman",
                  "chairwoman", "head", "counterpart", "negotiator", "sheikh", "emir", "justice",
                  "representative", "archbishop", "cardinal", "bishop", "rabbi", "imam", "colonel",
                  "major", "captain", "sergeant", "lieutenant", "admiral", "marshal", "inspector",
                  "detective", "officer", "lord", "lady", "baroness", "baron", "dame", "sir",
                  "count", "duke", "ayatollah", "mullah", "commander", "attorney", "chancellor",
                  "secretary-general", "commissioner", "sen", "rep", "mp", "mep", "councillor",
                  "councilman", "councilwoman", "delegate", "vice", "first", "crown", "saint"}


_PARTICLE_EXT = re.compile(r"((?:[ \u00a0]+(?:%s)(?![\w]))*)[ \u00a0]+([A-ZÀ-Ý][\w\-]*)" % "|".join(
    sorted(_PARTICLES, key=len, reverse=True)))


_LEFT_NAME = re.compile(r"(?<![\w.])([A-ZÀ-Ý][a-zà-ÿ\-]+|[A-Z]\.)[ \u00a0]+$")


def _normalize_ents(body: str, ents: list) -> list[_Ent]:
    """Clean NER spans: drop a leading "the", a trailing possessive; extend person names over
    particles ("Ursula von der" + "Leyen"); relabel names NER tagged ORG/GPE when the article
    also tags them PERSON or puts a personal title right before them."""
    out: list[_Ent] = []
    for e in sorted(ents, key=lambda e: (e.start, -e.end)):
        s, t, lab = int(e.start), int(e.end), str(e.label)
        if out and s < out[-1].end:
            continue
        seg = body[s:t]
        m = re.match(r"(?i)the\s+", seg)
        if m and t - s > m.end():
            s += m.end()
        seg = body[s:t]
        m = re.search(r"[’']s?$", seg)
        if m and m.start() > 0:
            t = s + m.start()
        # extend over particles + capitalised words ("Ursula von der" + " Leyen")
        if lab == "PERSON":
            for _ in range(4):
                m = _PARTICLE_EXT.match(body, t)
                words = body[s:t].split()
                if m and words and (m.group(1) or words[-1].lower() in _PARTICLES) and \
                        m.group(2).lower() not in FUNCTION_CAPS and m.group(2).lower() not in CUES:
                    t = m.end()
                else:
                    break
        if lab == "PERSON":
            for _ in range(3):
                m = _LEFT_NAME.search(body, max(0, s - 30), s)
                if m and m.end() == s and m.group(1).lower().rstrip(".") not in _PERSON_TITLES and \
                        m.group(1).lower().rstrip(".") not in HONORIFICS and \
                        m.group(1).lower().rstrip(".") not in FUNCTION_CAPS and \
                        m.group(1).lower() not in ROLE_NOUNS and \
                        not (out and out[-1].end > m.start(1)) and \
                        not re.search(r"(?:an|ian|ese|ish|i)$", m.group(1)):
                    s = m.start(1)
                else:
                    break
        if t <= s:
            continue
        out.append(_Ent(s, t, lab, body[s:t]))
    person_words = set()
    for e in out:
        if e.label == "PERSON":
            person_words.update(_name_key(_strip_name(e.text)).split())
    for e in out:
        if e.label in ("ORG", "GPE", "NORP", "FAC", "WORK_OF_ART", "PRODUCT", "LOC") and \
                re.fullmatch(r"[A-ZÀ-Ý][\w\-’'.]+(?:\s+[A-ZÀ-Ýa-z][\w\-’'.]*){0,4}", e.text):
            words = _name_key(e.text).split()
            before = re.findall(r"[\w]+", body[max(0, e.start - 30):e.start])
            prev = before[-1].lower() if before else ""
            if (words and words[-1] in person_words and e.label != "GPE") or \
                    (prev in _PERSON_TITLES and e.label in ("ORG", "GPE", "WORK_OF_ART", "PRODUCT")
                     and len(words) >= 2):
                e.label = "PERSON"
    return out


_CAP_SEQ = re.compile(r"(?<![\w’'])(?:[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-Za-zà-ÿ]+)?|[A-Z]\.)"
                      r"(?:[ \u00a0]+(?:(?:%s)[ \u00a0]+)*(?:[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-Za-zà-ÿ]+)?|[A-Z]\.))+"
                      % "|".join(sorted(_PARTICLES, key=len, reverse=True)))


def _headline_paragraphs(body: str) -> list[tuple[int, int]]:
    """Title-case lines without final punctuation (a title left in the body): their "names" are
    not used as the fullest form of a speaker's name."""
    out = []
    for ps, pe in _paragraphs(body):
        text = body[ps:pe].strip()
        words = re.findall(r"[^\W\d_][\w’'\-]*", text)
        if not words or len(words) > 16 or text[-1:] in ".!?”\"»":
            continue
        caps = sum(1 for w in words if w[:1].isupper() or len(w) <= 3)
        if caps / len(words) >= 0.75:
            out.append((ps, pe))
    return out


def _collect_names(doc: _Doc) -> None:
    heads = _headline_paragraphs(doc.body)

    def in_headline(pos: int) -> bool:
        return any(a <= pos < b for a, b in heads)

    names = []
    for e in doc.ents:
        if e.label in SPEAKER_LABELS and not in_headline(e.start):
            t = _strip_name(e.text)
            if t and t[0].isupper():
                names.append((t, e.label, e.start))
    if not doc.ents:
        # no NER (e.g. it failed upstream): capitalised multi-word sequences stand in for names
        for m in _CAP_SEQ.finditer(doc.body):
            if in_headline(m.start()):
                continue
            words = m.group().split()
            while words and (words[0].lower().rstrip(".") in _PERSON_TITLES or
                             words[0].lower() in FUNCTION_CAPS or _ADJ_NORP.search(words[0]) and
                             len(words) > 2):
                words = words[1:]
            if len(words) >= 2:
                names.append((" ".join(words), "PERSON", m.start()))
    doc.names = names


# --------------------------------------------------------------------------------------------
# Noun-phrase reading around cue verbs
# --------------------------------------------------------------------------------------------

@dataclass
class _NP:
    kind: str          # 'name' | 'pronoun' | 'role'
    text: str
    label: str | None
    tok_start: int
    tok_end: int       # exclusive
    role_words: tuple[str, ...] = ()
    owner: str | None = None   # "X’s spokesperson" -> X


def _is_cap_name_tok(t: _Tok) -> bool:
    w = t.text
    return bool(w[:1].isupper()) and w.lower() not in FUNCTION_CAPS \
        and any(c.isalpha() for c in w) and w.lower() not in CUES


def _np_ending_at(doc: _Doc, j: int, lo: int) -> _NP | None:
    """Read a speaker noun phrase whose last token is j (tokens >= lo)."""
    toks = doc.toks
    if j < lo or j < 0:
        return None
    t = toks[j]
    if t.quote != -1:
        return None
    if t.lower in PRONOUNS:
        return _NP("pronoun", t.text, None, j, j + 1)
    if t.ent != -1:
        e = doc.ents[t.ent]
        if e.label == "NORP" and _ADJ_NORP.search(e.text) and t.lower not in ROLE_NOUNS:
            return None  # "South Korean officials": an adjective, not a speaker
        if e.label in SPEAKER_LABELS and not (e.label == "NORP" and t.lower in ROLE_NOUNS):
            k = j
            while k - 1 >= lo and toks[k - 1].ent == t.ent:
                k -= 1
            # include preceding honorific (Mr. Kim) in the mention text, for gender only
            text = e.text
            hon = _honorific_before(doc, k, lo)
            return _NP("name", text, e.label if e.label != "NORP" else "ORG", k, j + 1,
                       role_words=(hon,) if hon else ())
    if t.lower in ORG_ROLE_NOUNS and t.text[:1].isupper():
        # a proper organisation name ending in an org noun: "Taiwan’s Defence Ministry"
        k = j
        while k - 1 >= lo and toks[k - 1].quote == -1 and toks[k - 1].text[:1].isupper() and \
                toks[k - 1].lower not in FUNCTION_CAPS:
            k -= 1
        if k < j or (toks[k].lower not in ORG_ROLE_NOUNS):
            return _NP("name", doc.body[toks[k].start:t.end], "ORG", k, j + 1)
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
                    own = _np_ending_at(doc, k - 2, lo)
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
            return _NP("role", " ".join(words), None, k, j + 1, role_words=tuple(words), owner=None)
        return _NP("role", doc.body[toks[k].start:t.end], None, k, j + 1, role_words=tuple(words),
                   owner=owner)
    # capitalised sequence (NER missed it)
    if _is_cap_name_tok(t) and t.text.isalpha() or (t.text[:1].isupper() and "-" in t.text):
        k = j
        while k - 1 >= lo and toks[k - 1].quote == -1 and (
                (_is_cap_name_tok(toks[k - 1]) and toks[k - 1].ent == -1) or toks[k - 1].text == "."
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
        return _NP("name", text, None, k, j + 1, role_words=(hon,) if hon else ())
    return None


def _honorific_before(doc: _Doc, k: int, lo: int) -> str | None:
    toks = doc.toks
    if k - 1 >= lo and toks[k - 1].text == "." and k - 2 >= lo and toks[k - 2].lower in HONORIFICS:
        return toks[k - 2].lower
    if k - 1 >= lo and toks[k - 1].lower in HONORIFICS:
        return toks[k - 1].lower
    return None


def _np_starting_at(doc: _Doc, j: int, hi: int) -> _NP | None:
    """Read a speaker NP beginning at token j (used for "said X" and "according to X")."""
    toks = doc.toks
    if j >= hi:
        return None
    t = toks[j]
    if t.quote != -1:
        return None
    if t.lower in PRONOUNS:
        return _NP("pronoun", t.text, None, j, j + 1)
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
        np = _np_ending_at(doc, k, j)
        if np is not None:
            # extend a name to the end of its entity
            last = np
        k += 1
    return last


def _cue_at(doc: _Doc, j: int) -> str | None:
    t = doc.toks[j]
    if t.quote != -1:
        return None
    c = CUES.get(t.lower)
    if c and t.text[:1].islower():
        return c
    return None


_NP_GLUE = {"the", "of", "former", "deputy", "acting", "senior", "top", "chief", "state",
            "foreign", "supreme", "’s", "'s", "-", "news", "and", "for", "then", "outgoing",
            "incoming", "interim", "caretaker", "opposition", "presidential", "national", "security",
            "defence", "defense", "policy", "affairs", "prime", "vice", "general", "house", "cabinet",
            "peacekeeping", "military", "party", "backbencher", "labour", "finance", "trade",
            "economy", "energy", "health", "justice", "interior", "home", "government", "official"}


def _main_subject(doc: _Doc, si: int) -> _NP | None:
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
            _cue_at(doc, c1) is None:
        c1 += 1
    if c1 < b and toks[c1].text == ",":
        c2 = c1 + 1
        while c2 < b and c2 - c1 < 8 and toks[c2].text != "," and toks[c2].quote == -1:
            c2 += 1
        if c2 < b and toks[c2].text == ",":
            pc = _person_chunk(doc, c1 + 1, c2)
            if pc is not None:
                return pc
    return np


def _main_subject_prefix(doc: _Doc, si: int) -> _NP | None:
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
        return _NP("pronoun", toks[j].text, None, j, j + 1)
    # the noun-phrase prefix: capitalised words, entities, role nouns and glue words
    k = j
    while k < b and k - j < 14:
        u = toks[k]
        if u.quote != -1:
            break
        if u.text[:1].isupper() or u.ent != -1 or u.lower in ROLE_NOUNS or u.lower in _NP_GLUE or \
                (u.text == "." and k > j and (toks[k - 1].lower in ABBREV or
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
                inner = _np_ending_at(doc, c2 - 1, k + 1)
                if inner is not None and inner.kind == "name" and inner.tok_start == k + 1:
                    return inner
        return _np_ending_at(doc, last, j)
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
        return _np_ending_at(doc, _ent_last_tok(doc, head, k), j)
    if toks[last].lower in ("’s", "'s"):
        return None
    np = _np_ending_at(doc, last, j)
    if np is not None and np.kind == "name" and toks[np.tok_start].lower in FUNCTION_CAPS:
        return None
    return np


def _ent_last_tok(doc: _Doc, i: int, hi: int) -> int:
    ei = doc.toks[i].ent
    while i + 1 < hi and doc.toks[i + 1].ent == ei:
        i += 1
    return i


# --------------------------------------------------------------------------------------------
# Resolution of pronouns and roles
# --------------------------------------------------------------------------------------------

def _gender_of(doc: _Doc, canon: str, hon: str | None) -> str | None:
    if canon in doc.gender:
        return doc.gender[canon]
    if hon in FEMALE_HON:
        return "f"
    if hon in MALE_HON:
        return "m"
    first = _name_key(canon).split()[:1]
    if first and first[0] in FEMALE_NAMES:
        return "f"
    # honorifics used elsewhere in the article for this person
    if doc.hon_gender is None:
        doc.hon_gender = {}
        for m in re.finditer(r"\b(Mr|Mrs|Ms|Mme)\.?\s+([A-Z][\w\-]+)", doc.body):
            doc.hon_gender.setdefault(_name_key(m.group(2)), "f" if m.group(1) in ("Mrs", "Ms", "Mme") else "m")
    for w in _name_key(canon).split():
        if w in doc.hon_gender:
            return doc.hon_gender[w]
    return None


@dataclass
class _Speaker:
    name: str | None
    label: str | None
    attribution: str
    gender: str | None = None


def _resolve_np(doc: _Doc, np: _NP | None, si: int, attribution: str, q_char: int,
                last_speakers: list[tuple[int, _Speaker]]) -> _Speaker | None:
    if np is None:
        return None
    if np.kind == "name":
        label = np.label
        if label is None:
            # untagged capitalised words: only accept when the article names it as an entity
            canon = _canonical(doc, np.text, None)
            if canon == _strip_name(np.text):
                known = any(_name_key(canon) in _name_key(n) for n, _l, _s in doc.names)
                first = doc.toks[np.tok_start]
                sent_initial = doc.sents[first.sent][0] == np.tok_start if first.sent >= 0 else True
                if not known and (np.tok_end - np.tok_start == 1 and sent_initial and
                                  not np.text.isupper() and np.text.lower().endswith("s")):
                    return None  # "Protesters said"
            label = next((l for n, l, _s in doc.names if _name_key(n) == _name_key(canon)), None)
        else:
            canon = _canonical(doc, np.text, label)
        hon = np.role_words[0] if np.role_words else None
        return _Speaker(canon, label, attribution, _gender_of(doc, canon, hon) if label == "PERSON" else None)
    if np.kind == "pronoun":
        return _resolve_pronoun(doc, np.text.lower(), si, q_char, last_speakers, np.tok_start)
    if np.kind == "role":
        if np.owner:
            head = np.role_words[-1] if np.role_words else ""
            if head in ORG_ROLE_NOUNS:
                text = doc.body[doc.toks[np.tok_start].start:doc.toks[np.tok_end - 1].end]
                return _Speaker(text, "ORG", "role")
            canon = _canonical(doc, np.owner, None)
            return _Speaker(canon, None, "role")
        return _resolve_role(doc, np, q_char)
    return None


def _resolve_role(doc: _Doc, np: _NP, before: int) -> _Speaker | None:
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
                toks[w].text[:1].isupper() or toks[w].lower in ROLE_NOUNS or toks[w].lower in _NP_GLUE
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
            persons = {_canonical(doc, doc.ents[t.ent].text, "PERSON") for t in toks[a:b]
                       if t.ent != -1 and t.quote == -1 and doc.ents[t.ent].label == "PERSON"}
            if persons <= {prev.name}:
                return _Speaker(prev.name, "PERSON", "role", prev.gender)
    if best is None:
        if head in ORG_ROLE_NOUNS:
            # "The Israeli military said": the phrase itself names the organisation
            words_np = doc.body[toks[np.tok_start].start:toks[np.tok_end - 1].end].split()
            while words_np and words_np[0].lower() in ("the", "a", "an", "its", "their"):
                words_np = words_np[1:]
            if words_np and words_np[0][:1].isupper():
                return _Speaker(" ".join(words_np), "ORG", "role")
            # "The agency said" after "TASS reported": the nearest earlier organisation subject
            if np.tok_start < len(toks) and toks[np.tok_start].lower == "the":
                si = doc.toks[np.tok_start].sent
                for sj in range(si - 1, max(-1, si - 3), -1):
                    sub = doc.sent_subject.get(sj)
                    if sub is not None and sub.label == "ORG" and sub.name:
                        return _Speaker(sub.name, "ORG", "role")
        return None
    canon = _canonical(doc, best.text, best.label)
    return _Speaker(canon, best.label, "role", _gender_of(doc, canon, None) if best.label == "PERSON" else None)


def _resolve_pronoun(doc: _Doc, pron: str, si: int, q_char: int,
                     last_speakers: list[tuple[int, _Speaker]], pron_tok: int = -1) -> _Speaker | None:
    want = PRONOUNS.get(pron)
    if want in (None, "x"):
        return None
    para = doc.sents[si][2]

    def compatible(sp: _Speaker) -> bool:
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
                canon = _canonical(doc, e.text, e.label)
                names[canon] = e.label
        if len(names) == 1:
            canon, lab = next(iter(names.items()))
            cand = _Speaker(canon, lab, "pronoun", _gender_of(doc, canon, None) if lab == "PERSON" else None)
            if compatible(cand):
                found = cand
    # 1. the speaker of an earlier quote in the same paragraph
    for qpos, sp in reversed(last_speakers):
        if found is not None:
            break
        if qpos < q_char and doc.toks and _para_of_char(doc, qpos) == para and compatible(sp):
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
    return _Speaker(found.name, found.label, "pronoun", want if want in ("m", "f") else None)


def _lone_person(doc: _Doc, sj: int) -> _Speaker | None:
    a, b, _p = doc.sents[sj]
    names = {}
    for t in doc.toks[a:b]:
        if t.ent != -1 and t.quote == -1 and doc.ents[t.ent].label == "PERSON":
            e = doc.ents[t.ent]
            canon = _canonical(doc, e.text, "PERSON")
            names[canon] = e
    if len(names) != 1:
        return None
    canon = next(iter(names))
    return _Speaker(canon, "PERSON", "pronoun", _gender_of(doc, canon, None))


def _para_of_char(doc: _Doc, pos: int) -> int:
    if doc.tok_starts is None:
        doc.tok_starts = [t.start for t in doc.toks]
    i = bisect.bisect_left(doc.tok_starts, pos)
    if i >= len(doc.toks):
        return -1
    t = doc.toks[i]
    return doc.sents[t.sent][2] if t.sent >= 0 else -1


# --------------------------------------------------------------------------------------------
# Attribution of one quote
# --------------------------------------------------------------------------------------------

def _quote_tok_range(doc: _Doc, qi: int) -> tuple[int, int]:
    if doc.q_ranges is None:
        rng: dict[int, list[int]] = {}
        for i, t in enumerate(doc.toks):
            if t.quote != -1:
                r = rng.setdefault(t.quote, [i, i + 1])
                r[1] = i + 1
        doc.q_ranges = {q: (a, b) for q, (a, b) in rng.items()}
    return doc.q_ranges.get(qi, (-1, -1))


def _post_quote(doc: _Doc, qi: int, qa: int, qb: int) -> tuple[_NP | None, str | None]:
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
    if _para_of_tok(doc, j) != sp.para:
        return None, None
    hi = j
    while hi < n and hi - j < 30 and toks[hi].quote == -1 and _para_of_tok(doc, hi) == sp.para:
        if toks[hi].text in ";!?":
            break
        if toks[hi].text == "." and not (hi > j and (toks[hi - 1].lower in ABBREV or
                                                     toks[hi - 1].lower in HONORIFICS or
                                                     "." in toks[hi - 1].text)):
            break
        hi += 1
    # "said X"
    c = _cue_at(doc, j)
    if c is not None:
        np = _np_starting_at(doc, j + 1, hi)
        if np is not None:
            return np, c
        return None, c
    # "X [appositive] [adverbs] said"
    k = j
    while k < hi and k - j < 14:
        c = _cue_at(doc, k)
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
    m = _skip_back(doc, k - 1, j)
    np = _np_ending_at(doc, m, j)
    if np is None and m >= j and toks[m].text == ",":
        # "X, a Z at W, said"
        np = _appositive_head(doc, m, j)
    if np is None:
        return None, c
    # the NP must start right after the quote (allow "Putin, who..." etc. only via appositive)
    j2 = j
    while j2 < np.tok_start and (toks[j2].lower in HONORIFICS or toks[j2].text == "."):
        j2 += 1
    if np.tok_start != j2 and not (toks[j].lower == "the" and (np.kind == "role" or all(
            toks[x].text[:1].isupper() or toks[x].lower == "the" for x in range(j, np.tok_start)))):
        first = _np_starting_at(doc, j, np.tok_start)
        if first is None:
            return None, c
    return np, c


def _para_of_tok(doc: _Doc, j: int) -> int:
    s = doc.toks[j].sent
    return doc.sents[s][2] if s >= 0 else -1


_PARTY_TAG = re.compile(r"[RDIL]-[A-Z][\w.]*$")


def _skip_party_tag(doc: _Doc, k: int, lo: int) -> int:
    """For "Sen. Adam Schiff, D-Calif., said": k is the comma after the tag; return the comma
    before it (so the name is read before the tag)."""
    toks = doc.toks
    j = k - 1
    if j >= lo and toks[j].text == ".":
        j -= 1
    if j - 1 >= lo and _PARTY_TAG.match(toks[j].text) and toks[j - 1].text == ",":
        return j - 1
    return k


def _person_chunk(doc: _Doc, a: int, b: int) -> _NP | None:
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
    return _NP("name", doc.ents[ei].text, "PERSON", a, b)


def _appositive_head(doc: _Doc, comma: int, lo: int) -> _NP | None:
    """For "X, a Z at W, said": comma is the token index of the comma before the cue."""
    toks = doc.toks
    k = comma - 1
    while k >= lo and comma - k < 24 and not (toks[k].text == "," and toks[k].quote == -1):
        k -= 1
    if k < lo or toks[k].text != ",":
        return None
    k = _skip_party_tag(doc, k, lo)
    # "The home secretary, Yvette Cooper, said": the name is the appositive itself
    chunk_person = _person_chunk(doc, k + 1, comma)
    if chunk_person is not None:
        return chunk_person
    if k - 1 >= lo and toks[k - 1].lower in ROLE_NOUNS:
        inner = _np_ending_at(doc, comma - 1, k + 1)
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
    np = _np_ending_at(doc, k - 1, lo)
    if np is not None and np.kind in ("name", "pronoun"):
        return np
    return None


def _cue_before(doc: _Doc, qa: int, sa: int) -> tuple[int, str] | None:
    """Nearest cue verb (or "according to") before token qa within the sentence."""
    toks = doc.toks
    j = qa - 1
    while j >= sa and qa - j <= 40:
        t = toks[j]
        if t.quote == -1:
            if t.lower == "according" and j + 1 < len(toks) and toks[j + 1].lower == "to":
                return j, "according to"
            c = _cue_at(doc, j)
            if c is not None and c not in POST_ONLY_CUES:
                return j, c
        j -= 1
    return None


_ADJ_NORP = re.compile(r"(?:an|ese|ish|ic|i|ch)$")
_PREPS = {"in", "at", "from", "for", "of", "near", "on", "with", "by", "inside", "across", "to",
          "outside", "within", "toward", "towards", "against", "than", "about", "like", "under"}


def _skip_back(doc: _Doc, m: int, lo: int) -> int:
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


def _subject_of_cue(doc: _Doc, j: int, sa: int, si: int, prev_in_sent: _Speaker | None,
                    q_char: int, last_speakers) -> tuple[_Speaker | None, bool]:
    """Speaker for a cue verb at token j. Returns (speaker, passive_or_subjectless)."""
    toks = doc.toks
    m = _skip_back(doc, j - 1, sa)
    cue_tok = toks[j].lower
    if m >= sa and toks[m].lower in BE_FORMS and not cue_tok.endswith("ing"):
        return None, True  # passive: "was described as"
    if m >= sa and toks[m].lower in ("who",) and m - 1 >= sa and toks[m - 1].text == ",":
        m -= 2  # "Putin, who said"
    participial = cue_tok.endswith("ing")
    if not participial or (m >= sa and toks[m].text not in (",", "and")):
        np = _np_ending_at(doc, m, sa)
        hops = 0
        while np is not None and np.tok_start - 1 >= sa and toks[np.tok_start - 1].lower in _PREPS:
            np = _np_ending_at(doc, np.tok_start - 2, sa)
            hops += 1
            if np is None or hops > 3:
                return None, False
        if np is not None:
            sp = _resolve_np(doc, np, si, "explicit" if np.kind == "name" else np.kind, q_char,
                             last_speakers)
            if sp is not None and np.kind == "name" and sp.name:
                sp.attribution = "explicit"
            return sp, False
        if m >= sa and toks[m].text == ",":
            k2 = _skip_party_tag(doc, m, sa)
            if k2 != m:
                np = _np_ending_at(doc, k2 - 1, sa)
                if np is not None:
                    sp = _resolve_np(doc, np, si, "explicit" if np.kind == "name" else np.kind,
                                     q_char, last_speakers)
                    return sp, False
        closing_comma = m >= sa and toks[m].quote != -1 and \
            doc.body[doc.spans[toks[m].quote].start:doc.spans[toks[m].quote].end].rstrip().endswith(",")
        if m >= sa and (toks[m].text == "," or closing_comma):
            np = _appositive_head(doc, m, sa)
            if np is not None:
                sp = _resolve_np(doc, np, si, "explicit" if np.kind == "name" else np.kind,
                                 q_char, last_speakers)
                return sp, False
    if m >= sa and (toks[m].text == "," or toks[m].lower in ("and", "but")) or participial:
        # coordinated / participial cue: the sentence subject
        if prev_in_sent is not None:
            return _Speaker(prev_in_sent.name, prev_in_sent.label, prev_in_sent.attribution,
                            prev_in_sent.gender), False
        sub = doc.sent_subject.get(si)
        if sub is not None:
            return _Speaker(sub.name, sub.label, sub.attribution, sub.gender), False
        return None, False
    if m >= sa and toks[m].lower in AGENT_NOUNS:
        return None, False  # "critics called it …": an agent, but no named speaker
    return None, True


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


# --------------------------------------------------------------------------------------------
# Main entry point
# --------------------------------------------------------------------------------------------

def extract_quotes(body: str, language: str, ents: Sequence = ()) -> list[dict]:
    """Direct quotations in ``body`` with speaker, cue and attribution; sorted by start.

    Never raises: on an internal error it degrades to the quotes that could be attributed so far
    (or to none).
    """
    try:
        return _extract(body or "", (language or "").lower()[:2], list(ents or ()))
    except Exception:  # pragma: no cover - defensive: the flow must never crash on one article
        try:
            return _extract(body or "", (language or "").lower()[:2], [])
        except Exception:
            return []


def _extract(body: str, lang: str, ents: list) -> list[dict]:
    if not body or not any(c in ALL_MARKS or c == "‘" for c in body):
        return []
    spans = find_quote_spans(body, lang)
    if not spans:
        return []
    clean_ents = []
    for e in ents:
        try:
            if isinstance(e, dict):
                e = _Ent(int(e["start"]), int(e["end"]), str(e["label"]), str(e.get("text", "")))
            s, t = int(e.start), int(e.end)
            if 0 <= s < t <= len(body):
                clean_ents.append(_Ent(s, t, str(e.label), body[s:t]))
        except Exception:
            continue
    doc = _Doc(body, lang, spans, ents=_normalize_ents(body, clean_ents))
    paras = _paragraphs(body)
    _tokenize(doc)
    _sentences(doc, paras)
    _collect_names(doc)
    if lang != "en":
        return _extract_foreign(doc)

    # sentence subjects (resolved in order, so that pronoun subjects chain)
    results: dict[int, dict] = {}
    last_speakers: list[tuple[int, _Speaker]] = []
    q_by_sent: dict[int, list[int]] = defaultdict(list)
    q_ranges = {}
    for qi in range(len(spans)):
        qa, qb = _quote_tok_range(doc, qi)
        q_ranges[qi] = (qa, qb)
        if qa >= 0:
            q_by_sent[doc.toks[qa].sent].append(qi)

    for si, (sa, sb, para) in enumerate(doc.sents):
        sub_np = _main_subject(doc, si)
        sub_sp = None
        if sub_np is not None:
            pos = doc.toks[sub_np.tok_start].start
            sub_sp = _resolve_np(doc, sub_np, si, sub_np.kind if sub_np.kind != "name" else "explicit",
                                 pos, last_speakers)
        if sub_sp is not None and sub_sp.name:
            doc.sent_subject[si] = sub_sp
        prev_in_sent: _Speaker | None = None
        for qi in q_by_sent.get(si, []):
            row = _attribute(doc, qi, si, sa, sb, prev_in_sent, last_speakers)
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
                row["speaker"] = prev_row["speaker"]
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
                r["speaker"], r["cue"], r["attribution"] = src["speaker"], src["cue"], "continuation"
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


def _attribute(doc: _Doc, qi: int, si: int, sa: int, sb: int, prev_in_sent: _Speaker | None,
               last_speakers) -> dict | None:
    body, toks = doc.body, doc.toks
    sp = doc.spans[qi]
    text = body[sp.start:sp.end]
    qa, qb = _quote_tok_range(doc, qi)
    if qa < 0 or _word_count(text) == 0:
        return None
    before = [t for t in toks[sa:qa] if t.quote == -1]
    after_toks = [t for t in toks[qb:sb] if t.quote == -1]
    prev_tok = toks[qa - 1] if qa - 1 >= sa else None
    next_tok = toks[qb] if qb < sb else None
    full = _looks_full(text) or sp.close_pos is None and _word_count(text) >= 6
    # a quote that opens its sentence (or follows a colon / "said,") stands alone
    standalone = prev_tok is None or prev_tok.text in (":",) or (
        prev_tok.text == "," and qa - 2 >= sa and _cue_at(doc, qa - 2) is not None)
    if full and not standalone and not (text[:1].isupper() and _word_count(text) >= 5):
        full = False
    kind = "full" if full else "partial"

    # ---- scare quotes, titles, nicknames
    prev_low = [t.lower for t in toks[max(sa, qa - 3):qa] if t.quote == -1]
    title_like = _is_title_like(text) or any(
        e.label in ("WORK_OF_ART", "EVENT", "LAW") and e.start <= sp.start + 2 and e.end >= sp.end - 2
        for e in doc.ents if e.start < sp.end and e.end > sp.start)
    if prev_low and prev_low[-1] in SO_CALLED or (len(prev_low) >= 2 and prev_low[-2:] == ["so", "-"]):
        return None
    if prev_low[-1:] and prev_low[-1] in _MENTION_NOUNS and not (standalone and full):
        return None  # "the term “denazification”": a word mentioned, not a statement quoted
    if prev_low[-2:] == ["known", "as"] or prev_low[-1:] in (["titled"], ["entitled"],
                                                            ["headlined"], ["nicknamed"],
                                                            ["codenamed"], ["code-named"]):
        return None
    if title_like and (set(prev_low) & TITLE_CONTEXT or kind == "partial"):
        # titles and names of books, operations, ... (keep only quotes that stand alone with a cue)
        if not (standalone and sp.close_pos is not None and text.rstrip()[-1:] in ",.!?"):
            return None
    if prev_tok is not None and next_tok is not None and prev_tok.text[:1].isupper() and \
            next_tok.text[:1].isupper() and prev_tok.quote == -1 and next_tok.quote == -1 and \
            _word_count(text) <= 4 and prev_tok.end == sp.open_pos - 1 and \
            (prev_tok.ent != -1 or next_tok.ent != -1 or _is_cap_name_tok(prev_tok)) and \
            prev_tok.lower not in FUNCTION_CAPS:
        return None  # nickname between first and last name: Joaquín “El Chapo” Guzmán

    speaker: _Speaker | None = None
    cue: str | None = None
    attribution = "none"

    # 1. "“…,” X said" right after the quote
    np, c = _post_quote(doc, qi, qa, qb)
    if np is not None:
        s = _resolve_np(doc, np, si, "explicit" if np.kind == "name" else np.kind,
                        sp.start, last_speakers)
        if s is not None and s.name:
            speaker, cue = s, c
            attribution = "explicit" if np.kind == "name" else np.kind
    if speaker is None and c is not None and np is None:
        cue = cue or c
    # 2. nearest cue verb before the quote
    naming_without_agent = False
    if speaker is None:
        cb = _cue_before(doc, qa, sa)
        if cb is not None:
            j, c2 = cb
            if c2 == "according to":
                np2 = _np_starting_at(doc, j + 2, qa)
                s = _resolve_np(doc, np2, si, "according_to", sp.start, last_speakers) if np2 else None
                if s is not None and s.name:
                    speaker, cue, attribution = s, "according to", "according_to"
                else:
                    cue = "according to"
            else:
                s, subjectless = _subject_of_cue(doc, j, sa, si, prev_in_sent, sp.start, last_speakers)
                if s is not None and s.name:
                    speaker, cue = s, c2
                    attribution = s.attribution if s.attribution in ("pronoun", "role") else "explicit"
                else:
                    if c2 in NAMING_CUES and subjectless:
                        naming_without_agent = True
                    elif c2 in NAMING_CUES:
                        cue = cue or c2
                    elif not subjectless:
                        cue = cue or c2
                    elif subjectless and c2 not in NAMING_CUES:
                        cue = cue or c2
    # 3. "according to X" after the quote in the same sentence
    if speaker is None:
        for k in range(qb, sb):
            if toks[k].quote == -1 and toks[k].lower == "according" and k + 1 < sb and \
                    toks[k + 1].lower == "to":
                np3 = _np_starting_at(doc, k + 2, sb)
                s = _resolve_np(doc, np3, si, "according_to", sp.start, last_speakers) if np3 else None
                if s is not None and s.name:
                    speaker, cue, attribution = s, "according to", "according_to"
                break
    # 4. a later quote-external cue in the same sentence whose subject precedes the quote:
    #    "Putin, asked about it, said “…”" is covered by 2; "X … “…” …, X said." by 1.

    if speaker is not None and attribution == "explicit" and speaker.attribution == "pronoun":
        attribution = "pronoun"

    # ---- keep / drop
    if speaker is None:
        if naming_without_agent and not full:
            return None  # "a war called “aggression”"
        if not full and cue is None:
            return None  # scare quote / term
        if title_like and not full:
            return None
    elif title_like and kind == "partial" and cue in NAMING_CUES and _word_count(text) <= 2:
        pass

    row = {
        "text": text,
        "start": sp.start,
        "end": sp.end,
        "kind": kind,
        "speaker": speaker.name if speaker else None,
        "cue": cue if (speaker is not None or cue is not None) else None,
        "attribution": attribution if speaker else "none",
        "_sp": speaker,
        "_standalone": prev_tok is None and (next_tok is None or next_tok.quote != -1 or
                                             not any(_cue_at(doc, k) for k in range(qb, sb))),
        "_para_initial": qa == doc.sents[si][0] and (si == 0 or doc.sents[si - 1][2] != doc.sents[si][2]),
    }
    return row


def _extract_foreign(doc: _Doc) -> list[dict]:
    """Other languages: quotes by their marks; no speaker. Scare quotes dropped by shape."""
    cues = _FOREIGN_CUES.get(doc.lang, set())
    out = []
    for qi, sp in enumerate(doc.spans):
        text = doc.body[sp.start:sp.end]
        n = _word_count(text)
        if n == 0:
            continue
        qa, qb = _quote_tok_range(doc, qi)
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
                    "cue": None, "attribution": "none"})
    return out


# --------------------------------------------------------------------------------------------
# Cross-article clustering
# --------------------------------------------------------------------------------------------

_STOP = set("""a an the of to in on at for and or but is are was were be been being it its this
that these those with by from as into about against between than then so such not no nor will
would can could should may might must do does did has have had which who whom whose what when
where why how all any both each few more most other some own same very just also only our we i
you he she they them their his her us me my your there here""".split())


def _stem(w: str) -> str:
    for suf in ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "s"):
        if len(w) > len(suf) + 3 and w.endswith(suf):
            return w[: -len(suf)] + ("y" if suf in ("ies", "ied") else "")
    return w


def _norm_tokens(text: str) -> list[str]:
    return [w for w in re.findall(r"[^\W_]+", (text or "").lower())]


def _speaker_key(s) -> str | None:
    if s is None:
        return None
    s = str(s).strip()
    if not s:
        return None
    return " ".join(_name_key(_strip_name(s)).split())


def cluster_quotes(rows: list[dict], threshold: float = 0.6) -> list[str]:
    """Quote-cluster ids (one per row, aligned with ``rows``).

    Two quotes are linked when they have the same speaker (case/hyphen-insensitive; quotes with
    no speaker are never linked) and either (a) their content-word sets (stop words removed,
    crudely stemmed) overlap by at least ``threshold`` of the smaller set (>= 3 content words), or
    (b) the shorter one (>= 2 content words) occurs verbatim (normalised) inside the longer.
    Clusters are the connected components; each gets the smallest ``quote_id`` of its members,
    so the result does not depend on row order. Candidate pairs come from an inverted index of
    each quote's rarest words within its speaker block (prefix filtering), so 10^5 quotes run in
    seconds.
    """
    n = len(rows)
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    blocks: dict[str, list[int]] = defaultdict(list)
    toks: list[list[str]] = [[] for _ in range(n)]
    sets: list[frozenset] = [frozenset() for _ in range(n)]
    norm: list[str] = [""] * n
    for i, r in enumerate(rows):
        key = _speaker_key(r.get("speaker"))
        words = _norm_tokens(r.get("text", ""))
        norm[i] = " " + " ".join(words) + " "
        toks[i] = words
        sets[i] = frozenset(_stem(w) for w in words if w not in _STOP)
        if key is not None and sets[i]:
            blocks[key].append(i)

    for key, members in blocks.items():
        if len(members) < 2:
            continue
        df: dict[str, int] = defaultdict(int)
        for i in members:
            for w in sets[i]:
                df[w] += 1
        index: dict[str, list[int]] = defaultdict(list)
        ordered: dict[int, list[str]] = {}
        for i in members:
            o = sorted(sets[i], key=lambda w: (df[w], w))
            ordered[i] = o
            for w in o:
                index[w].append(i)
        for i in members:
            o = ordered[i]
            size = len(o)
            if size >= 3:
                need = max(1, int(-(-threshold * size // 1)))  # ceil
                prefix = o[: size - need + 1]
            else:
                prefix = o[:1]
            cands: set[int] = set()
            for w in prefix:
                for j in index[w]:
                    if j != i and len(sets[j]) >= size:
                        cands.add(j)
            for j in cands:
                if find(i) == find(j):
                    continue
                inter = len(sets[i] & sets[j])
                if size >= 3 and inter >= threshold * size:
                    union(i, j)
                elif size >= 2 and norm[i].strip() and norm[i] in norm[j]:
                    union(i, j)

    comp_min: dict[int, str] = {}
    for i, r in enumerate(rows):
        root = find(i)
        qid = str(r.get("quote_id"))
        if root not in comp_min or qid < comp_min[root]:
            comp_min[root] = qid
    return [comp_min[find(i)] for i in range(n)]
