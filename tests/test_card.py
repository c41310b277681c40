"""The dataset card (newsdesk/card.py): Hugging Face sections, facts computed from the data, every pipeline
step, the measured accuracy kept as data, loading instructions that work."""
import datetime as dt
import os
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from newsdesk import card, schema
from newsdesk.pipeline import STEPS
from newsdesk.store import Store
from tests.test_store import article, run_tables

SECTIONS = ["## Dataset summary", "### Sources", "### Languages", "## Dataset structure", "### Loading",
            "## Dataset creation", "### Source data", "### How it was made", "## Annotations",
            "### Measured accuracy", "## Personal and sensitive information", "## Bias, risks and limitations",
            "## Licensing information", "## Tables and columns"]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """Three articles: two outlets and an unknown one, two languages, dated and undated; a quote and a person."""
    out = tmp_path_factory.mktemp("card") / "data" / "curated"
    arts = [article("a1", "wire/a.txt"), article("a2", "wire/b.txt"), article("a3", "c.txt")]
    arts[0].update(outlet="wire", published_at=datetime(2024, 6, 20, 7, 10), author="Kyle Anzalone")
    arts[1].update(outlet="metro", published_at=datetime(2024, 7, 1), language="de")
    tables = run_tables("r1", arts)
    tables["entities"] = schema.table("entities").to_arrow([{"entity_id": "e1", "name": "Kim Jong Un",
                                                            "type": "PERSON", "name_key": "kim jong un",
                                                            "run_id": "r1"}])
    tables["quotes"] = schema.table("quotes").to_arrow([{
        "quote_id": "q1", "article_id": "a1", "start": 0, "end": 4, "text": "Body", "speaker": "Kim Jong Un",
        "speaker_entity_id": "e1", "speaker_start": None, "speaker_end": None, "cue": "said", "kind": "full",
        "attribution": "explicit", "quote_cluster_id": "q1"}])
    with Store(out).writer():
        Store(out).commit(tables)
    return out


def test_card_has_the_hugging_face_sections_in_order(store):
    text = (store / "DATASET.md").read_text(encoding="utf-8")
    positions = [text.find("\n" + s + "\n") for s in SECTIONS]
    assert all(p > 0 for p in positions), [s for s, p in zip(SECTIONS, positions) if p < 0]
    assert positions == sorted(positions)
    meta = yaml.safe_load(text.split("---\n")[1])  # the metadata block the Hub reads
    assert meta["language"] == ["en", "de"] and meta["size_categories"] == ["n<1K"]
    configs = {c["config_name"]: c["data_files"] for c in meta["configs"]}
    assert configs["quotes"] == "quotes/*.parquet" and "dedup_index" not in configs


def test_summary_and_sources_are_computed_from_the_data(store):
    text = (store / "DATASET.md").read_text(encoding="utf-8")
    assert "| articles | 3 |" in text
    assert "| outlets | 2 (+ 1 articles of unknown outlet) |" in text
    assert "| published | 2024-06-20 to 2024-07-01 (1 articles without a date) |" in text
    assert "| languages | en 2, de 1 |" in text
    assert "| quotations | 1 (1 with a speaker) |" in text
    assert "| wire | 1 | 2024-06-20 | 2024-06-20 |" in text and "| (unknown) | 1 | — | — |" in text
    assert "1 PERSON entities, 1 of them quoted" in text
    assert "Snapshot 1 written by newsdesk" in text and "by run `r1`" in text


def test_every_pipeline_step_is_described_in_order(store):
    text = (store / "DATASET.md").read_text(encoding="utf-8")
    assert set(card.STEP_NOTES) == {s.name for s in STEPS}  # a new step needs its description
    rows = [line for line in text.splitlines() if re.match(r"\| (\w+) \| (once|map, per batch) \|", line)]
    assert [r.split(" | ")[0][2:] for r in rows] == [s.name for s in STEPS]


def test_measured_accuracy_comes_from_the_data_file_with_its_date(store, tmp_path):
    text = (store / "DATASET.md").read_text(encoding="utf-8")
    acc = card.load_accuracy()
    measured = acc["quotes"]["measured"]
    assert isinstance(measured, dt.date) and measured >= dt.date(2026, 11, 29)
    assert f"**Quotations and speakers**, measured {measured.isoformat()} on the PolNeAR corpus" in text
    for area, sec in acc.items():  # every recorded score, with its label, as the card formats it
        assert f"measured {sec['measured']} on {sec['benchmark']}:" in text
        for key, value in sec["scores"].items():
            assert f"| {card.SCORE_LABELS[(area, key)]} | {card._score(value)} |" in text, (area, key)
    # numbers as numbers, hits as hits with their share
    assert re.search(r"\| quotation F1 \| 0\.\d{3} \|", text)
    assert re.search(r"\| entities mentioned in 2\+ articles that get a single id \| \d+/\d+ \(\d+\.\d%\) \|", text)
    # a benchmark records a new measurement: the file is rewritten, the other areas kept
    copy = tmp_path / "accuracy.toml"
    copy.write_text(Path(card.__file__).with_name("data").joinpath("accuracy.toml").read_text())
    card.record_accuracy("quotes", {"precision": 0.97, "recall": 0.9, "f1": 0.934, "named_speaker_accuracy": 0.8},
                         measured=dt.date(2027, 1, 2), benchmark="PolNeAR, test split", path=copy)
    again = card.load_accuracy(copy)
    assert again["quotes"] == {"measured": dt.date(2027, 1, 2), "benchmark": "PolNeAR, test split",
                               "scores": {"precision": 0.97, "recall": 0.9, "f1": 0.934,
                                          "named_speaker_accuracy": 0.8}}
    assert again["entities"] == acc["entities"]
    assert copy.read_text().startswith("# Measured accuracy")


def test_personal_information_licence_limitations_and_internal_tables(store):
    text = (store / "DATASET.md").read_text(encoding="utf-8")
    assert "Nothing is anonymized." in text
    assert "copyright stays with their publishers and authors" in text
    assert "**Incremental runs**" in text and "the one committed first" in text
    assert "| `dedup_index` *(internal)* |" in text and "not for analysis: `dedup_index`" in text
    for name in schema.tables():  # the per-table column sections stay
        assert f"\n### {name}\n" in text
        assert schema.markdown_columns(name) in text


def test_the_loading_instructions_work(store):
    """The card's DuckDB commands and Python snippet, run as written from the folder above data/curated."""
    text = (store / "DATASET.md").read_text(encoding="utf-8")
    base = store.parent.parent
    cli = os.path.join(os.path.dirname(sys.executable), "duckdb")
    bash = re.search(r"```bash\n(.*?)```", text, re.S).group(1).splitlines()
    first = bash[0].replace("duckdb ", f"{cli} -csv ", 1).replace('"SELECT title FROM articles LIMIT 5"',
                                                                   '"SELECT count(*) AS n FROM articles"')
    res = subprocess.run(first, shell=True, cwd=base, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0 and res.stdout.split() == ["n", "3"], res.stderr
    second = bash[1].replace("duckdb ", f"{cli} -csv ", 1) + ' -c "SELECT count(*) AS n FROM quotes"'
    res = subprocess.run(second, shell=True, cwd=base, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0 and res.stdout.split() == ["n", "1"], res.stderr
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    connect = re.search(r"^con = duckdb\.connect\(.*?\}\)$", code, re.S | re.M).group(0)
    probe = f"import duckdb\n{connect}\nprint(con.execute('SELECT count(*) FROM quotes').fetchone()[0])\n"
    res = subprocess.run([sys.executable, "-c", probe], cwd=base, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0 and res.stdout.strip() == "1", res.stderr
    for lib, alias, start in (("pandas", "pd", "articles = pd."), ("polars", "pl", "quotes = pl.")):
        if subprocess.run([sys.executable, "-c", f"import {lib}"], capture_output=True).returncode:
            continue  # not installed in this venv (neither is a dependency of newsdesk)
        stmt = next(li for li in code.splitlines() if li.startswith(start)).split("#")[0]
        res = subprocess.run([sys.executable, "-c", f"import {lib} as {alias}\n{stmt}"], cwd=base,
                             capture_output=True, text=True, timeout=60)
        assert res.returncode == 0, res.stderr


def test_the_quality_rules_and_their_thresholds_are_listed(store):
    from newsdesk.quality import rule_rows

    text = (store / "DATASET.md").read_text(encoding="utf-8")
    assert "### Document-quality gate" in text and "--keep-low-quality" in text
    for rule, _, _, _ in rule_rows():
        assert f"| `{rule}` |" in text
