"""Publishing the warehouse: runs write a working copy, readers see an immutable snapshot.

DuckDB lets one process write a file, and a process cannot open a file that
another holds read-write.  So a run never writes the file readers open: it
builds ``<name>.work.duckdb``, and when every blocking check has passed it
checkpoints that file, copies it beside the published one and renames the
copy over it.  The rename is atomic: a reader sees the old snapshot or the new
one, never half of a run, and a run that is killed or fails its checks leaves
the published file exactly as it was.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

WORKING_SUFFIX = ".work.duckdb"


def working_path_for(published: Path) -> Path:
    """``warehouse/claimhouse.duckdb`` -> ``warehouse/claimhouse.work.duckdb``."""
    return published.with_name(published.stem + WORKING_SUFFIX)


def start_working_copy(published: Path) -> Path:
    """The working copy of ``published``, started from the published snapshot when it is missing (someone
    moved the published file alone, or deleted the working copy): a run that started from an empty working
    copy would publish a warehouse holding only its own articles.  With neither file, a first run starts
    from nothing."""
    working = working_path_for(published)
    if not working.exists() and published.exists():
        _copy_atomically(published, working)
    return working


def publish_snapshot(working: Path, published: Path) -> int:
    """Atomically replace ``published`` with a consistent copy of ``working``; return its size in bytes."""
    con = duckdb.connect(str(working))
    try:
        con.execute("checkpoint")  # fold the write-ahead log into the file before copying it
    finally:
        con.close()
    _copy_atomically(working, published)
    return published.stat().st_size


def _copy_atomically(source: Path, target: Path) -> None:
    """Copy ``source`` beside ``target``, flush it to disk, and rename it over ``target``: a reader or a
    killed copy never leaves half a file under ``target``'s name."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(source, temporary)
        with temporary.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
