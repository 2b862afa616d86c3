"""raw.check_results: every evaluation of a Python-side check (GX suites, freshness), kept as history.

Written into the working copy, so a published snapshot carries the check
results of the run that published it; the dashboard shows the latest per check.
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

_DDL = """
create schema if not exists raw;
create table if not exists raw.check_results (
    check_name varchar not null,
    asset_key varchar not null,
    passed boolean not null,
    severity varchar not null,
    description varchar not null,
    evaluated_at timestamp not null
);
"""


def record_check_result(
    con: duckdb.DuckDBPyConnection, check_name: str, asset_key: str, passed: bool, severity: str, description: str
) -> None:
    con.execute(_DDL)
    con.execute(
        "insert into raw.check_results values (?, ?, ?, ?, ?, ?)",
        [check_name, asset_key, passed, severity, description, datetime.now(UTC).replace(tzinfo=None)],
    )


def last_result_passed(con: duckdb.DuckDBPyConnection, check_name: str) -> bool | None:
    """Whether ``check_name``'s latest recorded evaluation passed; None when it has none."""
    try:
        row = con.execute(
            "select passed from raw.check_results where check_name = ? order by evaluated_at desc limit 1",
            [check_name],
        ).fetchone()
    except duckdb.CatalogException:  # no check has run on this warehouse yet
        return None
    return None if row is None else bool(row[0])
