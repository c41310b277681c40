"""Words and sentence ends as the quality gate reads them: outer punctuation, closers, sentence breaks.

Owns the text primitives the gate's measures share: ``_PUNCT`` / ``_strip_punct`` (a whitespace token stripped
of its outer punctuation is a word; a token of only punctuation is none), the closing quotes and brackets and the
terminal punctuation of a line (``_CLOSERS``, ``_TERMINAL``), a sentence end inside a line (``_SENTENCE_BREAK``,
never after a list number) and the split of a line into sentences (``_SENTENCE_SPLIT``), and when a line ending
in ':' ';' or ',' is prose rather than a headline (``CLAUSE_MIN_WORDS``, ``_CLAUSE_END``).
"""
from __future__ import annotations

import operator
import re

#: Punctuation stripped from both ends of a whitespace token to get a word (a token of only these is no word).
_PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~“”‘’«»‹›„‚—–‐‑‒―…•·▪●◦‣∙′″°§¶†‡¡¿«»©®™€£¥¢→←↑↓★☆✓✔✗✘"
_strip_punct = operator.methodcaller("strip", _PUNCT)
_CLOSERS = "\"'”’»)]*_` \t"  # closing quotes and brackets (and spaces: tokenized text ends '. ''')
_TERMINAL = ".!?…。！？؟।"
# a sentence end inside a line: terminal punctuation, optional closers, then a space and a capital/quote/digit
# (not after a one- or two-digit list number: '1. Why your mortgage ...' is a list item, not a sentence end)
_SENTENCE_BREAK = re.compile(
    r"(?<!\s\d)(?<!\s\d\d)(?<!^\d)(?<!^\d\d)[.!?…。！？؟।][\"'”’»)\]]*(?:\s+[\"'“‘«(\[]?[^\W_a-z]|$)")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…。！？])[\"'”’»)\]]*\s+(?=[\"'“‘«(\[]?[^\W_a-z])")
#: A line of at least this many words ending in ':' ';' or ',' is prose too ('The Latest on the campaign (all
#: times EST):' opens wire roundups); headlines and menu items are shorter or end in nothing.
CLAUSE_MIN_WORDS = 10
_CLAUSE_END = frozenset(":;,")
