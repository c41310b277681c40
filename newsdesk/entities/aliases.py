"""The alias table: alias -> canonical name (and optionally a pinned type), e.g. DPRK -> North Korea (GPE).

Owns reading ``newsdesk/data/entity_aliases.tsv`` (alias<TAB>canonical<TAB>type; extend it without code) and a
user's file that updates it (:func:`load_aliases`), keyed by :func:`newsdesk.names.norm_name`; a canonical
name is an alias of itself, and chains (a canonical name that is itself an alias) are resolved once.
"""
from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from newsdesk.entities.ner import KEPT, KEPT_LABELS
from newsdesk.names import norm_name

__all__ = ["DEFAULT_ALIASES_PATH", "Alias", "load_aliases"]


DEFAULT_ALIASES_PATH = Path(__file__).resolve().parents[1] / "data" / "entity_aliases.tsv"


class Alias(NamedTuple):
    canonical: str
    type: str | None  # pinned type, or None to let the majority decide


def _read_alias_file(path: Path) -> dict[str, Alias]:
    table: dict[str, Alias] = {}
    for lineno, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = [c.strip() for c in line.split("\t")]
        if len(cols) < 2 or not cols[0] or not cols[1]:
            raise ValueError(f"{path}:{lineno}: expected alias<TAB>canonical<TAB>type, got {raw!r}")
        if cols[0].lower() == "alias" and cols[1].lower() == "canonical":
            continue  # header
        typ = cols[2].upper() if len(cols) > 2 and cols[2] else None
        if typ is not None and typ not in KEPT:
            raise ValueError(f"{path}:{lineno}: unknown type {typ!r} (one of {', '.join(KEPT_LABELS)})")
        alias = Alias(cols[1], typ)
        table[norm_name(cols[0])] = alias
        # the canonical name is an alias of itself; an explicit line for it wins
        table.setdefault(norm_name(cols[1]), Alias(cols[1], typ))
        if norm_name(cols[0]) == norm_name(cols[1]):
            table[norm_name(cols[1])] = alias
    return table


@functools.lru_cache(maxsize=32)
def _alias_table_cached(paths: tuple[tuple[str, float], ...]) -> Mapping[str, Alias]:
    merged: dict[str, Alias] = {}
    for p, _mtime in paths:
        merged.update(_read_alias_file(Path(p)))
    # a canonical name that is itself an alias of something else would chain: resolve once
    for k, a in list(merged.items()):
        seen = {k}
        while (nk := norm_name(a.canonical)) in merged and nk not in seen and merged[nk].canonical != a.canonical:
            seen.add(nk)
            nxt = merged[nk]
            a = Alias(nxt.canonical, a.type or nxt.type)
        merged[k] = a
    return merged


def load_aliases(aliases_path: Path | str | None = None) -> Mapping[str, Alias]:
    """The shipped alias table, updated by ``aliases_path`` if given: normalized alias -> Alias."""
    paths = [DEFAULT_ALIASES_PATH] + ([Path(aliases_path)] if aliases_path else [])
    key = tuple((str(p), p.stat().st_mtime) for p in paths)
    return _alias_table_cached(key)
