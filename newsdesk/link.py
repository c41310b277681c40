"""The link step, in the driver: the run's article-level entity keys and speaker names -> corpus entity ids.

Input is what the enrich tasks returned: counts per article key ``(name, type)`` and the speaker names their
articles could not settle, never mentions or quotes. Committed entities are looked up out of core, only those
the run's names can meet (:func:`newsdesk.entities.index.committed_candidates`), and
:func:`newsdesk.entities.corpus.resolve_keys` decides: a key joins a committed entity (which never changes)
or founds a new one. The output is two small lookup tables written to the staging area, ``keymap``
(key -> entity_id) and ``namemap`` (speaker names -> entity_id), which the cluster tasks and the commit join
with the staged mentions and quotes, and the new rows of the ``entities`` table.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from newsdesk import schema
from newsdesk.entities.corpus import KeyStats, cluster_norms, resolve_keys
from newsdesk.entities.index import committed_candidates, person_tokens
from newsdesk.entities.speakers import link_names
from newsdesk.names import norm_name
from newsdesk.staging import write_part

KEYMAP_SCHEMA = pa.schema([("key_name", pa.string()), ("key_type", pa.string()), ("entity_id", pa.string())])
NAMEMAP_SCHEMA = pa.schema([("wanted", pa.string()), ("entity_id", pa.string())])


@dataclass
class Links:
    keymap: Path  # staged lookup: key_name, key_type -> entity_id
    namemap: Path  # staged lookup: wanted -> entity_id
    new_entities: pa.Table  # rows to append to ``entities``
    keys: int = 0
    committed_candidates: int = 0


def link_run(stage: Path, keys: Mapping[tuple[str, str], KeyStats], wanted: set[str], entity_files: list[Path],
             run_id: str) -> Links:
    """Resolve the run's keys and speaker names against the committed entities; stage the lookup tables."""
    stage = Path(stage)
    norms = set(cluster_norms(keys).values())
    existing = committed_candidates(entity_files, norms, person_tokens(norms))
    key_eid, new_meta = resolve_keys(keys, existing)

    names = {n for w in wanted for n in w.split("\x1f")}
    speakers_existing = committed_candidates(entity_files, names, person_tokens(names)) if names else []
    new_rows = [{"entity_id": eid, "name": name, "type": typ} for eid, (name, typ) in new_meta.items()]
    name_eid = link_names(wanted, [*new_rows, *speakers_existing])

    keymap = write_part(pa.table({"key_name": [k[0] for k in sorted(key_eid)],
                                  "key_type": [k[1] for k in sorted(key_eid)],
                                  "entity_id": [key_eid[k] for k in sorted(key_eid)]}, schema=KEYMAP_SCHEMA),
                        stage / "links" / "keymap.parquet")
    namemap = write_part(pa.table({"wanted": sorted(name_eid), "entity_id": [name_eid[w] for w in sorted(name_eid)]},
                                  schema=NAMEMAP_SCHEMA), stage / "links" / "namemap.parquet")
    t = schema.table("entities")
    entities = t.to_arrow([t.row(entity_id=eid, name=name, type=typ, name_key=norm_name(name), run_id=run_id)
                           for eid, (name, typ) in sorted(new_meta.items())])
    return Links(keymap=keymap, namemap=namemap, new_entities=entities, keys=len(key_eid),
                 committed_candidates=len(existing))
