"""The ``claimhouse`` command line: thin commands over the pipeline and the warehouse."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import click

from pipelines.settings import (
    DEFAULT_ENGINE,
    ENGINE_ENV_VAR,
    ENGINES,
    REPO_DIR,
    SAMPLE_CORPUS_DIR,
    WAREHOUSE_ENV_VAR,
    warehouse_path,
)


class ClaimhouseError(click.ClickException):
    """An error shown to the user as one line, without a traceback."""


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--warehouse",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar=WAREHOUSE_ENV_VAR,
    help="DuckDB warehouse file (default: warehouse/claimhouse.duckdb, or $CLAIMHOUSE_WAREHOUSE).",
)
@click.pass_context
def main(ctx: click.Context, warehouse: Path | None) -> None:
    """Claimhouse: who claims what in the news, and who contradicts whom."""
    if warehouse is not None:
        os.environ[WAREHOUSE_ENV_VAR] = str(warehouse.expanduser().resolve())
    ctx.obj = warehouse_path()


def _parse_days(value: str | None) -> tuple[str, str] | None:
    """``2026-03-01..2026-03-07`` or one day ``2026-03-04`` -> partition keys."""
    if not value:
        return None
    first, _, last = value.partition("..")
    last = last or first
    try:
        if date.fromisoformat(first) > date.fromisoformat(last):
            raise ValueError
    except ValueError as error:
        raise ClaimhouseError(f"--days wants DAY or FIRST..LAST as YYYY-MM-DD, got {value!r}") from error
    return first, last


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--days",
    metavar="FIRST..LAST",
    help="Re-process these article days (a backfill or a re-run of one day) instead of the days that got new "
    "articles. With --days and no PATHS nothing is ingested.",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    envvar=ENGINE_ENV_VAR,
    default=DEFAULT_ENGINE,
    show_default=True,
    help="Where extraction and the dbt build run: in this process on DuckDB, or on Apache Spark (the spark extra, "
    "Java 17; $CLAIMHOUSE_SPARK_MASTER, default local[2]). Also $CLAIMHOUSE_ENGINE.",
)
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"]),
    default="info",
    show_default=True,
    help="How much of the run's log to print: info is what each step reports (counts, progress, dbt's results); "
    "debug adds every Dagster event, one per asset and day among them.",
)
@click.option(
    "--full-refresh",
    is_flag=True,
    help="Rebuild every dbt model from every day of the warehouse: earlier days keep the actor resolution of the "
    "run that built them until then (an actor discovered from later articles). With no PATHS nothing is ingested.",
)
@click.pass_obj
def run(warehouse: Path, paths: tuple[Path, ...], days: str | None, engine: str, log_level: str,
        full_refresh: bool) -> None:
    """Ingest PATHS (files or folders), extract claims, build the marts, run the checks.

    Without PATHS, runs over the bundled sample corpus.

    Examples: claimhouse run ~/news/2026-03 ; claimhouse run --days 2026-03-01..2026-03-07 ;
    claimhouse run --engine spark ; claimhouse run --full-refresh
    """
    from pipelines.run import run_pipeline

    os.environ[ENGINE_ENV_VAR] = engine

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise ClaimhouseError(f"no such file or folder: {', '.join(missing)}")
    day_range = _parse_days(days)
    if day_range and full_refresh:
        raise ClaimhouseError("--full-refresh rebuilds every day: leave out --days")
    targets = [str(p.resolve()) for p in paths] or ([] if day_range or full_refresh else [str(SAMPLE_CORPUS_DIR)])
    summary = run_pipeline(
        targets, warehouse, progress=lambda line: click.echo(line, err=True), days=day_range, log_level=log_level,
        full_refresh=full_refresh,
    )
    click.echo(summary.render())
    if not summary.success:
        sys.exit(1)


@main.command()
@click.argument("query")
@click.option("--format", "output_format", type=click.Choice(["table", "csv", "json"]), default="table")
@click.pass_obj
def sql(warehouse: Path, query: str, output_format: str) -> None:
    """Run a read-only SQL QUERY against the warehouse and print the result.

    Example: claimhouse sql "select * from marts.mart_contradiction_rates order by n_claims desc"
    """
    from pipelines.storage.readonly import ReadOnlyQueryError, run_read_only_query

    try:
        columns, rows = run_read_only_query(warehouse, query)
    except ReadOnlyQueryError as error:
        raise ClaimhouseError(str(error)) from None
    if output_format == "json":
        click.echo(json.dumps([dict(zip(columns, row)) for row in rows], default=str, indent=2))
    elif output_format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        click.echo(_format_table(columns, rows))


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--plain", is_flag=True, required=True, help="Read PATHS as plain text: the whole file is the article.")
@click.option("--format", "output_format", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
def extract(paths: tuple[Path, ...], plain: bool, output_format: str) -> None:
    """Print the attributions found in plain text files, one JSON object per line.

    Folders are searched for *.txt files.  Offsets are character offsets into
    each file as read, so the output can be scored against span annotations.

    Example: claimhouse extract --plain ../shared/eval/polnear/dev/text > predictions.jsonl
    """
    from pipelines.extraction import Extractor
    from pipelines.extraction.files import extract_files, text_files

    files = text_files(paths)
    click.echo(f"extracting from {len(files)} files", err=True)
    for row in extract_files(files, Extractor()):
        click.echo(json.dumps(row, ensure_ascii=False))


@main.command()
@click.option("--port", default=3000, show_default=True, help="Port of the Dagster UI on 127.0.0.1.")
@click.pass_obj
def ui(warehouse: Path, port: int) -> None:
    """Start the Dagster UI on 127.0.0.1 with the Claimhouse code location."""
    from pipelines.defs.dbt.project import prepare_dbt_project

    prepare_dbt_project()
    env = {**os.environ, WAREHOUSE_ENV_VAR: str(warehouse)}
    command = [sys.executable, "-m", "dagster", "dev", "-m", "pipelines.definitions", "-h", "127.0.0.1", "-p", str(port)]
    raise SystemExit(subprocess.call(command, cwd=REPO_DIR, env=env))


def _format_table(columns: list[str], rows: list[tuple]) -> str:
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [min(60, max([len(c)] + [len(r[i]) for r in cells])) for i, c in enumerate(columns)]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths))
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(v[:w].ljust(w) for v, w in zip(r, widths)) for r in cells]
    return "\n".join([line, rule, *body, f"({len(rows)} row{'s' if len(rows) != 1 else ''})"])


@main.command()
@click.option("--port", default=8501, show_default=True, help="Port of the dashboard on 127.0.0.1.")
@click.pass_obj
def dashboard(warehouse: Path, port: int) -> None:
    """Start the BI dashboard (Streamlit) on 127.0.0.1, reading the warehouse read-only.

    Example: claimhouse dashboard --port 8501   (then open http://127.0.0.1:8501)
    """
    from pipelines.dashboard import __file__ as dashboard_init

    if not warehouse.exists():
        raise ClaimhouseError(f"no warehouse at {warehouse}; run `claimhouse run` first")
    app = Path(dashboard_init).resolve().parent / "app.py"
    command = [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.address", "127.0.0.1", "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--", "--warehouse", str(warehouse),
    ]
    env = {**os.environ, WAREHOUSE_ENV_VAR: str(warehouse)}
    raise SystemExit(subprocess.call(command, cwd=REPO_DIR, env=env))


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.pass_obj
def export(warehouse: Path, directory: Path) -> None:
    """Write every marts.* table to DIRECTORY/<table>.parquet, for other BI tools.

    Example: claimhouse export ~/claimhouse-parquet
    """
    from pipelines.storage.export import ExportError, export_marts

    try:
        exported = export_marts(warehouse, directory.expanduser().resolve())
    except ExportError as error:
        raise ClaimhouseError(str(error)) from None
    for table in exported:
        click.echo(f"{table.path}  {table.rows} rows")


if __name__ == "__main__":
    main()
