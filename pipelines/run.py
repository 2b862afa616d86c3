"""One in-process refresh of the warehouse, and its summary for people.

``claimhouse run`` and the tests use this: it runs the same jobs the
schedules and sensors launch (ingest_articles, then process_days over the
range of days that got new articles) from the Definitions the Dagster UI
loads, then reads the warehouse for a summary.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import dagster as dg

from pipelines.settings import ENGINE_ENV_VAR, WAREHOUSE_ENV_VAR
from pipelines.storage.readonly import run_read_only_query

_COUNTS_SQL = """
select
    (select count(*) from raw.articles) as articles,
    (select count(*) from raw.quarantine) as quarantined,
    (select count(*) from marts.fct_claims) as claims,
    (select count(distinct speaker_actor_id) from marts.fct_claims) as actors_speaking,
    (select count(*) from marts.fct_contradictions) as contradictions
"""


@dataclass
class RunSummary:
    warehouse: Path
    success: bool
    ingest: dict[str, object] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    quarantine_reasons: list[tuple[str, int]] = field(default_factory=list)
    checks: list[tuple[str, bool, str]] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)
    days: str = ""
    step_spans: dict[str, tuple[float, float]] = field(default_factory=dict)  # each job step's start and end (epoch s)

    @property
    def step_seconds(self) -> dict[str, float]:
        """Wall time of each job step, for profiling."""
        return {step: round(end - start, 2) for step, (start, end) in self.step_spans.items()}

    def render(self) -> str:
        lines = ["", "Claimhouse run " + ("succeeded" if self.success else "FAILED")]
        if self.ingest:
            lines.append(
                f"  ingested: {self.ingest.get('records_read', 0)} records read, "
                f"{self.ingest.get('new_articles', 0)} new articles, "
                f"{self.ingest.get('duplicates', 0)} duplicates, "
                f"{self.ingest.get('new_quarantined', 0)} newly quarantined"
            )
        if self.days:
            lines.append(f"  processed days: {self.days}")
        if self.totals:
            lines.append(
                "  warehouse: {articles} articles, {quarantined} quarantined, {claims} claims, "
                "{actors_speaking} speaking actors, {contradictions} contradictions".format(**self.totals)
            )
        if self.quarantine_reasons:
            lines.append("  quarantine by reason: " + ", ".join(f"{r} {n}" for r, n in self.quarantine_reasons))
        if self.checks:
            passed = sum(1 for _, ok, _ in self.checks if ok)
            lines.append(f"  checks: {passed}/{len(self.checks)} passed")
            lines.extend(f"    FAILED {name}: {why}" for name, ok, why in self.checks if not ok)
        lines.extend(f"  step failed: {step}" for step in self.failed_steps)
        lines.append(f"  warehouse file: {self.warehouse}")
        lines.append('  next: claimhouse sql "select * from marts.mart_contradiction_rates" | claimhouse ui')
        return "\n".join(lines)


def run_pipeline(
    paths: Sequence[str],
    warehouse: Path,
    progress: Callable[[str], None] | None = None,
    days: tuple[str, str] | None = None,
    engine: str | None = None,
    log_level: str = "info",
    full_refresh: bool = False,
) -> RunSummary:
    """Ingest ``paths``, then extract, build, check and publish the days that need it.

    ``days`` (first and last partition key) processes that range instead of the
    days ingestion reports, for a re-run or backfill of given days.  ``full_refresh``
    processes every day of the warehouse and rebuilds every dbt model from scratch,
    resolving earlier days' names again with today's actors.  ``log_level``
    is the jobs' console log's: ``info`` shows what each step reports (counts,
    progress, dbt's results); ``debug`` adds Dagster's own events, one per asset and
    day among them (tens of thousands of lines for a range of months).
    """
    if full_refresh and days:
        raise ValueError("a full refresh rebuilds every day: give no days with it")
    os.environ[WAREHOUSE_ENV_VAR] = str(warehouse)
    if engine:  # duckdb or spark for this run; by default $CLAIMHOUSE_ENGINE says
        os.environ[ENGINE_ENV_VAR] = engine
    from pipelines.defs.dbt.project import prepare_dbt_project

    say = progress or (lambda _line: None)
    say("preparing the dbt project")
    prepare_dbt_project()
    from pipelines.definitions import build_definitions
    from pipelines.defs.ingest.sensors import days_ingested
    from pipelines.defs.jobs import FULL_REFRESH_TAG, day_range_tags
    from pipelines.defs.partitions import partition_key_for

    defs = build_definitions(warehouse)
    console_log = {"loggers": {"console": {"config": {"log_level": log_level.upper()}}}}
    # Disposed on the way out: its storage holds two SQLite connections, which a garbage collection in
    # another thread (a dashboard's, a server's) would otherwise close there, logging an error.
    with _one_planned_event_per_asset(), dg.DagsterInstance.ephemeral() as instance:
        say(f"ingesting into {warehouse}")
        ingested = defs.resolve_job_def("ingest_articles").execute_in_process(
            run_config={"ops": {"raw_articles": {"config": {"paths": list(paths)}}}, **console_log},
            instance=instance,
            # A full refresh checks every stored article too, not only those this run loads.
            tags={FULL_REFRESH_TAG: "true"} if full_refresh else None,
            raise_on_error=False,
        )
        results = [ingested]
        if days:
            days = (partition_key_for(date.fromisoformat(days[0])), partition_key_for(date.fromisoformat(days[1])))
        if full_refresh and ingested.success:
            days = _every_article_day(warehouse)
        days = days or (days_ingested(instance, ingested.run_id) if ingested.success else None)
        if days:
            say(f"processing days {days[0]}..{days[1]}" + (", rebuilding every model" if full_refresh else ""))
            results.append(defs.resolve_job_def("process_days").execute_in_process(
                run_config=console_log, instance=instance, tags=day_range_tags(*days, full_refresh=full_refresh),
                raise_on_error=False,
            ))
        elif ingested.success:
            say("the warehouse has no articles: nothing to rebuild" if full_refresh
                else "no new articles: the warehouse is unchanged")
        summary = summarize(results, warehouse)
        summary.days = f"{days[0]}..{days[1]}" if days else "none (nothing new)"
        for result in results:
            for step in instance.get_run_step_stats(result.run_id):
                if step.start_time and step.end_time:
                    summary.step_spans[step.step_key] = (step.start_time, step.end_time)
    return summary


def _every_article_day(warehouse: Path) -> tuple[str, str] | None:
    """The partitions of the first and last article day in the run's working copy (None: no articles)."""
    import duckdb

    from pipelines.defs.partitions import partition_key_for
    from pipelines.storage.extractions import article_days
    from pipelines.storage.snapshots import working_path_for

    working = working_path_for(warehouse)
    if not working.exists():
        return None
    with duckdb.connect(str(working), read_only=True) as con:
        bounds = article_days(con)
    return None if bounds is None else (partition_key_for(bounds[0]), partition_key_for(bounds[1]))


@contextmanager
def _one_planned_event_per_asset() -> Iterator[None]:
    """Dagster announces a run's work before it starts, by default with one event per asset and day:
    18 s of the sample corpus's 84 s run (60 assets over 278 days).  This switch of Dagster's makes it
    one event per asset for the run's range; what it gives up is the per-day "failed" mark of a
    failed run, which an ephemeral instance, dropped when the command ends, never shows anyway."""
    name = "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS"
    previous = os.environ.get(name)
    os.environ[name] = "1"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = previous


def summarize(results: Sequence[dg.ExecuteInProcessResult], warehouse: Path) -> RunSummary:
    summary = RunSummary(warehouse=warehouse, success=all(result.success for result in results))
    for result in results:
        _add_events(summary, result)
    if warehouse.exists():
        try:
            columns, rows = run_read_only_query(warehouse, _COUNTS_SQL)
            summary.totals = dict(zip(columns, rows[0]))
            _, reasons = run_read_only_query(
                warehouse, "select reason_code, count(*) from raw.quarantine group by 1 order by 2 desc, 1"
            )
            summary.quarantine_reasons = [(r, n) for r, n in reasons]
        except Exception:  # noqa: BLE001 - a failed run may have no marts yet; the summary says what it has
            summary.totals = {}
    return summary


def _add_events(summary: RunSummary, result: dg.ExecuteInProcessResult) -> None:
    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization
        if materialization.asset_key == dg.AssetKey(["raw", "articles"]):
            summary.ingest.update({k: v.value for k, v in materialization.metadata.items()})
        if materialization.asset_key == dg.AssetKey(["raw", "quarantine"]):
            summary.ingest["new_quarantined"] = materialization.metadata["new_quarantined"].value
    for event in result.get_asset_check_evaluations():
        description = event.description or ""
        name = f"{event.asset_key.to_user_string()}:{event.check_name}"
        summary.checks.append((name, event.passed, description.splitlines()[0] if description else "failed"))
    summary.failed_steps += [e.step_key for e in result.all_events if e.is_step_failure]
