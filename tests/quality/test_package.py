"""newsdesk.quality re-exports the public names its callers import from the package, from their modules."""
from __future__ import annotations

import importlib
from pathlib import Path

import newsdesk.quality as quality


def test_every_public_name_is_the_object_of_its_module() -> None:
    homes = {"config": ["QualityConfig", "config_from"], "gate": ["assess", "assess_prepared"],
             "listing": ["rule_rows"], "prose": ["ProseProfile", "prose_profile"],
             "rules": ["DEFAULT_RULES_PATH", "STAT_RULES", "PageRule", "QualityRules", "StatRule",
                       "load_quality_rules"],
             "stats": ["Stats", "measure"], "stopwords": ["stop_words"], "verdict": ["REJECT_REASON", "Verdict"]}
    assert sorted(quality.__all__) == sorted(n for names in homes.values() for n in names)
    for module, names in homes.items():
        mod = importlib.import_module(f"newsdesk.quality.{module}")
        for name in names:
            assert getattr(quality, name) is getattr(mod, name), name


def test_the_catalog_stays_in_the_data_folder() -> None:
    import newsdesk
    assert quality.DEFAULT_RULES_PATH == Path(newsdesk.__file__).resolve().parent / "data" / "quality_rules.toml"
    assert quality.DEFAULT_RULES_PATH.is_file()
