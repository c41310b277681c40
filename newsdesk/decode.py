"""Raw bytes to clean text: the encoding, binary detection, and normalization.

Owns the decoding of one file's bytes (already decompressed) to normalized text, or the reason it cannot be
text (``empty``, ``binary``, ``undecodable``, ``whitespace_only``: raised as
:class:`~newsdesk.rejects._Rejected` to :func:`newsdesk.ingest.read_text`), and :func:`normalize_text`.
The bytes come from :mod:`newsdesk.ingest`.

Decoding order (``_decode``)
    BOM (UTF-32, UTF-8, UTF-16) -> UTF-16 without BOM (NUL pattern, see ``_bomless_utf16``) -> strict UTF-8 ->
    UTF-8 with a few stray legacy bytes, each decoded as cp1252 (``utf-8+cp1252``) -> cp1252 when it reads
    as Western text -> charset_normalizer's best guess for other legacy files (cp1251, koi8-r, GBK, ...).

Normalization (:func:`normalize_text`)
    CRLF and lone CR -> LF; VT, FF, NEL, U+2028, U+2029 -> LF; BOM/U+FEFF removed; other C0 controls
    (except TAB and LF), DEL and C1 controls removed; NBSP -> space; Unicode NFC (not NFKC: typographic
    quotes and dashes are kept); trailing whitespace stripped from every line; leading and trailing blank
    lines removed.
"""
from __future__ import annotations

import re
import unicodedata

from charset_normalizer import from_bytes

from newsdesk.rejects import _Rejected


# --------------------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------------------

_BOMS: tuple[tuple[bytes, str], ...] = (  # UTF-32 before UTF-16: FF FE 00 00 starts with FF FE
    (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"),
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF87a", "GIF"), (b"GIF89a", "GIF"),
    (b"%PDF-", "PDF"), (b"PK\x03\x04", "ZIP"), (b"PK\x05\x06", "ZIP"), (b"PK\x07\x08", "ZIP"),
    (b"\x7fELF", "ELF"), (b"\x1f\x8b", "gzip"), (b"\xfd7zXZ\x00", "xz"), (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x28\xb5\x2f\xfd", "zstd"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2"), (b"\xca\xfe\xba\xbe", "Mach-O/class"),
    (b"SQLite format 3\x00", "SQLite"), (b"\x00asm", "WebAssembly"), (b"PAR1", "Parquet"),
    (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"), (b"OggS", "Ogg"), (b"fLaC", "FLAC"),
)
_BZIP2 = re.compile(rb"BZh[1-9]1AY&SY")
_RIFF_KINDS = (b"WAVE", b"AVI ", b"WEBP")

# Control bytes that never occur in text (TAB LF VT FF CR and ESC are allowed: ESC for ISO-2022).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_NON_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
MAX_CONTROL_RATIO = 0.05  # of all bytes
# Characters that mean the decoding went wrong when there are many of them.
_BAD_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffd\ud800-\udfff\ue000-\uf8ff]")
MAX_BAD_CHAR_RATIO = 0.05  # of non-whitespace characters

_STRAY = re.compile("[\udc80-\udcff]")  # bytes left undecoded by 'surrogateescape'
_NON_ASCII_DECODED = re.compile("[^\x00-\x7f\udc80-\udcff]")
_LETTER = re.compile(r"[^\W\d_]")
_NON_ASCII_LETTER = re.compile("[^\\W\\d_\x00-\x7f]")
MAX_NON_ASCII_LETTER_RATIO = 0.3  # French or German text: under 0.1; Cyrillic read as cp1252: about 1.0


def _legacy_char(byte: int) -> str:
    """A stray byte as cp1252, or as Latin-1 for the five bytes cp1252 leaves undefined."""
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


_LEGACY = {0xDC00 + b: _legacy_char(b) for b in range(0x80, 0x100)}


def _decode_text(data: bytes) -> tuple[str, str]:
    """Decode raw (already decompressed) bytes to normalized text; returns ``(text, encoding)``.

    Raises ``_Rejected`` for empty, binary, undecodable or whitespace-only input.
    """
    if not data:
        raise _Rejected("empty", "0 bytes")
    text, encoding = _decode(data)
    _check_plausible(text)
    text = normalize_text(text)
    if not text.strip():
        raise _Rejected("whitespace_only", "no text after decoding and normalizing whitespace")
    return text, encoding


def _decode(data: bytes) -> tuple[str, str]:
    magic = _binary_signature(data)
    if magic:
        raise _Rejected("binary", f"{magic} signature")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strict(data, codec), codec
    if b"\x00" in data:
        utf16 = _bomless_utf16(data)
        if utf16 is None:
            raise _Rejected("binary", "contains NUL bytes")
        return utf16
    controls = len(data.translate(None, _NON_CONTROL_BYTES))
    if controls > MAX_CONTROL_RATIO * len(data):
        raise _Rejected("binary", f"{controls} control bytes in {len(data)}")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mixed = _utf8_with_stray_bytes(data)
    if mixed is not None:
        return mixed, "utf-8+cp1252"
    western = _western_cp1252(data)
    if western is not None:
        return western, "cp1252"
    return _guess_legacy(data)


def _binary_signature(data: bytes) -> str | None:
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    if _BZIP2.match(data):
        return "bzip2"
    if data.startswith(b"RIFF") and data[8:12] in _RIFF_KINDS:
        return "RIFF"
    return None


def _strict(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise _Rejected("undecodable", f"invalid {codec} despite its byte-order mark at byte {exc.start}") from None


def _bomless_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM. In alphabetic text the high byte of each code unit takes only a few values
    (0x00 for ASCII spaces, digits and punctuation, 0x04 for Cyrillic, 0x20 for typographic quotes...),
    a good share of them NUL, while the low byte is almost never NUL. Binary data fails one of these."""
    if len(data) % 2:
        return None
    sample = data[:8192]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    for codec, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if high.count(0) >= 0.1 * pairs and low.count(0) <= 0.05 * pairs and len(set(high)) <= 8:
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                return None
    return None


def _utf8_with_stray_bytes(data: bytes) -> str | None:
    """UTF-8 text with a few legacy bytes (a cp1252 '£' pasted into UTF-8): decode the valid runs as
    UTF-8 and each stray byte as cp1252. Used only when valid multi-byte UTF-8 characters are at least as
    many as the stray bytes; otherwise the file is taken as legacy-encoded throughout."""
    text = data.decode("utf-8", "surrogateescape")
    stray = len(_STRAY.findall(text))
    multibyte = len(_NON_ASCII_DECODED.findall(text))
    if multibyte == 0 or stray > multibyte:
        return None
    return text.translate(_LEGACY)


def _western_cp1252(data: bytes) -> str | None:
    """cp1252 when it reads the bytes as Western text: every byte defined and at most
    :data:`MAX_NON_ASCII_LETTER_RATIO` of the letters non-ASCII. Cyrillic, Greek or CJK bytes read as cp1252
    come out almost all accented Latin letters, so they fall through to charset_normalizer.

    Tried before charset_normalizer because on English text whose only legacy bytes are curly quotes and
    dashes it prefers DOS code pages (cp775 reads ’ as Æ) or breaks Latin ties arbitrarily (cp1250 reads
    "très" as "trčs"). The cost: Polish or Turkish legacy files are read as cp1252 (their bytes are too).
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = len(_LETTER.findall(text))
    non_ascii = len(_NON_ASCII_LETTER.findall(text))
    return text if non_ascii <= MAX_NON_ASCII_LETTER_RATIO * letters else None


def _guess_legacy(data: bytes) -> tuple[str, str]:
    """Any other legacy file: charset_normalizer's best guess (labelled cp1252 if cp1252 reads the same)."""
    best = from_bytes(data).best()
    if best is None:
        raise _Rejected("undecodable", "no encoding gives plausible text")
    return str(best), "cp1252" if "cp1252" in best.could_be_from_charset else best.encoding


def _check_plausible(text: str) -> None:
    bad = len(_BAD_CHARS.findall(text))
    if bad:
        visible = len(text) - sum(text.count(ws) for ws in " \n\r\t")
        if bad > MAX_BAD_CHAR_RATIO * max(visible, 1):
            raise _Rejected("undecodable", f"{bad} control/replacement characters in {visible} after decoding")


# --------------------------------------------------------------------------------------------------
# Normalization
# --------------------------------------------------------------------------------------------------

_REPLACEMENTS: dict[str, str] = {
    **{chr(c): "" for c in range(0x00, 0x20) if c not in (0x09, 0x0A)},  # C0 except TAB and LF
    "\x7f": "",
    **{chr(c): "" for c in range(0x80, 0xA0)},  # C1
    "\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n",
    "\xa0": " ",
    "\ufeff": "",
}
# A regex finds the few characters to replace far faster than str.translate with a dict walks them all.
_TO_REPLACE = re.compile("[" + "".join(re.escape(ch) for ch in _REPLACEMENTS) + "]")


def normalize_text(text: str) -> str:
    """Normalize decoded text (line ends, controls, NBSP, NFC, trailing spaces); see the module docstring."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _TO_REPLACE.sub(lambda m: _REPLACEMENTS[m.group()], text)
    text = unicodedata.normalize("NFC", text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
