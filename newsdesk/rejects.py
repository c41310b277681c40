"""A raw file that cannot become an article, and why: :class:`Reject` and the reasons ingestion gives.

Owns :class:`Reject` (a row of the ``rejects`` table; its ``reason`` must be one of the values
``schemas/rejects.toml`` allows) and ``_Rejected``, the exception that carries a reason out of the reading
(:mod:`newsdesk.ingest`) and decoding (:mod:`newsdesk.decode`) helpers to :func:`newsdesk.ingest.read_text`.
Ingestion never raises for a problem with a *file*; every problem becomes a :class:`Reject` whose ``reason``
is one of

``vanished``         the file disappeared between discovery and reading
``unreadable``       permission denied, I/O error, a directory, a broken symlink, an unlistable directory
``symlink_outside``  a symlink whose target resolves outside the raw root (never opened)
``not_regular``      a FIFO, socket or device, or a symlink to a directory (never followed)
``too_large``        more than ``max_bytes`` on disk, or after gzip decompression
``truncated_gzip``   a ``.gz`` file that is truncated or corrupt
``empty``            0 bytes (after decompression for ``.gz``)
``whitespace_only``  nothing but whitespace once decoded and normalized
``binary``           a known binary signature, NUL bytes, or too many control bytes
``undecodable``      no encoding gives plausible text
"""
from __future__ import annotations

from dataclasses import dataclass

from newsdesk import schema


@dataclass(frozen=True, slots=True)
class Reject:
    """A raw file (or unlistable directory) that cannot become an article, and why."""

    path: str
    sha256: str | None  # of the raw bytes when they were read, else None
    size_bytes: int | None
    reason: str  # one of the allowed values of rejects.reason (schemas/rejects.toml)
    detail: str

    def __post_init__(self) -> None:
        if self.reason not in schema.allowed("rejects", "reason"):
            raise ValueError(f"reject reason {self.reason!r} is not declared in schemas/rejects.toml")


class _Rejected(Exception):
    """Internal: carries a reject reason out of the helpers to :func:`read_text`."""

    def __init__(self, reason: str, detail: str, size_bytes: int | None = None) -> None:
        super().__init__(reason, detail)
        self.reason, self.detail, self.size_bytes = reason, detail, size_bytes
