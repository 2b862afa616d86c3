"""Benchmark tooling: a synthetic news corpus generator and the benchmark runner.

``python -m pipelines.benchmark.corpus --articles N --seed S OUT_DIR`` writes a corpus;
``python -m pipelines.benchmark.run --sizes 1000 5000`` (``make bench``) measures the pipeline.
"""
