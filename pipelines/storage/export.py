"""Export every ``marts.*`` table to Parquet, one file per table, for other tools.

The read-only query surface (``readonly.py``) disables external access, which
also forbids ``COPY ... TO``; export opens its own read-only connection that
may write files but still cannot write to the warehouse.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

TABLE_NAME = re.compile(r"^[a-z_]+$")


class ExportError(Exception):
    """The warehouse cannot be read, or a table cannot be exported."""


@dataclass(frozen=True)
class ExportedTable:
    table: str
    rows: int
    path: Path


def mart_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The tables and views of schema ``marts``, from the catalog."""
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts' order by table_name"
    ).fetchall()
    return [r[0] for r in rows]


def _sql_string_literal(value: str) -> str:
    # COPY ... TO does not take a bound parameter for its target, so the path is
    # written as a SQL string literal: single quotes doubled, nothing else interpreted.
    return "'" + value.replace("'", "''") + "'"


def export_marts(warehouse: Path, directory: Path) -> list[ExportedTable]:
    """Write ``directory/<table>.parquet`` for every mart table; each file is replaced atomically."""
    if not warehouse.exists():
        raise ExportError(f"no warehouse at {warehouse}; run `claimhouse run` first")
    directory.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(
            str(warehouse),
            read_only=True,
            config={"autoinstall_known_extensions": False, "autoload_known_extensions": False},
        )
    except duckdb.Error as error:
        raise ExportError(f"cannot open {warehouse} read-only: {error}") from None
    exported: list[ExportedTable] = []
    try:
        tables = mart_tables(con)
        if not tables:
            raise ExportError(f"no marts in {warehouse}; run `claimhouse run` first")
        for table in tables:
            if not TABLE_NAME.match(table):
                raise ExportError(f"refusing to export a table with an unexpected name: {table!r}")
            target = directory / f"{table}.parquet"
            partial = directory / f".{table}.parquet.partial"
            # ``table`` matched ^[a-z_]+$ and comes from the catalog: safe as an identifier.
            try:
                rows = con.execute(
                    f"copy (select * from marts.{table}) to {_sql_string_literal(str(partial))} (format parquet)"
                ).fetchone()[0]
            except duckdb.Error:
                partial.unlink(missing_ok=True)
                raise
            os.replace(partial, target)
            exported.append(ExportedTable(table, int(rows), target))
    except duckdb.Error as error:
        raise ExportError(f"export failed: {str(error).strip().splitlines()[0]}") from None
    finally:
        con.close()
    return exported
