"""The dataset card (``OUT/DATASET.md``): what each table holds, derived from ``schemas/``, with live counts."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow.parquet as pq

from newsdesk import __version__, schema

if TYPE_CHECKING:
    from newsdesk.store import Store


def dataset_card(store: Store) -> str:
    lines = [
        "# newsdesk curated dataset",
        "",
        f"Snapshot {store.version()} written by newsdesk {__version__}. Tables are zstd Parquet under "
        "`<table>/`; `catalog.duckdb` has a view per table (`duckdb catalog.duckdb`, then "
        "`SELECT * FROM articles LIMIT 5`). Column contracts live in the project's `schemas/` folder.",
        "",
        "| table | rows | description |",
        "|---|---|---|",
    ]
    for name, t in schema.tables().items():
        rows = sum(pq.ParquetFile(f).metadata.num_rows for f in store.files(name))
        lines.append(f"| `{name}` | {rows} | {t.description} |")
    for name, t in schema.tables().items():
        key = ", ".join(t.primary_key) or "—"
        lines += ["", f"## {name}", "", t.description, "", f"Primary key: {key}. Mode: {t.mode}.", "",
                  schema.markdown_columns(name)]
    return "\n".join(lines) + "\n"
