"""Cores and hours for GDELT-scale extraction, from a measured per-core throughput.

Pure arithmetic, no measurement: ``pipelines.benchmark.run`` measures the
throughputs, ``pipelines.benchmark.report`` renders what this returns.

Assumptions (stated again in the rendered note):

* per-core throughput is the in-process extraction rate measured in one process
  (one Python process keeps one core busy: spaCy runs single-threaded);
* Spark costs ``spark_overhead_factor`` times the core-time of the in-process path
  (the measured Spark per-core rate against the in-process rate); a factor measured
  below 1 is taken as 1, since that can only mean the in-process run got less CPU
  on a shared machine, not that Spark extracts faster than the function it calls;
* throughput scales linearly with cores and executors; Spark's fixed start-up
  per submit is left out (one submit a day pays it once).
"""

from __future__ import annotations

import math

GDELT_ARTICLES_PER_DAY = 200_000
"""About how many articles GDELT sees in a day."""

BACKFILL_YEARS = 5
BACKFILL_DAYS = BACKFILL_YEARS * 365
BACKFILL_CLUSTER_CORES = (256, 1000)
"""Cluster sizes for which the backfill's wall-clock time is given."""


def spark_overhead_factor(in_process_articles_per_s: float, spark_articles_per_s: float, spark_cores: int) -> float:
    """Core-time Spark spends per article over what the in-process path spends (1.0 = none).

    ``spark_articles_per_s`` is Spark's rate with its fixed start-up taken out,
    over ``spark_cores`` cores; the in-process rate is over one core.
    """
    if in_process_articles_per_s <= 0 or spark_articles_per_s <= 0 or spark_cores < 1:
        raise ValueError("throughputs and cores must be positive")
    return in_process_articles_per_s / (spark_articles_per_s / spark_cores)


def extraction_sizing(
    per_core_articles_per_s: float,
    overhead_factor: float,
    articles_per_day: int = GDELT_ARTICLES_PER_DAY,
    backfill_days: int = BACKFILL_DAYS,
) -> dict:
    """Core-hours and cores for one day of ``articles_per_day``, and core-hours for the backfill."""
    if per_core_articles_per_s <= 0:
        raise ValueError("per-core throughput must be positive")
    factor_used = max(1.0, overhead_factor)
    core_seconds_per_article = factor_used / per_core_articles_per_s
    core_hours_per_day = articles_per_day * core_seconds_per_article / 3600
    backfill_core_hours = core_hours_per_day * backfill_days
    return {
        "articles_per_day": articles_per_day,
        "per_core_articles_per_s": per_core_articles_per_s,
        "overhead_factor_measured": overhead_factor,
        "overhead_factor_used": factor_used,
        "core_seconds_per_article": core_seconds_per_article,
        "core_hours_per_day": core_hours_per_day,
        # Whole cores: a fraction of a core does not exist to rent.
        "cores_for_day_in_24h": math.ceil(core_hours_per_day / 24),
        "cores_for_day_in_1h": math.ceil(core_hours_per_day),
        "backfill_days": backfill_days,
        "backfill_articles": articles_per_day * backfill_days,
        "backfill_core_hours": backfill_core_hours,
        "backfill_days_on_cores": {str(cores): backfill_core_hours / cores / 24 for cores in BACKFILL_CLUSTER_CORES},
    }
