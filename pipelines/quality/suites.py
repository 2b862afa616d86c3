"""Run Great Expectations suites, kept as JSON files in ``expectations/``, on warehouse tables.

A suite file names one table and lists GX 1.x expectations by their snake_case
type (``expect_column_values_to_be_unique`` -> ``gx.expectations.ExpectColumnValuesToBeUnique``)
with their keyword arguments::

    {"name": "raw_articles", "table": "raw.articles", "id_column": "article_id",
     "blocking": true, "description": "...",
     "query": "select ... from raw.articles",          (optional; a string or a list of lines)
     "day_column": "article_day", "run_id_column": "run_id",   (optional; see RowScope)
     "expectations": [{"type": "expect_column_values_to_be_unique", "kwargs": {"column": "article_id"}}]}

The table (or the suite's query, which may add boolean columns such as
"content_end <= n_chars") is read through DuckDB into pandas, keeping only the
columns the expectations name, and validated the GX 1.x way: an ephemeral data
context, a pandas datasource, a dataframe asset, a whole-dataframe batch
definition, an ExpectationSuite and a ValidationDefinition run with the frame as
its batch parameter. The context and each suite's validation definition are
built once per process and reused.

A run checks the rows it wrote (``RowScope``): a suite with a ``day_column`` reads the rows of the
run's days (and the rows with no day), one with a ``run_id_column`` the rows the run loaded. Every
row is read when no scope is given: the Dagster check gives none on a full refresh, on a run with no
day range, and after an evaluation of the suite that failed or never ran.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import math
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

__all__ = [
    "EXPECTATIONS_DIR",
    "ExpectationOutcome",
    "RowScope",
    "expectation_class",
    "Suite",
    "SuiteResult",
    "load_suite",
    "run_suite",
    "run_suites",
    "suite_paths",
]

EXPECTATIONS_DIR = Path(__file__).resolve().parents[2] / "expectations"
"""The repository's ``expectations/`` folder: one suite file per table."""

SAMPLE_SIZE = 5
_TABLE_RE = re.compile(r"^[a-z_]+\.[a-z_]+$")
_COLUMN_RE = re.compile(r"^[a-z_][a-z0-9_]*$")
_NAME_RE = re.compile(r"^[a-z0-9_]+$")
_COLUMN_KWARGS = ("column", "column_A", "column_B")
_COLUMN_LIST_KWARGS = ("column_list",)


def _columns_of(kwargs: Mapping[str, Any]) -> list[str]:
    """The columns an expectation's kwargs name, single and listed."""
    columns = [kwargs[key] for key in _COLUMN_KWARGS if key in kwargs]
    for key in _COLUMN_LIST_KWARGS:
        columns.extend(kwargs.get(key, ()))
    return columns


@dataclass(frozen=True)
class Suite:
    """One suite file, parsed and validated."""

    name: str
    table: str
    description: str
    blocking: bool
    expectations: tuple[Mapping[str, Any], ...]
    query: str | None = None
    id_column: str | None = None
    day_column: str | None = None
    """A column of the suite's rows holding each row's article day: a scoped run reads its days' rows."""
    run_id_column: str | None = None
    """A column of the suite's rows holding the run that loaded each row: a scoped run reads its own."""
    digest: str = ""
    """Hash of the file's content: a changed file gets a fresh GX suite."""

    @property
    def columns(self) -> tuple[str, ...]:
        """Columns the expectations (and the id column) read, in first-use order."""
        names: list[str] = [self.id_column] if self.id_column else []
        for expectation in self.expectations:
            names.extend(_columns_of(expectation["kwargs"]))
        return tuple(dict.fromkeys(names))


@dataclass(frozen=True)
class RowScope:
    """The rows one run wrote: those of its days (bounds inclusive, None open) and those it loaded."""

    first_day: dt.date | None = None
    last_day: dt.date | None = None
    run_id: str | None = None


@dataclass(frozen=True)
class ExpectationOutcome:
    """The result of one expectation."""

    type: str
    column: str | None
    """The column checked; ``"a,b"`` for expectations over several columns."""
    success: bool
    unexpected_count: int
    unexpected_sample: tuple[Any, ...] = ()
    """Up to five failing values, JSON-safe (timestamps as ISO strings)."""
    unexpected_ids: tuple[Any, ...] = ()
    """The suite's ``id_column`` of up to five failing rows."""
    error: str | None = None
    """Set when GX could not evaluate the expectation (e.g. a missing column)."""

    def describe(self) -> str:
        target = f"{self.type}({self.column})" if self.column else self.type
        if self.success:
            return f"ok   {target}"
        if self.error:
            return f"FAIL {target}: error: {self.error}"
        detail = f"{self.unexpected_count} unexpected, e.g. {list(self.unexpected_sample)}"
        if self.unexpected_ids:
            detail += f" (ids {list(self.unexpected_ids)})"
        return f"FAIL {target}: {detail}"


@dataclass(frozen=True)
class SuiteResult:
    """What running one suite on the warehouse found."""

    suite: str
    table: str
    success: bool
    n_rows: int
    expectations: tuple[ExpectationOutcome, ...] = ()
    error: str | None = None
    """Why the suite could not run at all (missing table, bad query); ``success`` is then False."""
    blocking: bool = True
    description: str = ""
    scope: str | None = None
    """Which rows were read, when not all of them: "the rows of days ..." or "the rows run ... loaded"."""

    @property
    def rows_read(self) -> str:
        """How many rows were read, and which when not all: "5 rows (the rows of days ...)"."""
        return f"{self.n_rows} rows" + (f" ({self.scope})" if self.scope else "")

    @property
    def failures(self) -> tuple[ExpectationOutcome, ...]:
        return tuple(outcome for outcome in self.expectations if not outcome.success)

    def summary(self) -> str:
        """A short human summary: one headline, then one line per failing expectation."""
        if self.error:
            return f"{self.suite} on {self.table}: FAILED: {self.error}"
        n_ok = len(self.expectations) - len(self.failures)
        verdict = "passed" if self.success else "FAILED"
        lines = [
            f"{self.suite} on {self.table}: {verdict}, {n_ok}/{len(self.expectations)} expectations met "
            f"over {self.rows_read}"
        ]
        lines.extend("  " + outcome.describe() for outcome in self.failures)
        return "\n".join(lines)

    def failures_as_json(self) -> list[dict[str, Any]]:
        """Failing expectations as JSON-ready dicts (type, column, count, sample, ids, error)."""
        return [
            {
                "type": outcome.type,
                "column": outcome.column,
                "unexpected_count": outcome.unexpected_count,
                "unexpected_sample": list(outcome.unexpected_sample),
                "unexpected_ids": list(outcome.unexpected_ids),
                **({"error": outcome.error} if outcome.error else {}),
            }
            for outcome in self.failures
        ]


def suite_paths(directory: Path = EXPECTATIONS_DIR) -> list[Path]:
    """Every suite file in ``directory``, sorted by name."""
    return sorted(directory.glob("*.json"))


def expectation_class(type_name: str) -> type:
    """The GX 1.x expectation class for a snake_case type; ``ValueError`` when GX has none."""
    import great_expectations as gx

    class_name = "".join(part.capitalize() for part in type_name.split("_"))
    cls = getattr(gx.expectations, class_name, None)
    if not (isinstance(cls, type) and issubclass(cls, gx.expectations.Expectation)):
        raise ValueError(
            f"unknown expectation type {type_name!r} (no gx.expectations.{class_name}); use GX 1.x "
            "snake_case names such as 'expect_column_values_to_be_unique'"
        )
    return cls


def load_suite(path: Path | str) -> Suite:
    """Read and validate a suite file; raises ``ValueError`` saying what is wrong.

    Cheap (no GX import), so Dagster can build its checks from the files at
    load time; expectation types are resolved when the suite first runs.
    """
    path = Path(path)
    raw_text = path.read_text(encoding="utf-8")
    try:
        spec = json.loads(raw_text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: not valid JSON: {error}") from error
    if not isinstance(spec, dict):
        raise ValueError(f"{path}: a suite file holds one JSON object")
    name = spec.get("name", path.stem)
    table = spec.get("table")
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise ValueError(f"{path}: suite name {name!r} must match {_NAME_RE.pattern}")
    if not isinstance(table, str) or not _TABLE_RE.match(table):
        raise ValueError(f"{path}: table {table!r} must be 'schema.table' matching {_TABLE_RE.pattern}")
    query = spec.get("query")
    if isinstance(query, list):
        query = "\n".join(query)
    if query is not None and (not isinstance(query, str) or not query.strip()):
        raise ValueError(f"{path}: query must be a non-empty string or list of lines")
    expectations = spec.get("expectations")
    if not isinstance(expectations, list) or not expectations:
        raise ValueError(f"{path}: 'expectations' must be a non-empty list")
    for index, expectation in enumerate(expectations):
        if not isinstance(expectation, dict) or not isinstance(expectation.get("kwargs", {}), dict):
            raise ValueError(f"{path}: expectation {index} must be {{'type': ..., 'kwargs': {{...}}}}")
        if not isinstance(expectation.get("type"), str):
            raise ValueError(f"{path}: expectation {index} has no 'type'")
        expectation.setdefault("kwargs", {})
    suite = Suite(
        name=name,
        table=table,
        description=str(spec.get("description", "")),
        blocking=bool(spec.get("blocking", True)),
        expectations=tuple(expectations),
        query=query,
        id_column=spec.get("id_column"),
        day_column=spec.get("day_column"),
        run_id_column=spec.get("run_id_column"),
        digest=hashlib.sha256(raw_text.encode()).hexdigest()[:12],
    )
    for column in (*suite.columns, *filter(None, (suite.day_column, suite.run_id_column))):
        if not isinstance(column, str) or not _COLUMN_RE.match(column):
            raise ValueError(f"{path}: column name {column!r} must match {_COLUMN_RE.pattern}")
    return suite


_lock = threading.RLock()


@functools.cache
def _context() -> Any:
    """One ephemeral GX context per process, with progress bars off (they flood logs)."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.execution_engine import pandas_execution_engine

    # GX fingerprints every frame under this many bytes, hashing each row, for a batch marker
    # (`pandas_data_fingerprint`) that nothing here reads: about half the validation time of the
    # suites at 100,000 articles (893,554 attribution rows).  0 turns the fingerprint off;
    # validation is the same.
    pandas_execution_engine.HASH_THRESHOLD = 0
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.data_sources.add_pandas("claimhouse")
    return context


_validations: dict[tuple[str, str], Any] = {}


def _validation_definition(suite: Suite) -> Any:
    """The GX ValidationDefinition for a suite, built on first use (call under ``_lock``)."""
    key = (suite.name, suite.digest)
    if key in _validations:
        return _validations[key]
    import great_expectations as gx

    context = _context()
    unique = f"{suite.name}_{suite.digest}"
    asset = context.data_sources.get("claimhouse").add_dataframe_asset(name=unique)
    batch_definition = asset.add_batch_definition_whole_dataframe("whole_table")
    gx_suite = gx.ExpectationSuite(name=unique)
    for expectation in suite.expectations:
        gx_suite.add_expectation(expectation_class(expectation["type"])(**expectation["kwargs"]))
    gx_suite = context.suites.add(gx_suite)
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(name=unique, data=batch_definition, suite=gx_suite)
    )
    _validations[key] = validation
    return validation


def _forget_batches(validation: Any) -> None:
    """Drop the frames GX's execution engine keeps of every batch it validated (call under ``_lock``).

    GX caches each batch, and its data, per batch id for the life of the process, so
    without this every suite's last frame (893,554 attribution rows at 100,000 articles)
    stays in the run's process through the dbt build and to the end of the run.
    """
    batches = validation.data.data_asset.datasource.get_execution_engine().batch_manager
    batches.reset_batch_cache()
    batches.batch_data_cache.clear()


def _json_safe(value: Any) -> Any:
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if hasattr(value, "item") and not isinstance(value, (dt.datetime, dt.date)):  # numpy scalars
        try:
            return _json_safe(value.item())
        except (TypeError, ValueError):
            pass
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Mapping):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(item) for item in value]
    text = str(value)
    return None if text in ("NaT", "nan", "<NA>") else text


def _outcome(result: Any, id_column: str | None) -> ExpectationOutcome:
    config = result.expectation_config
    columns = _columns_of(config.kwargs)
    details = result.result or {}
    error = None
    exception_info = result.exception_info or {}
    infos = [exception_info] if "raised_exception" in exception_info else list(exception_info.values())
    for info in infos:
        if isinstance(info, Mapping) and info.get("raised_exception"):
            error = str(info.get("exception_message") or "expectation raised")
            break
    ids: tuple[Any, ...] = ()
    if id_column:
        ids = tuple(
            _json_safe(row.get(id_column))
            for row in (details.get("partial_unexpected_index_list") or [])[:SAMPLE_SIZE]
            if isinstance(row, Mapping)
        )
    return ExpectationOutcome(
        type=config.type,
        column=",".join(columns) or None,
        success=bool(result.success),
        unexpected_count=int(details.get("unexpected_count") or 0),
        unexpected_sample=tuple(_json_safe(v) for v in (details.get("partial_unexpected_list") or [])[:SAMPLE_SIZE]),
        unexpected_ids=ids,
        error=error,
    )


def _table_exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    schema, name = table.split(".")
    row = con.execute(
        "select count(*) from information_schema.tables where table_schema = $schema and table_name = $name",
        {"schema": schema, "name": name},
    ).fetchone()
    return bool(row and row[0])


def _read(con: duckdb.DuckDBPyConnection, suite: Suite, where: str, parameters: list[Any]) -> Any:
    # Table and column names were checked against strict patterns in load_suite;
    # the query is the suite file's own SQL, never built from data; the scope's values are parameters.
    source = f"({suite.query}) as suite_rows" if suite.query else suite.table
    columns = ", ".join(f'"{column}"' for column in suite.columns) or "1 as row_marker"
    return _with_nanosecond_timestamps(con.execute(f"select {columns} from {source}{where}", parameters).df())


def _scope_filter(suite: Suite, scope: RowScope | None) -> tuple[str, list[Any], str | None]:
    """The WHERE clause and its parameters that keep ``scope``'s rows of the suite, and which rows those
    are in words; an empty clause and None for every row."""
    if scope is None:
        return "", [], None
    conditions: list[str] = []
    parameters: list[Any] = []
    described: list[str] = []
    bounds = [(op, day) for op, day in ((">=", scope.first_day), ("<=", scope.last_day)) if day]
    if suite.day_column and bounds:
        # A row with no day (an attribution whose article is missing) is every run's to check.
        day_test = " and ".join(f'"{suite.day_column}" {op} ?' for op, _ in bounds)
        conditions.append(f'("{suite.day_column}" is null or ({day_test}))')
        parameters += [day for _, day in bounds]
        described.append(f"the rows of days {scope.first_day or 'the first'}..{scope.last_day or 'the last'}")
    if suite.run_id_column and scope.run_id:
        conditions.append(f'"{suite.run_id_column}" = ?')
        parameters.append(scope.run_id)
        described.append(f"the rows run {scope.run_id} loaded")
    if not conditions:
        return "", [], None
    return " where " + " and ".join(conditions), parameters, " and ".join(described)


def _with_nanosecond_timestamps(frame: Any) -> Any:
    """DuckDB hands timestamps to pandas in microseconds; GX compares only nanosecond timestamp
    columns vectorized and calls Python once per row on any other (3 of fct_claims' 5 seconds at
    100,000 articles).  A column holding a timestamp beyond nanoseconds' range (after 2262) stays
    as it is: the slow path still checks it."""
    import pandas as pd

    for column in frame.columns:
        dtype = frame[column].dtype
        if pd.api.types.is_datetime64_dtype(dtype) and not pd.api.types.is_datetime64_ns_dtype(dtype):
            try:
                frame[column] = frame[column].astype("datetime64[ns]")
            except (OverflowError, pd.errors.OutOfBoundsDatetime):
                pass
    return frame


def run_suite(con: duckdb.DuckDBPyConnection, suite_path: Path | str, scope: RowScope | None = None) -> SuiteResult:
    """Validate one suite file's table (``scope``'s rows of it, where the suite has their column) on ``con``
    and report each expectation.

    A missing table, or a query or column that fails, gives a failed
    ``SuiteResult`` with ``error`` saying why, rather than raising; a malformed
    suite file raises ``ValueError``.
    """
    suite = load_suite(suite_path)

    def failed(reason: str, n_rows: int = 0) -> SuiteResult:
        return SuiteResult(
            suite=suite.name, table=suite.table, success=False, n_rows=n_rows, error=reason,
            blocking=suite.blocking, description=suite.description,
        )

    if not _table_exists(con, suite.table):
        return failed(f"table {suite.table} does not exist in the warehouse")
    where, parameters, scope_text = _scope_filter(suite, scope)
    try:
        frame = _read(con, suite, where, parameters)
    except duckdb.Error as error:
        return failed(f"could not read {suite.table}: {error}")
    result_format = {
        "result_format": "SUMMARY",
        "partial_unexpected_count": SAMPLE_SIZE,
        **({"unexpected_index_column_names": [suite.id_column]} if suite.id_column else {}),
    }
    with _lock:
        validation = _validation_definition(suite)
        try:
            gx_result = validation.run(batch_parameters={"dataframe": frame}, result_format=result_format)
        finally:
            _forget_batches(validation)
    outcomes = tuple(_outcome(result, suite.id_column) for result in gx_result.results)
    # GX reports in its own order; the suite file's order reads better.
    order = {(e["type"], ",".join(_columns_of(e["kwargs"])) or None): i for i, e in enumerate(suite.expectations)}
    outcomes = tuple(sorted(outcomes, key=lambda o: order.get((o.type, o.column), len(order))))
    return SuiteResult(
        suite=suite.name,
        table=suite.table,
        success=bool(gx_result.success) and all(o.success for o in outcomes),
        n_rows=len(frame),
        expectations=outcomes,
        blocking=suite.blocking,
        description=suite.description,
        scope=scope_text,
    )


def run_suites(con: duckdb.DuckDBPyConnection, paths: Sequence[Path] | None = None) -> list[SuiteResult]:
    """Run every suite file (default: all of ``expectations/``) on one connection."""
    return [run_suite(con, path) for path in (paths if paths is not None else suite_paths())]
