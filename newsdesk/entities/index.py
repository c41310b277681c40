"""The committed entities a run's names can meet, looked up out of core: never the whole ``entities`` table.

Corpus resolution (:func:`newsdesk.entities.corpus.resolve_keys`) matches a run's clusters to committed
entities by normalized name, and joins a short PERSON name to the one fuller PERSON name it starts or ends.
So the committed rows that can matter are those whose ``name_key`` is one of the run's cluster names, and
the PERSON entities whose first or last name token is the first or last token of one of the run's PERSON
names. :func:`committed_candidates` asks DuckDB for exactly those, over the committed Parquet files.
Speaker linking's corpus step (:func:`speaker_candidates`) needs the same kind of rows for speaker names.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import duckdb
import pyarrow as pa

from newsdesk.names import name_tokens

__all__ = ["committed_candidates"]

_COLUMNS = "entity_id, name, type, name_key"


def committed_candidates(files: Sequence[Path], norms: Iterable[str], person_tokens: Iterable[str] = ()
                         ) -> list[dict]:
    """Committed entity rows whose ``name_key`` is in ``norms``, or PERSON rows whose first or last
    name token is in ``person_tokens``; sorted by entity_id."""
    norms = sorted(set(norms))
    toks = sorted(set(person_tokens))
    if not files or not (norms or toks):
        return []
    src = "read_parquet([" + ", ".join("'" + str(f).replace("'", "''") + "'" for f in files) + "])"
    con = duckdb.connect()
    try:
        con.register("want_norms", pa.table({"name_key": pa.array(norms, pa.string())}))
        con.register("want_tokens", pa.table({"tok": pa.array(toks, pa.string())}))
        t = con.sql(f"""
            SELECT {_COLUMNS} FROM {src} WHERE name_key IN (SELECT name_key FROM want_norms)
            UNION
            SELECT {_COLUMNS} FROM {src}
            WHERE type = 'PERSON' AND (split_part(name_key, ' ', 1) IN (SELECT tok FROM want_tokens)
                                       OR split_part(name_key, ' ', -1) IN (SELECT tok FROM want_tokens))
            ORDER BY entity_id""").fetch_arrow_table()
    finally:
        con.close()
    return t.to_pylist()


def person_tokens(norms: Iterable[str]) -> set[str]:
    """First and last tokens of normalized names (what a short-name join can share)."""
    out: set[str] = set()
    for n in norms:
        toks = name_tokens(n)
        if toks:
            out.add(toks[0])
            out.add(toks[-1])
    return out
