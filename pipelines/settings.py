"""Where things live: the warehouse file, the dbt project, the sample corpus.

Read at call time, not import time, so tests can point ``CLAIMHOUSE_WAREHOUSE``
at a temporary file.
"""

from __future__ import annotations

import os
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
