"""A local SparkSession, and the ``spark-submit`` command line, configured for Claimhouse.

Defaults fit one small machine shared with other work: ``local[2]``, four
shuffle partitions, no UI, everything bound to 127.0.0.1, and Python workers
running this interpreter (``PYSPARK_PYTHON = sys.executable``) with this
checkout on their path.  ``$CLAIMHOUSE_SPARK_MASTER`` names another master
(``local[8]``, ``spark://host:7077``, ``yarn``, ``k8s://...``);
``$CLAIMHOUSE_SPARK_SHUFFLE_PARTITIONS`` the shuffle width.  Settings given to
``spark-submit --conf`` win over these defaults.

pyspark is imported only inside the functions that need it, so importing this
module works without the ``spark`` extra.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.settings import REPO_DIR

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

SPARK_MASTER_ENV_VAR = "CLAIMHOUSE_SPARK_MASTER"
SHUFFLE_PARTITIONS_ENV_VAR = "CLAIMHOUSE_SPARK_SHUFFLE_PARTITIONS"
DEFAULT_MASTER = "local[2]"
DEFAULT_SHUFFLE_PARTITIONS = 4
ARROW_BATCH_ROWS = 200
"""Articles per Arrow batch handed to a Python worker (``mapInArrow`` input)."""


def spark_master() -> str:
    return os.environ.get(SPARK_MASTER_ENV_VAR) or DEFAULT_MASTER


def shuffle_partitions() -> int:
    return int(os.environ.get(SHUFFLE_PARTITIONS_ENV_VAR) or DEFAULT_SHUFFLE_PARTITIONS)


def python_path() -> str:
    """PYTHONPATH for Spark's Python workers: this checkout first, then the caller's path."""
    parts = [str(REPO_DIR), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return os.pathsep.join(dict.fromkeys(parts))


def spark_conf(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The Spark settings Claimhouse uses (master excluded), ``extra`` on top."""
    conf = {
        "spark.sql.shuffle.partitions": str(shuffle_partitions()),
        "spark.default.parallelism": "2",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.log.level": "WARN",
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.pyspark.python": sys.executable,
        "spark.pyspark.driver.python": sys.executable,
        "spark.executorEnv.PYSPARK_PYTHON": sys.executable,
        "spark.executorEnv.PYTHONPATH": python_path(),
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.sources.partitionOverwriteMode": "dynamic",
        "spark.sql.execution.arrow.maxRecordsPerBatch": str(ARROW_BATCH_ROWS),
        "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
    }
    conf.update(extra or {})
    return conf


def spark_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment for a Spark driver process: this interpreter for the workers, loopback only."""
    env = dict(os.environ if base is None else base)
    env.update(
        {
            "PYSPARK_PYTHON": sys.executable,
            "PYSPARK_DRIVER_PYTHON": sys.executable,
            "PYTHONPATH": python_path(),
            "SPARK_LOCAL_IP": "127.0.0.1",
            "SPARK_LOCAL_HOSTNAME": "localhost",
        }
    )
    return env


def build_spark_session(
    app_name: str = "claimhouse", master: str | None = None, extra_conf: Mapping[str, str] | None = None
) -> SparkSession:
    """Get or create the SparkSession.

    Under ``spark-submit`` the submitted master and ``--conf`` settings are kept and
    only missing settings take Claimhouse's defaults; otherwise ``master`` (default:
    ``spark_master()``) starts a local JVM.
    """
    for name, value in spark_env({}).items():
        os.environ.setdefault(name, value)
    from pyspark import SparkConf, SparkContext
    from pyspark.sql import SparkSession

    SparkContext._ensure_initialized()  # connects to spark-submit's JVM, or launches one
    conf = SparkConf()  # loads spark.* from that JVM: spark-submit's --master and --conf
    conf.setIfMissing("spark.app.name", app_name)
    if master:
        conf.set("spark.master", master)
    else:
        conf.setIfMissing("spark.master", spark_master())
    for name, value in spark_conf(extra_conf).items():
        conf.setIfMissing(name, value)
    return SparkSession.builder.config(conf=conf).getOrCreate()


def java_executable() -> str | None:
    """``$JAVA_HOME/bin/java``, else ``java`` on the path, else None."""
    if java_home := os.environ.get("JAVA_HOME"):
        candidate = Path(java_home) / "bin" / "java"
        if candidate.exists():
            return str(candidate)
    return shutil.which("java")


def java_version() -> str | None:
    """The first line ``java -version`` prints, or None without Java."""
    java = java_executable()
    if java is None:
        return None
    printed = subprocess.run([java, "-version"], capture_output=True, text=True, check=False).stderr
    return printed.splitlines()[0] if printed else None


def spark_unavailable_reason() -> str | None:
    """Why the Spark engine cannot run on this machine (no pyspark, no Java 17+), or None when it can."""
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed: install the spark extra (pip install .[spark])"
    version = java_version()
    if version is None:
        return "Java 17 is not installed: the Spark engine needs openjdk-17-jre-headless"
    match = re.search(r'version "(\d+)', version)
    if not match or int(match.group(1)) < 17:
        return f"Java 17 or later is needed by Spark 4, found: {version}"
    return None


def spark_submit_executable() -> str:
    """``$SPARK_HOME/bin/spark-submit``, else the one shipped inside the pyspark package."""
    if spark_home := os.environ.get("SPARK_HOME"):
        return str(Path(spark_home) / "bin" / "spark-submit")
    try:
        import pyspark
    except ImportError:  # pragma: no cover - depends on the install
        found = shutil.which("spark-submit")
        if found:
            return found
        raise RuntimeError("spark-submit not found: install the spark extra (pip install .[spark])") from None
    return str(Path(pyspark.__file__).parent / "bin" / "spark-submit")


def spark_submit_command(
    script: str | Path,
    args: Sequence[str] = (),
    master: str | None = None,
    extra_conf: Mapping[str, str] | None = None,
) -> list[str]:
    """``spark-submit --master ... --conf ... script args`` with Claimhouse's settings."""
    command = [spark_submit_executable(), "--master", master or spark_master()]
    for name, value in spark_conf(extra_conf).items():
        command += ["--conf", f"{name}={value}"]
    return [*command, str(script), *args]
