"""The one dbt project, and making sure its manifest exists."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from pipelines.settings import DBT_PROJECT_DIR

# dbt is installed beside this interpreter; a venv that is not activated does
# not put it on PATH, where dagster-dbt looks for it.
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def _manifest_is_stale() -> bool:
    manifest = dbt_project.manifest_path
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    sources = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in ("models", "macros", "seeds", "tests"):
        sources.extend((DBT_PROJECT_DIR / folder).rglob("*"))
    return any(path.is_file() and path.stat().st_mtime > built for path in sources)


def project_fingerprint() -> str:
    """A hash of every model, macro, seed and test: when it changes, incremental
    tables were built by other logic or lexicons and must be rebuilt in full."""
    digest = hashlib.sha256()
    paths = [DBT_PROJECT_DIR / "dbt_project.yml"]
    for folder in ("models", "macros", "seeds", "tests"):
        paths.extend(sorted((DBT_PROJECT_DIR / folder).rglob("*")))
    for path in paths:
        if path.is_file():
            digest.update(str(path.relative_to(DBT_PROJECT_DIR)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def prepare_dbt_project(force: bool = False) -> None:
    """Parse the dbt project into target/manifest.json when it is missing or older than the project.

    ``dagster dev`` re-parses on every load; the command line and tests call
    this before building Definitions, since a manifest is needed to define
    the dbt assets at all.
    """
    bin_dir = str(Path(DBT_EXECUTABLE).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    if force or _manifest_is_stale():
        dbt_project.preparer.prepare(dbt_project)


dbt_project.prepare_if_dev()
if not dbt_project.manifest_path.exists():
    # A fresh checkout has no manifest, and the dbt assets cannot be defined
    # without one: parse once (a few seconds); later loads find it.
    prepare_dbt_project()
