"""Unit tests for newsdesk.language: languages, 'und', determinism across calls, threads and processes."""
from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from newsdesk import language
from newsdesk.language import detect_language

ENGLISH = ("Russian President Vladimir Putin signed a new mutual assistance agreement with North Korea on "
           "Wednesday, during his first visit to Pyongyang in 24 years. The two leaders said the pact would "
           "deepen economic and military cooperation between the neighbours.")
RUSSIAN = ("Президент России Владимир Путин в среду подписал с Северной Кореей новое соглашение о взаимной "
           "помощи во время своего первого за 24 года визита в Пхеньян. Лидеры заявили, что договор углубит "
           "экономическое и военное сотрудничество.")
GERMAN = ("Der russische Präsident Wladimir Putin hat am Mittwoch bei seinem ersten Besuch in Pjöngjang seit "
          "24 Jahren ein neues Abkommen über gegenseitigen Beistand mit Nordkorea unterzeichnet. Die beiden "
          "Staatschefs erklärten, der Vertrag werde die Zusammenarbeit vertiefen.")
FRENCH = ("Le président russe Vladimir Poutine a signé mercredi un nouvel accord d’assistance mutuelle avec la "
          "Corée du Nord, lors de sa première visite à Pyongyang depuis 24 ans. Les deux dirigeants ont déclaré "
          "que le traité renforcerait leur coopération économique et militaire.")


@pytest.mark.parametrize("text, code", [(ENGLISH, "en"), (RUSSIAN, "ru"), (GERMAN, "de"), (FRENCH, "fr")])
def test_languages(text: str, code: str) -> None:
    lang, prob = detect_language(text)
    assert lang == code
    assert 0.9 <= prob <= 1.0
    assert prob == round(prob, 4)


@pytest.mark.parametrize("text", ["", "   \n\t", "12345 678 90", "2024-06-19 12:00", "— … !!! ???", "📰 🎉"])
def test_no_letters_is_undetermined(text: str) -> None:
    assert detect_language(text) == ("und", 0.0)


@pytest.mark.parametrize("text", [ENGLISH, "Read more:", "Share this article", "Vladimir Putin, Kim Jong-un"])
def test_deterministic_across_calls(text: str) -> None:
    assert len({detect_language(text) for _ in range(20)}) == 1


def test_only_the_prefix_is_used() -> None:
    long_tail = ENGLISH + " " + "x" * language.PREFIX_CHARS + " " + GERMAN * 50
    assert detect_language(long_tail) == detect_language(long_tail[: language.PREFIX_CHARS])


def test_thread_safe_first_load(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(language, "_factory", None)  # force concurrent first-time loading
    texts = [ENGLISH, RUSSIAN, GERMAN, FRENCH, "Read more:"] * 8
    expected = [detect_language(t) for t in texts]
    monkeypatch.setattr(language, "_factory", None)
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(detect_language, texts)) == expected


def test_deterministic_across_processes() -> None:
    code = ("from newsdesk.language import detect_language as d; "
            "print([d(t) for t in ['Read more:', 'Vladimir Putin, Kim Jong-un', 'Share this article']])")
    outputs = {subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2")}  # different hash seeds: set and dict orders differ
    assert len(outputs) == 1
    here = [detect_language(t) for t in ["Read more:", "Vladimir Putin, Kim Jong-un", "Share this article"]]
    assert outputs.pop().strip() == repr(here)


def _langdetect_itself(text: str) -> list:
    """langdetect's own Detector on the same factory (the reference the fast one must equal exactly)."""
    from langdetect.detector import Detector

    d = Detector(language._get_factory())
    d.append(text[:language.PREFIX_CHARS])
    return [(p.lang, p.prob) for p in d.get_probabilities()]


@pytest.mark.parametrize("text", [
    ENGLISH, RUSSIAN, GERMAN, FRENCH,
    "THE WHITE HOUSE SAID ON MONDAY THAT NATO ALLIES WOULD MEET. Then it added: ok, ok.",
    "Şi România, ţară; ș ț — “quoted” words… and digits 12,345!",
    "这是一个关于政治的中文测试文本。これは日本語のテキストです。カタカナ 한국어 텍스트",
    "مرحبا بكم في الأخبار ĐÂY là văn bản tiếng Việt",
    "a b  c   d. E-mail: x@example.com https://example.com/a?b=c end",
])
def test_the_fast_detector_gives_langdetects_exact_probabilities(text: str) -> None:
    d = language._Detector(language._get_factory())
    d.append(text[:language.PREFIX_CHARS])
    assert [(p.lang, p.prob) for p in d.get_probabilities()] == _langdetect_itself(text)
