"""Where things live: the warehouse file, the dbt project, the sample corpus.

Read at call time, not import time, so tests can point ``CLAIMHOUSE_WAREHOUSE``
at a temporary file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
DBT_PROJECT_DIR = REPO_DIR / "dbt_project"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
EXPECTATIONS_DIR = REPO_DIR / "expectations"
SAMPLE_CORPUS_DIR = PACKAGE_DIR / "sample_corpus"
DEFAULT_WAREHOUSE = REPO_DIR / "warehouse" / "claimhouse.duckdb"
WAREHOUSE_ENV_VAR = "CLAIMHOUSE_WAREHOUSE"
# The file dbt writes: the working copy of the warehouse, set by the dbt asset.
DBT_DATABASE_ENV_VAR = "CLAIMHOUSE_DBT_DATABASE"


def warehouse_path() -> Path:
    """The DuckDB file: ``$CLAIMHOUSE_WAREHOUSE`` or ``warehouse/claimhouse.duckdb``."""
    return Path(os.environ.get(WAREHOUSE_ENV_VAR) or DEFAULT_WAREHOUSE).expanduser().resolve()


LANDING_ENV_VAR = "CLAIMHOUSE_LANDING"
FEEDS_ENV_VAR = "CLAIMHOUSE_FEEDS"
FRESHNESS_ENV_VAR = "CLAIMHOUSE_FRESHNESS_HOURS"
DEFAULT_FRESHNESS_HOURS = 48.0


def landing_path() -> Path:
    """The folder the landing sensor watches: ``$CLAIMHOUSE_LANDING`` or ``warehouse/landing``."""
    return Path(os.environ.get(LANDING_ENV_VAR) or REPO_DIR / "warehouse" / "landing").expanduser().resolve()


def feeds_path() -> Path:
    """The feed list (TOML) the polling schedule reads: ``$CLAIMHOUSE_FEEDS`` or ``warehouse/feeds.toml``."""
    return Path(os.environ.get(FEEDS_ENV_VAR) or REPO_DIR / "warehouse" / "feeds.toml").expanduser().resolve()


def freshness_hours() -> float:
    """How long without a new article before the freshness check fails."""
    return float(os.environ.get(FRESHNESS_ENV_VAR) or DEFAULT_FRESHNESS_HOURS)


PARTITIONS_START_ENV_VAR = "CLAIMHOUSE_PARTITIONS_START"
DEFAULT_PARTITIONS_START = "2000-01-01"


def partitions_start() -> str:
    """First daily partition (YYYY-MM-DD); older articles belong to it."""
    return os.environ.get(PARTITIONS_START_ENV_VAR) or DEFAULT_PARTITIONS_START


ENGINE_ENV_VAR = "CLAIMHOUSE_ENGINE"
ENGINES = ("duckdb", "spark")
DEFAULT_ENGINE = "duckdb"
HANDOFF_ROOT_ENV_VAR = "CLAIMHOUSE_HANDOFF_ROOT"


def engine() -> str:
    """The engine that extracts and builds the marts: ``$CLAIMHOUSE_ENGINE`` (duckdb, the default, or spark)."""
    name = (os.environ.get(ENGINE_ENV_VAR) or DEFAULT_ENGINE).strip().lower()
    if name not in ENGINES:
        raise ValueError(f"{ENGINE_ENV_VAR} must be one of {', '.join(ENGINES)}, got {name!r}")
    return name


def handoff_root() -> str:
    """Where engines hand data over as Hive-partitioned Parquet: ``$CLAIMHOUSE_HANDOFF_ROOT``
    (a folder or an object-store URI), else ``<warehouse dir>/<warehouse name>.handoff``."""
    if root := os.environ.get(HANDOFF_ROOT_ENV_VAR):
        return root if "://" in root else str(Path(root).expanduser().resolve())
    warehouse = warehouse_path()
    return str(warehouse.with_name(warehouse.stem + ".handoff"))


EXTRACT_WORKERS_ENV_VAR = "CLAIMHOUSE_EXTRACT_WORKERS"


def extract_workers() -> int:
    """Extraction processes: ``$CLAIMHOUSE_EXTRACT_WORKERS``, else one per usable core."""
    value = os.environ.get(EXTRACT_WORKERS_ENV_VAR, "").strip()
    if not value:
        return usable_cores()
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{EXTRACT_WORKERS_ENV_VAR} must be a whole number of processes (1 or more), got {value!r}")
    return int(value)


def usable_cores() -> int:
    """Cores this process may run on (its affinity mask, not the machine's count)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


DUCKDB_MEMORY_ENV_VAR = "CLAIMHOUSE_DUCKDB_MEMORY_LIMIT"
DEFAULT_DUCKDB_MEMORY_LIMIT = "1.5GB"  # dbt_project/profiles.yml holds the same default


def duckdb_memory_limit() -> str:
    """DuckDB's memory limit in the run's processes (its own and dbt's): ``$CLAIMHOUSE_DUCKDB_MEMORY_LIMIT``,
    else 1.5GB.  DuckDB's default is 80% of the machine; with a limit it spills large joins and sorts to
    disk instead, which keeps a run at 100,000 articles under 3 GiB (dbt's process, the largest, peaks
    near the limit plus 0.3 GiB)."""
    value = os.environ.get(DUCKDB_MEMORY_ENV_VAR, "").strip() or DEFAULT_DUCKDB_MEMORY_LIMIT
    if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", value, flags=re.IGNORECASE):
        raise ValueError(f"{DUCKDB_MEMORY_ENV_VAR} must be an amount such as 2GB or 800MiB, got {value!r}")
    return value
