"""Static checks over the project's code: pyflakes' rules (unused imports and variables, undefined names),
via ruff, and the layering rules: tests never import bench, bench never imports tests, and the pure steps in
newsdesk/ never import Prefect."""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUFF = Path(sys.executable).parent / "ruff"


def test_pyflakes_rules_pass():
    r = subprocess.run([str(RUFF), "check", "--select", "F", "--output-format", "concise", "--no-cache",
                        "newsdesk", "flows", "schemas", "tests", "bench"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def _imports(folder: str, pattern: str) -> list[str]:
    rx = re.compile(pattern, re.M)
    return [str(p.relative_to(ROOT)) for p in (ROOT / folder).rglob("*.py") if rx.search(p.read_text())]


def test_tests_and_bench_do_not_import_each_other():
    assert _imports("tests", r"^\s*(from|import)\s+bench\b") == []
    assert _imports("bench", r"^\s*(from|import)\s+tests\b") == []


def test_pure_steps_do_not_import_prefect():
    assert _imports("newsdesk", r"^\s*(from|import)\s+(prefect|prefect_dask|dask|distributed)\b") == []
