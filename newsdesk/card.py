"""The dataset card (``OUT/DATASET.md``), following the Hugging Face dataset card sections.

Everything in it is computed or derived, never typed twice: the summary and sources from the committed
tables (outlets, dates, languages, counts), how the data was made from :data:`newsdesk.pipeline.STEPS`, the
tables and columns from ``schemas/``, the annotations' measured accuracy from ``newsdesk/data/accuracy.toml``
(which the accuracy benchmarks update with :func:`record_accuracy`). Rewritten at every commit.
"""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsdesk import __version__, schema

if TYPE_CHECKING:
    from newsdesk.store import Store

ACCURACY_FILE = "accuracy.toml"

# What each step of newsdesk.pipeline.STEPS does, for readers of the data (tests/test_card.py fails when a
# step has no entry here).
STEP_NOTES = {
    "discover": "Lists every file under the raw folder (hidden names skipped; with `--changes folders`, "
                "folders whose listing is unchanged since the last run are counted, not listed), skips files "
                "already curated whose size and modification time have not changed, and rejects what cannot be read "
                "(`rejects`: unreadable, vanished, symlink out of the folder, not a regular file).",
    "prepare": "Reads and decodes each new file (UTF-8, UTF-16, Latin-1/cp1252, gzip; empty, binary, "
               "undecodable, truncated and over-size files become rejects), splits it into title, subtitle, "
               "section, dateline, byline and body, removes boilerplate by rule (donation appeals, \"Read "
               "more:\", \"Follow us on:\", author bios; every cut is audited in `removed_text`), detects the "
               "language (langdetect, seeded), turns away documents that are not news articles (the quality "
               "gate: error pages, paywalls, index pages...; a `not_article` reject naming the rule) and signs "
               "each article for deduplication.",
    "plan": "Drops exact and near-duplicate articles (MinHash LSH on word 5-grams, verified Jaccard at or above "
            "the run's threshold, against the articles already in the store too) into `duplicates`, learns "
            "lines repeated across an outlet's articles (footers) and removes them, accounts for every input "
            "file and gives the run its id.",
    "enrich": "Finds named entities in English articles (spaCy NER) and resolves them within the article, and "
              "extracts direct quotations with their speaker, cue verb and kind (rules over quote marks, "
              "speech verbs and the NER output).",
    "link": "Resolves the run's entities across the corpus to canonical names and ids, settled from the totals "
            "of every run so far (alias table, name variants, type votes); an entity a later run retypes, renames "
            "or merges gets a new id and its old id a row in `entity_redirects`, which the catalog views follow. "
            "Links quote speakers to entities.",
    "cluster": "Groups quotations of one statement (same speaker, near-identical wording), the committed "
               "ones included, into quote clusters.",
    "commit": "Validates what the run adds (schemas, keys, references, offsets, every input file accounted "
              "for) and publishes the new snapshot with one atomic rename; this card and the catalog are "
              "rewritten then.",
}

AREA_LABELS = {"quotes": "Quotations and speakers", "entities": "Named entities"}
SCORE_LABELS = {
    ("quotes", "precision"): "quotation precision (extracted quotes that are real quotes)",
    ("quotes", "recall"): "quotation recall (annotated quotes found)",
    ("quotes", "f1"): "quotation F1",
    ("quotes", "named_speaker_accuracy"): "speaker accuracy where the annotated source is named",
    ("entities", "mention_recall"): "entity mention recall",
    ("entities", "cross_article_bcubed_f1"): "cross-article entity resolution, B-cubed F1",
    ("entities", "one_id_across_articles"): "entities mentioned in 2+ articles that get a single id",
    ("entities", "type_agreement"): "entity type agreement with the annotation",
    ("entities", "clean_canonical_names"): "canonical names judged clean",
}

BOOKKEEPING_TABLES = ("files", "rejects", "duplicates", "removed_text", "runs")


# ------------------------------------------------------------------------------------------------ accuracy
def load_accuracy(path: Path | None = None) -> dict[str, dict[str, Any]]:
    """The measured accuracy, by area (``quotes``, ``entities``, ...)."""
    if path is None:
        text = resources.files("newsdesk.data").joinpath(ACCURACY_FILE).read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    return tomllib.loads(text)


def record_accuracy(area: str, scores: dict[str, float | str], *, measured: dt.date, benchmark: str,
                    path: Path | None = None) -> Path:
    """Replace the ``area`` section of ``newsdesk/data/accuracy.toml`` (for the accuracy benchmarks).

    ``scores``: numbers in [0, 1] or ``"hits/total"`` strings. The file's header comment is kept; the
    sections are rewritten in order.
    """
    path = Path(path) if path else Path(str(resources.files("newsdesk.data").joinpath(ACCURACY_FILE)))
    text = path.read_text(encoding="utf-8")
    header = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    data = tomllib.loads(text)
    data[area] = {"measured": measured, "benchmark": benchmark, "scores": dict(scores)}
    out = [header.rstrip("\n"), ""]
    for name, sec in data.items():
        pairs = ", ".join(f"{k} = {_toml_value(v)}" for k, v in sec["scores"].items())
        out += [f"[{name}]", f"measured = {sec['measured'].isoformat()}",
                f"benchmark = {_toml_value(sec['benchmark'])}", f"scores = {{ {pairs} }}", ""]
    path.write_text("\n".join(out), encoding="utf-8")
    return path


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _score(v: Any) -> str:
    if isinstance(v, str) and re.fullmatch(r"\d+/\d+", v):
        hits, total = map(int, v.split("/"))
        return f"{hits}/{total} ({hits / total:.1%})" if total else v
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


# ------------------------------------------------------------------------------------------------ facts
def _facts(store: Store) -> dict[str, Any]:
    """Counts, sources, dates and languages from the committed tables."""
    from newsdesk.store import connect

    f: dict[str, Any] = {"rows": {name: store.count_rows(name) for name in schema.tables()}}
    if store.version() == 0:
        f.update(outlets=[], languages=[], dates=(None, None), undated=0, entity_types=[], speakers=0,
                 quoted_people=0, authors=0, last_run=None, not_article=0)
        return f
    con = connect(store.out)
    q = con.execute
    f["outlets"] = q("SELECT outlet, count(*), min(published_at), max(published_at) FROM articles "
                     "GROUP BY outlet ORDER BY count(*) DESC, outlet NULLS LAST").fetchall()
    f["languages"] = q("SELECT language, count(*) FROM articles GROUP BY 1 ORDER BY 2 DESC, 1").fetchall()
    f["dates"] = q("SELECT min(published_at), max(published_at) FROM articles").fetchone()
    f["undated"] = q("SELECT count(*) FROM articles WHERE published_at IS NULL").fetchone()[0]
    f["entity_types"] = q("SELECT type, count(*) FROM entities GROUP BY 1 ORDER BY 2 DESC, 1").fetchall()
    f["speakers"] = q("SELECT count(*) FROM quotes WHERE speaker IS NOT NULL").fetchone()[0]
    f["quoted_people"] = q("SELECT count(DISTINCT speaker_entity_id) FROM quotes q JOIN entities e "
                           "ON e.entity_id = q.speaker_entity_id WHERE e.type = 'PERSON'").fetchone()[0]
    f["authors"] = q("SELECT count(DISTINCT author) FROM articles WHERE author IS NOT NULL").fetchone()[0]
    f["last_run"] = q("SELECT run_id, finished_at FROM runs ORDER BY finished_at DESC LIMIT 1").fetchone()
    f["not_article"] = q("SELECT count(*) FROM rejects WHERE reason = 'not_article'").fetchone()[0]
    con.close()
    return f


def _size_category(n: int) -> str:
    for limit, label in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
                         (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M")):
        if n < limit:
            return label
    return "10M<n<100M"


def _day(v: Any) -> str:
    return v.strftime("%Y-%m-%d") if v is not None else "—"


def _public_tables() -> list[str]:
    return [n for n, t in schema.tables().items() if not t.internal]


def _internal_tables() -> list[str]:
    return [n for n, t in schema.tables().items() if t.internal]


# ------------------------------------------------------------------------------------------------ the card
def dataset_card(store: Store) -> str:
    from newsdesk.pipeline import STEPS

    try:
        from newsdesk.entities import MODEL_NAME
    except ImportError:  # pragma: no cover
        MODEL_NAME = "en_core_web_sm"

    f = _facts(store)
    rows = f["rows"]
    n_articles = rows["articles"]
    langs = [lang for lang, _ in f["languages"] if lang]
    lines = ["---", "pretty_name: newsdesk curated news"]
    if langs:
        lines += ["language:"] + [f"- {lang}" for lang in langs]
    lines += ["license: other", "license_name: third-party-news-text",
              f"size_categories:\n- {_size_category(n_articles)}",
              "tags:\n- news\n- quotations\n- named-entities\n- deduplicated", "configs:"]
    for name in _public_tables():
        lines += [f"- config_name: {name}", f"  data_files: {name}/*.parquet"]
        if name == "articles":
            lines.append("  default: true")
    lines += ["---", "", "# newsdesk curated news", ""]

    # ---- summary and sources
    last = f["last_run"]
    made = (f" by run `{last[0]}` (finished {last[1]:%Y-%m-%d %H:%M} UTC)" if last else "")
    lo, hi = f["dates"]
    lines += ["## Dataset summary", "",
              f"Snapshot {store.version()} written by newsdesk {__version__}{made}. News articles curated from "
              "raw text files: each article is split into its parts, stripped of boilerplate, tagged with its "
              "language, deduplicated, and annotated by machine with its direct quotations (and who said "
              "them) and its named entities, resolved across articles to canonical names.", "",
              "| | |", "|---|---|",
              f"| articles | {n_articles} |",
              f"| outlets | {sum(1 for o in f['outlets'] if o[0] is not None)}"
              + (f" (+ {next(o[1] for o in f['outlets'] if o[0] is None)} articles of unknown outlet)"
                 if any(o[0] is None for o in f["outlets"]) else "") + " |",
              f"| published | {_day(lo)} to {_day(hi)}"
              + (f" ({f['undated']} articles without a date)" if f["undated"] else "") + " |",
              f"| languages | {', '.join(f'{lang} {n}' for lang, n in f['languages']) or '—'} |",
              f"| quotations | {rows['quotes']} ({f['speakers']} with a speaker) |",
              f"| entities | {rows['entities']} "
              f"({', '.join(f'{t} {n}' for t, n in f['entity_types']) or '—'}), {rows['entity_mentions']} mentions |",
              f"| input files | {rows['files']} ({n_articles} articles, {rows['duplicates']} duplicates, "
              f"{rows['rejects']} rejects) |", ""]
    lines += ["### Sources", "",
              "The outlet is the first folder under the raw folder (null for files directly in it). Each raw "
              "file's path and sha256 are kept (`articles.source_path`, `files`).", "",
              "| outlet | articles | first published | last published |", "|---|---|---|---|"]
    for outlet, n, first, lastp in f["outlets"]:
        lines.append(f"| {outlet if outlet is not None else '(unknown)'} | {n} | {_day(first)} | {_day(lastp)} |")
    if not f["outlets"]:
        lines.append("| — | 0 | — | — |")
    lines += ["", "### Languages", "",
              "Detected per article with langdetect (seeded, deterministic); named entities and quotation "
              "speakers are extracted from English articles only.", "",
              "| language | articles |", "|---|---|"]
    lines += [f"| {lang} | {n} |" for lang, n in f["languages"]] or ["| — | 0 |"]

    # ---- structure and loading
    lines += ["", "## Dataset structure", "",
              "One folder of zstd Parquet files per table (`<table>/*.parquet`, read the whole folder), and "
              "`catalog.duckdb`, a DuckDB database with one view per table and the column descriptions as "
              "comments. Column contracts live in the project's `schemas/` folder.", "",
              "| table | rows | key | what it holds |", "|---|---|---|---|"]
    for name, t in schema.tables().items():
        tag = " *(internal)*" if t.internal else ""
        lines.append(f"| `{name}`{tag} | {rows[name]} | {', '.join(t.primary_key) or '—'} | {t.description} |")
    lines += ["", "Tables for analysis: `articles`, `quotes`, `entities`, `entity_mentions`. Bookkeeping: "
              + ", ".join(f"`{n}`" for n in BOOKKEEPING_TABLES)
              + " (what became of every input file, what was removed, each run). Internal, for later runs "
              "and not for analysis: " + ", ".join(f"`{n}`" for n in _internal_tables()) + ".", ""]
    lines += ["### Loading", "",
              "The catalog's views read `<table>/*.parquet` relative to this folder: open it from here, or "
              "set DuckDB's `file_search_path` to this folder. Open it read-only: it is regenerated at every "
              "commit (a copied or moved folder keeps working).", "",
              "```bash", "cd data/curated && duckdb -readonly catalog.duckdb -c \"SELECT title FROM articles LIMIT 5\"",
              "duckdb -readonly -cmd \"SET file_search_path='data/curated'\" data/curated/catalog.duckdb", "```", "",
              "```python", "import duckdb, pandas as pd, polars as pl",
              "con = duckdb.connect(\"data/curated/catalog.duckdb\", read_only=True,",
              "                     config={\"file_search_path\": \"data/curated\"})",
              "con.sql(\"SELECT speaker, text FROM quotes LIMIT 5\").show()       # .df(): a pandas DataFrame",
              "articles = pd.read_parquet(\"data/curated/articles\")            # pandas (pyarrow)",
              "quotes = pl.read_parquet(\"data/curated/quotes/*.parquet\")      # polars",
              "```", "",
              "With the Hugging Face `datasets` library: `load_dataset(\"parquet\", data_files="
              "\"data/curated/quotes/*.parquet\")`, or `load_dataset(\"data/curated\", \"quotes\")` (the "
              "`configs` above).", ""]

    # ---- creation
    lines += ["## Dataset creation", "",
              "### Source data", "",
              "Raw news-article text files (`.txt`, `.txt.gz`), one article per file, as collected by whoever "
              "runs the pipeline; newsdesk does not fetch anything. Runs are incremental: each adds only the "
              "files (or new versions of files) the store has not seen.", "",
              "### How it was made", "",
              "A [Prefect](https://docs.prefect.io) flow runs these steps, in order (`newsdesk.pipeline.STEPS`); "
              "*map* steps run in batches on threads, processes or a Dask cluster, with byte-identical "
              "results; the workers stage their rows as Parquet parts, merged at the commit.", "",
              "| step | runs | function | what it does |", "|---|---|---|---|"]
    for step in STEPS:
        note = STEP_NOTES.get(step.name) or _doc_line(step.work) or "—"
        lines.append(f"| {step.name} | {'map, per batch' if step.map else 'once'} | "
                     f"`{step.work.__module__}.{step.work.__name__}` | {note} |")

    # ---- the quality gate
    from newsdesk.quality import rule_rows

    lines += ["", "### Document-quality gate", "",
              "Files that are not news articles (error and \"no longer available\" pages, paywall, cookie, "
              "login and captcha walls, \"enable JavaScript\" scaffolds, menus and index pages, video, gallery, "
              "podcast and live stubs, newsletter sign-ups, comment sections, data dumps, filler text) are not "
              "curated: each is a row of `rejects` with reason `not_article` and a `detail` naming the rule "
              "that fired and what it measured "
              f"({f['not_article']} files here). The rules are data (`newsdesk/data/quality_rules.toml`); a run "
              "can turn any of them off (`newsdesk run --quality-config FILE`) or all of them "
              "(`--keep-low-quality`). With the default settings:", "",
              "| rule | kind | threshold | what it catches |", "|---|---|---|---|"]
    for rule, kind, threshold, description in rule_rows():
        lines.append(f"| `{rule}` | {kind} | {str(threshold).replace('|', '/')} | "
                     f"{str(description).replace('|', '/')} |")

    # ---- annotations
    acc = load_accuracy()
    lines += ["", "## Annotations", "",
              "All annotations are made by machine; no person reviewed them. Quotations: `quotes` (text, "
              f"speaker, cue verb, kind, how the speaker was attributed). Entities: spaCy `{MODEL_NAME}` "
              "NER (PERSON, ORG, GPE, LOC, NORP, FAC, EVENT) then rule-based resolution to canonical names "
              "(`entities`, `entity_mentions`; `quotes.speaker_entity_id` links a speaker to an entity). "
              "Language: langdetect. Boilerplate and duplicates: rules and MinHash (audited in "
              "`removed_text` and `duplicates`).", "",
              "### Measured accuracy", "",
              "Measured with the current code on real news annotated by people (not on this data); expect "
              "lower figures on outlets and genres unlike the benchmarks'."]
    for area, sec in acc.items():
        lines += ["", f"**{AREA_LABELS.get(area, area)}**, measured {sec.get('measured', '—')} on "
                      f"{sec.get('benchmark', '—')}:", "", "| score | value |", "|---|---|"]
        for key, value in sec.get("scores", {}).items():
            label = SCORE_LABELS.get((area, key), key.replace("_", " "))
            lines.append(f"| {label} | {_score(value)} |")

    # ---- personal information
    people = dict(f["entity_types"]).get("PERSON", 0)
    lines += ["", "## Personal and sensitive information", "",
              f"The articles name people, and the dataset makes them easy to find: {people} PERSON entities, "
              f"{f['quoted_people']} of them quoted, with their words attributed in `quotes` "
              f"({f['speakers']} quotations with a speaker), and {f['authors']} distinct bylines "
              "(`articles.author`). They are public figures as often as private persons quoted once (witnesses, "
              "relatives, residents). Machine attribution can put words in the wrong mouth (see the speaker "
              "accuracy above): check the source article (`articles.body[start:end]`) before quoting anyone, "
              "and do not publish person-level aggregates without review. Nothing is anonymized.", ""]

    # ---- bias and limitations
    lines += ["## Bias, risks and limitations", "",
              "- **Coverage** is whatever was put in the raw folder: the outlets, dates and languages above are "
              "the whole population, not a sample of the news.",
              "- **Named entities for English only**: non-English articles are kept with their language and "
              "their quotations (rules tuned on English), but have no entity mentions, and their speakers are "
              "not linked to entities.",
              "- **Direct quotations only**: reported speech without quote marks is not extracted; a speaker "
              "may be missing (null) or wrong (see the measured speaker accuracy).",
              "- **Entity resolution** can merge two people sharing a name or split one person written in "
              "unusual ways; types come from a small NER model.",
              "- **Deduplication** keeps one canonical article per near-duplicate cluster (Jaccard threshold "
              "of the run, 0.8 by default); syndicated copies are in `duplicates`, not in `articles`.",
              "- **Incremental runs** (append-only, so committed rows never change): the canonical article of a "
              "duplicate cluster is the one committed first, even when a later file would have been chosen in "
              "one run over everything; lines repeated across an outlet's articles are learned from each run's "
              "articles, not all of them; an entity's canonical name and id, once committed, do not change; a "
              "quote cluster keeps the id it was first committed with. A file edited in place is a new version: "
              "both stay (`files.previous_sha256` links them).",
              "- **Dates** come from the text (dateline, byline); articles without one have a null "
              "`published_at`.", ""]

    # ---- licence
    lines += ["## Licensing information", "",
              "The article texts, titles and quotations are third-party material: copyright stays with their "
              "publishers and authors, under the terms the raw files were obtained on. This dataset does not "
              "grant any right to them; redistributing the text (including in `articles.body`, `quotes.text`, "
              "`removed_text`) needs those rights, or an exception such as research use where the law allows "
              "it. Derived annotations (offsets, ids, entity names, counts) carry no text of their own beyond "
              "short names. newsdesk itself is not a licence holder of any of it.", ""]

    # ---- per-table columns
    lines += ["## Tables and columns", ""]
    for name, t in schema.tables().items():
        key = ", ".join(t.primary_key) or "—"
        internal = " *(Internal: bookkeeping for later runs, not for analysis.)*" if t.internal else ""
        lines += [f"### {name}", "", t.description + internal, "",
                  f"Rows: {rows[name]}. Primary key: {key}. Mode: {t.mode}.", "", schema.markdown_columns(name), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _doc_line(fn) -> str:
    doc = (fn.__doc__ or "").strip()
    return doc.splitlines()[0] if doc else ""
