"""raw.dbt_builds: which dbt project fingerprint last built the warehouse, and when.

Incremental dbt models rebuild only the run's days.  That is only right when
the models and lexicons are those that built the other days; the dbt asset
compares the project's fingerprint with the last one recorded here and asks
for a full refresh when they differ.
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

_DDL = """
create schema if not exists raw;
create table if not exists raw.dbt_builds (
    fingerprint varchar not null,
    built_at timestamp not null,
    full_refresh boolean not null,
    first_day date,
    last_day date
);
"""


def last_fingerprint(con: duckdb.DuckDBPyConnection) -> str | None:
    con.execute(_DDL)
    row = con.execute("select fingerprint from raw.dbt_builds order by built_at desc limit 1").fetchone()
    return row[0] if row else None


def record_build(con: duckdb.DuckDBPyConnection, fingerprint: str, full_refresh: bool, first_day, last_day) -> None:
    con.execute(_DDL)
    con.execute(
        "insert into raw.dbt_builds values (?, ?, ?, ?, ?)",
        [fingerprint, datetime.now(UTC).replace(tzinfo=None), full_refresh, first_day, last_day],
    )
