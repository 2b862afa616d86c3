"""The benchmark's memory sampler: a real child process holding real memory, found and counted."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipelines.benchmark.memory import ProcessTreeSampler, peaks, step_at
from pipelines.benchmark.report import render_markdown

pytestmark = pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="needs Linux /proc")

# A child that holds 300 MiB of touched pages, says so, and waits to be told to end.
_HOLD_300_MIB = "import sys; block = bytearray(300 * 2**20); print('ready', flush=True); sys.stdin.read()"


def test_the_sampler_counts_a_childs_memory_and_names_the_step_it_peaked_in() -> None:
    with ProcessTreeSampler(interval=0.05) as sampler:
        time.sleep(0.3)  # samples of the tree as it is (other tests may have left workers running)
        started = time.time()
        child = subprocess.Popen([sys.executable, "-c", _HOLD_300_MIB], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, text=True)
        assert child.stdout.readline().strip() == "ready"
        holding_from = time.time()
        time.sleep(0.5)
        holding_until = time.time()
        child.communicate("")
        ended = time.time()
        time.sleep(0.2)
    before = [s for s in sampler.samples if s.at < started]
    holding = [s for s in sampler.samples if holding_from <= s.at <= holding_until]
    assert before and holding, "no sample before the child started, or while it held its memory"
    baseline = max(s.tree_pss_kib for s in before)
    assert min(s.tree_pss_kib for s in holding) - baseline > 280 * 1024  # the child's 300 MiB, counted in the tree
    assert sampler.peak_tree().tree_pss_kib - baseline > 280 * 1024
    # The largest single process holds at least the child's 300 MiB.
    assert sampler.peak_process().largest_rss_kib > 300 * 1024

    spans = {"raw_articles": (started - 5, started), "raw_extractions": (started, ended)}
    figures = peaks(sampler, spans)
    assert figures["tree_pss_peak_step"] == "raw_extractions"
    assert figures["tree_pss_peak_mib"] >= 300


def test_a_moment_outside_every_step_is_between_steps_and_overlaps_take_the_latest_started() -> None:
    spans = {"a": (0.0, 10.0), "b": (5.0, 8.0)}
    assert step_at(6.0, spans) == "b"
    assert step_at(9.0, spans) == "a"
    assert step_at(11.0, spans) == "between steps"


def test_the_report_gives_each_runs_sampled_peak() -> None:
    run = {"articles": 1000, "seconds": 40.0, "articles_per_s": 25.0, "success": True, "failed_steps": [],
           "totals": {}, "checks_passed": 1, "checks_total": 1, "published_bytes": 1, "working_bytes": 1,
           "maxrss_after": {"self_mib": 700.0, "children_mib": 700.0},
           "memory_sampled": {"samples": 80, "interval_s": 0.5, "tree_pss_peak_mib": 1190.7,
                              "tree_pss_peak_step": "raw_extractions", "tree_processes_at_peak": 4,
                              "process_rss_peak_mib": 665.0, "process_rss_peak_step": "claimhouse_dbt_assets"}}
    markdown = render_markdown({"end_to_end": [run], "memory": {"self_mib": 700.0, "children_mib": 700.0}})
    assert "| 1,000 articles | 1,191 | `raw_extractions` | 4 | 665 | `claimhouse_dbt_assets` |" in markdown
    assert "The 1,000-article run's process tree peaked at 1,191 MiB: met." in markdown
    run["memory_sampled"]["tree_pss_peak_mib"] = 3310.2
    markdown = render_markdown({"end_to_end": [run], "memory": {"self_mib": 700.0, "children_mib": 700.0}})
    assert "peaked at 3,310 MiB: **missed**." in markdown
