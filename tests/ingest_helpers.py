"""Raw files for the ingestion tests (tests/test_ingest.py, tests/test_decode.py): write one under a raw root,
read it back as a Decoded or a Reject."""
from __future__ import annotations

from pathlib import Path

from newsdesk.ingest import Decoded, Reject, read_text

ARTICLE = "Putin and Kim “signed a comprehensive agreement” on Wednesday – the first in decades."


def put(root: Path, rel: str, data: bytes | str) -> Path:
    path = root.joinpath(*rel.split("/"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def decoded(root: Path, rel: str, **kw: int) -> Decoded:
    got = read_text(root, rel, **kw)
    assert isinstance(got, Decoded), got
    return got


def rejected(root: Path, rel: str, reason: str, **kw: int) -> Reject:
    got = read_text(root, rel, **kw)
    assert isinstance(got, Reject), got
    assert got.reason == reason, got
    assert got.path == rel
    assert str(root) not in got.detail  # details do not depend on where the raw root lives
    return got
