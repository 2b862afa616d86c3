"""The benchmark: end-to-end throughput, extraction speed against spaCy, incremental cost,
memory, warehouse size, dashboard query latency, how cost grows with corpus size, and
extraction on Spark ``local[2]`` against in-process (with the sizing that follows).

    python -m pipelines.benchmark.run --sizes 1000 5000        # make bench
    make bench BENCH_SIZES="10000 100000"
    python -m pipelines.benchmark.run --stages spark-extraction --extract-sample 100
    python -m pipelines.benchmark.run --stages build-at-scale --base-warehouse W/claimhouse.duckdb

Everything is measured on one machine, over corpora from
``pipelines.benchmark.corpus`` (fixed seed); each pipeline run goes into a fresh
temporary warehouse, in a fresh process as ``claimhouse run`` does, and the
extraction comparison runs in the benchmark's own process.  Writes ``docs/benchmark.json``, ``docs/benchmark.md`` and
``docs/benchmark.png`` (drawn with Pillow, no plotting dependency, by
``pipelines.benchmark.report``).  ``--stages`` measures only some stages and
merges their figures into the stored ``benchmark.json`` (``pipelines.benchmark.results``).
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.benchmark.corpus import generate
from pipelines.benchmark.report import render_markdown, render_png
from pipelines.benchmark.memory import ProcessTreeSampler
from pipelines.benchmark.memory import peaks as memory_peaks
from pipelines.benchmark.results import NEEDS_END_TO_END, STAGES, merge_results, normalized, ordered
from pipelines.settings import REPO_DIR, duckdb_memory_limit, usable_cores

if TYPE_CHECKING:  # the pipeline imports Dagster: loaded by the stages that run it, not at start-up
    from pipelines.run import RunSummary

DEFAULT_SIZES = (1000, 5000)
EXTRACT_BATCH = 500
WARM_UP_ARTICLES = 60  # after the extraction sample, for the warm-ups
_START = time.perf_counter()


def say(stage: str, size: int | None, message: str = "") -> None:
    """One progress line: elapsed seconds since start, stage, size."""
    elapsed = time.perf_counter() - _START
    where = f" n={size:,}" if size is not None else ""
    print(f"[bench {elapsed:8.1f}s] {stage}{where} {message}".rstrip(), file=sys.stderr, flush=True)


def _maxrss_mib() -> dict[str, float]:
    # Linux reports ru_maxrss in KiB, macOS in bytes.
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return {
        "self_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale, 1),
        "children_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / scale, 1),
    }


def _warehouse_bytes(warehouse: Path) -> dict[str, int]:
    from pipelines.storage.snapshots import working_path_for

    working = working_path_for(warehouse)

    def size(path: Path) -> int:
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())

    return {"published_bytes": size(warehouse), "working_bytes": size(working)}


def _timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


# ------------------------------------------------------------------ stages


def _run(stage: str, corpus: Path, warehouse: Path, size: int) -> tuple[float, RunSummary, dict]:
    """``claimhouse run`` of ``corpus`` into ``warehouse`` in a fresh process, timed, its progress said under
    ``stage``, with its process tree's memory peaks."""
    with ProcessTreeSampler() as sampler:
        seconds, summary = _timed(lambda: _run_in_fresh_process(stage, corpus, warehouse, size))
    memory = memory_peaks(sampler, summary.step_spans)
    say(stage, size, f"done in {seconds:.1f}s ({'ok' if summary.success else 'FAILED'}); "
        f"peak {memory.get('tree_pss_peak_mib', '?')} MiB in {memory.get('tree_pss_peak_step', '?')}")
    return seconds, summary, memory


def _run_in_fresh_process(stage: str, corpus: Path, warehouse: Path, size: int) -> RunSummary:
    """``run_pipeline`` in a process of its own, as each ``claimhouse run`` is: run in the benchmark's process,
    a run's memory would include what the runs before it left there (their imports' caches, heap)."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_run_pipeline_child, name=f"bench-{stage}",
                            args=(send, stage, str(corpus), str(warehouse), size, time.perf_counter() - _START))
    child.start()
    send.close()  # the child holds the only sending end: its death ends recv() with EOFError
    try:
        summary, error = receive.recv()
    except EOFError:
        summary, error = None, "it ended without a result"
    finally:
        child.join()
    if summary is None:
        raise RuntimeError(f"the {stage} run's process failed (exit code {child.exitcode}): {error}")
    return summary


def _run_pipeline_child(send, stage: str, corpus: str, warehouse: str, size: int,  # noqa: ANN001 - a Connection
                        elapsed_at_start: float) -> None:
    global _START  # noqa: PLW0603 - progress lines count from the benchmark's start, not the child's
    _START = time.perf_counter() - elapsed_at_start
    from pipelines.run import run_pipeline

    try:
        summary = run_pipeline([corpus], Path(warehouse), progress=lambda line: say(stage, size, line))
    except BaseException:
        send.send((None, traceback.format_exc()))
        raise
    send.send((summary, None))


def _run_figures(seconds: float, summary: RunSummary, memory: dict) -> dict:
    """What every stage that runs the pipeline records of a run."""
    return {
        "memory_sampled": memory,
        "seconds": round(seconds, 2),
        "success": summary.success,
        "failed_steps": summary.failed_steps,
        "checks_passed": sum(1 for _, ok, _ in summary.checks if ok),
        "checks_total": len(summary.checks),
        "maxrss_after": _maxrss_mib(),
        "step_seconds": dict(sorted(summary.step_seconds.items(), key=lambda item: -item[1])),
    }


def bench_end_to_end(corpus: Path, warehouse: Path, size: int) -> dict:
    say("end-to-end", size, f"run_pipeline -> {warehouse}")
    seconds, summary, memory = _run("end-to-end", corpus, warehouse, size)
    return {
        "articles": size,
        "articles_per_s": round(size / seconds, 2),
        "totals": summary.totals,
        **_warehouse_bytes(warehouse),
        **_run_figures(seconds, summary, memory),
    }


def bench_incremental(corpus_dir: Path, warehouse: Path, base_size: int, seed: int, full_seconds: float) -> dict:
    """Add 1% new articles (records at offset ``base_size``) to the largest warehouse and run again."""
    n_new = max(1, base_size // 100)
    new_dir = corpus_dir / "incremental"
    generate(new_dir, n_new, seed=seed, offset=base_size)
    say("incremental", base_size, f"+{n_new} articles")
    seconds, summary, memory = _run("incremental", new_dir, warehouse, base_size)
    return {
        "base_articles": base_size,
        "new_articles": n_new,
        "fraction_of_full_build": round(seconds / full_seconds, 4),
        "new_loaded": summary.ingest.get("new_articles"),
        **_run_figures(seconds, summary, memory),
    }


def _sample_texts(corpus: Path, n: int) -> list[tuple[str, str]]:
    from pipelines.ingestion import ArticleRecord, read_articles

    texts = []
    for record in read_articles([corpus]):
        if isinstance(record, ArticleRecord):
            texts.append((record.article_id, record.text))
            if len(texts) >= n:
                break
    return texts


def bench_extraction(corpus: Path, sample: int) -> dict:
    """Extractor.extract (batches of 500), in one process and on the pipeline's worker pool (one
    process per usable core), against stock spaCy's full ``nlp.pipe`` in one process on the same texts;
    and that baseline again with the matrix backend our extractor loads spaCy with (numpy's), so the
    report shows how much of the ratio the backend alone makes."""
    import spacy

    from pipelines.extraction import Extractor
    from pipelines.extraction.parsing import SPACY_MODEL, load_nlp, one_blas_thread
    from pipelines.extraction.records import ArticleText
    from pipelines.extraction.workers import MIN_ARTICLES_PER_WORKER, ExtractorPool

    # Warm-ups run on the articles after the sample: the extractor remembers the entities of the
    # sentences it has seen (entity_cache), and the timed runs must not start with their own.
    texts = _sample_texts(corpus, sample + WARM_UP_ARTICLES)
    texts, warm_up = texts[:sample], texts[sample:]
    words = sum(len(text.split()) for _, text in texts)
    say("extraction", len(texts), f"{words:,} words; loading models")
    extractor = Extractor()
    nlp = spacy.load(SPACY_MODEL)  # stock: thinc's default matrix backend (BLIS)
    extractor.extract([ArticleText(i, t) for i, t in warm_up[:3]])  # first calls allocate and cache
    list(nlp.pipe(t for _, t in warm_up[:3]))
    with one_blas_thread():
        list(load_nlp().pipe(t for _, t in warm_up[:3]))
    hits_before = extractor.entity_cache.hits

    def ours() -> int:
        n = 0
        for start in range(0, len(texts), EXTRACT_BATCH):
            batch = [ArticleText(i, t) for i, t in texts[start : start + EXTRACT_BATCH]]
            n += len(extractor.extract(batch).attributions)
        return n

    say("extraction", len(texts), "Extractor.extract")
    ours_s, attributions = _timed(ours)
    cache_hits = extractor.entity_cache.hits - hits_before
    workers = usable_cores()
    say("extraction", len(texts), f"ours {ours_s:.1f}s; the pipeline's ExtractorPool, {workers} workers")
    with ExtractorPool(workers) as pool:
        # Started and warmed up beforehand, as in a run past its first batch.
        pool.extract([ArticleText(i, t) for i, t in warm_up[: workers * MIN_ARTICLES_PER_WORKER]])

        def pooled() -> int:
            return sum(len(pool.extract([ArticleText(i, t) for i, t in texts[start : start + EXTRACT_BATCH]])
                           .attributions) for start in range(0, len(texts), EXTRACT_BATCH))

        pool_s, pool_attributions = _timed(pooled)
    if pool_attributions != attributions:
        raise RuntimeError(f"the worker pool found {pool_attributions} attributions, one process {attributions}")
    say("extraction", len(texts), f"pool {pool_s:.1f}s; spaCy nlp.pipe (full pipeline)")
    base_s, _ = _timed(lambda: sum(1 for _ in nlp.pipe(t for _, t in texts)))
    say("extraction", len(texts), f"baseline {base_s:.1f}s; the same on numpy's matrix multiplication")
    with one_blas_thread():
        base_numpy_s, _ = _timed(lambda: sum(1 for _ in load_nlp().pipe(t for _, t in texts)))
    say("extraction", len(texts), "the extractor's parse streams apart")
    streams = _stream_seconds(extractor, texts)
    candidate_share = streams[0]["sentences"] / max(1, sum(stream["sentences"] for stream in streams))
    return {
        "articles": len(texts),
        "words": words,
        "batch_size": EXTRACT_BATCH,
        "ours_seconds": round(ours_s, 2),
        "ours_words_per_s": round(words / ours_s),
        "baseline": "spaCy nlp.pipe(texts), full pipeline of " + _model_name(nlp),
        "baseline_seconds": round(base_s, 2),
        "baseline_words_per_s": round(words / base_s),
        "ratio_ours_over_baseline": round(base_s / ours_s, 2),
        "baseline_numpy_seconds": round(base_numpy_s, 2),
        "baseline_numpy_words_per_s": round(words / base_numpy_s),
        "ratio_ours_over_baseline_numpy": round(base_numpy_s / ours_s, 2),
        "pool_workers": workers,
        "pool_seconds": round(pool_s, 2),
        "pool_words_per_s": round(words / pool_s),
        "ratio_pool_over_baseline": round(base_s / pool_s, 2),
        "attributions": attributions,
        "entity_cache_hits": cache_hits,
        "candidate_sentence_share": round(candidate_share, 3),
        "streams": streams,
        "maxrss_after": _maxrss_mib(),
    }


def _stream_seconds(extractor, texts: list[tuple[str, str]]) -> list[dict]:  # noqa: ANN001 - an Extractor
    """Where the one-process extraction's time goes: each of the extractor's spaCy streams timed on
    its own over the sample's sentences (one batch, as ``Extractor.extract`` sees 300 articles). The
    first stream holds the candidates for the deep parse."""
    from pipelines.extraction.parsing import one_blas_thread
    from pipelines.extraction.records import ArticleText

    sentences = [s for article_id, text in texts for s in extractor.sentences(ArticleText(article_id, text))]
    streams = extractor.parse_streams(sentences)
    measured = []
    with one_blas_thread():
        for name, stream, parse in (
            ("full pipeline on the candidate sentences", streams.deep, extractor.parse_deep),
            ("entity recognition only, on sentences that may name someone", streams.entities_only,
             extractor.parse_entities_only),
            ("tokenizer only, on the rest", streams.tokens_only, extractor.parse_tokens_only),
        ):
            seconds, docs = _timed(lambda parse=parse, stream=stream: parse(stream))
            measured.append({"stream": name, "sentences": len(stream), "tokens": sum(len(doc) for doc in docs),
                             "seconds": round(seconds, 2)})
    return measured


def _model_name(nlp) -> str:  # noqa: ANN001 - spaCy Language
    return f"{nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')} {nlp.meta.get('version', '')}".strip()


def bench_queries(warehouse: Path, repetitions: int) -> list[dict]:
    """p50/p95 latency of the dashboard's queries over the read-only connection."""
    from pipelines.dashboard import queries as q
    from pipelines.storage.readonly import connect_read_only

    con = connect_read_only(warehouse)
    try:
        first, last = con.execute(
            "select cast(min(published_at) as date), cast(max(published_at) as date) from marts.fct_claims"
        ).fetchone()
        top_actor = con.execute(
            "select speaker_actor_id from marts.fct_claims where speaker_actor_id is not null "
            "group by 1 order by count(*) desc limit 1").fetchone()
        top_prop = con.execute(
            "select proposition_id from marts.fct_claims where proposition_id is not null "
            "group by 1 order by count(*) desc limit 1").fetchone()
        claim = con.execute("select claim_id from marts.fct_claims limit 1").fetchone()
        none = q.Filters()
        week = q.Filters(date_from=first, date_to=min(last, date.fromordinal(first.toordinal() + 6))) if first else none
        # The first week has the fewest earlier claims to pair with; the week with the most claims is the filter
        # whose pairs are the most to find.
        busiest = con.execute("""
            with daily as (select cast(published_at as date) as day, count(*) as n from marts.fct_claims
                           where published_at is not null group by 1)
            select day from (select day, sum(n) over (order by day range between current row
                                                       and interval 6 days following) as n_week from daily)
            order by n_week desc, day limit 1
        """).fetchall()
        busy = q.Filters(date_from=busiest[0][0], date_to=date.fromordinal(busiest[0][0].toordinal() + 6)) if busiest \
            else none
        cases: list[tuple[str, Callable[[], object]]] = [
            ("filter_choices", lambda: q.filter_choices(con)),
            ("overview_metrics", lambda: q.overview_metrics(con, none)),
            ("overview_metrics (7-day filter)", lambda: q.overview_metrics(con, week)),
            ("overview_metrics (busiest 7 days)", lambda: q.overview_metrics(con, busy)),
            ("claims_per_day", lambda: q.claims_per_day(con, none)),
            ("actor_contradiction_rates", lambda: q.actor_contradiction_rates(con, none)),
            ("actor_contradiction_rates (7-day filter)", lambda: q.actor_contradiction_rates(con, week)),
            ("actor_contradiction_rates (busiest 7 days)", lambda: q.actor_contradiction_rates(con, busy)),
            ("actor_conflicts", lambda: q.actor_conflicts(con, none)),
            ("actor_conflicts (7-day filter)", lambda: q.actor_conflicts(con, week)),
            ("actor_conflicts (busiest 7 days)", lambda: q.actor_conflicts(con, busy)),
            ("contested_propositions", lambda: q.contested_propositions(con, none)),
            ("contested_propositions (7-day filter)", lambda: q.contested_propositions(con, week)),
            ("contested_propositions (busiest 7 days)", lambda: q.contested_propositions(con, busy)),
            ("unresolved_names", lambda: q.unresolved_names(con)),
            ("quarantine_by_reason", lambda: q.quarantine_by_reason(con)),
        ]
        if top_actor:
            cases.append(("actor_claims", lambda: q.actor_claims(con, top_actor[0], none)))
            cases.append(("actor_contradictors", lambda: q.actor_contradictors(con, top_actor[0], none)))
        if top_prop:
            cases.append(("proposition_timeline", lambda: q.proposition_timeline(con, top_prop[0], none)))
        if claim:
            cases.append(("claim_evidence", lambda: q.claim_evidence(con, claim[0])))
        results = []
        for name, fn in cases:
            fn()  # warm-up
            times = []
            for _ in range(repetitions):
                seconds, _ = _timed(fn)
                times.append(seconds * 1000)
            times.sort()
            results.append({
                "query": name,
                "p50_ms": round(statistics.median(times), 2),
                "p95_ms": round(times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))], 2),
                "repetitions": repetitions,
            })
        return results
    finally:
        con.close()


# ------------------------------------------------------------------ a build at scale from a multiplied raw layer

SCALED_RAW_TABLES = (
    "raw.articles", "raw.article_sources", "raw.extracted_articles",
    "raw.sentences", "raw.mentions", "raw.attributions",
)
"""What the scaled copy multiplies: every table the extraction writes, and the articles it read.  dbt
then builds everything else from them, as it does after an extraction of that many articles."""

SCALED_ID_COLUMNS = ("article_id", "content_hash", "url", "attribution_id")
"""Columns that identify an article or an extraction row: each copy gives them a suffix of its own."""


def _multiply_raw_layer(con, factor: int) -> dict:  # noqa: ANN001 - a DuckDB connection
    """Add ``factor - 1`` copies of the rows of ``SCALED_RAW_TABLES``, each published whole spans of the
    corpus's days later (copy k: k x span days) and with article ids of its own.  The texts stay the same, so
    a copy's claims land on the same propositions and speakers as the original's: a proposition repeated
    across the corpus gathers ``factor`` times the claims, as it would over ``factor`` times the days.  The
    record of dbt builds is emptied, so that the next run builds everything."""
    first, last = con.execute(
        "select min(cast(coalesce(published_at, first_loaded_at) as date)),"
        " max(cast(coalesce(published_at, first_loaded_at) as date)) from raw.articles").fetchone()
    span = (last - first).days + 1
    for table in SCALED_RAW_TABLES:
        schema, name = table.split(".")
        columns = con.execute(
            "select column_name, data_type from information_schema.columns"
            " where table_schema = ? and table_name = ? order by ordinal_position", [schema, name]).fetchall()

        def shifted(column: str, data_type: str) -> str:
            if column in SCALED_ID_COLUMNS:
                return f"{column} || '~' || cast(copies.k as varchar)"
            if column == "published_at":  # load and extraction times stay: the copies were loaded with the rest
                return f"{column} + to_days(cast(copies.k * {span} as integer))"
            return column

        select = ", ".join(shifted(column, data_type) for column, data_type in columns)
        con.execute(f"create temporary table scale_base as select * from {table}")  # noqa: S608 - constants
        con.execute(f"insert into {table} select {select} from scale_base,"  # noqa: S608 - constants
                    f" range(1, {int(factor)}) as copies(k)")
        con.execute("drop table scale_base")
    con.execute("delete from raw.dbt_builds")
    con.execute("checkpoint")
    return {"first_day": first.isoformat(), "span_days": span, "days": span * factor}


def bench_build_at_scale(base: Path, base_articles: int, target_articles: int, work: Path, seed: int,
                         repetitions: int, base_run: dict | None = None) -> dict:
    """The pipeline on a warehouse whose extraction tables hold at least ``target_articles`` articles.

    A copy of a built warehouse gets ``factor`` copies of its raw layer (``_multiply_raw_layer``).  Then two
    runs of ``claimhouse run``, each with 1% new articles: the first extracts them and, the record of builds
    being empty, builds every model and test in full at that size; the second is an incremental run.  The
    dashboard's queries then run on the published warehouse.  What is not measured is extracting the copied
    articles.  Their texts are the base's, so when ``base_run`` (the end-to-end run that built the base) is
    given, the projection adds its extraction time per article for each of them; otherwise the first run's
    1% batch's, whose few articles carry the worker pool's start-up."""
    import duckdb

    from pipelines.storage.snapshots import working_path_for

    # From the articles the base holds, rounded up: a corpus of 10,000 records loads fewer (duplicates,
    # malformed records), and the figures are for a warehouse of at least the size asked.
    base_loaded = _article_count(base)
    factor = max(2, math.ceil(target_articles / base_loaded))
    folder = work / f"scaled-{factor}x"
    folder.mkdir(parents=True, exist_ok=True)
    published = folder / "claimhouse.duckdb"
    working = working_path_for(published)
    say("build-at-scale", base_articles, f"copying {base} and multiplying its raw layer {factor}x")
    shutil.copyfile(base, working)  # the published snapshot: checkpointed, consistent
    con = duckdb.connect(str(working))
    try:
        con.execute(f"set memory_limit = '{duckdb_memory_limit()}'")  # as the pipeline's own connections
        scale_seconds, days = _timed(lambda: _multiply_raw_layer(con, factor))
        articles = con.execute("select count(*) from raw.articles").fetchone()[0]
    finally:
        con.close()
    n_new = max(1, articles // 100)
    say("build-at-scale", articles, f"multiplied in {scale_seconds:.1f}s; +{n_new} articles and a full build")
    runs = {}
    for offset, name in ((0, "full_build_run"), (1, "incremental_run")):
        corpus = folder / f"new-{offset}"
        generate(corpus, n_new, seed=seed, offset=articles + offset * n_new)
        seconds, summary, memory = _run("build-at-scale", corpus, published, articles)
        runs[name] = {"new_loaded": summary.ingest.get("new_articles"), **_run_figures(seconds, summary, memory)}
    full, incremental = runs["full_build_run"], runs["incremental_run"]
    failed = [name for name, run in runs.items() if not run["success"]]
    if failed:  # nothing published to count or query: the figures say which run failed, and the others stand
        return {"base_articles": base_articles, "factor": factor, "articles": articles, **days,
                "new_articles_per_run": n_new, "scale_seconds": round(scale_seconds, 2), **runs,
                "error": f"{' and '.join(failed)} failed (steps: "
                         f"{', '.join(sorted({s for name in failed for s in runs[name]['failed_steps']}))})"}
    batch_per_article = full["step_seconds"].get("raw_extractions", 0.0) / n_new
    base_per_article = _step_seconds_per_article(base_run, "raw_extractions", base_loaded)
    extraction_per_article = batch_per_article if base_per_article is None else base_per_article
    # Loading the copies was not run either (about 1% of the projection).
    loading_per_article = _step_seconds_per_article(base_run, "raw_articles", base_loaded)
    if loading_per_article is None:
        loading_per_article = full["step_seconds"].get("raw_articles", 0.0) / n_new
    projected = full["seconds"] + (extraction_per_article + loading_per_article) * articles
    con = duckdb.connect(str(published), read_only=True)
    try:
        counts = dict(zip(("articles", "claims", "contradictions"), con.execute(
            "select (select count(*) from raw.articles), (select count(*) from marts.fct_claims),"
            " (select count(*) from marts.fct_contradictions)").fetchone()))
    finally:
        con.close()
    result = {
        "base_articles": base_articles,
        "factor": factor,
        **counts,
        **days,
        "new_articles_per_run": n_new,
        "scale_seconds": round(scale_seconds, 2),
        **runs,
        "extraction_seconds_per_article": round(extraction_per_article, 4),
        "extraction_rate_from": "base_run" if base_per_article is not None else "new_batch",
        "new_batch_extraction_seconds_per_article": round(batch_per_article, 4),
        "loading_seconds_per_article": round(loading_per_article, 5),
        "projected_full_build_seconds": round(projected, 1),
        "incremental_fraction_of_projected_build": round(incremental["seconds"] / projected, 4),
        "warehouse_bytes": published.stat().st_size,
        "queries": bench_queries(published, repetitions),
    }
    say("build-at-scale", counts["articles"], f"{len(result['queries'])} queries x {repetitions}")
    return result


def _step_seconds_per_article(base_run: dict | None, step: str, loaded: int) -> float | None:
    """Seconds per article of ``step`` in the run that built the base warehouse (it loaded and extracted the
    ``loaded`` articles the warehouse holds), or None without that run or step."""
    seconds = (base_run or {}).get("step_seconds", {}).get(step)
    return seconds / loaded if seconds and loaded else None


SPARK_LOCAL_CORES = 2
SPARK_MASTER = f"local[{SPARK_LOCAL_CORES}]"
SPARK_BENCH_DAY = date(2026, 3, 4)
"""The day every sampled article is given: the Spark stage extracts one day, as a daily run does."""


class SparkSubmitFailed(RuntimeError):
    """The Spark job could not run or did not report: the stage records the reason instead of figures."""


def _write_articles_handoff(root: Path, texts: list[tuple[str, str]], day: date) -> int:
    """``texts`` as the pipeline's articles handoff (``<root>/articles/day=.../``), written by ``parquet_handoff``."""
    import duckdb
    import pyarrow as pa

    from pipelines.engines import parquet_handoff
    from pipelines.storage import articles as article_store

    n = len(texts)
    noon = datetime(day.year, day.month, day.day, 12)
    rows = pa.table({
        "article_id": [article_id for article_id, _ in texts],
        # Syndicated copies in the corpus share a text: a per-article hash keeps them all, as _sample_texts does.
        "content_hash": [f"bench-{article_id}" for article_id, _ in texts],
        "title": [""] * n,
        "text": [text for _, text in texts],
        "published_at": pa.array([noon] * n, pa.timestamp("us")),
        "origin_path": ["benchmark"] * n,
        "origin_locator": [str(i) for i in range(n)],
        "origin_format": ["jsonl"] * n,
        "n_chars": [len(text) for _, text in texts],
        "first_loaded_at": pa.array([noon] * n, pa.timestamp("us")),
        "run_id": ["benchmark"] * n,
    })
    con = duckdb.connect()  # in memory: it only feeds the export
    try:
        article_store.ensure_schema(con)
        con.register("bench_articles", rows)
        con.execute("insert into raw.articles by name select * from bench_articles")
        return sum(parquet_handoff.export_articles(con, str(root), [day]).values())
    finally:
        con.close()


def _spark_submit_extraction(root: Path, day: date) -> dict:
    """Run the pipeline's Spark extraction job over ``root``'s articles of ``day`` with the pipeline's
    ``spark-submit`` command line (standalone, not under Dagster Pipes): wall time and the job's report."""
    from pipelines.engines.spark_extract_job import RESULT_PREFIX
    from pipelines.engines.spark_runner import JOB_SCRIPT
    from pipelines.engines.spark_session import spark_env, spark_submit_command

    command = spark_submit_command(JOB_SCRIPT, ["--root", str(root), day.isoformat()], master=SPARK_MASTER)
    seconds, done = _timed(lambda: subprocess.run(command, env=spark_env(), capture_output=True, text=True,
                                                  check=False))
    if done.returncode != 0:
        tail = " | ".join(done.stderr.strip().splitlines()[-5:])
        raise SparkSubmitFailed(f"spark-submit exited with {done.returncode}: {tail}")
    reports = [line[len(RESULT_PREFIX):] for line in done.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if not reports:
        raise SparkSubmitFailed(f"the Spark job printed no {RESULT_PREFIX} line")
    return {"seconds": seconds, "job": json.loads(reports[-1]), "command": command}


def _extract_in_process(texts: list[tuple[str, str]], day: date) -> dict:
    """The batch function Spark maps, called in this process over the same Arrow batches Spark hands a worker."""
    import pyarrow as pa

    from pipelines.engines.spark_session import ARROW_BATCH_ROWS
    from pipelines.extraction import Extractor, arrow_batches

    articles = pa.table({
        "article_id": pa.array([article_id for article_id, _ in texts], pa.string()),
        "text": pa.array([text for _, text in texts], pa.string()),
        "day": pa.array([day] * len(texts), pa.date32()),
    })

    def load_and_warm_up() -> Extractor:  # the models load lazily; the first calls allocate
        extractor = arrow_batches.get_extractor()
        for _ in arrow_batches.extract_tagged(articles.slice(0, 3).to_batches()):
            pass
        return extractor

    warm_up_seconds, extractor = _timed(load_and_warm_up)

    def extract() -> Counter:
        rows: Counter = Counter()
        for batch in arrow_batches.extract_tagged(articles.to_batches(max_chunksize=ARROW_BATCH_ROWS)):
            rows.update(batch.column("table").to_pylist())
        return rows

    seconds, rows = _timed(extract)
    return {"seconds": seconds, "warm_up_seconds": warm_up_seconds, "extractor_version": extractor.version,
            "rows": {table: rows.get(table, 0) for table in arrow_batches.SCHEMAS}}


def _rates(articles: int, words: int, seconds: float) -> dict:
    return {"seconds": round(seconds, 2), "articles_per_s": round(articles / seconds, 3),
            "words_per_s": round(words / seconds)}


def _rounded(value: object, digits: int = 3) -> object:
    if isinstance(value, float):
        return round(value, digits)
    if isinstance(value, dict):
        return {key: _rounded(item, digits) for key, item in value.items()}
    return value


def bench_spark_extraction(corpus: Path, sample: int) -> dict:
    """Extraction throughput on Spark ``local[2]`` against in-process, on the same texts, through the same
    batch function; Spark's fixed start-up from a 1-article submit; and the sizing that follows."""
    from pipelines.benchmark.sizing import extraction_sizing, spark_overhead_factor
    from pipelines.engines.spark_session import ARROW_BATCH_ROWS, java_version, spark_unavailable_reason
    from pipelines.extraction.arrow_batches import DEFAULT_BATCH_SIZE

    if reason := spark_unavailable_reason():
        say("spark-extraction", None, f"skipped: {reason}")
        return {"skipped": reason}
    import pyspark

    texts = _sample_texts(corpus, sample)
    n, words = len(texts), sum(len(text.split()) for _, text in texts)
    work = Path(tempfile.mkdtemp(prefix="spark-extraction-", dir=corpus.parent))
    try:
        say("spark-extraction", n, f"{words:,} words; in-process extract_tagged")
        in_process = _extract_in_process(texts, SPARK_BENCH_DAY)
        say("spark-extraction", n, f"in-process {in_process['seconds']:.1f}s; writing the articles handoff")
        one_root, all_root = work / "one-article", work / "all-articles"
        _write_articles_handoff(one_root, texts[:1], SPARK_BENCH_DAY)
        exported = _write_articles_handoff(all_root, texts, SPARK_BENCH_DAY)
        if exported != n:
            raise SparkSubmitFailed(f"the handoff holds {exported} articles, not {n}")
        # Two 1-article submits: the first also reads Spark's jars from disk, the second is the start-up
        # every later submit pays.
        say("spark-extraction", 1, f"spark-submit --master {SPARK_MASTER} (cold)")
        cold = _spark_submit_extraction(one_root, SPARK_BENCH_DAY)
        say("spark-extraction", 1, f"cold {cold['seconds']:.1f}s; again (warm)")
        warm = _spark_submit_extraction(one_root, SPARK_BENCH_DAY)
        say("spark-extraction", n, f"warm {warm['seconds']:.1f}s; spark-submit over all")
        full = _spark_submit_extraction(all_root, SPARK_BENCH_DAY)
        say("spark-extraction", n, f"spark {full['seconds']:.1f}s")
    except SparkSubmitFailed as failure:
        say("spark-extraction", n, f"FAILED: {failure}")
        return {"error": str(failure), "articles": n, "words": words}
    finally:
        shutil.rmtree(work, ignore_errors=True)

    in_rates = _rates(n, words, in_process["seconds"])
    submit_rates = _rates(n, words, full["seconds"])
    job_rates = _rates(n, words, full["job"]["seconds"])
    # One article's own cost is in the 1-article submit too: take it out to get the fixed cost.
    per_article = (full["seconds"] - warm["seconds"]) / (n - 1) if n > 1 else 0.0
    fixed = warm["seconds"] - per_article if per_article > 0 else warm["seconds"]
    marginal_rates = _rates(n, words, full["seconds"] - fixed) if per_article > 0 else None
    per_core_rate = n / in_process["seconds"]
    overhead = spark_overhead_factor(per_core_rate, n / (full["seconds"] - (fixed if marginal_rates else 0.0)),
                                     SPARK_LOCAL_CORES)

    spark_rows = full["job"]["rows"]
    mismatches = [f"{table}: in-process {count:,}, Spark {spark_rows.get(table, 0):,}"
                  for table, count in in_process["rows"].items() if spark_rows.get(table) != count]
    if full["job"]["extractor_version"] != in_process["extractor_version"]:
        mismatches.append(f"extractor version: in-process {in_process['extractor_version']}, "
                          f"Spark {full['job']['extractor_version']}")
    result = {
        "master": SPARK_MASTER,
        "cores": SPARK_LOCAL_CORES,
        "pyspark": pyspark.__version__,
        "java": java_version(),
        "articles": n,
        "words": words,
        "words_per_article": round(words / n, 1),
        "arrow_batch_rows": ARROW_BATCH_ROWS,
        "batch_size": DEFAULT_BATCH_SIZE,
        "extractor_version": in_process["extractor_version"],
        "in_process": {**in_rates, "warm_up_seconds": round(in_process["warm_up_seconds"], 2),
                       "rows": in_process["rows"]},
        "spark": {**submit_rates, "rows": spark_rows},
        "spark_job": {**job_rates, "extract_seconds": full["job"]["extract_seconds"]},
        "spark_startup": {
            "cold_submit_seconds": round(cold["seconds"], 2),
            "warm_submit_seconds": round(warm["seconds"], 2),
            "jvm_and_session_seconds": round(warm["seconds"] - warm["job"]["seconds"], 2),
            "fixed_seconds": round(fixed, 2),
        },
        "spark_marginal": marginal_rates,
        "ratio_spark_over_in_process": round(submit_rates["articles_per_s"] / in_rates["articles_per_s"], 2),
        "ratio_spark_marginal_over_in_process": (
            round(marginal_rates["articles_per_s"] / in_rates["articles_per_s"], 2) if marginal_rates else None),
        "spark_overhead_factor": round(overhead, 3),
        "counts_equal": not mismatches,
        "sizing": _rounded(extraction_sizing(per_core_rate, overhead)),
        "submit_command": full["command"],
        "maxrss_after": _maxrss_mib(),
    }
    if mismatches:
        result["count_mismatch"] = "; ".join(mismatches)
        say("spark-extraction", n, f"COUNTS DIFFER: {result['count_mismatch']}")
    return result


# ------------------------------------------------------------------ machine


def _machine() -> dict:
    import duckdb
    import spacy

    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = None
    return {
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "cpu_affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "load_average_at_start": load,
        "duckdb": duckdb.__version__,
        "spacy": spacy.__version__,
    }


def _cpu_model() -> str | None:
    """The processor's name as Linux reports it: the host behind "2 cores" changes between days."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


# ------------------------------------------------------------------ main


def _provenance(argv: list[str], seed: int) -> dict:
    return {
        "measured_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": " ".join(["python -m pipelines.benchmark.run", *argv]),
        "seed": seed,
        "machine": _machine(),
    }


def _article_count(warehouse: Path) -> int:
    from pipelines.storage.readonly import connect_read_only

    con = connect_read_only(warehouse)
    try:
        return con.execute("select count(*) from raw.articles").fetchone()[0]
    finally:
        con.close()


def _sample_corpus(root: Path, sample: int, seed: int) -> Path:
    """A corpus just large enough for ``sample`` articles and the warm-ups' (a few records are malformed).
    The generator is prefix-stable, so these are the first articles of any larger corpus of the same seed."""
    corpus = root / "corpus-sample"
    size = sample + WARM_UP_ARTICLES + max(10, sample // 20)
    say("corpus", size, "generating for the extraction stages")
    generate(corpus, size, seed=seed)
    return corpus


def run(stages: list[str], sizes: list[int], seed: int, work_dir: Path | None, extract_sample: int,
        query_repetitions: int, keep: bool, argv: list[str], scale_to: int = 100_000,
        base_warehouse: Path | None = None) -> dict:
    """Measure ``stages``; return their figures, each stage with this run's provenance."""
    stages = [stage for stage in STAGES if stage in stages]
    sizes = sorted(set(sizes))
    if work_dir is not None:
        Path(work_dir).mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="claimhouse-bench-", dir=work_dir))
    sizes_note = f"; sizes {sizes}" if "end-to-end" in stages else ""
    say("start", None, f"stages {', '.join(stages)}{sizes_note}; work dir {root}")
    provenance = _provenance(argv, seed)
    result: dict = {"updated_at": provenance["measured_at"], "stages": {stage: provenance for stage in stages}}
    try:
        largest_corpus = largest_wh = None
        if "end-to-end" in stages:
            result["end_to_end"] = []
            for size in sizes:
                corpus = root / f"corpus-{size}"
                say("corpus", size, "generating")
                gen_s, manifest = _timed(lambda: generate(corpus, size, seed=seed))  # noqa: B023
                say("corpus", size, f"{manifest['words']:,} words in {gen_s:.1f}s")
                warehouse = root / f"warehouse-{size}" / "claimhouse.duckdb"
                row = bench_end_to_end(corpus, warehouse, size)
                row.update(words=manifest["words"], corpus_seconds=round(gen_s, 2), corpus_manifest={
                    k: manifest[k] for k in ("articles", "duplicates", "malformed")})
                result["end_to_end"].append(row)
                largest_corpus, largest_wh = corpus, warehouse
            runs = result["end_to_end"]
            first, last = runs[0], runs[-1]
            result["growth"] = {
                "smallest": first["articles"], "largest": last["articles"],
                "factor": round((last["seconds"] / first["seconds"]) / (last["articles"] / first["articles"]), 3),
            }
        if "queries" in stages:
            measured = base_warehouse if base_warehouse is not None else largest_wh
            result["queries"] = bench_queries(measured, query_repetitions)
            result["queries_articles"] = _article_count(measured)
            say("queries", result["queries_articles"], f"{len(result['queries'])} queries x {query_repetitions}")
        if "build-at-scale" in stages:
            if base_warehouse is not None:
                base, base_size, base_run = base_warehouse, _article_count(base_warehouse), None
            else:
                base, base_size, base_run = largest_wh, sizes[-1], result["end_to_end"][-1]
            # Before the incremental stage, which adds articles to the largest warehouse.
            result["build_at_scale"] = bench_build_at_scale(base, base_size, scale_to, root, seed, query_repetitions,
                                                            base_run)
        if "incremental" in stages:
            result["incremental"] = bench_incremental(
                root, largest_wh, sizes[-1], seed, result["end_to_end"][-1]["seconds"])
        extraction_corpus = largest_corpus
        if extraction_corpus is None and {"extraction", "spark-extraction"} & set(stages):
            extraction_corpus = _sample_corpus(root, extract_sample, seed)
        if "extraction" in stages:
            result["extraction"] = bench_extraction(extraction_corpus, extract_sample)
        if "end-to-end" in stages:
            # Taken before the Spark stage, which loads a second spaCy pipeline into this process.
            in_process_stages = [stage for stage in stages if stage != "spark-extraction"]
            result["memory"] = {**_maxrss_mib(), "after_stage": in_process_stages[-1]}
        if "spark-extraction" in stages:
            result["spark_extraction"] = bench_spark_extraction(extraction_corpus, extract_sample)
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
    return result


def write_outputs(result: dict, out_dir: Path, merge: bool) -> dict:
    """Write benchmark.json (merged into the stored one when ``merge``), .md and .png; return what was written."""
    json_path = out_dir / "benchmark.json"
    if merge and json_path.exists():
        result = merge_results(json.loads(json_path.read_text(encoding="utf-8")), result)
    else:
        result = ordered(normalized(result))
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    (out_dir / "benchmark.md").write_text(render_markdown(result), encoding="utf-8")
    drawn = render_png(result, out_dir / "benchmark.png")
    say("done", None, f"wrote {json_path}, benchmark.md{', benchmark.png' if drawn else ''}")
    return result


def _failures(result: dict) -> list[str]:
    failures = [f"end-to-end at {r['articles']:,} articles" for r in result.get("end_to_end", []) if not r["success"]]
    if not result.get("incremental", {}).get("success", True):
        failures.append("the incremental run")
    if "error" in (result.get("build_at_scale") or {}):
        failures.append(f"the pipeline at scale ({result['build_at_scale']['error']})")
    spark = result.get("spark_extraction") or {}
    if "error" in spark:
        failures.append(f"the Spark extraction ({spark['error']})")
    elif spark.get("counts_equal") is False:
        failures.append(f"Spark and in-process extraction disagree ({spark['count_mismatch']})")
    return failures


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="python -m pipelines.benchmark.run", description=__doc__.split("\n")[0])
    parser.add_argument("--stages", nargs="+", choices=STAGES, default=list(STAGES), metavar="STAGE",
                        help=f"stages to measure (default: all): {', '.join(STAGES)}; the others' figures are "
                             "kept from the stored benchmark.json")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), help="corpus sizes (articles)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out-dir", type=Path, default=REPO_DIR / "docs")
    parser.add_argument("--work-dir", type=Path, default=None, help="where temporary corpora and warehouses go")
    parser.add_argument("--extract-sample", type=int, default=300,
                        help="articles in the extraction comparisons (in-process and Spark)")
    parser.add_argument("--query-repetitions", type=int, default=20)
    parser.add_argument("--scale-to", type=int, default=100_000, metavar="ARTICLES",
                        help="build-at-scale: multiply the built warehouse's raw layer to at least this many articles")
    parser.add_argument("--base-warehouse", type=Path, default=None, metavar="PATH",
                        help="queries and build-at-scale: measure, or scale, this built warehouse (a published "
                             "claimhouse.duckdb, e.g. one kept with --keep) instead of the one the end-to-end "
                             "stage builds")
    parser.add_argument("--keep", action="store_true", help="keep the temporary corpora and warehouses")
    args = parser.parse_args(argv)
    if min(args.sizes) < 1 or args.extract_sample < 1:
        parser.error("--sizes and --extract-sample must be positive")
    needs = [stage for stage in NEEDS_END_TO_END
             if not (stage in ("queries", "build-at-scale") and args.base_warehouse)]
    if orphans := [stage for stage in needs if stage in args.stages and "end-to-end" not in args.stages]:
        parser.error(f"{', '.join(orphans)} measure the warehouse the end-to-end stage builds: add end-to-end")
    if args.base_warehouse is not None and not args.base_warehouse.exists():
        parser.error(f"--base-warehouse: no warehouse at {args.base_warehouse}")
    result = run(args.stages, args.sizes, args.seed, args.work_dir, args.extract_sample,
                 args.query_repetitions, args.keep, argv, args.scale_to, args.base_warehouse)
    written = write_outputs(result, args.out_dir, merge=set(args.stages) != set(STAGES))
    print(render_markdown(written))
    if failures := _failures(result):
        print("benchmark failures: " + "; ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
