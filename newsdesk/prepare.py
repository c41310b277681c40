"""The prepare step, over a batch of raw files: read, decode, parse, strip rule-based boilerplate, detect the
language, turn away what is not a news article (the quality gate), sign for deduplication, and write it all
to the run's staging area.

Pure and per-file: the result for a file depends only on its bytes and the settings, never on the batch it
ran in, so tables do not depend on batch size, order or worker count. The worker keeps its output: it
writes three staged parts named after its batch (see :data:`STAGED`) and returns a :class:`PrepareResult`
of counts and rejects only:

* ``prepared``: the parsed article (header fields, paragraphs and their positions, the text removed by
  rules), which the enrich step reads back;
* ``signatures``: what deduplication needs without the body (exact key, rank fields, MinHash signature,
  LSH band keys), which the plan step reads out of core;
* ``lines``: the keys of the article's short paragraphs, from which the plan step learns each outlet's
  repeated lines;
* ``file_state``: (path, size, modification time, sha256) of every file read, so later runs skip an
  unchanged file without reading it.
"""
from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa

from newsdesk.boilerplate import REPEATED_MAX_WORDS, line_key
from newsdesk.dedup.index import band_key_column
from newsdesk.dedup.minhash import BANDS, NUM_PERM, ROWS, SEED, band_keys, signatures_normalized
from newsdesk.fingerprint import exact_key, normalize_exact
from newsdesk.ingest import Decoded, Reject, file_outlet, read_text
from newsdesk.language import detect_language
from newsdesk.parse import ParsedArticle, Removed, parse_article
from newsdesk.quality import REJECT_REASON, QualityConfig, assess_prepared
from newsdesk.staging import write_part


@dataclass(frozen=True, slots=True)
class Prepared:
    """One decoded, parsed article, before deduplication."""

    source_path: str
    source_sha256: str
    size_bytes: int
    encoding: str
    outlet: str | None
    article_id: str  # exact key of the rule-cleaned body
    title: str | None
    subtitle: str | None
    section: str | None
    author: str | None
    dateline: str | None
    published_at: datetime | None
    paragraphs: tuple[str, ...]
    paragraph_positions: tuple[int, ...]  # position of each paragraph among the file's non-empty lines
    removed: tuple[Removed, ...]
    language: str
    language_prob: float

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


_S = pa.string()
PREPARED_SCHEMA = pa.schema([
    ("source_path", _S), ("source_sha256", _S), ("size_bytes", pa.int64()), ("encoding", _S), ("outlet", _S),
    ("article_id", _S), ("title", _S), ("subtitle", _S), ("section", _S), ("author", _S), ("dateline", _S),
    ("published_at", pa.timestamp("us")), ("language", _S), ("language_prob", pa.float64()),
    ("paragraphs", pa.list_(_S)), ("paragraph_positions", pa.list_(pa.int32())),
    ("removed_position", pa.list_(pa.int32())), ("removed_text", pa.list_(_S)), ("removed_rule", pa.list_(_S)),
])
SIGNATURES_SCHEMA = pa.schema([
    ("part", _S), ("source_path", _S), ("source_sha256", _S), ("size_bytes", pa.int64()), ("article_id", _S),
    ("outlet", _S), ("language", _S), ("has_title", pa.bool_()), ("body_len", pa.int64()),
    ("published_at", pa.timestamp("us")), ("shingle_count", pa.int32()), ("signature", pa.binary()),
    ("band_keys", pa.list_(pa.uint64())),
])
LINES_SCHEMA = pa.schema([("source_path", _S), ("outlet", _S), ("line_key", _S)])
FILE_STATE_SCHEMA = pa.schema([("source_path", _S), ("size_bytes", pa.int64()), ("mtime_ns", pa.int64()),
                               ("source_sha256", _S)])
#: staged table -> schema of the parts the prepare step writes
STAGED = {"prepared": PREPARED_SCHEMA, "signatures": SIGNATURES_SCHEMA, "lines": LINES_SCHEMA,
          "file_state": FILE_STATE_SCHEMA}


@dataclass
class PrepareResult:
    """What a prepare task returns to the driver: counts and rejects, never the articles."""

    part: str
    docs: int = 0  # articles written to the staged parts
    rejects: list[Reject] = field(default_factory=list)
    known: int = 0  # files read and found already curated (same path and sha256)


def prepare_file(decoded: Decoded, quality: QualityConfig | None = None) -> Prepared | Reject:
    """Parse, strip rule-based boilerplate, detect the language, then the quality gate: a document that is
    not a news article (an error page, a paywall stub, a menu, a data dump...) becomes a ``not_article``
    reject naming the rule that fired (:mod:`newsdesk.quality`)."""
    parsed: ParsedArticle = parse_article(decoded.text)
    if not parsed.paragraphs:
        return Reject(decoded.path, decoded.sha256, decoded.size_bytes, "no_body",
                      "no body text left after parsing (only a headline, metadata or boilerplate)")
    body = "\n\n".join(parsed.paragraphs)
    language, prob = detect_language(body)
    prepared = Prepared(
        source_path=decoded.path, source_sha256=decoded.sha256, size_bytes=decoded.size_bytes,
        encoding=decoded.encoding, outlet=file_outlet(decoded.path), article_id=exact_key(body),
        title=parsed.title, subtitle=parsed.subtitle, section=parsed.section, author=parsed.author,
        dateline=parsed.dateline, published_at=parsed.published_at, paragraphs=tuple(parsed.paragraphs),
        paragraph_positions=tuple(parsed.paragraph_positions), removed=tuple(parsed.removed),
        language=language, language_prob=prob)
    verdict = assess_prepared(prepared, quality)
    if not verdict.keep:
        return Reject(decoded.path, decoded.sha256, decoded.size_bytes, REJECT_REASON, verdict.reject_detail)
    return prepared


def prepared_table(docs: Sequence[Prepared]) -> pa.Table:
    """Prepared articles as a staged ``prepared`` part."""
    cols = {n: [getattr(d, n) for d in docs] for n in PREPARED_SCHEMA.names
            if n not in ("paragraphs", "paragraph_positions") and not n.startswith("removed_")}
    cols["paragraphs"] = [list(d.paragraphs) for d in docs]
    cols["paragraph_positions"] = [list(d.paragraph_positions) for d in docs]
    cols["removed_position"] = [[r.position for r in d.removed] for d in docs]
    cols["removed_text"] = [[r.text for r in d.removed] for d in docs]
    cols["removed_rule"] = [[r.rule for r in d.removed] for d in docs]
    return pa.table({n: cols[n] for n in PREPARED_SCHEMA.names}, schema=PREPARED_SCHEMA)


def read_prepared(table: pa.Table) -> list[Prepared]:
    """The inverse of :func:`prepared_table`."""
    out = []
    for r in table.to_pylist():
        removed = tuple(Removed(p, t, u) for p, t, u in
                        zip(r.pop("removed_position"), r.pop("removed_text"), r.pop("removed_rule")))
        out.append(Prepared(**{**r, "paragraphs": tuple(r["paragraphs"]),
                               "paragraph_positions": tuple(r["paragraph_positions"]), "removed": removed}))
    return out


def read_staged(stage: Path | str, part: str) -> list[Prepared]:
    """The articles a prepare task staged as ``part`` (tests, debugging)."""
    import pyarrow.parquet as pq

    return read_prepared(pq.read_table(Path(stage) / "prepared" / f"{part}.parquet"))


def signature_table(part: str, docs: Sequence[Prepared], *, num_perm: int = NUM_PERM, seed: int = SEED,
                    bands: int = BANDS, rows: int = ROWS) -> pa.Table:
    """The dedup view of prepared articles: MinHash over the exact-normalized body, no body."""
    bodies = [d.body for d in docs]
    if docs:
        sigs, nsh = signatures_normalized([normalize_exact(b) for b in bodies], num_perm, seed)
    else:
        sigs, nsh = np.zeros((0, num_perm), np.uint32), np.zeros(0, np.int64)
    keys = band_keys(sigs, bands, rows)
    return pa.table({
        "part": [part] * len(docs), "source_path": [d.source_path for d in docs],
        "source_sha256": [d.source_sha256 for d in docs], "size_bytes": [d.size_bytes for d in docs],
        "article_id": [d.article_id for d in docs], "outlet": [d.outlet for d in docs],
        "language": [d.language for d in docs], "has_title": [d.title is not None for d in docs],
        "body_len": [len(b) for b in bodies], "published_at": [d.published_at for d in docs],
        "shingle_count": pa.array(nsh, pa.int32()),
        "signature": pa.array([r.tobytes() for r in sigs.astype("<u4")], pa.binary()),
        "band_keys": band_key_column(keys),
    }, schema=SIGNATURES_SCHEMA)


def lines_table(docs: Sequence[Prepared]) -> pa.Table:
    """Each article's distinct short-paragraph keys (candidates for an outlet's repeated lines)."""
    paths, outlets, keys = [], [], []
    for d in docs:
        for k in sorted({line_key(p) for p in d.paragraphs if p and len(p.split()) <= REPEATED_MAX_WORDS}):
            paths.append(d.source_path)
            outlets.append(d.outlet)
            keys.append(k)
    return pa.table({"source_path": paths, "outlet": outlets, "line_key": keys}, schema=LINES_SCHEMA)


def prepare_batch(raw_root: Path | str, paths: Sequence[str], known: Mapping[str, frozenset[str]],
                  max_bytes: int, stage: Path | str | None = None, part: str = "000000",
                  quality: QualityConfig | None = None) -> PrepareResult:
    """Prepare every file of a batch and write the staged parts ``<stage>/<table>/<part>.parquet``.

    ``known`` maps a path to the sha256s already curated for it: such a file is read (its stat changed) but
    not prepared again. With ``stage=None`` nothing is written (tests that only want the counts).
    """
    raw_root = Path(raw_root)
    result = PrepareResult(part=part)
    docs: list[Prepared] = []
    state: list[tuple[str, int, int, str | None]] = []
    for path in paths:
        try:
            st = os.stat(raw_root / path)
            mtime = st.st_mtime_ns
        except OSError:
            mtime = -1
        got = read_text(raw_root, path, max_bytes=max_bytes)
        if isinstance(got, Reject):
            result.rejects.append(got)
            state.append((path, got.size_bytes if got.size_bytes is not None else -1, mtime, got.sha256))
            continue
        state.append((path, got.size_bytes, mtime, got.sha256))
        if got.sha256 in known.get(path, ()):
            result.known += 1
            continue
        try:
            prepared = prepare_file(got, quality)
        except Exception as exc:  # a parser bug must not lose the file: reject it with the reason
            prepared = Reject(got.path, got.sha256, got.size_bytes, "parse_error",
                              f"{type(exc).__name__}: {exc}")
        if isinstance(prepared, Reject):
            result.rejects.append(prepared)
        else:
            docs.append(prepared)
    result.docs = len(docs)
    if stage is not None:
        stage = Path(stage)
        write_part(prepared_table(docs), stage / "prepared" / f"{part}.parquet")
        write_part(signature_table(part, docs), stage / "signatures" / f"{part}.parquet")
        write_part(lines_table(docs), stage / "lines" / f"{part}.parquet")
        write_part(pa.table({"source_path": [s[0] for s in state], "size_bytes": [s[1] for s in state],
                             "mtime_ns": [s[2] for s in state], "source_sha256": [s[3] for s in state]},
                            schema=FILE_STATE_SCHEMA), stage / "file_state" / f"{part}.parquet")
    return result
