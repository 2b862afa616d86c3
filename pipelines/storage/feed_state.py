"""Where feed polling remembers what it has seen: raw.feed_state, one row per feed."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from pipelines.ingestion.feeds import FeedState

_DDL = """
create schema if not exists raw;
create table if not exists raw.feed_state (
    feed_name varchar primary key,
    state_json varchar not null,
    updated_at timestamp not null
);
"""


def load_feed_states(con: duckdb.DuckDBPyConnection) -> dict[str, FeedState]:
    con.execute(_DDL)
    return {name: FeedState.from_json(state) for name, state in
            con.execute("select feed_name, state_json from raw.feed_state").fetchall()}


def save_feed_states(con: duckdb.DuckDBPyConnection, states: dict[str, FeedState]) -> None:
    con.execute(_DDL)
    now = datetime.now(UTC).replace(tzinfo=None)
    con.executemany(
        "insert or replace into raw.feed_state (feed_name, state_json, updated_at) values (?, ?, ?)",
        [(name, state.to_json(), now) for name, state in states.items()],
    )
