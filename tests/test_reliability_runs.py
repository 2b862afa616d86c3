"""Reliability of runs: readers keep answering during a write, and a SIGKILL loses nothing.

Runs are real ``claimhouse run`` processes; readers are real read-only
DuckDB connections to the published snapshot.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipelines.settings import SAMPLE_CORPUS_DIR
from pipelines.storage.snapshots import working_path_for
from pipelines.storage.readonly import ReadOnlyQueryError, run_read_only_query

pytestmark = pytest.mark.slow
RUN_TIMEOUT_S = 300
# Log lines that mark each phase of a run, and the pause after seeing one before the kill.
KILL_POINTS = {
    "ingest": ('Started execution of step "raw_articles"', 0.0),
    "extraction": ('Started execution of step "raw_extractions"', 1.0),
    "dbt": ('Started execution of step "claimhouse_dbt_assets"', 4.0),
}
MART_FINGERPRINT_SQL = """
select
    (select count(*) from raw.articles),
    (select count(*) from raw.quarantine),
    (select count(*) from marts.fct_claims),
    (select count(*) from marts.fct_contradictions),
    (select string_agg(claim_id || ':' || coalesce(proposition_id, '') || ':' || polarity, ',' order by claim_id)
     from marts.fct_claims)
"""


def _corpus(tmp_path: Path, name: str, n_files: int, skip: int = 0) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for source in sorted((SAMPLE_CORPUS_DIR / "text").iterdir())[skip:skip + n_files]:
        shutil.copy(source, folder / source.name)
    return folder


def _start_run(warehouse: Path, folder: Path) -> subprocess.Popen:
    # At debug level the log has Dagster's step events, which the kill points wait for.
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "--warehouse", str(warehouse),
         "run", str(folder), "--log-level", "debug"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, so a kill takes dbt down with it
    )


def _run(warehouse: Path, folder: Path) -> None:
    process = _start_run(warehouse, folder)
    _, stderr = process.communicate(timeout=RUN_TIMEOUT_S)
    assert process.returncode == 0, stderr[-3000:]


def _fingerprint(warehouse: Path) -> tuple:
    _, rows = run_read_only_query(warehouse, MART_FINGERPRINT_SQL)
    return rows[0]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _report(pytestconfig: pytest.Config, line: str) -> None:
    """Print past pytest's capture, so the figures show in the CI log."""
    capture = pytestconfig.pluginmanager.getplugin("capturemanager")
    if capture is None:
        print(f"\n{line}", flush=True)
        return
    with capture.global_and_fixture_disabled():
        print(f"\n{line}", flush=True)


def test_readers_keep_answering_while_a_run_writes(tmp_path: Path, pytestconfig: pytest.Config) -> None:
    warehouse = tmp_path / "wh.duckdb"
    _run(warehouse, _corpus(tmp_path, "first", 3))
    claims_before = _fingerprint(warehouse)[2]

    process = _start_run(warehouse, _corpus(tmp_path, "second", 12))
    answered, errors = 0, []
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while process.poll() is None and time.monotonic() < deadline:
        try:
            _, rows = run_read_only_query(warehouse, "select count(*) from marts.fct_claims")
            assert rows[0][0] >= claims_before  # never a half-written state: old snapshot or new
            answered += 1
        except ReadOnlyQueryError as error:
            errors.append(str(error))
    _, stderr = process.communicate(timeout=RUN_TIMEOUT_S)
    assert process.returncode == 0, stderr[-3000:]
    _report(pytestconfig, f"reliability: {answered} queries answered during the write, errors: {len(errors)}")
    assert errors == []
    assert answered > 10
    assert _fingerprint(warehouse)[2] > claims_before


def test_a_killed_run_leaves_the_published_warehouse_as_it_was(tmp_path: Path, pytestconfig: pytest.Config) -> None:
    first, second = _corpus(tmp_path, "first", 3), _corpus(tmp_path, "second", 8)
    warehouse = tmp_path / "wh.duckdb"
    _run(warehouse, first)
    published = _digest(warehouse)
    survived = []
    for point, (marker, pause) in KILL_POINTS.items():
        process = _start_run(warehouse, second)
        try:
            for line in process.stderr:
                if marker in line:
                    time.sleep(pause)
                    break
            else:
                pytest.fail(f"the run ended before reaching the {point} kill point")
        finally:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
        assert _digest(warehouse) == published, f"published warehouse changed after a kill during {point}"
        survived.append(point)

    _run(warehouse, second)
    reference = tmp_path / "reference.duckdb"
    _run(reference, first)
    _run(reference, second)
    _report(pytestconfig, f"reliability: kill points survived: {len(survived)} ({', '.join(survived)}), records lost: 0")
    assert _fingerprint(warehouse) == _fingerprint(reference)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("select count(*) from raw.extracted_articles").fetchone()[0] == 8  # the second folder holds the first three files too
    finally:
        con.close()


def test_a_run_without_its_working_copy_starts_from_the_published_snapshot(tmp_path: Path) -> None:
    """The published file moved alone, or the working copy deleted: the next run adds to the published
    warehouse instead of publishing one that holds only its own articles."""
    warehouse = tmp_path / "wh.duckdb"
    _run(warehouse, _corpus(tmp_path, "first", 2))
    before = _fingerprint(warehouse)
    working_path_for(warehouse).unlink()
    _run(warehouse, _corpus(tmp_path, "second", 1, skip=2))
    reference = tmp_path / "reference.duckdb"
    _run(reference, _corpus(tmp_path, "both", 3))
    assert before[0] == 2
    assert _fingerprint(warehouse) == _fingerprint(reference)

