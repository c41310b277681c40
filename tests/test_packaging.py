"""pyproject.toml installs every package of the project, and nothing under a generic top-level name."""
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_is_listed_and_only_under_newsdesk():
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(cfg["packages"])
    mapped = cfg["package-dir"]
    assert all(p == "newsdesk" or p.startswith("newsdesk.") for p in listed)  # no `flows`, no `schemas`
    found = {"newsdesk"} | {".".join(("newsdesk", *d.relative_to(ROOT / "newsdesk").parts))
                            for d in (ROOT / "newsdesk").rglob("*") if (d / "__init__.py").exists()}
    for name, folder in mapped.items():
        assert (ROOT / folder / "__init__.py").exists()
        found |= {name} | {".".join((name, *d.relative_to(ROOT / folder).parts))
                           for d in (ROOT / folder).rglob("*") if (d / "__init__.py").exists()}
    assert listed == found
    assert {"newsdesk.flows": "flows", "newsdesk.schemas": "schemas"}.items() <= mapped.items()
    assert "*.toml" in cfg["package-data"]["newsdesk.schemas"]


def test_the_installed_names_resolve_to_the_top_level_folders():
    import newsdesk.flows.curate
    import newsdesk.schemas

    assert Path(newsdesk.flows.curate.__file__).resolve() == ROOT / "flows" / "curate.py"
    assert Path(newsdesk.schemas.SCHEMA_DIR) == ROOT / "schemas"
