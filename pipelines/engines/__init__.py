"""Engine-specific code behind one small seam.

DuckDB is the default engine.  Apache Spark (an optional extra:
``pip install .[spark]``, Java 17) runs the same extraction function through
``mapInArrow``; engines hand data over as Hive-partitioned Parquet
(``<root>/<table>/day=YYYY-MM-DD/``):

* ``parquet_handoff``    DuckDB side: export articles of some days, load extraction results back.
* ``spark_session``      a local SparkSession and the ``spark-submit`` command line.
* ``spark_extract_job``  the Spark job (run by ``spark-submit``; reports through Dagster Pipes).
* ``spark_runner``       the seam the assets call with ``CLAIMHOUSE_ENGINE=spark``: extraction
                         through Pipes, the dbt-spark build's inputs, DuckDB views over its marts.
* ``spark_catalog``      raw.* as views over the handoff in a SparkSession (tests, notebooks).

Nothing here imports pyspark at import time except the Spark job itself.
"""
