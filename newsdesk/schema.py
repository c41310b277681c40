"""Table contracts, loaded from ``schemas/*.toml`` and turned into everything that derives from them.

A column is declared once, in its table's TOML file. This module derives:

* the Arrow schema each Parquet file is written with (field descriptions in the field metadata),
* the DuckDB ``COMMENT ON`` statements of the catalog,
* the checks of :mod:`newsdesk.validate` (types, nullability, primary keys, references),
* the column table of the dataset card.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyarrow as pa

from schemas import SCHEMA_DIR

_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "int32": pa.int32(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
    "timestamp": pa.timestamp("us"),
    "binary": pa.binary(),
    "list<string>": pa.list_(pa.string()),
    "list<uint64>": pa.list_(pa.uint64()),
    "list<uint32>": pa.list_(pa.uint32()),
}
MODES = ("append", "replace")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool
    description: str
    references: str | None = None  # "table.column"

    @property
    def arrow_type(self) -> pa.DataType:
        return _TYPES[self.type]

    def field(self) -> pa.Field:
        return pa.field(self.name, self.arrow_type, nullable=self.nullable,
                        metadata={"description": self.description})


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    primary_key: tuple[str, ...]
    mode: str  # "append": a part file per run; "replace": rewritten whole at each commit
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def arrow_schema(self) -> pa.Schema:
        return pa.schema([c.field() for c in self.columns],
                         metadata={"description": self.description, "table": self.name})

    def to_arrow(self, rows: list[dict]) -> pa.Table:
        """Build a table of exactly this schema from row dicts (missing keys are null, extra keys an error)."""
        names = set(self.column_names)
        for row in rows[:1]:
            extra = set(row) - names
            if extra:
                raise ValueError(f"{self.name}: unknown columns {sorted(extra)}")
        arrays = {c.name: [r.get(c.name) for r in rows] for c in self.columns}
        return pa.table(arrays, schema=self.arrow_schema())

    def empty(self) -> pa.Table:
        return self.arrow_schema().empty_table()


def _load(path: Path) -> Table:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    cols = tuple(Column(name=c["name"], type=c["type"], nullable=bool(c["nullable"]),
                        description=c["description"], references=c.get("references"))
                 for c in raw["columns"])
    for c in cols:
        if c.type not in _TYPES:
            raise ValueError(f"{path.name}: column {c.name}: unknown type {c.type!r}")
    table = Table(name=raw["name"], description=raw["description"],
                  primary_key=tuple(raw.get("primary_key", ())), mode=raw.get("mode", "append"),
                  columns=cols)
    if table.name != path.stem:
        raise ValueError(f"{path.name}: table name {table.name!r} must match the file name")
    if table.mode not in MODES:
        raise ValueError(f"{path.name}: mode must be one of {MODES}")
    missing = set(table.primary_key) - set(table.column_names)
    if missing:
        raise ValueError(f"{path.name}: primary key columns {sorted(missing)} are not declared")
    return table


@cache
def tables() -> dict[str, Table]:
    """Every declared table, by name, in a stable order."""
    return {t.name: t for t in (_load(p) for p in sorted(SCHEMA_DIR.glob("*.toml")))}


def table(name: str) -> Table:
    return tables()[name]


def duckdb_comments(name: str) -> list[tuple[str, str]]:
    """(object, comment) pairs for a view: the table itself and each column."""
    t = table(name)
    out = [(f'VIEW "{t.name}"', t.description)]
    out += [(f'COLUMN "{t.name}"."{c.name}"', c.description) for c in t.columns]
    return out


def markdown_columns(name: str) -> str:
    """The column table of one table, for the dataset card."""
    t = table(name)
    lines = ["| column | type | null | description |", "|---|---|---|---|"]
    for c in t.columns:
        ref = f" → `{c.references}`" if c.references else ""
        lines.append(f"| `{c.name}` | {c.type} | {'yes' if c.nullable else 'no'} | "
                     f"{c.description.replace('|', '/')}{ref} |")
    return "\n".join(lines)
