"""The warehouse resource: one DuckDB file, opened per step and closed after.

Each step opens its own connection and closes it before the next starts,
because dbt (a subprocess) needs the file to itself to write.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from pydantic import Field


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file that every asset reads and writes."""

    path: str = Field(description="Path of the DuckDB file; created with its folder when missing.")

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        path = Path(self.path)
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(path), read_only=read_only)
        try:
            yield con
        finally:
            con.close()
