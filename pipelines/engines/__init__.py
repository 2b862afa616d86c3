"""Engine-specific code behind one small seam.

DuckDB is the default engine.  Apache Spark (an optional extra:
``pip install .[spark]``, Java 17) runs the same extraction function through
``mapInArrow``; engines hand data over as Hive-partitioned Parquet
(``<root>/<table>/day=YYYY-MM-DD/``):

* ``parquet_handoff``    DuckDB side: export articles of some days, load extraction results back.
* ``spark_session``      a local SparkSession and the ``spark-submit`` command line.
* ``spark_extract_job``  the Spark job (run by ``spark-submit``; reports through Dagster Pipes).

Nothing here imports pyspark at import time except the Spark job itself.
"""
