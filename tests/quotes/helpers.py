"""The quote tests' data and lookups: the seeds with their gold, the dev set, finding a row by its text."""
from __future__ import annotations

from pathlib import Path

from newsdesk.quotes.evaluate import load_dev, load_seeds, norm_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEED_DIR = FIXTURES / "seeds"
SEEDS = load_seeds(SEED_DIR, FIXTURES / "seeds_gold.json")  # (file, approximate body, gold)
DEV = load_dev(FIXTURES / "quotes_dev")  # (file, body, annotation)


def by_text(rows) -> dict[str, dict]:
    return {norm_text(r["text"]): r for r in rows}


def one(rows, text) -> dict:
    found = by_text(rows).get(norm_text(text))
    assert found is not None, f"quote {text!r} not found in {[r['text'] for r in rows]}"
    return found
