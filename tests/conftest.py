"""Shared fixtures: one spaCy-backed extractor, and one warehouse built from the sample corpus.

The end-to-end warehouse is built once per session (about a minute) through
the real path: Dagster materialization, DuckDB, dbt build and the checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from pipelines.defs.dbt.project import prepare_dbt_project
from pipelines.extraction import Extractor
from pipelines.run import RunSummary, run_pipeline
from pipelines.settings import REPO_DIR, SAMPLE_CORPUS_DIR

# Tests define the dbt assets from the manifest: make sure it matches the project.
prepare_dbt_project()

SHARED_DIR = REPO_DIR.parent / "shared"
CRIMEA_ARTICLE = SHARED_DIR / "seeds" / "crimea-withdrawal-article.txt"


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> RunSummary:
    warehouse = tmp_path_factory.mktemp("sample") / "claimhouse.duckdb"
    summary = run_pipeline([str(SAMPLE_CORPUS_DIR)], warehouse)
    assert summary.success, summary.render()
    return summary


@pytest.fixture
def sample_db(sample_run: RunSummary) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(sample_run.warehouse), read_only=True)
    yield con
    con.close()


def fetch_dicts(con: duckdb.DuckDBPyConnection, query: str, parameters: list | None = None) -> list[dict]:
    cursor = con.execute(query, parameters or [])
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def table_counts(warehouse: Path, tables: list[str]) -> dict[str, int]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}  # noqa: S608 - test constants
    finally:
        con.close()
