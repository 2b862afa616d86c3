"""The benchmark's dashboard-query stage on a warehouse it is given (``--base-warehouse``), through its CLI."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from pipelines.benchmark.run import main
from pipelines.run import RunSummary


def test_the_queries_stage_measures_the_warehouse_it_is_given(sample_run: RunSummary, tmp_path: Path) -> None:
    warehouse = sample_run.warehouse
    with duckdb.connect(str(warehouse), read_only=True) as con:
        n_articles = con.execute("select count(*) from raw.articles").fetchone()[0]

    assert main(["--stages", "queries", "--base-warehouse", str(warehouse), "--out-dir", str(tmp_path),
                 "--query-repetitions", "2"]) == 0

    result = json.loads((tmp_path / "benchmark.json").read_text(encoding="utf-8"))
    assert result["queries_articles"] == n_articles
    measured = {q["query"]: q for q in result["queries"]}
    assert {"actor_conflicts", "actor_conflicts (7-day filter)", "actor_conflicts (busiest 7 days)",
            "contested_propositions (busiest 7 days)", "actor_claims", "claim_evidence"} <= set(measured)
    assert all(0 < q["p50_ms"] <= q["p95_ms"] for q in measured.values())
    assert f"## Dashboard queries (read-only connection, {n_articles:,}-article warehouse)" in (
        tmp_path / "benchmark.md").read_text(encoding="utf-8")


def test_the_queries_stage_needs_a_warehouse(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--stages", "queries", "--out-dir", str(tmp_path)])
    assert exit_info.value.code == 2


def test_the_report_names_the_queries_over_the_target() -> None:
    from pipelines.benchmark.report import _queries

    result = {"queries_articles": 100_000, "queries": [
        {"query": "actor_claims", "p50_ms": 40.0, "p95_ms": 45.0},
        {"query": "actor_conflicts (busiest 7 days)", "p50_ms": 110.0, "p95_ms": 117.3},
    ]}
    assert ("Target: p95 under 100 ms at 100,000 articles. 1 of 2 queries under it; over it: "
            "`actor_conflicts (busiest 7 days)` 117.3 ms.") in _queries(result)
    result["queries"].pop()
    assert "Target: p95 under 100 ms at 100,000 articles. 1 of 1 queries under it." in _queries(result)
