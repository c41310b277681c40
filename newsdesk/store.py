"""The curated store: Parquet tables committed atomically as numbered snapshots.

Layout of an output folder ``OUT``::

    OUT/_snapshots/000003/<table>/part-000001.parquet   hard links to earlier parts + this version's part
    OUT/current -> _snapshots/000003                    the committed state (one symlink)
    OUT/<table> -> current/<table>                      stable per-table paths for readers
    OUT/catalog.duckdb                                  one DuckDB view per table, with COMMENTs
    OUT/DATASET.md                                      dataset card (derived from schemas/ and the data)
    OUT/.lock                                           the single-writer lock

Everything is readable by other accounts as the umask allows (files 0644, folders 0755 under umask 022): the
temporary files and folders a commit renames into place are created 0600/0700 and get those modes first.
The catalog's views read ``<table>/*.parquet`` relative to the store (see :func:`open_catalog`), so a copied
store reads its own files and a moved one keeps working.

A commit builds the next snapshot in a temporary folder (hard links make the unchanged parts free), fsyncs
it, renames it into place, validates it, and then flips ``current`` with one atomic ``rename(2)``. A reader
therefore sees either the previous snapshot or the new one, in every table at once; a writer killed at any
point leaves ``current`` untouched, and the next writer sweeps what it left behind (:meth:`Store.recover`).
Old snapshots are kept for a while (``KEEP_SNAPSHOTS``) so that readers that resolved them can finish.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import duckdb
import filelock
import pyarrow as pa
import pyarrow.parquet as pq

from newsdesk import schema
from newsdesk.faults import crash_point
from newsdesk.staging import ROW_GROUP_ROWS, STAGING, Staged, write_sorted

KEEP_SNAPSHOTS = 3
SNAPSHOTS = "_snapshots"
CURRENT = "current"
CATALOG = "catalog.duckdb"
CARD = "DATASET.md"
LOCK = ".lock"
DUCKDB_STORAGE_VERSION = "v1.5.0"  # the duckdb-cli package (1.5.x) must be able to open the catalog


_FLIP_GATE = threading.RLock()  # held while `current` flips; freeze_commits() keeps it for good


def freeze_commits() -> None:
    """Let a flip of ``current`` in progress in this process finish, and forbid any later one.

    An interrupted run calls this before it reads the store's version, so that what it reports (nothing
    committed, or snapshot N) stays true until it exits. Re-entrant: a signal handler running in the thread
    that is flipping returns at once (and the flip, not yet done, never happens: the handler exits).
    """
    _FLIP_GATE.acquire()


class StoreBusy(RuntimeError):
    """Another writer holds the store."""


class CommitRejected(RuntimeError):
    """Validation failed; the commit was aborted and the last good state is in place."""


def umask() -> int:
    """The process's umask, read without changing it (Linux: /proc; elsewhere set and restored)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def publish_mode(path: Path | str, directory: bool = False) -> None:
    """Give a file (0666) or folder (0777) the mode a plain ``open``/``mkdir`` would, under the umask:
    ``tempfile`` creates them 0600/0700, which other accounts cannot read."""
    os.chmod(path, (0o777 if directory else 0o666) & ~umask())


def write_parquet(table: pa.Table, path: Path) -> None:
    """Write one Parquet file atomically (temporary name, fsync, rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".parquet", dir=path.parent)
    os.close(fd)
    publish_mode(tmp)
    try:
        pq.write_table(table.combine_chunks(), tmp, compression="zstd", write_statistics=True, use_dictionary=True,
                       store_schema=True, row_group_size=ROW_GROUP_ROWS)  # as staging.write_sorted
        _fsync_file(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Store:
    """One curated output folder."""

    def __init__(self, out: Path | str):
        self.out = Path(out).resolve()

    # ---------------------------------------------------------------- reading
    @property
    def snapshots(self) -> Path:
        return self.out / SNAPSHOTS

    def version(self) -> int:
        """The committed snapshot number (0 for an empty store)."""
        link = self.out / CURRENT
        try:
            return int(Path(os.readlink(link)).name)
        except (FileNotFoundError, ValueError):
            return 0

    def snapshot_dir(self, version: int | None = None) -> Path | None:
        v = self.version() if version is None else version
        return None if v == 0 else self.snapshots / f"{v:06d}"

    def files(self, name: str, version: int | None = None) -> list[Path]:
        snap = self.snapshot_dir(version)
        if snap is None:
            return []
        return sorted((snap / name).glob("*.parquet"))

    def count_rows(self, name: str, version: int | None = None) -> int:
        """Rows of a committed table, from the Parquet footers (no data read)."""
        return sum(pq.ParquetFile(f).metadata.num_rows for f in self.files(name, version))

    def read(self, name: str, columns: list[str] | None = None, version: int | None = None) -> pa.Table:
        """A committed table (empty, with its schema, when the store has none)."""
        t = schema.table(name)
        files = self.files(name, version)
        if not files:
            empty = t.empty()
            return empty.select(columns) if columns else empty
        target = t.arrow_schema()
        parts = [pq.read_table(f, columns=columns, schema=target) for f in files]
        return pa.concat_tables(parts)

    # ---------------------------------------------------------------- writing
    @contextmanager
    def writer(self, timeout: float = 0) -> Iterator[Store]:
        """Hold the single-writer lock (``timeout`` seconds to wait; 0: fail at once) and recover."""
        self.out.mkdir(parents=True, exist_ok=True)
        lock = filelock.FileLock(self.out / LOCK)
        try:
            lock.acquire(timeout=timeout)
        except filelock.Timeout:
            raise StoreBusy(f"another newsdesk run is writing to {self.out} (lock {self.out / LOCK}); "
                            "wait for it to finish or pass --wait SECONDS") from None
        try:
            self.recover()
            self.repair()
            yield self
        finally:
            lock.release()

    def recover(self) -> list[Path]:
        """Remove what a killed writer left: temporary snapshots and snapshots newer than ``current``."""
        removed: list[Path] = []
        if not self.snapshots.exists():
            return removed
        current = self.version()
        for p in sorted(self.snapshots.iterdir()):
            stale = p.name.startswith(".tmp-") or (p.name.isdigit() and int(p.name) > current)
            if stale:
                shutil.rmtree(p, ignore_errors=True)
                removed.append(p)
        for tmp in self.out.glob(".tmp-*"):
            tmp.unlink(missing_ok=True)
        staging = self.out / STAGING
        if staging.exists():  # a run's staged parts: only a writer that holds the lock has any
            for p in sorted(staging.iterdir()):
                shutil.rmtree(p, ignore_errors=True)
                removed.append(p)
        return removed

    def repair(self) -> bool:
        """Rebuild the derived files (table links, catalog, card) if a writer died before writing them.

        They are written after ``current`` flips, so a kill in between leaves committed data with a missing
        or stale catalog; the next writer notices (catalog older than ``current``) and rebuilds it.
        """
        if self.version() == 0:
            return False
        current_mtime = (self.out / CURRENT).lstat().st_mtime_ns
        derived = [self.out / CATALOG, self.out / CARD]
        links_ok = all((self.out / name).is_symlink() for name in schema.tables())
        fresh = all(p.exists() and p.stat().st_mtime_ns >= current_mtime for p in derived)
        if links_ok and fresh:
            return False
        self._ensure_table_links()
        self.write_catalog()
        return True

    def commit(self, appends: Mapping[str, pa.Table | Staged],
               check: Callable[[Path, str], list[str]] | None = None) -> int:
        """Commit new rows (``appends``, per table) as the next snapshot.

        Every table is append-only: a snapshot hard-links the previous snapshot's parts and adds one part per
        table with rows. A table's rows are an Arrow table, or a :class:`newsdesk.staging.Staged` query over
        the parts the workers wrote (merged and sorted out of core); either way the part is written in the
        table's order.

        ``check(snapshot_dir, part_name)`` returns the problems in the rows this commit adds (the ``part_name``
        file of each table, e.g. :func:`newsdesk.validate.check_snapshot`); any problem aborts the commit
        (:class:`CommitRejected`) and leaves the previous snapshot current. Must be called under
        :meth:`writer`. Returns the new version.
        """
        declared = schema.tables()
        unknown = set(appends) - set(declared)
        if unknown:
            raise ValueError(f"undeclared tables: {sorted(unknown)}")
        prev = self.version()
        new = prev + 1
        self.snapshots.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.snapshots))
        publish_mode(tmp, directory=True)
        mask = umask()
        part = f"part-{new:06d}.parquet"
        for name, t in declared.items():
            tdir = tmp / name
            tdir.mkdir()
            old = self.files(name, prev)
            for f in old:
                os.link(f, tdir / f.name)
                mode, wanted = f.stat().st_mode & 0o777, 0o666 & ~mask
                if mode & wanted != wanted:  # a part written 0600, before modes were fixed: widen only
                    os.chmod(f, mode | wanted)
            rows = appends.get(name)
            if rows is not None:
                n = self._write_part(name, rows, tdir / part)
                if n == 0 and old:
                    (tdir / part).unlink()  # nothing new: the old parts say it all
            elif not old:
                write_parquet(t.empty(), tdir / part)  # every table has a file, even an empty one
            _fsync_dir(tdir)
        _fsync_dir(tmp)
        final = self.snapshots / f"{new:06d}"
        crash_point("before_rename")
        os.rename(tmp, final)
        _fsync_dir(self.snapshots)
        problems = check(final, part) if check else []
        if problems:
            shutil.rmtree(final, ignore_errors=True)
            raise CommitRejected("validation failed, nothing committed: " + "; ".join(problems[:10])
                                 + (f" (+{len(problems) - 10} more)" if len(problems) > 10 else ""))
        crash_point("before_flip")
        self._flip(final)
        crash_point("before_catalog")
        self._ensure_table_links()
        self.write_catalog()
        self._gc(new)
        return new

    def _write_part(self, name: str, rows: pa.Table | Staged, path: Path) -> int:
        """Write a table's rows for this commit (in memory, or staged by the workers); returns the count."""
        if isinstance(rows, Staged):
            n = write_sorted(name, rows, path, temp_dir=self.out / STAGING)
            _fsync_file(path)
            return n
        write_parquet(self._conform(name, rows), path)
        return rows.num_rows

    @staticmethod
    def _conform(name: str, table: pa.Table) -> pa.Table:
        target = schema.table(name).arrow_schema()
        if table.schema.names != target.names:
            raise ValueError(f"{name}: columns {table.schema.names} != declared {target.names}")
        return table.cast(target) if not table.schema.equals(target, check_metadata=True) else table

    def _flip(self, snap: Path) -> None:
        with _FLIP_GATE:
            tmp_link = self.out / f".tmp-{CURRENT}-{os.getpid()}"
            tmp_link.unlink(missing_ok=True)
            os.symlink(os.path.relpath(snap, self.out), tmp_link)
            os.replace(tmp_link, self.out / CURRENT)
            _fsync_dir(self.out)

    def _ensure_table_links(self) -> None:
        for name in schema.tables():
            link = self.out / name
            if not link.is_symlink():
                if link.exists():
                    shutil.rmtree(link)
                os.symlink(os.path.join(CURRENT, name), link)

    def _gc(self, newest: int) -> None:
        for p in self.snapshots.iterdir():
            if p.name.isdigit() and int(p.name) <= newest - KEEP_SNAPSHOTS:
                shutil.rmtree(p, ignore_errors=True)

    # ---------------------------------------------------------------- derived files
    def write_catalog(self) -> Path:
        """(Re)build ``catalog.duckdb``: a view per table over ``<table>/*.parquet``, with comments.

        The paths are relative to the store, so the catalog travels with it (a copy reads its own files, a
        moved store keeps working). DuckDB resolves a relative path against the working directory, then
        against its ``file_search_path`` setting: open the catalog from the store's folder, or with
        ``file_search_path`` set to it (:func:`open_catalog` does). Written to a temporary file and renamed
        into place, at every commit; readers open it read-only.
        """
        path = self.out / CATALOG
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".duckdb", dir=self.out)
        os.close(fd)
        os.unlink(tmp)  # duckdb wants to create the file itself
        try:
            con = duckdb.connect(tmp, config={"storage_compatibility_version": DUCKDB_STORAGE_VERSION,
                                              "file_search_path": str(self.out)})
            try:
                for sql in catalog_sql(self.out, relative=True):
                    con.execute(sql)
                con.execute("CHECKPOINT")
            finally:
                con.close()
            publish_mode(tmp)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            Path(tmp + ".wal").unlink(missing_ok=True)
            raise
        self.write_card()
        return path

    def write_card(self) -> Path:
        from newsdesk.card import dataset_card  # local: the card needs the committed tables

        path = self.out / CARD
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".md", dir=self.out)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(dataset_card(self))
            publish_mode(tmp)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def catalog_sql(out: Path, relative: bool = False) -> list[str]:
    """The statements that define the catalog's views and comments (paths relative to the store with
    ``relative``, else absolute)."""
    stmts = []

    def source(name: str) -> str:
        glob = f"{name}/*.parquet" if relative else str(Path(out).resolve() / name / "*.parquet")
        return f"read_parquet({_sql_str(glob)})"

    for name in schema.tables():
        stmts.append(f'CREATE OR REPLACE VIEW "{name}" AS {schema.view_sql(name, source)}')
        for obj, comment in schema.duckdb_comments(name):
            stmts.append(f"COMMENT ON {obj} IS {_sql_str(comment)}")
    return stmts


def connect(out: Path | str) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with a view per committed table (no catalog file needed)."""
    con = duckdb.connect()
    for sql in catalog_sql(Path(out)):
        if sql.startswith("CREATE"):
            con.execute(sql)
    return con


def open_catalog(out: Path | str) -> duckdb.DuckDBPyConnection:
    """``OUT/catalog.duckdb`` opened read-only, from any working directory: the views' relative paths
    resolve against the store (``file_search_path``). The same in plain DuckDB::

        duckdb.connect("data/curated/catalog.duckdb", read_only=True,
                       config={"file_search_path": "data/curated"})
    """
    out = Path(out).resolve()
    return duckdb.connect(str(out / CATALOG), read_only=True, config={"file_search_path": str(out)})
