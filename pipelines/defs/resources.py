"""The warehouse resource: the published DuckDB file and the working copy runs write.

Each step opens its own connection and closes it before the next starts,
because dbt (a subprocess) needs the working file to itself to write.
Readers (``claimhouse sql``, the dashboard) only ever open the published
file; see ``pipelines.storage.snapshots`` for why and how it is published.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from pydantic import Field

from pipelines.settings import duckdb_memory_limit
from pipelines.storage.snapshots import publish_snapshot, start_working_copy, working_path_for


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse: runs write its working copy, readers read the published file."""

    path: str = Field(description="Path of the published DuckDB file that readers open.")

    @property
    def working_path(self) -> Path:
        return working_path_for(Path(self.path))

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the working copy: when missing, a copy of the published snapshot, or a new file
        (with its folder) on a first run."""
        if not read_only:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        path = start_working_copy(Path(self.path))
        con = duckdb.connect(str(path), read_only=read_only)
        try:
            # SET, not connect(config=...): a second connection to the same file with another config fails.
            con.execute(f"set memory_limit = '{duckdb_memory_limit()}'")
            yield con
        finally:
            con.close()

    def publish(self) -> int:
        """Make the working copy the published snapshot; returns its size in bytes."""
        return publish_snapshot(self.working_path, Path(self.path))
