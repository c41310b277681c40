"""Stop words per language: spaCy's lists, keyed by langdetect code, read without importing spaCy.

Owns :func:`stop_words` (a langdetect code -> spaCy's stop words for it, lower-cased, or None when spaCy has no
list: such a language skips the stop-word check and is never judged by another language's list), the codes that
differ between the two (``zh-cn`` -> ``zh``, ``no`` -> ``nb``), the list a non-English document is judged by (its
own with English merged in: English words only ever help it pass) and the scripts written without spaces
(``NO_SPACE_LANGUAGES``), for which the word statistics are skipped or estimated.
"""
from __future__ import annotations

import functools
import importlib.util
import re
from pathlib import Path

#: langdetect codes whose spaCy stop-word module has another name.
_SPACY_CODE = {"zh-cn": "zh", "zh-tw": "zh", "no": "nb"}
#: Scripts written without spaces between words: whitespace "words" mean nothing there, so the word-based
#: statistics (word count, mean word length, stop words, repeated words) are skipped or estimated.
NO_SPACE_LANGUAGES = frozenset({"zh-cn", "zh-tw", "ja", "th", "lo", "km", "my"})


@functools.lru_cache(maxsize=None)
def stop_words(language: str) -> frozenset[str] | None:
    """spaCy's stop words for a langdetect code (lower-cased), or None when spaCy has no list for it.

    Read from ``spacy/lang/<code>/stop_words.py`` (a module without imports) without importing the spaCy
    package: the first call costs milliseconds, not the second or so of ``import spacy``.
    """
    code = _SPACY_CODE.get(language, language)
    if not re.fullmatch(r"[a-z]{2,3}", code):
        return None
    root = _spacy_lang_dir()
    path = root / code / "stop_words.py" if root is not None else None
    if path is None or not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location(f"_newsdesk_spacy_stop_words_{code}", path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    words = getattr(module, "STOP_WORDS", None)
    return frozenset(w.lower() for w in words) if words else None


@functools.lru_cache(maxsize=1)
def _spacy_lang_dir() -> Path | None:
    spec = importlib.util.find_spec("spacy")  # locates the package without running its __init__
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "lang"


@functools.lru_cache(maxsize=None)
def _with_english(language: str) -> frozenset[str] | None:
    own = stop_words(language)
    return None if own is None else own | (stop_words("en") or frozenset())
