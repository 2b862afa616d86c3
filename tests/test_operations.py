"""Operations: the landing sensor, the schedules, the freshness check, feeds through the asset."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.definitions import build_definitions, build_resources
from pipelines.defs.ingest.assets import raw_articles
from pipelines.defs.ingest.checks import articles_are_fresh
from pipelines.defs.ingest.schedules import daily_refresh_schedule, feed_poll_schedule
from pipelines.defs.ingest.sensors import landing_folder_sensor, process_new_days_sensor
from pipelines.defs.partitions import daily_partitions
from pipelines.defs.resources import WarehouseResource
from pipelines.settings import FEEDS_ENV_VAR, FRESHNESS_ENV_VAR, LANDING_ENV_VAR
from pipelines.storage.snapshots import working_path_for
from tests.test_feeds import Site, site  # noqa: F401 - the local feed server fixture

ARTICLE = "Port reopens\nSource: Harbor Ledger\n\nThe Kestrian Foreign Ministry said the port would reopen.\n"


def _tick(cursor: str | None) -> dg.SensorResult:
    return landing_folder_sensor(dg.build_sensor_context(cursor=cursor))


def test_landing_sensor_requests_one_run_per_new_file_and_none_next_tick(tmp_path, monkeypatch) -> None:
    landing = tmp_path / "landing"
    landing.mkdir()
    monkeypatch.setenv(LANDING_ENV_VAR, str(landing))
    (landing / "a.txt").write_text(ARTICLE)
    (landing / "b.jsonl").write_text('{"title": "t", "text": "Oskel said it was calm."}\n')

    first = _tick(None)
    assert sorted(r.run_config["ops"]["raw_articles"]["config"]["paths"][0] for r in first.run_requests) == [
        str(landing / "a.txt"), str(landing / "b.jsonl")]
    assert _tick(first.cursor).run_requests == []

    (landing / "a.txt").write_text(ARTICLE + "More text.\n")
    (landing / "c.txt").write_text(ARTICLE.replace("Port", "Harbour"))
    third = _tick(first.cursor)
    assert sorted(Path(r.run_config["ops"]["raw_articles"]["config"]["paths"][0]).name for r in third.run_requests) == [
        "a.txt", "c.txt"]
    assert len({r.run_key for r in first.run_requests + third.run_requests}) == 4


def test_schedules_target_the_landing_folder_and_the_feed_list(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(LANDING_ENV_VAR, str(tmp_path / "landing"))
    monkeypatch.setenv(FEEDS_ENV_VAR, str(tmp_path / "feeds.toml"))
    context = dg.build_schedule_context(scheduled_execution_time=datetime(2026, 3, 2, 5, tzinfo=UTC))
    daily = daily_refresh_schedule(context)
    assert daily.run_config["ops"]["raw_articles"]["config"]["paths"] == [str(tmp_path / "landing")]
    assert isinstance(feed_poll_schedule(context), dg.SkipReason)
    (tmp_path / "feeds.toml").write_text('[[feed]]\nname = "x"\nurl = "http://127.0.0.1:9/x"\npublisher = "X"\n')
    poll = feed_poll_schedule(context)
    assert poll.run_config["ops"]["raw_articles"]["config"]["feeds_file"] == str(tmp_path / "feeds.toml")


def test_definitions_hold_schedules_sensors_and_automation(tmp_path) -> None:
    defs = build_definitions(tmp_path / "w.duckdb")
    assert {s.name for s in defs.schedules} == {
        "daily_refresh_schedule", "feed_poll_schedule", "daily_partition_schedule"}
    assert {s.name for s in defs.sensors} >= {
        "landing_folder_sensor", "process_new_days_sensor", "claimhouse_automation"}
    fct_claims = defs.resolve_assets_def(dg.AssetKey(["marts", "fct_claims"]))
    assert fct_claims.automation_conditions_by_key[dg.AssetKey(["marts", "fct_claims"])] is not None
    assert fct_claims.partitions_def == daily_partitions
    assert defs.resolve_assets_def(dg.AssetKey(["raw", "attributions"])).partitions_def == daily_partitions
    assert defs.resolve_assets_def(dg.AssetKey(["raw", "articles"])).partitions_def is None


def test_a_successful_ingestion_requests_one_run_over_its_days(tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE.replace("Source: Harbor Ledger\n", "Source: Harbor Ledger\nPublished: 2026-03-05T10:00:00Z\n"))
    defs = build_definitions(tmp_path / "w.duckdb")
    with dg.DagsterInstance.ephemeral() as instance:
        ingested = defs.resolve_job_def("ingest_articles").execute_in_process(
            run_config={"ops": {"raw_articles": {"config": {"paths": [str(folder)]}}}}, instance=instance
        )
        [success] = instance.get_records_for_run(ingested.run_id, of_type=dg.DagsterEventType.RUN_SUCCESS).records
        context = dg.build_run_status_sensor_context(
            sensor_name="process_new_days_sensor",
            dagster_instance=instance,
            dagster_run=ingested.dagster_run,
            dagster_event=success.event_log_entry.dagster_event,
        )
        request = process_new_days_sensor(context)
        assert isinstance(request, dg.RunRequest)
        day = "2026-03-05"
        assert request.tags["dagster/asset_partition_range_start"] == day
        assert request.tags["dagster/asset_partition_range_end"] == day


def test_freshness_check_fails_when_nothing_new_arrived(tmp_path, monkeypatch) -> None:
    warehouse = WarehouseResource(path=str(tmp_path / "w.duckdb"))
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE)
    assert dg.materialize([raw_articles], resources={"warehouse": warehouse},
                          run_config={"ops": {"raw_articles": {"config": {"paths": [str(folder)]}}}}).success
    assert articles_are_fresh(warehouse=warehouse).passed
    con = duckdb.connect(str(warehouse.working_path))
    con.execute("update raw.articles set first_loaded_at = ?",
                [datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=72)])
    con.close()
    monkeypatch.setenv(FRESHNESS_ENV_VAR, "24")
    stale = articles_are_fresh(warehouse=warehouse)
    assert not stale.passed
    assert "72.0 hours ago" in stale.description


def test_feeds_through_the_ingestion_asset_second_poll_fetches_nothing(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    for proxy in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(proxy, raising=False)
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(
        f'[[feed]]\nname = "good"\nurl = "{site.base}/good.xml"\npublisher = "Local Wire"\npoll_minutes = 0\n'
        f'[[feed]]\nname = "bomb"\nurl = "{site.base}/bomb.xml"\npublisher = "Bad"\npoll_minutes = 0\n'
        f'[[feed]]\nname = "broken"\nurl = "{site.base}/broken.xml"\npublisher = "Bad"\npoll_minutes = 0\n'
    )
    warehouse = tmp_path / "w.duckdb"
    config = {"ops": {"raw_articles": {"config": {"paths": [], "feeds_file": str(feeds)}}}}
    first = dg.materialize([raw_articles], resources=build_resources(warehouse), run_config=config)
    assert first.success
    assert first.asset_materializations_for_node("raw_articles")[0].metadata["new_articles"].value == 3
    second = dg.materialize([raw_articles], resources=build_resources(warehouse), run_config=config)
    assert second.asset_materializations_for_node("raw_articles")[0].metadata["new_articles"].value == 0
    assert [r.status for r in site.requests("/good.xml")] == [200, 304]
    con = duckdb.connect(str(working_path_for(warehouse)), read_only=True)
    try:
        assert con.execute("select count(*) from raw.articles where source = 'Local Wire'").fetchone()[0] == 3
        reasons = {r for (r,) in con.execute("select reason_code from raw.quarantine").fetchall()}
        assert {"unsafe_xml", "feed_parse_error"} <= reasons
    finally:
        con.close()


def test_the_warehouse_connection_and_dbt_share_one_duckdb_memory_limit(tmp_path, monkeypatch) -> None:
    import yaml

    from pipelines.settings import (
        DBT_PROJECT_DIR,
        DEFAULT_DUCKDB_MEMORY_LIMIT,
        DUCKDB_MEMORY_ENV_VAR,
        duckdb_memory_limit,
    )

    warehouse = WarehouseResource(path=str(tmp_path / "claimhouse.duckdb"))
    monkeypatch.delenv(DUCKDB_MEMORY_ENV_VAR, raising=False)
    with warehouse.connect() as con:
        default = con.execute("select current_setting('memory_limit')").fetchone()[0]
    monkeypatch.setenv(DUCKDB_MEMORY_ENV_VAR, "700MB")
    with warehouse.connect() as con:
        assert con.execute("select current_setting('memory_limit')").fetchone()[0] == "667.5 MiB"
    assert default == "1.3 GiB", "1.5GB by default, not DuckDB's 80% of the machine"
    profile = (DBT_PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8")
    settings = yaml.safe_load(profile)["claimhouse"]["outputs"]["duckdb"]["settings"]
    assert settings["memory_limit"] == f"{{{{ env_var('{DUCKDB_MEMORY_ENV_VAR}', '{DEFAULT_DUCKDB_MEMORY_LIMIT}') }}}}"
    monkeypatch.setenv(DUCKDB_MEMORY_ENV_VAR, "plenty")
    with pytest.raises(ValueError, match=DUCKDB_MEMORY_ENV_VAR):
        duckdb_memory_limit()
