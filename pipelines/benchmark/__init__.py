"""Benchmark tooling: a synthetic news corpus generator and the benchmark runner.

``python -m pipelines.benchmark.corpus --articles N --seed S OUT_DIR`` writes a corpus;
``python -m pipelines.benchmark.run --sizes 1000 5000`` (``make bench``) measures the pipeline
(``run``: the stages; ``results``: merging a partial run into docs/benchmark.json;
``report``: docs/benchmark.md and .png; ``sizing``: cores and hours at GDELT scale).
"""
