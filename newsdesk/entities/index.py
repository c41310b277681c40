"""The committed entity rows a run's names can meet, looked up out of core: never a whole table in Python.

Corpus resolution (:func:`newsdesk.entities.corpus.resolve_keys`) reads, through a
:class:`newsdesk.entities.totals.Lookup`, only the committed ``entity_names`` rows of the names a run can meet:
its own names, the names that share a join key with them (a person's first or last word, an acronym or
initials, a school's place word), the other members of the entities those names are in; plus the
``entities`` registry rows and the current redirects of those entities' ids. :class:`StoreLookup` answers each
of these with one DuckDB query over the committed Parquet files. Speaker linking's corpus step needs current
entities by name (:meth:`StoreLookup.speaker_candidates`).

A redirect's current target is the ``redirect_to`` of its row with the highest ``version`` (a row pointing to
itself: the id is current again); a name's current entity is the current id of its latest row's entity.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import duckdb
import pyarrow as pa

from newsdesk.names import name_tokens

__all__ = ["StoreLookup", "committed_candidates", "person_tokens"]

_REGISTRY = "entity_id, name, type, name_key"


def _src(files: Sequence[Path]) -> str | None:
    if not files:
        return None
    return "read_parquet([" + ", ".join("'" + str(f).replace("'", "''") + "'" for f in files) + "])"


class StoreLookup:
    """Lookups over the committed ``entities``, ``entity_names`` and ``entity_redirects`` files (a
    :class:`~newsdesk.entities.totals.Lookup`). ``files``: table -> its committed Parquet files."""

    def __init__(self, files: Mapping[str, Sequence[Path]]):
        self.entities = _src(files.get("entities", ()))
        self.names = _src(files.get("entity_names", ()))
        self.redirects = _src(files.get("entity_redirects", ()))
        self.con = duckdb.connect()
        self.con.execute("SET memory_limit = '256MB'")
        self._n = 0

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> StoreLookup:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _want(self, values: Iterable[str]) -> str:
        self._n += 1
        name = f"want{self._n}"
        self.con.register(name, pa.table({"k": pa.array(sorted(set(values)), pa.string())}))
        return name

    def _rows(self, sql: str) -> list[dict]:
        return self.con.sql(sql).to_arrow_table().to_pylist()

    def _targets(self) -> str:
        if self.redirects is None:
            return "(SELECT NULL::VARCHAR AS entity_id, NULL::VARCHAR AS target WHERE false)"
        return f"(SELECT entity_id, arg_max(redirect_to, version) AS target FROM {self.redirects} GROUP BY entity_id)"

    # --- Lookup
    def names_by_key(self, name_keys: Iterable[str]) -> list[dict]:
        keys = set(name_keys)
        if self.names is None or not keys:
            return []
        w = self._want(keys)
        return self._rows(f"SELECT * FROM {self.names} WHERE name_key IN (SELECT k FROM {w}) ORDER BY name_key, version")

    def names_by_join_keys(self, parent_keys: Iterable[str], child_keys: Iterable[str]) -> list[dict]:
        pk, ck = set(parent_keys), set(child_keys)
        if self.names is None or not (pk or ck):
            return []
        wp, wc = self._want(pk), self._want(ck)
        return self._rows(f"""
            WITH hit AS (
                SELECT name_key FROM (SELECT name_key, unnest(parent_keys) AS k FROM {self.names})
                WHERE k IN (SELECT k FROM {wp})
                UNION
                SELECT name_key FROM (SELECT name_key, unnest(child_keys) AS k FROM {self.names})
                WHERE k IN (SELECT k FROM {wc}))
            SELECT * FROM {self.names} WHERE name_key IN (SELECT name_key FROM hit) ORDER BY name_key, version""")

    def names_of_entities(self, entity_ids: Iterable[str]) -> list[dict]:
        ids = set(entity_ids)
        if self.names is None or not ids:
            return []
        w = self._want(ids)
        return self._rows(f"""
            WITH latest AS (SELECT name_key, arg_max(entity_id, version) AS eid FROM {self.names} GROUP BY name_key),
                 hit AS (SELECT l.name_key FROM latest l LEFT JOIN {self._targets()} t ON l.eid = t.entity_id
                         WHERE coalesce(t.target, l.eid) IN (SELECT k FROM {w}))
            SELECT * FROM {self.names} WHERE name_key IN (SELECT name_key FROM hit) ORDER BY name_key, version""")

    def current(self, entity_ids: Iterable[str]) -> dict[str, str]:
        ids = set(entity_ids)
        if self.redirects is None or not ids:
            return {}
        w = self._want(ids)
        rows = self._rows(f"SELECT entity_id, target FROM {self._targets()} WHERE entity_id IN (SELECT k FROM {w})")
        return {r["entity_id"]: r["target"] for r in rows}

    def pointing_to(self, entity_ids: Iterable[str]) -> dict[str, str]:
        ids = set(entity_ids)
        if self.redirects is None or not ids:
            return {}
        w = self._want(ids)
        rows = self._rows(f"""SELECT entity_id, target FROM {self._targets()}
                              WHERE target IN (SELECT k FROM {w}) AND entity_id <> target""")
        return {r["entity_id"]: r["target"] for r in rows}

    def registry(self, entity_ids: Iterable[str]) -> dict[str, dict]:
        ids = set(entity_ids)
        if self.entities is None or not ids:
            return {}
        w = self._want(ids)
        rows = self._rows(f"SELECT {_REGISTRY} FROM {self.entities} WHERE entity_id IN (SELECT k FROM {w})")
        return {r["entity_id"]: r for r in rows}

    # --- speakers
    def speaker_candidates(self, norms: Iterable[str], person_tokens: Iterable[str] = ()) -> list[dict]:
        """Current entities (not redirected) whose ``name_key`` is in ``norms``, or PERSON entities whose first
        or last name token is in ``person_tokens``; sorted by entity_id."""
        norms, toks = set(norms), set(person_tokens)
        if self.entities is None or not (norms or toks):
            return []
        wn, wt = self._want(norms), self._want(toks)
        return self._rows(f"""
            WITH c AS (
                SELECT {_REGISTRY} FROM {self.entities} WHERE name_key IN (SELECT k FROM {wn})
                UNION
                SELECT {_REGISTRY} FROM {self.entities}
                WHERE type = 'PERSON' AND (split_part(name_key, ' ', 1) IN (SELECT k FROM {wt})
                                           OR split_part(name_key, ' ', -1) IN (SELECT k FROM {wt})))
            SELECT c.* FROM c LEFT JOIN {self._targets()} t USING (entity_id)
            WHERE coalesce(t.target, c.entity_id) = c.entity_id ORDER BY entity_id""")


def committed_candidates(files: Sequence[Path] | Mapping[str, Sequence[Path]], norms: Iterable[str],
                         person_tokens: Iterable[str] = ()) -> list[dict]:
    """Current committed entities whose ``name_key`` is in ``norms``, or PERSON ones whose first or last name
    token is in ``person_tokens``; sorted by entity_id. ``files``: the ``entities`` files, or table -> files
    (with ``entity_redirects``, redirected ids are left out)."""
    tables = files if isinstance(files, Mapping) else {"entities": files}
    with StoreLookup(tables) as look:
        return look.speaker_candidates(norms, person_tokens)


def person_tokens(norms: Iterable[str]) -> set[str]:
    """First and last tokens of normalized names (what a short-name join can share)."""
    out: set[str] = set()
    for n in norms:
        toks = name_tokens(n)
        if toks:
            out.add(toks[0])
            out.add(toks[-1])
    return out


def redirected_count(redirect_files: Sequence[Path]) -> int:
    """How many entity ids are currently redirected (the registry's rows minus these are the current entities)."""
    src = _src(redirect_files)
    if src is None:
        return 0
    with duckdb.connect() as con:
        return con.sql(f"""SELECT count(*) FROM (SELECT entity_id, arg_max(redirect_to, version) AS t FROM {src}
                            GROUP BY entity_id) WHERE t <> entity_id""").fetchall()[0][0]
