"""Direct-quotation extraction and attribution (rule-based; no dependency parse), and cross-article clusters.

``extract_quotes(body, language, ents)`` finds quoted spans by their marks, keeps real quotations (full
clauses, or phrases inside reported speech) and drops scare quotes, titles and nicknames; it attributes a
speaker (the fullest name the article gives) and a cue verb with surface rules over the NER spans the
entity step provides:

* ``“…,” X said`` / ``“…,” said X`` (X a name, a pronoun or a role noun phrase);
* ``X [adverbs] CUE [that|:] … “…”`` — the nearest cue verb before the quote in its sentence;
  ``X, a Z at W, CUE``; ``X’s spokesperson CUE``; ``…, CUE-ing …`` and ``… and CUE`` take the
  sentence's subject;
* ``according to X`` anywhere in the sentence;
* continuation: an unattributed full quote right after a quote of known speaker (same paragraph,
  or first thing in the next paragraph), and multi-paragraph quotations;
* pronouns (he/she) resolve to the subject of the nearest earlier sentence with a compatible
  person; role nouns (``the Russian president``) to the person named earlier with that role.

When a rule cannot name the speaker it leaves it ``None`` (a wrong speaker is worse than none). Other
languages: quotes by their marks, speaker ``None``. The spaCy parser is not used: on the dev set and the
seeds the surface rules over NER spans left nothing for it to fix, and parsing only the quote sentences
would cost ~25% of the step's throughput (see ``bench/eval_quotes.py --throughput --parser-cost``).

The package, in the order a quote goes through it:

* :mod:`~newsdesk.quotes.marks` — quote marks → quoted spans;
* :mod:`~newsdesk.quotes.text` — tokens, sentences and entities of one article;
* :mod:`~newsdesk.quotes.phrases` — noun phrases around cue verbs, a sentence's subject;
* :mod:`~newsdesk.quotes.speakers` — the article's names, fullest form of a name, gender;
* :mod:`~newsdesk.quotes.resolve` — pronouns and role phrases → named speakers;
* :mod:`~newsdesk.quotes.attribution` — the cue-verb patterns that attribute one quote;
* :mod:`~newsdesk.quotes.extract` — the entry point: keep/drop, kind, continuation, chains;
* :mod:`~newsdesk.quotes.clusters` — ``cluster_quotes``: one statement across articles;
* :mod:`~newsdesk.quotes.evaluate` — scoring against annotated articles (bench and tests).

The word lists (cue verbs, role nouns, honorifics...) are in ``newsdesk/data/lexicon.toml``; the cleanup of
the NER spans before attribution is :func:`newsdesk.entities.mentions.normalize_for_quotes`.
"""
from newsdesk.quotes.clusters import cluster_quotes
from newsdesk.quotes.extract import extract_quotes
from newsdesk.quotes.grammar import wants_parse
from newsdesk.quotes.marks import find_quote_spans

__all__ = ["extract_quotes", "cluster_quotes", "find_quote_spans", "wants_parse"]
