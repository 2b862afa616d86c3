"""Read-only access to the warehouse for people and dashboards.

The connection is opened read-only with external access disabled, so a
query cannot write, attach other databases, install extensions or read
local files through table functions.
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
        return duckdb.connect(
            str(warehouse),
            read_only=True,
            config={"enable_external_access": False, "autoinstall_known_extensions": False,
                    "autoload_known_extensions": False},
        )
    except duckdb.Error as error:
        raise ReadOnlyQueryError(f"cannot open {warehouse} read-only: {error}") from None


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
