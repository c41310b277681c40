"""Direct-quotation extraction and attribution (spaCy's dependency parse, surface rules where there is
none), transcripts, and cross-article clusters.

``extract_quotes(body, language, ents, parse)`` finds quoted spans by their marks, keeps real quotations (full
clauses, and phrases a speaker is reported as using) and drops scare quotes, titles and nicknames that no one
is reported saying; it attributes a speaker and a cue verb. Where the paragraph was parsed (the enrich step
parses the paragraphs :func:`wants_parse` accepts: a quote mark, an introducing colon, a transcript turn) the
grammar decides: the verb the quote hangs from or that hangs from it, and that verb's subject or agent,
whatever it is:

* a name (the fullest form the article gives), inverted ("“…,” said X"), with a title before it ("said
  clinical psychologist X"), with a long apposition ("X, policy director at Y, said");
* a pronoun, resolved to the nearest compatible earlier speaker or sentence subject (gender from honorifics,
  pronouns already resolved and the ``gender-guesser`` first-name dictionary);
* a description ("the report", "a bartender", "the campaign"): a speaker in its own words, attribution
  'description'; or 'role' when the article gave that title to a named person or organisation
  ("the governor" -> ``speaker_refers_to`` "Chris Christie", linked to that entity);
* "according to X"; a clause ending in a colon before the quote ("Cruz continued:"); a speaker named in
  the sentence before or after a quote that has none; the possessor of a noun of saying ("Clinton's call
  for a “revolution”").

Without a parse (other languages; paragraphs not parsed) the surface rules over the NER spans stand in
(``“…,” X said``, ``X [adverbs] CUE``, ``according to X``, continuation). A continued quote (the next
sentence or paragraph, multi-paragraph quotations) takes the previous speaker. "NAME:" / "Q:" / "A:"
paragraphs of a transcript are quotes of that speaker. When a rule cannot name the speaker it leaves it
``None`` (a wrong speaker is worse than none).

The package, in the order a quote goes through it:

* :mod:`~newsdesk.quotes.marks` — quote marks → quoted spans;
* :mod:`~newsdesk.quotes.text` — tokens, sentences and entities of one article;
* :mod:`~newsdesk.quotes.grammar` — the parse of the quote paragraphs: governing verbs, subjects, phrases;
* :mod:`~newsdesk.quotes.phrases` — noun phrases around cue verbs, a sentence's subject (surface rules);
* :mod:`~newsdesk.quotes.speakers` — the article's names, fullest form of a name, gender;
* :mod:`~newsdesk.quotes.resolve` — names, pronouns, roles and descriptions → speakers;
* :mod:`~newsdesk.quotes.cues` — the cue and its subject for one quote, from the parse;
* :mod:`~newsdesk.quotes.attribution` — the cue and its subject for one quote, from the surface (the tokens);
* :mod:`~newsdesk.quotes.fallbacks` — a speaker named outside the quote's own clause: a colon, the sentence
  before or after, the surface rules;
* :mod:`~newsdesk.quotes.decide` — one quote: kind, speech or not, speaker and cue, keep/drop;
* :mod:`~newsdesk.quotes.turns` — transcript and interview turns;
* :mod:`~newsdesk.quotes.extract` — the entry point: the passes over an article, continuation, chains;
* :mod:`~newsdesk.quotes.clusters` — ``cluster_quotes``: one statement across articles;
* :mod:`~newsdesk.quotes.evaluate` — scoring against annotated articles (bench and tests).

The word lists (cue and speech verbs, speech nouns, role nouns, honorifics...) are in
``newsdesk/data/lexicon.toml``; the cleanup of the NER spans before attribution is
:func:`newsdesk.entities.mentions.normalize_for_quotes`. Accuracy on real news: ``bench/eval_quotes_polnear.py``.
"""
from newsdesk.quotes.clusters import cluster_quotes
from newsdesk.quotes.extract import extract_quotes
from newsdesk.quotes.grammar import wants_parse
from newsdesk.quotes.marks import find_quote_spans

__all__ = ["extract_quotes", "cluster_quotes", "find_quote_spans", "wants_parse"]
