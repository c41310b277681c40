"""What a run's quality gate applies: :class:`QualityConfig`, from a ``[quality]`` TOML table and the command line.

Owns :class:`QualityConfig` (rules turned off by name or prefix, thresholds overridden, another catalog,
``keep_low_quality`` turning the whole gate off; validated against the catalog, fingerprinted),
``DEFAULT_CONFIG`` (every rule of the catalog with its catalog threshold) and :func:`config_from` (the
configuration of a run: a TOML file's ``[quality]`` table, and ``--keep-low-quality``, which wins).
"""
from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsdesk.quality.rules import DEFAULT_RULES_PATH, QualityRules, load_quality_rules


@dataclass(frozen=True, slots=True)
class QualityConfig:
    """What the gate applies. The default applies every rule of the catalog with its catalog threshold.

    ``keep_low_quality=True`` turns the whole gate off (every document is kept); ``disabled`` names rules to skip
    (exact names, or a prefix ending in ``.``/``*``: ``"page."`` or ``"page.*"`` turns off every page-type rule);
    ``thresholds`` overrides a statistic's ``threshold`` by rule name; ``rules_path`` loads another catalog.
    """

    keep_low_quality: bool = False
    disabled: frozenset[str] = frozenset()
    thresholds: Mapping[str, Any] = field(default_factory=dict, hash=False)
    rules_path: str | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> QualityConfig:
        """Build from a config table, e.g. the ``[quality]`` table of a TOML config file::

            keep_low_quality = false
            disabled = ["gopher.stop_words", "page.comments"]
            thresholds = { "gopher.min_words" = 10 }
        """
        unknown = set(data) - {"keep_low_quality", "disabled", "thresholds", "rules_path"}
        if unknown:
            raise ValueError(f"unknown quality setting(s): {', '.join(sorted(unknown))}")
        cfg = cls(keep_low_quality=bool(data.get("keep_low_quality", False)),
                  disabled=frozenset(str(x) for x in data.get("disabled", ())),
                  thresholds=dict(data.get("thresholds", {})),
                  rules_path=(str(data["rules_path"]) if data.get("rules_path") else None))
        cfg.validate()
        return cfg

    def validate(self, rules: QualityRules | None = None) -> None:
        """Raise ValueError for a disabled name or threshold override that matches no rule of the catalog."""
        rules = rules if rules is not None else load_quality_rules(self.rules_path)
        names = rules.names
        for d in self.disabled:
            prefix = d.rstrip("*")
            if d not in names and not (d.endswith((".", "*")) and any(n.startswith(prefix) for n in names)):
                raise ValueError(f"disabled quality rule {d!r} is not in the catalog ({rules.source})")
        for k in self.thresholds:
            if k not in rules.stat_by_name:
                raise ValueError(f"threshold override {k!r} names no statistic rule of the catalog")

    def fingerprint(self) -> str:
        """16 hex digits identifying what this configuration applies: the catalog's bytes and the settings.
        Store it with a run; when it changes, files rejected as ``not_article`` deserve another look."""
        h = hashlib.blake2b(digest_size=8)
        path = Path(self.rules_path).resolve() if self.rules_path else DEFAULT_RULES_PATH
        h.update(path.read_bytes())
        h.update(repr((self.keep_low_quality, sorted(self.disabled),
                       sorted((k, repr(v)) for k, v in self.thresholds.items()))).encode())
        return h.hexdigest()

    def is_enabled(self, name: str) -> bool:
        if self.keep_low_quality:
            return False
        for d in self.disabled:
            if d == name or (d.endswith((".", "*")) and name.startswith(d.rstrip("*"))):
                return False
        return True


DEFAULT_CONFIG = QualityConfig()


def config_from(path: Path | str | None = None, keep_low_quality: bool = False) -> QualityConfig:
    """The configuration of a run: the ``[quality]`` table of a TOML file (optional), and the command line's
    ``--keep-low-quality``, which wins. Raises ValueError (a one-line message) for a bad file."""
    data: dict[str, Any] = {}
    if path is not None:
        try:
            raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ValueError(f"cannot read quality config {path}: {exc}") from None
        if "quality" not in raw:
            raise ValueError(f"quality config {path} has no [quality] table")
        data = dict(raw["quality"])
    if keep_low_quality:
        data["keep_low_quality"] = True
    return QualityConfig.from_mapping(data) if data else DEFAULT_CONFIG
