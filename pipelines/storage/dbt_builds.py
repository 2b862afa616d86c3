"""raw.dbt_builds and raw.publishes: what built the warehouse, and when it was last published.

Incremental dbt models rebuild only the run's days.  That is only right when
the models and lexicons are those that built the other days; the dbt asset
compares the project's fingerprint with the last one recorded here and asks
for a full refresh when they differ.  Articles loaded after the last publish
have not reached readers yet (a run was stopped or failed a check), so their
days stay to be processed.
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
create table if not exists raw.publishes (
    published_at timestamp not null
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


def record_publish(con: duckdb.DuckDBPyConnection, published_at: datetime) -> None:
    con.execute(_DDL)
    con.execute("insert into raw.publishes values (?)", [published_at])


def last_published_at(con: duckdb.DuckDBPyConnection) -> datetime | None:
    con.execute(_DDL)
    return con.execute("select max(published_at) from raw.publishes").fetchone()[0]
