"""The fixed cost of a scheduled run that finds nothing new, against an existing store, with a running server.

Goal (issue 13): a nothing-new run costs at most 2 s more than Prefect's own start, whatever the store's size.
Prefect's start is measured in the same session as a run over an empty raw folder into an empty store (the
same command and runner choice, the same server, nothing to discover). Then, against the store at ``--out`` grown from
``--raw`` (e.g. a ``bench_scale.py --workdir`` folder after its runs): ``newsdesk run --changes files`` (every
raw file stat-ed) and ``newsdesk run --changes folders`` (only folders whose listing changed; the first such
run records the folders and is reported apart), each ``--repeat`` times, alternating. Wall time of the whole
command, from this process, as a scheduler sees it.

Run it from a folder that is not a checkout, e.g.
``cd /tmp && /path/to/checkout/.venv/bin/python /path/to/checkout/bench/bench_nothing_new.py --raw R --out O``.
The store must have nothing new (the runs must not commit): the benchmark checks each run said so.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NEWSDESK = str(Path(sys.executable).parent / "newsdesk")


def timed(args: list[str], env: dict) -> tuple[float, str]:
    t0 = time.perf_counter()
    proc = subprocess.run([NEWSDESK, "run", *args], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"newsdesk run {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return wall, proc.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--raw", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True, help="a store with nothing new to curate from --raw")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path)
    a = ap.parse_args()
    from newsdesk.flows.server import PrefectServer, base_env

    work = Path(tempfile.mkdtemp(prefix="bench-nothing-new-"))
    (work / "empty").mkdir()
    res: dict = {"raw": str(a.raw), "out": str(a.out), "repeat": a.repeat}
    with PrefectServer(work / "server") as srv:
        env = base_env(work / "home", srv.api_url)
        timed(["--raw", str(work / "empty"), "--out", str(work / "warm"), "--runner", "threads"], env)  # first flow
        res["first_folders_run_s"] = round(timed(["--raw", str(a.raw), "--out", str(a.out), "--changes",
                                                  "folders"], env)[0], 2)  # lists every folder, records them
        walls: dict[str, list[float]] = {"empty": [], "files": [], "folders": []}
        for i in range(a.repeat):
            walls["empty"].append(timed(["--raw", str(work / "empty"), "--out", str(work / f"empty{i}")], env)[0])
            for mode in ("files", "folders"):
                wall, stdout = timed(["--raw", str(a.raw), "--out", str(a.out), "--changes", mode], env)
                if "nothing new" not in stdout:
                    raise SystemExit(f"the store had something new to curate ({mode}): {stdout[-500:]}")
                walls[mode].append(wall)
    for k, v in walls.items():
        res[k] = {"median_s": round(statistics.median(v), 2), "runs_s": [round(x, 2) for x in v]}
    for mode in ("files", "folders"):
        res[mode]["over_empty_s"] = round(res[mode]["median_s"] - res["empty"]["median_s"], 2)
    print(json.dumps(res, indent=2))
    if a.json:
        a.json.write_text(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
