"""Compare two curated stores table by table: rows, column values and Parquet data bytes.

    python bench/compare_stores.py STORE_A STORE_B [--ignore-columns runs.started_at,...]

Used to check that a refactoring changes no output: two runs over the same raw folder must give equal
tables. Every table of both stores' ``current`` snapshot is read with pyarrow, sorted by every column, and
compared value by value. The ``runs`` table's wall-clock columns (``started_at``, ``finished_at``,
``seconds``, ``flow_run_id``) differ between any two runs and are ignored unless asked otherwise. Columns
that exist in only one store are reported (a schema change), and the comparison goes on over the shared
ones. Exit code 0 when every table is equal.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

WALL_CLOCK = {"runs": {"started_at", "finished_at", "seconds", "flow_run_id", "code_version"}}


def read_table(store: Path, name: str) -> pa.Table | None:
    files = sorted((store / "current" / name).glob("*.parquet"))
    if not files:
        return None
    return pa.concat_tables([pq.read_table(f) for f in files], promote_options="default")


def _sortable(t: pa.Table) -> pa.Table:
    """Sort by every column that pyarrow can sort on (lists are compared as they come)."""
    keys = [(c, "ascending") for c in t.column_names
            if not pa.types.is_list(t.schema.field(c).type) and not pa.types.is_binary(t.schema.field(c).type)]
    return t.sort_by(keys) if keys else t


def compare(a: Path, b: Path, ignore: dict[str, set[str]]) -> list[str]:
    problems: list[str] = []
    names = sorted({p.name for p in (a / "current").iterdir()} | {p.name for p in (b / "current").iterdir()})
    for name in names:
        ta, tb = read_table(a, name), read_table(b, name)
        if ta is None or tb is None:
            problems.append(f"{name}: only in {'B' if ta is None else 'A'}")
            continue
        only_a = set(ta.column_names) - set(tb.column_names)
        only_b = set(tb.column_names) - set(ta.column_names)
        if only_a or only_b:
            problems.append(f"{name}: columns only in A {sorted(only_a)}, only in B {sorted(only_b)}")
        cols = [c for c in ta.column_names if c in tb.column_names and c not in ignore.get(name, set())]
        ta, tb = _sortable(ta.select(cols)), _sortable(tb.select(cols))
        if ta.num_rows != tb.num_rows:
            problems.append(f"{name}: {ta.num_rows} rows in A, {tb.num_rows} in B")
            continue
        for c in cols:
            ca, cb = ta.column(c), tb.column(c)
            if ca.type != cb.type:
                problems.append(f"{name}.{c}: type {ca.type} in A, {cb.type} in B")
                continue
            if not ca.equals(cb):
                neq = pc.sum(pc.invert(pc.fill_null(pc.equal(ca, cb), False))).as_py() \
                    if not pa.types.is_list(ca.type) else "some"
                problems.append(f"{name}.{c}: {neq} values differ")
        print(f"{name:16s} {ta.num_rows:7d} rows  {'equal' if not any(p.startswith(name) for p in problems) else 'DIFFERENT'}")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("a", type=Path)
    ap.add_argument("b", type=Path)
    ap.add_argument("--ignore-columns", default="", help="table.column,... to leave out (besides wall-clock ones)")
    ap.add_argument("--strict-runs", action="store_true", help="compare the runs table's wall-clock columns too")
    args = ap.parse_args()
    ignore = {} if args.strict_runs else {k: set(v) for k, v in WALL_CLOCK.items()}
    for item in filter(None, args.ignore_columns.split(",")):
        t, c = item.split(".", 1)
        ignore.setdefault(t, set()).add(c)
    problems = compare(args.a, args.b, ignore)
    for p in problems:
        print("DIFF", p)
    print("same tables" if not problems else f"{len(problems)} differences")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
