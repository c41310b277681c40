"""Language identification with langdetect, deterministic and thread-safe.

langdetect is random by default (it samples n-grams), and its module-level factory is loaded lazily
without a lock. Here:

* one private ``DetectorFactory`` is loaded once, under a lock, with the language profiles in sorted
  file-name order (``os.listdir`` order is not guaranteed) and ``seed = 0``;
* every call builds a fresh ``Detector`` from it (each has its own seeded ``random.Random``), so results
  do not depend on the calling thread, process, or on earlier calls;
* only the first :data:`PREFIX_CHARS` characters are used: langdetect extracts n-grams in pure Python,
  so cost grows with length, while a news paragraph or two settles the language;
* :class:`_Detector` runs langdetect's own algorithm faster: the n-gram extraction with each character's
  normalisation memoised, and the per-n-gram update of the 55 language probabilities on numpy arrays. The
  floating-point operations, their order and the random draws are langdetect's, so the results are exactly
  langdetect's (``tests/test_language.py`` compares them), in less than half the time.
"""
from __future__ import annotations

import functools
import os
import threading
from pathlib import Path

import numpy as np
from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.utils.ngram import NGram

PREFIX_CHARS = 2000  # 4k-char English, 1 core: ~210 docs/s (1000 chars: ~250, 500: ~350, whole text: ~110)
UNDETERMINED: tuple[str, float] = ("und", 0.0)

_factory: DetectorFactory | None = None
_factory_lock = threading.Lock()


def detect_language(text: str) -> tuple[str, float]:
    """The most probable language of ``text`` and its probability (4 decimals).

    Codes are langdetect's: ISO 639-1 (``'en'``, ``'ru'``) plus ``'zh-cn'`` / ``'zh-tw'``.
    Text without letters, or that langdetect cannot score, gives ``('und', 0.0)``.
    """
    sample = text[:PREFIX_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return UNDETERMINED
    detector = _Detector(_get_factory())
    detector.append(sample)
    try:
        ranked = detector.get_probabilities()
    except LangDetectException:
        return UNDETERMINED
    if not ranked:
        return UNDETERMINED
    return ranked[0].lang, round(ranked[0].prob, 4)


def _get_factory() -> DetectorFactory:
    """The shared, read-only factory, loaded once (double-checked locking)."""
    global _factory
    if _factory is None:
        with _factory_lock:
            if _factory is None:
                _factory = _load_factory()
    return _factory


def _load_factory() -> DetectorFactory:
    factory = DetectorFactory()
    factory.seed = 0  # instance attribute: copied into every Detector this factory creates
    names = sorted(n for n in os.listdir(PROFILES_DIRECTORY) if not n.startswith("."))
    factory.load_json_profile([Path(PROFILES_DIRECTORY, n).read_text(encoding="utf-8") for n in names])
    return factory


class _Normalized(dict):
    """``str.translate`` table applying ``NGram.normalize`` to each character, filled as characters come."""

    def __missing__(self, code: int) -> str:
        ch = self[code] = NGram.normalize(chr(code))
        return ch


_NORMALIZED = _Normalized()


@functools.lru_cache(maxsize=20_000)  # ~1.3 KB an entry: ~25 MB a process at most
def _word_grams(word: str, trailing: bool) -> tuple[str, ...]:
    """The n-grams ``Detector._extract_ngrams`` emits for one normalised word (and the space after it when
    ``trailing``). Its n-gram buffer starts every word in the same state (after a space), so this is a pure
    function of the word: memoised, the text's repeated words cost one lookup."""
    wmap = _get_factory().word_lang_prob_map
    out: list[str] = []
    grams, cap = " ", False
    for ch in (word + " ") if trailing else word:
        last = grams[-1]
        if len(grams) >= NGram.N_GRAM:
            grams = grams[1:]
        grams += ch
        cap = ch.isupper() and (last.isupper() or cap)  # NGram.add_char's capitalword
        if cap:
            continue
        n = len(grams)
        for k in range(1, NGram.N_GRAM + 1):
            if n < k:
                break
            w = grams[-k:]
            if w != " " and w in wmap:
                out.append(w)
    return tuple(out)


class _Detector(Detector):
    """langdetect's ``Detector``, with the same arithmetic on numpy arrays (see the module's docstring)."""

    _vectors: dict[str, np.ndarray] = {}  # n-gram -> its language probabilities (shared, filled lazily)

    def _vector(self, word: str) -> np.ndarray:
        v = self._vectors.get(word)
        if v is None:
            v = self._vectors[word] = np.asarray(self.word_lang_prob_map[word], dtype=np.float64)
        return v

    def _extract_ngrams(self) -> list[str]:
        """``Detector._extract_ngrams``: the same n-grams in the same order, word by word (a space resets
        langdetect's n-gram buffer)."""
        words = self.text.translate(_NORMALIZED).split(" ")
        result: list[str] = []
        last = len(words) - 1
        for i, word in enumerate(words):
            if word:
                result.extend(_word_grams(word, i < last))
        return result

    def _detect_block(self) -> None:
        self.cleaning_text()
        ngrams = self._extract_ngrams()
        if not ngrams:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        langprob = np.zeros(len(self.langlist))
        self.random.seed(self.seed)
        for _ in range(self.n_trial):
            prob = np.array(self._init_probability(), dtype=np.float64)
            alpha = self.alpha + self.random.gauss(0.0, 1.0) * self.ALPHA_WIDTH
            weight = alpha / self.BASE_FREQ
            i = 0
            while True:
                # langdetect: prob[i] *= weight + p[i], for a random n-gram of the text
                prob *= weight + self._vector(self.random.choice(ngrams))
                if i % 5 == 0:
                    prob /= np.add.accumulate(prob)[-1]  # langdetect: sum() left to right, then divide
                    if prob.max() > self.CONV_THRESHOLD or i >= self.ITERATION_LIMIT:
                        break
                i += 1
            langprob += prob / self.n_trial
        self.langprob = langprob.tolist()
