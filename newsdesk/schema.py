"""Table contracts, loaded from ``schemas/*.toml``, and everything that derives from them.

``schemas/fields.toml`` declares the fields shared by several tables (``article_id``, ``source_path``,
``source_sha256``, ``run_id`` ...) once; each other file declares one table as a list of columns, PUDL-style:
a column either names a shared field (``field = "run_id"``) or declares its own type and description, and may
carry constraints (``allowed`` values, ``min`` / ``max`` / ``min_exclusive`` bounds). From that one source this
module derives the Arrow schema each Parquet file is written with (descriptions in the field metadata), the
row builders every step uses (by column name, every row's keys checked), the DuckDB ``COMMENT`` statements,
the checks of :mod:`newsdesk.validate`, and the dataset card's column tables.
"""
from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa

from newsdesk.schemas import SCHEMA_DIR

FIELDS_FILE = "fields.toml"
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
    "list<int64>": pa.list_(pa.int64()),
}
MODES = ("append",)  # every table is append-only: a run adds one part per table, never rewrites one
_CONSTRAINTS = ("allowed", "min", "max", "min_exclusive")
_SHARED_KEYS = {"type", "description", *_CONSTRAINTS}
_COLUMN_KEYS = {"name", "field", "nullable", "references", "role", *_SHARED_KEYS}
_MISSING = object()


class SchemaError(ValueError):
    """A schema file is malformed, or rows do not fit their table."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool
    description: str
    references: str | None = None  # "table.column"
    field: str | None = None  # the shared field it instantiates, if any
    allowed: tuple | None = None
    min: float | None = None
    max: float | None = None
    min_exclusive: float | None = None

    @property
    def arrow_type(self) -> pa.DataType:
        return _TYPES[self.type]

    def arrow_field(self) -> pa.Field:
        return pa.field(self.name, self.arrow_type, nullable=self.nullable,
                        metadata={"description": self.description})

    def constraint_text(self) -> str:
        """The constraints in words, for the dataset card ('' when none)."""
        parts = []
        if self.allowed is not None:
            parts.append("one of " + ", ".join(f"`{v}`" for v in self.allowed))
        if self.min_exclusive is not None:
            parts.append(f"> {self.min_exclusive:g}")
        if self.min is not None:
            parts.append(f">= {self.min:g}")
        if self.max is not None:
            parts.append(f"<= {self.max:g}")
        return "; ".join(parts)


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    primary_key: tuple[str, ...]
    mode: str  # "append": a part file per run (the only mode)
    columns: tuple[Column, ...]
    order_by: tuple[str, ...] = ()  # row order within a part; the primary key when not declared
    internal: bool = False  # bookkeeping for later runs (indexes), not data for analysts
    reproducible: bool = True  # False: depends on wall-clock times or file timestamps (runs, file_state)
    view_sql: str | None = None  # the catalog view, when it adds derived columns (``{table}`` = its files)
    view_columns: tuple[Column, ...] = ()  # the columns the view adds

    @property
    def sort_key(self) -> tuple[str, ...]:
        """The columns a part's rows are sorted by (``order_by``, else the primary key)."""
        return self.order_by or self.primary_key

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")

    def arrow_schema(self) -> pa.Schema:
        return pa.schema([c.arrow_field() for c in self.columns],
                         metadata={"description": self.description, "table": self.name})

    def empty(self) -> pa.Table:
        return self.arrow_schema().empty_table()

    # ------------------------------------------------------------------ building rows, by name only
    def row(self, source: Any = None, **values: Any) -> dict[str, Any]:
        """One row: each column from ``values`` by name, else from the attribute of ``source`` of that name.

        A column found in neither is an error, as is a keyword that names no column: the column list lives in
        ``schemas/`` only, and a misspelled name never silently becomes a null.
        """
        names = self.column_names
        unknown = set(values) - set(names)
        if unknown:
            raise SchemaError(f"{self.name}: unknown columns {sorted(unknown)}")
        row = {}
        for n in names:
            v = values.get(n, _MISSING)
            if v is _MISSING:
                v = getattr(source, n, _MISSING) if source is not None else _MISSING
            if v is _MISSING:
                raise SchemaError(f"{self.name}: no value for column {n!r}")
            row[n] = v
        return row

    def check_rows(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """Every row must have exactly the declared columns as keys."""
        names = self.column_names
        want = set(names)
        for i, r in enumerate(rows):
            if r.keys() != want:
                missing, extra = want - set(r), set(r) - want
                raise SchemaError(f"{self.name}: row {i}: "
                                  + "; ".join(filter(None, [f"unknown columns {sorted(extra)}" if extra else "",
                                                            f"missing columns {sorted(missing)}" if missing else ""])))

    def to_arrow(self, rows: Sequence[Mapping[str, Any]]) -> pa.Table:
        """A table of exactly this schema from row dicts; every row's keys are checked."""
        self.check_rows(rows)
        arrays = {c.name: [r[c.name] for r in rows] for c in self.columns}
        return pa.table(arrays, schema=self.arrow_schema())

    def from_columns(self, columns: Mapping[str, Any]) -> pa.Table:
        """A table of exactly this schema from whole columns (lists or Arrow arrays), given by name."""
        want = set(self.column_names)
        if columns.keys() != want:
            raise SchemaError(f"{self.name}: unknown columns {sorted(set(columns) - want)}, "
                              f"missing columns {sorted(want - set(columns))}")
        return pa.table({c.name: columns[c.name] for c in self.columns}, schema=self.arrow_schema())


# ---------------------------------------------------------------------------------------------- loading

def _constraints(raw: Mapping[str, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "allowed" in raw:
        vals = raw["allowed"]
        if not isinstance(vals, list) or not vals:
            raise SchemaError(f"{where}: 'allowed' must be a non-empty list")
        out["allowed"] = tuple(vals)
    for k in ("min", "max", "min_exclusive"):
        if k in raw:
            out[k] = float(raw[k])
    return out


@cache
def fields() -> dict[str, dict[str, Any]]:
    """The shared fields of ``schemas/fields.toml``, by name."""
    raw = tomllib.loads((SCHEMA_DIR / FIELDS_FILE).read_text(encoding="utf-8"))
    out = {}
    for name, f in raw.items():
        extra = set(f) - _SHARED_KEYS
        if extra:
            raise SchemaError(f"{FIELDS_FILE}: field {name}: unknown keys {sorted(extra)}")
        if f.get("type") not in _TYPES:
            raise SchemaError(f"{FIELDS_FILE}: field {name}: unknown type {f.get('type')!r}")
        if not f.get("description"):
            raise SchemaError(f"{FIELDS_FILE}: field {name}: no description")
        out[name] = {"type": f["type"], "description": f["description"],
                     **_constraints(f, f"{FIELDS_FILE}:{name}")}
    return out


def _column(raw: Mapping[str, Any], where: str) -> Column:
    extra = set(raw) - _COLUMN_KEYS
    if extra:
        raise SchemaError(f"{where}: unknown keys {sorted(extra)}")
    if "nullable" not in raw:
        raise SchemaError(f"{where}: 'nullable' must be given")
    if "field" in raw:
        shared = fields().get(raw["field"])
        if shared is None:
            raise SchemaError(f"{where}: unknown shared field {raw['field']!r}")
        if {"name", "type", "description"} & set(raw):
            raise SchemaError(f"{where}: a shared field's name, type and description come from {FIELDS_FILE}")
        role = raw.get("role")
        description = f"{role} {shared['description']}" if role else shared["description"]
        cons = {k: v for k, v in shared.items() if k in _CONSTRAINTS}
        cons.update(_constraints(raw, where))
        return Column(name=raw["field"], type=shared["type"], nullable=bool(raw["nullable"]),
                      description=description, references=raw.get("references"), field=raw["field"], **cons)
    if "role" in raw:
        raise SchemaError(f"{where}: 'role' is for shared fields; write a description")
    if raw.get("type") not in _TYPES:
        raise SchemaError(f"{where}: unknown type {raw.get('type')!r}")
    if not raw.get("description"):
        raise SchemaError(f"{where}: no description")
    return Column(name=raw["name"], type=raw["type"], nullable=bool(raw["nullable"]),
                  description=raw["description"], references=raw.get("references"), **_constraints(raw, where))


_TABLE_KEYS = {"name", "description", "primary_key", "mode", "order_by", "internal", "reproducible", "columns",
               "view"}


def _load(path: Path) -> Table:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    extra = set(raw) - _TABLE_KEYS
    if extra:
        raise SchemaError(f"{path.name}: unknown keys {sorted(extra)}")
    cols = tuple(_column(c, f"{path.name}: column {c.get('name') or c.get('field')}") for c in raw["columns"])
    view = raw.get("view") or {}
    view_cols = tuple(_column({"nullable": True, **c}, f"{path.name}: view column {c.get('name')}")
                      for c in view.get("columns", ()))
    table = Table(name=raw["name"], description=raw["description"],
                  primary_key=tuple(raw.get("primary_key", ())), mode=raw.get("mode", "append"),
                  columns=cols, order_by=tuple(raw.get("order_by", ())), internal=bool(raw.get("internal")),
                  reproducible=bool(raw.get("reproducible", True)), view_sql=view.get("sql"),
                  view_columns=view_cols)
    if table.name != path.stem:
        raise SchemaError(f"{path.name}: table name {table.name!r} must match the file name")
    if table.mode not in MODES:
        raise SchemaError(f"{path.name}: mode must be one of {MODES}")
    names = table.column_names
    if len(set(names)) != len(names):
        raise SchemaError(f"{path.name}: a column is declared twice")
    missing = (set(table.primary_key) | set(table.order_by)) - set(names)
    if missing:
        raise SchemaError(f"{path.name}: key or order columns {sorted(missing)} are not declared")
    return table


@cache
def tables() -> dict[str, Table]:
    """Every declared table, by name, in a stable order."""
    paths = sorted(p for p in SCHEMA_DIR.glob("*.toml") if p.name != FIELDS_FILE)
    out = {t.name: t for t in (_load(p) for p in paths)}
    for t in out.values():
        for c in t.columns:
            if c.references:
                rt, _, rc = c.references.partition(".")
                if rt not in out or rc not in out[rt].column_names:
                    raise SchemaError(f"{t.name}.{c.name}: references unknown column {c.references}")
    return out


def table(name: str) -> Table:
    return tables()[name]


def allowed(table_name: str, column: str) -> tuple:
    """The allowed values of a constrained column (e.g. ``allowed('files', 'outcome')``)."""
    vals = table(table_name).column(column).allowed
    if vals is None:
        raise KeyError(f"{table_name}.{column} declares no allowed values")
    return vals


# ---------------------------------------------------------------------------------------------- derived

def _sql_literal(v: Any) -> str:
    return "'" + str(v).replace("'", "''") + "'" if isinstance(v, str) else repr(v)


def constraint_checks(name: str) -> list[tuple[str, str]]:
    """(what, SQL condition that a violating row satisfies) for every constraint of a table's columns."""
    out = []
    for c in table(name).columns:
        col = f'"{c.name}"'
        if c.allowed is not None:
            vals = ", ".join(_sql_literal(v) for v in c.allowed)
            out.append((f"{name}.{c.name} outside its allowed values", f"{col} IS NOT NULL AND {col} NOT IN ({vals})"))
        if c.min is not None:
            out.append((f"{name}.{c.name} < {c.min:g}", f"{col} < {c.min!r}"))
        if c.max is not None:
            out.append((f"{name}.{c.name} > {c.max:g}", f"{col} > {c.max!r}"))
        if c.min_exclusive is not None:
            out.append((f"{name}.{c.name} <= {c.min_exclusive:g}", f"{col} <= {c.min_exclusive!r}"))
    return out


def view_sql(name: str, source: Callable[[str], str]) -> str:
    """The SELECT behind a table's catalog view; ``source(table)`` gives the relation of a table's files."""
    t = table(name)
    if t.view_sql is None:
        return f"SELECT * FROM {source(name)}"
    return t.view_sql.format(**{n: source(n) for n in tables()})


def duckdb_comments(name: str) -> list[tuple[str, str]]:
    """(object, comment) pairs for a view: the table itself and each column (derived ones included)."""
    t = table(name)
    out = [(f'VIEW "{t.name}"', t.description)]
    out += [(f'COLUMN "{t.name}"."{c.name}"', c.description) for c in (*t.columns, *t.view_columns)]
    return out


def markdown_columns(name: str) -> str:
    """The column table of one table, for the dataset card."""
    t = table(name)
    lines = ["| column | type | null | description |", "|---|---|---|---|"]
    for c in t.columns:
        ref = f" → `{c.references}`" if c.references else ""
        cons = c.constraint_text()
        cons = f" ({cons})" if cons else ""
        lines.append(f"| `{c.name}` | {c.type} | {'yes' if c.nullable else 'no'} | "
                     f"{c.description.replace('|', '/')}{cons}{ref} |")
    for c in t.view_columns:
        lines.append(f"| `{c.name}` | {c.type} | — | {c.description.replace('|', '/')} "
                     f"(catalog view only, computed at query time) |")
    return "\n".join(lines)
