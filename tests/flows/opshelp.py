"""Helpers for the operations tests (incremental, crash, lock, serve, Dask, bad input) and the bench.

* :func:`write_entity_cases` — articles whose entities a later run settles differently (types, names, joins).
* :func:`write_corpus` — a deterministic synthetic corpus of small, distinct news articles (with quotes,
  people, organisations and places, and a few exact duplicates), so tests never depend on network data.
* :func:`table_rows` — every table's contents as sorted rows, for "same tables" comparisons.
* :func:`tree_state` — (mtime, size) of every file under a store, for "nothing was rewritten" checks.
* :class:`PrefectServer` — one real ``prefect server start`` on a free local port, always stopped.
* :func:`cli_env` / :func:`run_cli` — run ``newsdesk`` in a subprocess against a server.
"""
from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from newsdesk.flows.server import PrefectServer, base_env, free_port, kill_group, stop  # noqa: F401 (re-exported)

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
NEWSDESK = str(BIN / "newsdesk") if (BIN / "newsdesk").exists() else "newsdesk"

# ---------------------------------------------------------------------------------------------- corpus
_FIRST = ["Maria", "John", "Aisha", "Kenji", "Olga", "Pedro", "Fatima", "Liam", "Chen", "Ingrid", "Tomas",
          "Amara", "Lucas", "Yara", "Dmitri", "Nadia", "Samuel", "Elena", "Hassan", "Greta"]
_LAST = ["Alvarez", "Okafor", "Lindqvist", "Tanaka", "Petrova", "Haddad", "Moreau", "Kowalski", "Nguyen",
         "Brennan", "Castillo", "Mensah", "Fischer", "Rahman", "Silva", "Novak", "Ibrahim", "Larsen"]
_ORGS = ["the World Health Organization", "the European Commission", "Reuters", "the Central Bank",
         "the United Nations", "Greenpeace", "the Red Cross", "NATO", "the IMF", "the Senate Finance Committee"]
_PLACES = ["Nairobi", "Lisbon", "Jakarta", "Toronto", "Warsaw", "Lima", "Oslo", "Manila", "Cairo", "Seoul",
           "Denver", "Glasgow", "Ankara", "Hanoi", "Accra"]
_TOPICS = ["water prices", "rail strikes", "housing permits", "vaccine supplies", "fishing quotas",
           "school funding", "grain exports", "bridge repairs", "wildfire budgets", "port congestion",
           "pension reform", "coal subsidies", "flood defenses", "hospital staffing", "data privacy rules"]
_VERBS = ["rose", "fell", "stalled", "doubled", "shrank", "recovered", "surged", "slipped", "held steady"]
_WORDS = ("analysts officials residents traders farmers nurses engineers teachers drivers investors "
          "council ministry committee agency union court parliament province district market harbor "
          "budget tariff contract report survey audit inquiry proposal deadline forecast shortage surplus "
          "quietly sharply slowly abruptly openly formally partly largely briefly widely "
          "northern coastal rural urban regional national annual weekly seasonal temporary").split()
_SAYS = ["said", "told reporters", "added", "warned", "argued"]
_OUTLETS = ["wire", "metro", "global"]
# repeated under every "metro" article: learned as a repeated line (removed_text.rule 'repeated_line')
METRO_FOOTER = "Tri-county weather, traffic and school closings are read out every morning on the Metro Ledger line."


def _sentence(rng: random.Random, i: int) -> str:
    words = rng.sample(_WORDS, 7)
    return (f"{words[0].capitalize()} in {rng.choice(_PLACES)} {rng.choice(_VERBS)} after {words[1]} "
            f"and {words[2]} reviewed the {words[3]} {words[4]} on {rng.choice(_TOPICS)}, "
            f"{rng.randint(2, 980)} {words[5]} {words[6]} later (item {i}-{rng.randint(1000, 9999)}).")


def article_text(i: int, seed: int = 0) -> str:
    """One synthetic article: headline, byline, 4-5 paragraphs with a quote and named entities."""
    rng = random.Random(f"{seed}:{i}")
    person = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    author = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    org = rng.choice(_ORGS)
    place = rng.choice(_PLACES)
    topic = rng.choice(_TOPICS)
    paras = [
        f"{place.upper()} — {person}, a spokesperson for {org}, spoke on {topic} in {place} on "
        f"{rng.choice(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'])}. " + _sentence(rng, i),
        " ".join(_sentence(rng, i) for _ in range(2)),
        f"“We expect the {topic} figures for {place} to change by {rng.randint(3, 97)} percent before "
        f"the next review,” {person} {rng.choice(_SAYS)}. " + _sentence(rng, i),
        " ".join(_sentence(rng, i) for _ in range(2)),
    ]
    if rng.random() < 0.5:
        paras.append(f"{org[0].upper() + org[1:]} did not respond to a request for comment about the "
                     f"{topic} dispute in {place}. " + _sentence(rng, i))
    if _OUTLETS[i % len(_OUTLETS)] == "metro":  # the outlet's own footer: no rule knows it, the corpus does
        paras.append(METRO_FOOTER)
    title = f"{place} {rng.choice(['officials', 'residents', 'traders'])} weigh {topic} ({seed}-{i})"
    return f"{title}\n\nBy {author}\n\n" + "\n\n".join(paras) + "\n"


def corpus_path(i: int, seed: int = 0) -> str:
    """Relative path of article ``i``: spread over a few outlet folders."""
    return f"{_OUTLETS[i % len(_OUTLETS)]}/a{seed}_{i:05d}.txt"


def write_corpus(raw: Path, n: int, *, seed: int = 0, start: int = 0, dup_every: int = 25) -> list[str]:
    """Write articles ``start .. start+n-1`` under ``raw``; every ``dup_every``-th also gets an exact copy
    under ``copies/`` (a path that sorts after the outlets' paths). Returns the relative paths written."""
    raw.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(start, start + n):
        text = article_text(i, seed)
        rel = corpus_path(i, seed)
        (raw / rel).parent.mkdir(parents=True, exist_ok=True)
        (raw / rel).write_text(text, encoding="utf-8")
        written.append(rel)
        if dup_every and i % dup_every == dup_every - 1:
            dup = f"zcopies/copy{seed}_{i:05d}.txt"
            (raw / dup).parent.mkdir(parents=True, exist_ok=True)
            (raw / dup).write_text(text, encoding="utf-8")
            written.append(dup)
    return written


# Entity cases whose one-run result differs from a first run's (issue 11 item 7): the model calls "Yukos"
# PERSON in the first run's article and ORG in three later ones; "Kim Jong-un" is spelled so once, "Kim Jong Un"
# twice later; "Roddick" stands alone until a later article names "Andy Roddick".
ENTITY_CASES = {
    1: ["Yukos said on Monday that it would appeal against the ruling. Yukos told the court its lawyers had not "
        "been given time.",
        "North Korean leader Kim Jong-un inspected a missile factory, state media reported. Roddick won the match "
        "in straight sets and said he was pleased with his serve.",
        "Roddick will face a qualifier in the second round."],
    2: ["Shares in the oil firm Yukos fell sharply on Tuesday after the tax ruling. Andy Roddick won the match in "
        "straight sets on Wednesday.",
        "Shares in the oil firm Yukos fell sharply on Tuesday after the tax ruling. Kim Jong Un inspected a missile "
        "factory, state media reported on Tuesday.",
        "Shares in the oil firm Yukos fell sharply on Tuesday after the tax ruling. Kim Jong Un inspected a missile "
        "factory, state media reported on Tuesday."],
}


def write_entity_cases(raw: Path, phase: int) -> list[str]:
    """The articles of :data:`ENTITY_CASES` for ``phase`` (1 or 2), each a synthetic article with the case's
    paragraph after its first one, under ``raw/zentities/``. Returns the relative paths written."""
    written = []
    for j, para in enumerate(ENTITY_CASES[phase]):
        i = 900 + 30 * phase + 3 * j  # a "wire" article: no metro footer
        head, rest = article_text(i, seed=5).split("\n\n", 1)
        byline, first, more = rest.split("\n\n", 2)
        rel = f"zentities/e{phase}_{j}.txt"
        (raw / rel).parent.mkdir(parents=True, exist_ok=True)
        (raw / rel).write_text(f"{head}\n\n{byline}\n\n{first}\n\n{para}\n\n{more}", encoding="utf-8")
        written.append(rel)
    return written


# ---------------------------------------------------------------------------------------------- tables
RUN_COLUMNS = {"run_id"}  # differ between an incremental history and one run over everything
# Committed rows are never rewritten, so a quote cluster keeps the id it was committed with, while one run
# over everything names it after its smallest quote_id: compare the clustering itself (quote_clusters).
HISTORY_COLUMNS = {"quotes.quote_cluster_id", "quote_index.quote_cluster_id"}
# An incremental history also keeps what one run over everything never writes: entity ids that a later run
# replaced (the `entities` registry keeps them, `entity_redirects` points them to the current ones) and the
# per-run name totals (`entity_names`). Compare such stores through the catalog views (views=True), which
# list the current entities and resolve committed ids.
HISTORY_TABLES = ("runs", "entity_names", "entity_redirects")


def table_rows(out: Path | str, *, drop: set[str] = RUN_COLUMNS, skip: tuple[str, ...] = ("runs",),
               drop_qualified: set[str] = frozenset(), views: bool = False) -> dict:
    """{table: sorted list of row tuples} for every declared table, without ``drop`` columns (and without
    ``drop_qualified`` columns, named ``table.column``); with ``views``, as the catalog views give them."""
    from newsdesk import schema
    from newsdesk.store import Store, connect

    store = Store(out)
    con = connect(out) if views else None
    result = {}
    for name in schema.tables():
        if name in skip:
            continue
        t = con.sql(f'SELECT * FROM "{name}"').to_arrow_table() if con is not None else store.read(name)
        cols = [c for c in t.column_names if c not in drop and f"{name}.{c}" not in drop_qualified]
        rows = [tuple(_freeze(r[c]) for c in cols) for r in t.select(cols).to_pylist()]
        result[name] = sorted(rows, key=repr)
    return result


def quote_clusters(out: Path | str) -> set[frozenset[str]]:
    """The partition of quote_ids into clusters, whatever the clusters are called."""
    from newsdesk.store import Store

    groups: dict[str, set[str]] = {}
    for r in Store(out).read("quotes", columns=["quote_id", "quote_cluster_id"]).to_pylist():
        groups.setdefault(r["quote_cluster_id"], set()).add(r["quote_id"])
    return {frozenset(g) for g in groups.values()}


def _freeze(v):
    if isinstance(v, list):
        return tuple(_freeze(x) for x in v)
    if isinstance(v, dict):
        return tuple(sorted((k, _freeze(x)) for k, x in v.items()))
    return v


def diff_tables(a: dict, b: dict, limit: int = 3) -> list[str]:
    """Human-readable differences between two :func:`table_rows` results (empty: identical)."""
    out = []
    for name in sorted(set(a) | set(b)):
        ra, rb = a.get(name, []), b.get(name, [])
        if ra != rb:
            sa, sb = set(ra), set(rb)
            out.append(f"{name}: {len(ra)} vs {len(rb)} rows; only left {sorted(sa - sb, key=repr)[:limit]}; "
                       f"only right {sorted(sb - sa, key=repr)[:limit]}")
    return out


def tree_state(out: Path | str, ignore: tuple[str, ...] = (".lock",)) -> dict[str, tuple]:
    """{relative path: (is_symlink, mtime_ns, size, link target)} of everything under ``out``."""
    out = Path(out)
    state = {}
    for dirpath, dirnames, filenames in os.walk(out):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = str(p.relative_to(out))
            if rel in ignore:
                continue
            st = p.lstat()
            link = os.readlink(p) if p.is_symlink() else None
            state[rel] = (link is not None, st.st_mtime_ns, st.st_size if not p.is_dir() else 0, link)
    return state


# ---------------------------------------------------------------------------------------------- processes
def first_line(text: str) -> str:
    """The first line of a command's output ('' for none)."""
    return text.splitlines()[0] if text else ""


def run_cli(args: list[str], env: dict, timeout: float = 240, cwd: Path | str = ROOT
            ) -> subprocess.CompletedProcess:
    """Run ``newsdesk ARGS`` to completion (its whole process group is killed on timeout)."""
    proc = subprocess.Popen([NEWSDESK, *args], env=env, cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        out, err = proc.communicate()
        raise AssertionError(f"newsdesk {' '.join(args)} timed out after {timeout}s\n{out}\n{err}")
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)



# ---------------------------------------------------------------------------------------------- process trees
SERVER_APP = "prefect.server.api.server:create_app"  # in the command line of every local Prefect server


def descendants(pid: int) -> dict[int, str]:
    """{pid: command line} of every process below ``pid``."""
    import psutil

    try:
        return {c.pid: " ".join(c.cmdline()) for c in psutil.Process(pid).children(recursive=True)}
    except psutil.Error:
        return {}


def server_roots(pid: int) -> set[int]:
    """Prefect servers among the descendants of ``pid`` (a process a server forked is part of that server)."""
    import psutil

    tree = descendants(pid)
    roots = set()
    for p, cmd in tree.items():
        if SERVER_APP in cmd:
            try:
                parent = psutil.Process(p).ppid()
            except psutil.Error:
                continue
            if SERVER_APP not in tree.get(parent, ""):
                roots.add(p)
    return roots


def alive(pids) -> list[int]:
    """Those of ``pids`` still running (zombies count as gone)."""
    import psutil

    left = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                left.append(pid)
        except psutil.NoSuchProcess:
            pass
    return left


def new_tmp(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))


if __name__ == "__main__":  # quick look at the corpus: python tests/flows/opshelp.py N
    print(article_text(int(sys.argv[1]) if len(sys.argv) > 1 else 0))
