"""Great Expectations suites and their Dagster checks, on a real DuckDB file.

Good rows pass every suite; each deliberately bad row fails the expectation
meant to catch it, with the bad value (and the row's id) in the sample.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.defs.quality.checks import quality_checks
from pipelines.defs.resources import WarehouseResource
from pipelines.storage.snapshots import WORKING_SUFFIX, working_path_for
from pipelines.quality.suites import (
    EXPECTATIONS_DIR,
    RowScope,
    SuiteResult,
    expectation_class,
    load_suite,
    run_suite,
    suite_paths,
)
from pipelines.storage import articles as article_storage
from pipelines.storage import extractions as extraction_storage

TEXT_1 = "The ministry said the convoy had turned back. Officials later denied that report."
TEXT_2 = "According to the agency, the vote was rigged."

ARTICLES = EXPECTATIONS_DIR / "raw_articles.json"
ATTRIBUTIONS = EXPECTATIONS_DIR / "raw_attributions.json"
CLAIMS = EXPECTATIONS_DIR / "fct_claims.json"
RATES = EXPECTATIONS_DIR / "mart_contradiction_rates.json"

_ARTICLE_SQL = """
insert into raw.articles values (
    $article_id, $content_hash, $title, $text, null, 'Example Wire', null, $published_at,
    'corpus/a.jsonl', 'line 1', 'jsonl', $n_chars, timestamp '2026-03-10 12:00:00', 'run-1'
)
"""

_ATTRIBUTION_SQL = """
insert into raw.attributions (
    attribution_id, article_id, extractor_version, attribution_index, sentence_index,
    speaker_start, speaker_end, speaker_text, speaker_kind,
    cue_start, cue_end, cue_text, cue_lemma, content_start, content_end, content_text,
    is_direct, is_multi_sentence, is_negated, predicate_polarity, subject_kind, rule, confidence
) values (
    $attribution_id, $article_id, 'v1', $index, 0,
    $speaker_start, $speaker_end, 'speaker', $speaker_kind,
    $cue_start, $cue_end, 'cue', 'say', $content_start, $content_end, 'content',
    false, false, false, $polarity, 'mention', $rule, $confidence
)
"""


def add_article(con: duckdb.DuckDBPyConnection, article_id: str, text: str, **overrides: object) -> None:
    params: dict[str, object] = {
        "article_id": article_id,
        "content_hash": "hash-" + article_id,
        "title": "Title " + article_id,
        "text": text,
        "published_at": "2026-03-04 13:05:00",
        "n_chars": len(text),
    }
    params.update(overrides)
    con.execute(_ARTICLE_SQL, params)


def add_attribution(
    con: duckdb.DuckDBPyConnection, attribution_id: str, article_id: str, text: str, cue: str, content: str,
    **overrides: object,
) -> None:
    cue_start = text.index(cue)
    content_start = text.index(content)
    params: dict[str, object] = {
        "attribution_id": attribution_id,
        "article_id": article_id,
        "index": int(attribution_id.rsplit("-", 1)[-1]),
        "speaker_start": 0,
        "speaker_end": cue_start - 1,
        "speaker_kind": "named",
        "cue_start": cue_start,
        "cue_end": cue_start + len(cue),
        "content_start": content_start,
        "content_end": content_start + len(content),
        "polarity": 1,
        "rule": "verb_cue",
        "confidence": 0.9,
    }
    params.update(overrides)
    con.execute(_ATTRIBUTION_SQL, params)


def drop_constraints(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Recreate ``table`` without keys, as a rebuilt or foreign-written table might be."""
    schema, name = table.split(".")
    con.execute(f"create table {schema}.unkeyed as select * from {table}")
    con.execute(f"drop table {table}")
    con.execute(f"alter table {schema}.unkeyed rename to {name}")


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    """A DuckDB file with good rows in raw.articles, raw.attributions and two marts.

    It is the working copy, the file runs write and checks read.
    """
    path = working_path_for(tmp_path / "claimhouse.duckdb")
    with duckdb.connect(str(path)) as con:
        article_storage.ensure_schema(con)
        extraction_storage.ensure_schema(con)
        add_article(con, "a-1", TEXT_1)
        add_article(con, "a-2", TEXT_2, published_at=None)
        add_attribution(con, "t-0", "a-1", TEXT_1, "said", "the convoy had turned back")
        add_attribution(con, "t-1", "a-1", TEXT_1, "denied", "that report", polarity=None, confidence=0.75)
        add_attribution(
            con, "t-2", "a-2", TEXT_2, "According to", "the vote was rigged",
            rule="according_to", speaker_start=None, speaker_end=None, speaker_kind="missing",
        )
        con.execute("create schema marts")
        con.execute(
            """
            create table marts.fct_claims as select * from (values
                ('c-1', 'a-1', 'assert', 1, 0.9, 'named', 'said', 'p-1', 'the convoy had turned back',
                 date '2026-03-04', timestamp '2026-03-04 13:05:00'),
                ('c-2', 'a-1', 'deny', -1, 0.75, 'named', 'denied', 'p-1', 'that report',
                 date '2026-03-04', timestamp '2026-03-04 13:05:00'),
                ('c-3', 'a-2', 'report', 1, 0.425, 'missing', 'according to', null, 'the vote was rigged',
                 date '2026-03-10', null)
            ) as rows(claim_id, article_id, stance, polarity, confidence, speaker_kind, cue,
                      proposition_id, content, day, published_at)
            """
        )
        con.execute(
            """
            create table marts.mart_contradiction_rates as select * from (values
                ('actor-1', 2, 1, 0.5, 0.0945, 0.9055),
                ('actor-2', 1, 0, 0.0, 0.0, 0.7935)
            ) as rows(actor_id, n_claims, n_contradicted, contradiction_rate,
                      contradiction_rate_ci_low, contradiction_rate_ci_high)
            """
        )
    return path


@pytest.fixture
def con(warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(warehouse)) as connection:
        yield connection


def failure(result: SuiteResult, type_name: str, column: str) -> dict[str, object]:
    """The failing expectation ``type_name(column)``; fails the test when it passed."""
    for item in result.failures_as_json():
        if item["type"] == type_name and item["column"] == column:
            return item
    raise AssertionError(f"{type_name}({column}) did not fail:\n{result.summary()}")


# --- suite files -------------------------------------------------------------


def test_suite_files_cover_the_checked_tables() -> None:
    suites = {load_suite(path).table: load_suite(path) for path in suite_paths()}
    assert set(suites) >= {"raw.articles", "raw.attributions", "marts.fct_claims", "marts.mart_contradiction_rates"}
    assert suites["raw.articles"].blocking and suites["raw.attributions"].blocking
    assert suites["marts.fct_claims"].blocking
    assert not suites["marts.mart_contradiction_rates"].blocking


@pytest.mark.parametrize("path", suite_paths(), ids=lambda path: path.stem)
def test_every_expectation_type_is_a_gx_class(path: Path) -> None:
    suite = load_suite(path)
    for expectation in suite.expectations:
        expectation_class(expectation["type"])(**expectation["kwargs"])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("table", "raw.articles; drop table raw.articles", "must be 'schema.table'"),
        ("table", "articles", "must be 'schema.table'"),
        ("expectations", [], "non-empty list"),
        ("expectations", [{"type": "expect_column_values_to_be_unique", "kwargs": {"column": "a b"}}], "column name"),
    ],
)
def test_malformed_suite_files_are_refused(tmp_path: Path, field: str, value: object, message: str) -> None:
    spec = json.loads(ARTICLES.read_text())
    spec[field] = value
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(spec))
    with pytest.raises(ValueError, match=message):
        load_suite(path)


def test_unknown_expectation_type_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown expectation type 'expect_pigs_to_fly'"):
        expectation_class("expect_pigs_to_fly")


# --- good rows ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "n_rows"), [(ARTICLES, 2), (ATTRIBUTIONS, 3), (CLAIMS, 3), (RATES, 2)], ids=lambda v: str(getattr(v, "stem", v))
)
def test_good_rows_pass(con: duckdb.DuckDBPyConnection, path: Path, n_rows: int) -> None:
    result = run_suite(con, path)
    assert result.success, result.summary()
    assert result.n_rows == n_rows
    assert result.expectations and all(outcome.success for outcome in result.expectations)
    assert "passed" in result.summary()


def test_suites_do_not_fingerprint_their_frames(con: duckdb.DuckDBPyConnection,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # GX hashes every row of a frame under a size threshold for a batch marker nothing reads; run_suite
    # turns that off (about half the suites' validation time at 100,000 articles) and must still validate.
    from great_expectations.execution_engine import pandas_execution_engine

    hashed: list[int] = []
    real_hash = pandas_execution_engine.hash_pandas_dataframe

    def counting_hash(frame):  # noqa: ANN001, ANN202 - GX's own helper
        hashed.append(len(frame))
        return real_hash(frame)

    monkeypatch.setattr(pandas_execution_engine, "hash_pandas_dataframe", counting_hash)
    result = run_suite(con, ATTRIBUTIONS)
    assert result.success and result.n_rows == 3
    assert hashed == []


def test_no_suite_frame_outlives_its_validation(con: duckdb.DuckDBPyConnection) -> None:
    # GX caches each validated batch's data for the life of the process; run_suite drops it,
    # or a run's process would keep every suite's table through the dbt build.
    import gc

    import pandas as pd

    def rows_in_live_frames() -> list[int]:
        gc.collect()
        return sorted(len(o) for o in gc.get_objects() if isinstance(o, pd.DataFrame))

    before = rows_in_live_frames()
    results = [run_suite(con, path) for path in (ARTICLES, ATTRIBUTIONS)]
    assert all(result.n_rows > 0 for result in results)
    assert rows_in_live_frames() == before


def test_missing_table_is_a_failed_result_not_a_crash(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "empty.duckdb")) as con:
        result = run_suite(con, CLAIMS)
    assert not result.success
    assert result.error == "table marts.fct_claims does not exist in the warehouse"
    assert "does not exist" in result.summary()


def test_empty_table_passes(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "empty.duckdb")) as con:
        article_storage.ensure_schema(con)
        extraction_storage.ensure_schema(con)
        assert run_suite(con, ARTICLES).success
        assert run_suite(con, ATTRIBUTIONS).success


# --- bad rows: raw.articles ---------------------------------------------------


def test_duplicate_article_id_fails(con: duckdb.DuckDBPyConnection) -> None:
    drop_constraints(con, "raw.articles")
    add_article(con, "a-1", TEXT_2, content_hash="hash-other")
    result = run_suite(con, ARTICLES)
    assert not result.success
    duplicate = failure(result, "expect_column_values_to_be_unique", "article_id")
    assert duplicate["unexpected_count"] == 2
    assert "a-1" in duplicate["unexpected_sample"]


def test_wrong_n_chars_and_old_date_fail(con: duckdb.DuckDBPyConnection) -> None:
    add_article(con, "a-3", "Short text.", n_chars=999, published_at="1970-01-01 00:00:00")
    result = run_suite(con, ARTICLES)
    assert failure(result, "expect_column_values_to_be_in_set", "is_n_chars_text_length")["unexpected_ids"] == ["a-3"]
    assert failure(result, "expect_column_values_to_be_between", "published_at")["unexpected_sample"] == [
        "1970-01-01T00:00:00"
    ]
    assert "expect_column_values_to_be_between(published_at)" in result.summary()


@pytest.mark.parametrize("published_at", ["2150-06-01 00:00:00", "2999-06-01 00:00:00"])
def test_a_date_after_the_plausible_range_fails(con: duckdb.DuckDBPyConnection, published_at: str) -> None:
    # 2150 fits pandas' nanosecond timestamps, which GX compares vectorized; 2999 does not, and
    # goes through GX's per-row comparison: both are caught, with the value and the row's id.
    add_article(con, "a-3", "Short text.", published_at=published_at)
    result = run_suite(con, ARTICLES)
    too_late = failure(result, "expect_column_values_to_be_between", "published_at")
    assert too_late["unexpected_ids"] == ["a-3"]
    assert too_late["unexpected_sample"] == [published_at.replace(" ", "T")]
    assert len(result.failures) == 1, result.summary()


def test_empty_title_fails(con: duckdb.DuckDBPyConnection) -> None:
    add_article(con, "a-3", "Some text.", title="")
    result = run_suite(con, ARTICLES)
    assert failure(result, "expect_column_value_lengths_to_be_between", "title")["unexpected_ids"] == ["a-3"]


# --- bad rows: raw.attributions -----------------------------------------------


def test_offsets_past_the_end_of_the_text_fail(con: duckdb.DuckDBPyConnection) -> None:
    add_attribution(
        con, "t-3", "a-2", TEXT_2, "According to", "the vote was rigged",
        speaker_start=None, speaker_end=None, speaker_kind="missing", content_end=len(TEXT_2) + 40,
    )
    result = run_suite(con, ATTRIBUTIONS)
    assert not result.success
    past_end = failure(result, "expect_column_values_to_be_in_set", "is_content_end_within_text")
    assert past_end["unexpected_count"] == 1
    assert past_end["unexpected_sample"] == [False]
    assert past_end["unexpected_ids"] == ["t-3"]
    assert len(result.failures) == 1, result.summary()


def test_negative_and_reversed_spans_fail(con: duckdb.DuckDBPyConnection) -> None:
    add_attribution(con, "t-3", "a-1", TEXT_1, "said", "the convoy", cue_start=-1, content_start=30, content_end=20)
    result = run_suite(con, ATTRIBUTIONS)
    assert failure(result, "expect_column_values_to_be_in_set", "is_cue_start_non_negative")["unexpected_ids"] == ["t-3"]
    assert failure(result, "expect_column_values_to_be_in_set", "is_content_span_non_empty")["unexpected_ids"] == ["t-3"]


def test_confidence_above_one_fails(con: duckdb.DuckDBPyConnection) -> None:
    add_attribution(con, "t-3", "a-1", TEXT_1, "said", "the convoy", confidence=1.5)
    result = run_suite(con, ATTRIBUTIONS)
    too_sure = failure(result, "expect_column_values_to_be_between", "confidence")
    assert too_sure["unexpected_sample"] == [1.5]
    assert too_sure["unexpected_ids"] == ["t-3"]


def test_bad_kind_polarity_and_orphan_article_fail(con: duckdb.DuckDBPyConnection) -> None:
    add_attribution(con, "t-3", "a-404", TEXT_1, "said", "the convoy", speaker_kind="alien", polarity=0)
    result = run_suite(con, ATTRIBUTIONS)
    assert failure(result, "expect_column_values_to_be_in_set", "speaker_kind")["unexpected_sample"] == ["alien"]
    assert failure(result, "expect_column_values_to_be_in_set", "predicate_polarity")["unexpected_sample"] == [0]
    assert failure(result, "expect_column_values_to_be_in_set", "has_article")["unexpected_ids"] == ["t-3"]


def test_duplicate_attribution_id_fails(con: duckdb.DuckDBPyConnection) -> None:
    drop_constraints(con, "raw.attributions")
    add_attribution(con, "t-0", "a-1", TEXT_1, "said", "the convoy", index=7)
    result = run_suite(con, ATTRIBUTIONS)
    assert "t-0" in failure(result, "expect_column_values_to_be_unique", "attribution_id")["unexpected_sample"]


# --- bad rows: marts -----------------------------------------------------------


def test_bad_claims_fail(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "insert into marts.fct_claims values "
        "('c-1', 'a-1', 'claim', 0, 1.2, 'named', 'said', null, 'x', date '2026-03-04', null)"
    )
    result = run_suite(con, CLAIMS)
    assert not result.success
    assert failure(result, "expect_column_values_to_be_unique", "claim_id")["unexpected_sample"] == ["c-1", "c-1"]
    assert failure(result, "expect_column_values_to_be_in_set", "stance")["unexpected_sample"] == ["claim"]
    assert failure(result, "expect_column_values_to_be_in_set", "polarity")["unexpected_sample"] == [0]
    assert failure(result, "expect_column_values_to_be_between", "confidence")["unexpected_sample"] == [1.2]


def test_bad_rates_fail(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("insert into marts.mart_contradiction_rates values ('actor-3', 2, 3, 1.5, 0.5, 1.0)")
    result = run_suite(con, RATES)
    assert failure(result, "expect_column_values_to_be_between", "contradiction_rate")["unexpected_sample"] == [1.5]
    assert failure(result, "expect_column_pair_values_a_to_be_greater_than_b", "n_claims,n_contradicted")[
        "unexpected_ids"
    ] == ["actor-3"]


def test_a_scope_reads_its_days_rows_and_those_without_a_day(con: duckdb.DuckDBPyConnection) -> None:
    # An attribution whose article is missing has no day: every scoped run reads it.
    add_attribution(con, "t-9", "a-missing", TEXT_1, "said", "the convoy")
    tenth = run_suite(con, ATTRIBUTIONS, RowScope(first_day=date(2026, 3, 10), last_day=date(2026, 3, 10)))
    assert tenth.n_rows == 2, "t-2 (a-2, undated: its day is when it was loaded) and t-9"
    assert tenth.scope == "the rows of days 2026-03-10..2026-03-10"
    assert failure(tenth, "expect_column_values_to_be_in_set", "has_article")["unexpected_ids"] == ["t-9"]
    assert run_suite(con, ATTRIBUTIONS, RowScope(first_day=date(2026, 3, 4))).n_rows == 4
    assert run_suite(con, ATTRIBUTIONS, RowScope(last_day=date(2026, 3, 4))).n_rows == 3
    assert run_suite(con, ATTRIBUTIONS).n_rows == 4


def test_a_scope_reads_the_articles_its_run_loaded(con: duckdb.DuckDBPyConnection) -> None:
    assert run_suite(con, ARTICLES, RowScope(run_id="run-1")).n_rows == 2
    other_run = run_suite(con, ARTICLES, RowScope(run_id="run-2"))
    assert other_run.success and other_run.n_rows == 0
    assert other_run.scope == "the rows run run-2 loaded"
    # A suite without the scope's column reads every row.
    assert run_suite(con, RATES, RowScope(first_day=date(2026, 3, 4), run_id="run-2")).n_rows == 2


# --- Dagster checks --------------------------------------------------------------


def check_named(name: str) -> dg.AssetChecksDefinition:
    return next(check for check in quality_checks if any(key.name == name for key in check.check_keys))


def test_checks_target_the_table_assets_and_block_where_needed() -> None:
    specs = {spec.key.name: spec for check in quality_checks for spec in check.check_specs}
    assert {name: spec.asset_key.path for name, spec in specs.items()} == {
        "gx_raw_articles": ["raw", "articles"],
        "gx_raw_attributions": ["raw", "attributions"],
        "gx_fct_claims": ["marts", "fct_claims"],
        "gx_mart_contradiction_rates": ["marts", "mart_contradiction_rates"],
    }
    assert {name for name, spec in specs.items() if spec.blocking} == {
        "gx_raw_articles", "gx_raw_attributions", "gx_fct_claims"
    }


def _resource(working: Path) -> WarehouseResource:
    """The resource whose working copy is ``working``."""
    return WarehouseResource(path=str(working.with_name(working.name.replace(WORKING_SUFFIX, ".duckdb"))))


def test_check_passes_on_good_rows(warehouse: Path) -> None:
    result = check_named("gx_raw_articles")(dg.build_asset_check_context(), warehouse=_resource(warehouse))
    assert result.passed
    assert result.metadata["n_rows"].value == 2
    assert result.metadata["failures"].value == []


def test_check_fails_with_failing_values_in_metadata(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse)) as con:
        add_attribution(con, "t-3", "a-1", TEXT_1, "said", "the convoy", confidence=1.5)
    result = check_named("gx_raw_attributions")(dg.build_asset_check_context(), warehouse=_resource(warehouse))
    assert not result.passed
    assert result.severity == dg.AssetCheckSeverity.ERROR
    assert result.metadata["n_rows"].value == 4
    assert "expect_column_values_to_be_between(confidence)" in result.metadata["failing_expectations"].value
    [failed] = result.metadata["failures"].value
    assert failed["unexpected_sample"] == [1.5] and failed["unexpected_ids"] == ["t-3"]
    assert "confidence" in result.description and "1.5" in result.description


def test_check_fails_cleanly_without_a_warehouse_file(tmp_path: Path) -> None:
    missing = WarehouseResource(path=str(tmp_path / "missing.duckdb"))
    result = check_named("gx_fct_claims")(dg.build_asset_check_context(), warehouse=missing)
    assert not result.passed
    assert "cannot open the warehouse" in result.description
