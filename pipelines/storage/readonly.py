"""Read-only access to the warehouse for people and dashboards.

The connection is opened read-only with external access disabled, so a
query cannot write, attach other databases, install extensions or read
local files through table functions.  The one exception: after a Spark run
the marts are views over the Spark marts' Parquet folder, which the
warehouse names in ``raw.engine_marts``; only that folder is readable.
"""

from __future__ import annotations

from pathlib import Path

import duckdb


class ReadOnlyQueryError(Exception):
    """A query the read-only surface refuses or cannot run."""


def connect_read_only(warehouse: Path) -> duckdb.DuckDBPyConnection:
    if not warehouse.exists():
        raise ReadOnlyQueryError(f"no warehouse at {warehouse}; run `claimhouse run` first")
    try:
        con = duckdb.connect(
            str(warehouse),
            read_only=True,
            config={"autoinstall_known_extensions": False, "autoload_known_extensions": False},
        )
    except duckdb.Error as error:
        raise ReadOnlyQueryError(f"cannot open {warehouse} read-only: {error}") from None
    try:
        has_engine_marts = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'raw' and table_name = 'engine_marts'"
        ).fetchone()[0]
        folders = [row[0] for row in con.execute("select location from raw.engine_marts").fetchall()] if has_engine_marts else []
        if folders:  # must be set before external access is switched off, and cannot change after
            con.execute("set allowed_directories = $folders", {"folders": [f.rstrip("/") + "/" for f in folders]})
        con.execute("set enable_external_access = false")
    except BaseException:
        con.close()
        raise
    return con


def run_read_only_query(
    warehouse: Path, query: str, parameters: list | dict | None = None
) -> tuple[list[str], list[tuple]]:
    """Run one query and return (column names, rows)."""
    con = connect_read_only(warehouse)
    try:
        relation = con.execute(query, parameters or [])
        if relation.description is None:
            return [], []
        return [d[0] for d in relation.description], relation.fetchall()
    except duckdb.Error as error:
        first_line = str(error).strip().splitlines()[0]
        raise ReadOnlyQueryError(f"query refused or failed: {first_line}") from None
    finally:
        con.close()
