"""The link step, in the driver: the run's article-level entity keys and speaker names -> corpus entity ids.

Input is what the enrich tasks staged: per article key ``(name, type)`` its counts, type votes and acronym
forms (``keys`` parts, summed by DuckDB into one :class:`newsdesk.entities.totals.KeyStats` per distinct key), and
the speaker names their articles could not settle (the ``wanted`` column of the staged quotes); never mentions
or quotes in Python. :func:`newsdesk.entities.corpus.resolve_keys` decides each key's entity from the totals of
its name (committed runs + this one), reading only the committed rows the run's names can meet
(:class:`newsdesk.entities.index.StoreLookup`, DuckDB over the committed Parquet files). The output is two small
lookup tables written to the staging area, ``keymap`` (key -> entity_id) and ``namemap`` (speaker names ->
entity_id), which the cluster tasks and the commit join with the staged mentions and quotes, and the rows the
run appends to ``entities`` (new ids), ``entity_names`` (what the run said about each name) and
``entity_redirects`` (committed ids whose entity changed type or name, or merged).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from newsdesk import schema
from newsdesk.entities.corpus import resolve_keys
from newsdesk.entities.index import StoreLookup, person_tokens
from newsdesk.entities.speakers import link_names
from newsdesk.names import norm_name
from newsdesk.entities.totals import read_key_stats
from newsdesk.staging import parquet_list, staged_files, write_part

KEYMAP_SCHEMA = pa.schema([("key_name", pa.string()), ("key_type", pa.string()), ("entity_id", pa.string())])
NAMEMAP_SCHEMA = pa.schema([("wanted", pa.string()), ("entity_id", pa.string())])
ENTITY_TABLES = ("entities", "entity_names", "entity_redirects")


@dataclass
class Links:
    keymap: Path  # staged lookup: key_name, key_type -> entity_id
    namemap: Path  # staged lookup: wanted -> entity_id
    new_entities: pa.Table  # rows to append to ``entities``
    names: pa.Table | None = None  # rows to append to ``entity_names``
    redirects: pa.Table | None = None  # rows to append to ``entity_redirects``
    keys: int = 0
    committed_candidates: int = 0


def staged_wanted(stage: Path) -> set[str]:
    """The speaker names the run's quotes left to the corpus step (distinct, read by DuckDB)."""
    files = staged_files(stage, "quotes")
    if not files:
        return set()
    con = duckdb.connect()
    try:
        rows = con.sql(f"SELECT DISTINCT wanted FROM read_parquet({parquet_list(files)}) "
                       "WHERE wanted IS NOT NULL").fetchall()
    finally:
        con.close()
    return {w for (w,) in rows}


def link_run(stage: Path, files: Mapping[str, Sequence[Path]] | Sequence[Path], run_id: str,
             version: int = 1) -> Links:
    """Resolve the run's staged keys and speaker names against the committed entities; stage the lookups.

    ``files``: the committed Parquet files of ``entities``, ``entity_names`` and ``entity_redirects``;
    ``version``: the store version this run commits as (orders redirects and names rows)."""
    stage = Path(stage)
    keys = read_key_stats(staged_files(stage, "keys"))
    wanted = staged_wanted(stage)
    if not isinstance(files, Mapping):
        files = {"entities": list(files)}
    with StoreLookup(files) as look:
        res = resolve_keys(keys, look, run_id=run_id, version=version)
        names = {n for w in wanted for n in w.split("\x1f")}
        committed = look.speaker_candidates(names, person_tokens(names)) if names else []
    gone = res.redirected
    candidates = [r for r in committed if r["entity_id"] not in gone and r["entity_id"] not in res.current]
    candidates += [{"entity_id": e, "name": nm, "type": t} for e, (nm, t) in sorted(res.current.items())]
    name_eid = link_names(wanted, candidates)

    key_eid = res.keymap
    keymap = write_part(pa.table({"key_name": [k[0] for k in sorted(key_eid)],
                                  "key_type": [k[1] for k in sorted(key_eid)],
                                  "entity_id": [key_eid[k] for k in sorted(key_eid)]}, schema=KEYMAP_SCHEMA),
                        stage / "links" / "keymap.parquet")
    namemap = write_part(pa.table({"wanted": sorted(name_eid), "entity_id": [name_eid[w] for w in sorted(name_eid)]},
                                  schema=NAMEMAP_SCHEMA), stage / "links" / "namemap.parquet")
    t = schema.table("entities")
    entities = t.to_arrow([t.row(entity_id=eid, name=name, type=typ, name_key=norm_name(name), run_id=run_id)
                           for eid, (name, typ) in sorted(res.entities.items())])
    n = schema.table("entity_names")
    names_rows = n.to_arrow([n.row(**r) for r in sorted(res.names, key=lambda r: r["name_key"])])
    rd = schema.table("entity_redirects")
    redirects = rd.to_arrow([rd.row(entity_id=e, redirect_to=to, change=why, run_id=run_id, version=version)
                             for e, (to, why) in sorted(res.redirects.items())])
    return Links(keymap=keymap, namemap=namemap, new_entities=entities, names=names_rows, redirects=redirects,
                 keys=len(key_eid), committed_candidates=res.committed_loaded)
