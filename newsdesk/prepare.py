"""Map step 1, over a batch of raw files: read, decode, parse, strip rule-based boilerplate, detect language.

Pure and per-file: the result for a file depends only on its bytes and the settings, never on the batch it
ran in, so tables do not depend on batch size, order or worker count.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from newsdesk.fingerprint import exact_key
from newsdesk.ingest import Decoded, Reject, file_outlet, read_text
from newsdesk.language import detect_language
from newsdesk.parse import ParsedArticle, Removed, parse_article


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


@dataclass
class BatchResult:
    prepared: list[Prepared] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    known: int = 0  # files skipped because (path, sha256) is already in the manifest


def prepare_file(decoded: Decoded) -> Prepared | Reject:
    parsed: ParsedArticle = parse_article(decoded.text)
    if not parsed.paragraphs:
        return Reject(decoded.path, decoded.sha256, decoded.size_bytes, "no_body",
                      "no body text left after parsing (only a headline, metadata or boilerplate)")
    body = "\n\n".join(parsed.paragraphs)
    language, prob = detect_language(body)
    return Prepared(
        source_path=decoded.path, source_sha256=decoded.sha256, size_bytes=decoded.size_bytes,
        encoding=decoded.encoding, outlet=file_outlet(decoded.path), article_id=exact_key(body),
        title=parsed.title, subtitle=parsed.subtitle, section=parsed.section, author=parsed.author,
        dateline=parsed.dateline, published_at=parsed.published_at, paragraphs=tuple(parsed.paragraphs),
        paragraph_positions=tuple(parsed.paragraph_positions), removed=tuple(parsed.removed), language=language, language_prob=prob)


def prepare_batch(raw_root: Path | str, paths: Sequence[str], known: Mapping[str, frozenset[str]],
                  max_bytes: int) -> BatchResult:
    """Prepare every file of a batch; ``known`` maps a path to the sha256s already curated for it."""
    raw_root = Path(raw_root)
    result = BatchResult()
    for path in paths:
        got = read_text(raw_root, path, max_bytes=max_bytes)
        if isinstance(got, Reject):
            result.rejects.append(got)
            continue
        if got.sha256 in known.get(path, ()):
            result.known += 1
            continue
        try:
            prepared = prepare_file(got)
        except Exception as exc:  # a parser bug must not lose the file: reject it with the reason
            prepared = Reject(got.path, got.sha256, got.size_bytes, "parse_error",
                              f"{type(exc).__name__}: {exc}")
        if isinstance(prepared, Reject):
            result.rejects.append(prepared)
        else:
            result.prepared.append(prepared)
    return result
