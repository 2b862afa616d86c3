"""Extraction: raw.articles into raw.sentences, raw.mentions and raw.attributions.

Partitioned by article day.  Incremental: only the run's days' articles not
yet extracted by the current extractor version are read, in batches, each
batch written in one transaction; re-running a day changes nothing.
"""

import time
from collections.abc import Iterator

import dagster as dg
from pydantic import Field

from pipelines.defs.days_to_process import current_extractor_version
from pipelines.defs.partitions import daily_partitions, day_window, single_run_backfill
from pipelines.defs.resources import WarehouseResource
from pipelines.engines import spark_runner
from pipelines.extraction.workers import ExtractorPool
from pipelines.settings import engine, extract_workers
from pipelines.storage import extractions as extraction_store


class ExtractConfig(dg.Config):
    batch_size: int = Field(default=500, description="Articles per extraction batch and per transaction.")
    workers: int = Field(
        default=0,
        description="Extraction processes (0: $CLAIMHOUSE_EXTRACT_WORKERS, else one per usable core). "
        "Batches too small to split are extracted in the run's own process.",
    )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["raw", "sentences"], deps=[["raw", "articles"]], description="Sentences with offsets."),
        dg.AssetSpec(["raw", "mentions"], deps=[["raw", "articles"]], description="Named-entity mentions."),
        dg.AssetSpec(
            ["raw", "attributions"], deps=[["raw", "articles"]], description="Speaker, cue and content spans."
        ),
        dg.AssetSpec(
            ["raw", "extracted_articles"],
            deps=[["raw", "articles"]],
            description="Which article was extracted by which extractor version, and when.",
        ),
    ],
    group_name="extraction",
    partitions_def=daily_partitions,
    backfill_policy=single_run_backfill,
)
def raw_extractions(context: dg.AssetExecutionContext, config: ExtractConfig, warehouse: WarehouseResource):
    """Extract the run's days' articles the current extractor version has not seen."""
    window = day_window(context)
    version = current_extractor_version()
    if engine() == "spark":
        yield from _results(version, window, spark_runner.extract_on_spark(context, warehouse, window, version))
        return
    workers = config.workers or extract_workers()
    started = time.perf_counter()
    totals = {"articles": 0, "sentences": 0, "mentions": 0, "attributions": 0}
    # The pool loads the language models (seconds) only when a day has work.
    with warehouse.connect() as con, ExtractorPool(workers) as extractor:
        pending = extraction_store.article_ids_to_extract(con, version, window.first, window.last)
        context.log.info(
            f"extracting {len(pending):,} articles of {window} that extractor {version} has not seen "
            f"({workers} workers)"
        )
        # Texts are read a batch at a time, one batch ahead of the one being written (the
        # workers extract it meanwhile), so two batches of texts at most are held in memory.
        batches = (extraction_store.articles_by_id(con, ids) for ids in _batches(pending, config.batch_size))
        for batch, tables in extractor.extract_batches(batches):
            if extractor.version != version:  # its rows would not mark these articles as done
                raise RuntimeError(f"extractor reports {extractor.version}, expected {version}")
            summary = extraction_store.write_extractions(
                con, [article.article_id for article in batch], tables, extractor.version
            )
            for name in totals:
                totals[name] += getattr(summary, f"n_{name}")
            context.log.info(progress_line(totals["articles"], len(pending), time.perf_counter() - started))
    totals["seconds"] = time.perf_counter() - started
    totals["workers"] = workers
    yield from _results(version, window, totals)


def _batches(ids: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def progress_line(done: int, total: int, seconds: float) -> str:
    """``extracted 2,000 of 97,459 articles (2%), 62 articles/s, about 25 min left``."""
    total = max(total, done)
    line = f"extracted {done:,} of {total:,} articles ({done / total:.0%})" if total else f"extracted {done:,} articles"
    if done and seconds > 0:
        rate = done / seconds
        line += f", {rate:,.0f} articles/s"
        if total > done:
            left = (total - done) / rate
            line += f", about {left / 60:.0f} min left" if left >= 90 else f", about {left:.0f} s left"
    return line


def _results(version: str, window, totals: dict):  # noqa: ANN001, ANN202 - a DayWindow; MaterializeResults
    """One MaterializeResult per key, with the same metadata on both engines (Spark adds its own figures)."""
    seconds = totals.get("seconds") or totals.get("spark_seconds") or 0.0
    common = {
        "engine": engine(),
        "extractor_version": version,
        "days": str(window),
        "articles_extracted": totals["articles"],
        "articles_per_second": round(totals["articles"] / seconds, 2) if totals["articles"] and seconds else 0.0,
        **{k: v for k, v in totals.items() if k in ("workers", "spark_master", "spark_seconds", "handoff_root")},
    }
    for name in ("sentences", "mentions", "attributions"):
        yield dg.MaterializeResult(asset_key=["raw", name], metadata={**common, f"new_{name}": totals[name]})
    yield dg.MaterializeResult(asset_key=["raw", "extracted_articles"], metadata=common)
