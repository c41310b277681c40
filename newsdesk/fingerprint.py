"""Stable ids and the exact-duplicate key.

The exact key is a hash of the body after *exact normalization*:

* Unicode NFKC, then case-folded;
* typographic quotes (‘ ’ ‚ ‛ “ ” „ ‟ « » ′ ″) mapped to ASCII ' and ";
* dashes and minus signs (‐ ‑ ‒ – — ― −) mapped to '-';
* every run of whitespace (spaces, tabs, newlines, paragraph breaks) collapsed to one space, ends stripped.

Two bodies that differ only in those respects are the same article. Punctuation other than quotes and
dashes is kept: "Let's eat, Grandma" and "Let's eat Grandma" are different texts.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

_QUOTES = str.maketrans({
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'",
    "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
})
_WS = re.compile(r"\s+")


def normalize_exact(text: str) -> str:
    """Normalize a body for exact-duplicate comparison (see module docstring)."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_QUOTES)
    return _WS.sub(" ", text).strip()


def short_hash(*parts: str, size: int = 8) -> str:
    """Hex BLAKE2b digest (2*size hex digits) of the parts joined by a unit separator."""
    h = hashlib.blake2b(digest_size=size)
    h.update("\x1f".join(parts).encode("utf-8"))
    return h.hexdigest()


def exact_key(body: str) -> str:
    """The exact-duplicate key of a body; also its ``article_id``."""
    return short_hash(normalize_exact(body))


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
