"""The benchmark's sizing arithmetic and the merging of a partial run into the stored result.

Pure functions: no Spark, no corpus, no warehouse.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from pipelines.benchmark import sizing
from pipelines.benchmark.report import render_markdown
from pipelines.benchmark.results import STAGES, merge_results


def test_overhead_factor_is_core_time_per_article_against_in_process() -> None:
    # 2 articles/s on one core in-process; Spark does 3 articles/s on 2 cores = 1.5 per core.
    assert sizing.spark_overhead_factor(2.0, 3.0, 2) == pytest.approx(2.0 / 1.5)
    assert sizing.spark_overhead_factor(2.0, 4.0, 2) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        sizing.spark_overhead_factor(2.0, 0.0, 2)


def test_sizing_for_a_gdelt_day_and_the_backfill() -> None:
    # 2 articles/s a core, Spark costing 1.25x: 0.625 core-seconds an article.
    s = sizing.extraction_sizing(2.0, 1.25)
    assert s["core_seconds_per_article"] == pytest.approx(0.625)
    assert s["core_hours_per_day"] == pytest.approx(200_000 * 0.625 / 3600)  # 34.72
    assert s["cores_for_day_in_24h"] == 2  # 34.72 / 24 = 1.45, rounded up
    assert s["cores_for_day_in_1h"] == 35
    assert s["backfill_days"] == 5 * 365
    assert s["backfill_articles"] == 365_000_000
    assert s["backfill_core_hours"] == pytest.approx(s["core_hours_per_day"] * 1825)
    assert s["backfill_days_on_cores"]["1000"] == pytest.approx(s["backfill_core_hours"] / 1000 / 24)


def test_an_overhead_below_one_is_taken_as_one() -> None:
    s = sizing.extraction_sizing(4.0, 0.8, articles_per_day=36_000, backfill_days=10)
    assert s["overhead_factor_measured"] == 0.8
    assert s["overhead_factor_used"] == 1.0
    assert s["core_hours_per_day"] == pytest.approx(2.5)  # 36,000 articles / 4 a second = 9,000 core-seconds
    assert (s["cores_for_day_in_24h"], s["cores_for_day_in_1h"]) == (1, 3)
    assert s["backfill_core_hours"] == pytest.approx(25.0)


def test_sizing_rejects_a_zero_throughput() -> None:
    with pytest.raises(ValueError):
        sizing.extraction_sizing(0.0, 1.0)


MACHINE = {"platform": "Linux", "python": "3.11.7", "cpu_count": 2, "cpu_affinity": 2,
           "load_average_at_start": [1.0, 1.0, 1.0], "duckdb": "2.0.1", "spacy": "3.8.18"}
LEGACY = {  # the shape benchmark.json had before stages kept their own provenance
    "measured_at": "2026-11-25T13:16:36Z",
    "command": "python -m pipelines.benchmark.run --sizes 100 300",
    "seed": 42,
    "machine": MACHINE,
    "end_to_end": [{"articles": 100}],
    "growth": {"smallest": 100, "largest": 300, "factor": 0.557},
    "queries": [{"query": "filter_choices"}],
    "incremental": {"seconds": 199.5},
    "extraction": {"articles": 299},
    "memory": {"self_mib": 4177.7, "children_mib": 913.4},
}


def _spark_run(at: str, figures: dict) -> dict:
    provenance = {"measured_at": at, "command": "python -m pipelines.benchmark.run --stages spark-extraction",
                  "seed": 42, "machine": MACHINE}
    return {"updated_at": at, "stages": {"spark-extraction": provenance}, "spark_extraction": figures}


def test_merging_a_stage_into_a_legacy_result_keeps_the_others_and_their_provenance() -> None:
    stored = copy.deepcopy(LEGACY)
    merged = merge_results(stored, _spark_run("2026-12-03T07:00:00Z", {"articles": 100}))
    assert stored == LEGACY, "the stored result is not modified in place"
    for key in ("end_to_end", "growth", "queries", "incremental", "extraction", "memory"):
        assert merged[key] == LEGACY[key]
    assert merged["spark_extraction"] == {"articles": 100}
    assert list(merged["stages"]) == [stage for stage in STAGES if stage != "build-at-scale"]  # newer than LEGACY
    for stage in ("end-to-end", "queries", "incremental", "extraction"):
        assert merged["stages"][stage]["measured_at"] == "2026-11-25T13:16:36Z"
        assert merged["stages"][stage]["command"] == LEGACY["command"]
    assert merged["stages"]["spark-extraction"]["measured_at"] == "2026-12-03T07:00:00Z"
    assert merged["updated_at"] == "2026-12-03T07:00:00Z"
    assert "measured_at" not in merged and "command" not in merged, "no run-wide provenance left to mislead"


def test_merging_again_replaces_only_that_stage() -> None:
    first = merge_results(LEGACY, _spark_run("2026-12-03T07:00:00Z", {"articles": 100}))
    second = merge_results(first, _spark_run("2026-12-04T07:00:00Z", {"skipped": "no Java"}))
    assert second["spark_extraction"] == {"skipped": "no Java"}
    assert second["stages"]["spark-extraction"]["measured_at"] == "2026-12-04T07:00:00Z"
    assert second["stages"]["extraction"] == first["stages"]["extraction"]
    assert second["extraction"] == LEGACY["extraction"]


def test_a_measured_stage_missing_a_key_drops_the_older_figure() -> None:
    # An end-to-end run that recorded no memory must not keep the memory of another run.
    provenance = {"measured_at": "2026-12-05T00:00:00Z", "command": "c", "seed": 1, "machine": MACHINE}
    new = {"stages": {"end-to-end": provenance}, "end_to_end": [{"articles": 5}], "growth": {"factor": 1.0}}
    merged = merge_results(LEGACY, new)
    assert merged["end_to_end"] == [{"articles": 5}]
    assert "memory" not in merged
    assert merged["queries"] == LEGACY["queries"]


def test_markdown_renders_a_result_with_only_the_spark_stage() -> None:
    skipped = _spark_run("2026-12-03T07:00:00Z", {"skipped": "pyspark is not installed"})
    text = render_markdown(skipped)
    assert "## Extraction on Spark local[2] vs in-process" in text
    assert "Skipped: pyspark is not installed." in text
    assert "## End to end" not in text


def test_the_projection_takes_the_extraction_rate_of_the_run_that_built_the_base() -> None:
    from pipelines.benchmark.run import _step_seconds_per_article

    base_run = {"articles": 10_000, "step_seconds": {"raw_extractions": 400.0, "claimhouse_dbt_assets": 30.0}}
    assert _step_seconds_per_article(base_run, "raw_extractions", 9_800) == pytest.approx(400.0 / 9_800)
    assert _step_seconds_per_article(base_run, "raw_articles", 9_800) is None
    assert _step_seconds_per_article(None, "raw_extractions", 9_800) is None  # --base-warehouse: no run here


def _stored_result() -> dict:
    """The benchmark's committed figures (docs/benchmark.json), to render variations of."""
    return json.loads((Path(__file__).parents[1] / "docs" / "benchmark.json").read_text(encoding="utf-8"))


def test_markdown_says_which_extraction_rate_the_projection_multiplies() -> None:
    stored = _stored_result()
    scaled = stored["build_at_scale"]
    scaled.pop("extraction_rate_from", None)
    assert "the first run's" in render_markdown(stored)
    scaled.update(extraction_rate_from="base_run", extraction_seconds_per_article=0.042,
                  new_batch_extraction_seconds_per_article=0.051)
    text = render_markdown(stored)
    assert "42.0 ms an article, the extraction rate of the" in text
    assert "worker start-up included: 51.0 ms" in text


def test_the_growth_at_scale_divides_only_by_a_run_of_the_same_benchmark() -> None:
    stored = _stored_result()
    stored["end_to_end"] = [{**run, "articles": stored["build_at_scale"]["base_articles"], "seconds": 400.0}
                            for run in stored["end_to_end"][:1]]
    stored["stages"]["build-at-scale"] = dict(stored["stages"]["end-to-end"])
    assert "Cost growth: the projected build of" in render_markdown(stored)
    stored["stages"]["build-at-scale"]["measured_at"] = "2026-01-01T00:00:00Z"  # an older run's projection
    assert "Cost growth: the projected build of" not in render_markdown(stored)


def test_a_failed_run_at_scale_is_reported_not_projected() -> None:
    from pipelines.benchmark.run import _failures

    stored = _stored_result()
    scaled = stored["build_at_scale"]
    for key in ("claims", "contradictions", "queries", "projected_full_build_seconds", "warehouse_bytes"):
        scaled.pop(key)
    scaled["full_build_run"].update(success=False, failed_steps=["claimhouse_dbt_assets"])
    scaled["error"] = "full_build_run failed (steps: claimhouse_dbt_assets)"
    text = render_markdown(stored)
    assert "**Failed**: full_build_run failed (steps: claimhouse_dbt_assets)" in text
    assert "FAILED" in text  # the run's row in the table
    assert _failures(stored) == ["the pipeline at scale (full_build_run failed (steps: claimhouse_dbt_assets))"]


def test_markdown_says_where_the_extraction_time_goes() -> None:
    at = "2026-12-05T09:00:00Z"
    provenance = {"measured_at": at, "command": "python -m pipelines.benchmark.run --stages extraction",
                  "seed": 42, "machine": MACHINE}
    streams = [
        {"stream": "full pipeline on the candidate sentences", "sentences": 20, "tokens": 500, "seconds": 3.0},
        {"stream": "entity recognition only, on sentences that may name someone", "sentences": 80, "tokens": 2000,
         "seconds": 5.0},
        {"stream": "tokenizer only, on the rest", "sentences": 5, "tokens": 50, "seconds": 0.5},
    ]
    extraction = {"articles": 10, "words": 2500, "batch_size": 500, "ours_seconds": 10.0, "ours_words_per_s": 250,
                  "baseline": "spaCy", "baseline_seconds": 30.0, "baseline_words_per_s": 83,
                  "ratio_ours_over_baseline": 3.0, "candidate_sentence_share": 0.19, "streams": streams}
    text = render_markdown({"updated_at": at, "stages": {"extraction": provenance}, "extraction": extraction})
    assert "| entity recognition only, on sentences that may name someone | 80 | 2,000 | 5.00 | 50% | 2500.0 |" in text
    assert "| the rest | | | 1.50 | 15% | |" in text
    del extraction["streams"]  # a result stored before the stage timed the streams
    assert "| the rest |" not in render_markdown({"updated_at": at, "stages": {"extraction": provenance},
                                                   "extraction": extraction})


def test_the_runs_at_scale_give_their_sampled_peak_once_measured_in_their_own_process() -> None:
    stored = _stored_result()
    full_build = stored["build_at_scale"]["full_build_run"]
    full_build.pop("memory_sampled", None)
    full_build["maxrss_after"] = {"self_mib": 2100.2, "children_mib": 2239.0}  # measured in the benchmark's process
    assert "| 2,100 run / 2,239 largest child |" in render_markdown(stored)
    full_build["memory_sampled"] = {"tree_pss_peak_mib": 3012.4, "process_rss_peak_mib": 2101.0}
    assert "| 3,012 tree / 2,101 largest process |" in render_markdown(stored)
