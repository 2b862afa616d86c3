"""``docs/benchmark.md`` and ``docs/benchmark.png`` from a benchmark result.

Every section is optional: a result merged from partial runs (``--stages``) may
lack any stage, and the renderers leave out what is not there.  Each section
says when, with which command and under what load its figures were measured.
"""

from __future__ import annotations

import math
from pathlib import Path

_UNKNOWN = "?"


def _cores(n: int) -> str:
    return f"{n:,} core" + ("" if n == 1 else "s")


def _hms(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _num(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) else _UNKNOWN


def _provenance(result: dict, stage: str) -> list[str]:
    """One italic line: when, seed, load and command of ``stage``'s figures."""
    measured = result.get("stages", {}).get(stage)
    if not measured:
        return []
    load = (measured.get("machine") or {}).get("load_average_at_start")
    return [
        f"_Measured {measured.get('measured_at', _UNKNOWN)}, corpus seed {measured.get('seed', _UNKNOWN)}, "
        f"load average at start {load}: `{measured.get('command', _UNKNOWN)}`._",
        "",
    ]


def _header(result: dict) -> list[str]:
    lines = ["# Claimhouse benchmark", ""]
    machines = [p["machine"] for p in result.get("stages", {}).values() if p.get("machine")]
    if machines:
        m = machines[0]
        lines += [
            f"Machine: {m['platform']}, {m.get('cpu') or 'CPU unrecorded'}, Python {m['python']}, "
            f"{m['cpu_count']} CPUs ({m['cpu_affinity']} usable); "
            f"DuckDB {m['duckdb']}, spaCy {m['spacy']}. Corpora: `pipelines.benchmark.corpus`. Sections may come "
            "from different runs (`--stages`): each says when and with which command it was measured. "
            "Other load on the CPU shows up directly in the figures.",
            "",
        ]
    return lines


def _end_to_end(result: dict) -> list[str]:
    runs = result.get("end_to_end")
    if not runs:
        return []
    lines = [
        "## End to end (`run_pipeline` into a fresh warehouse: ingest, extract, dbt build, checks, publish)",
        "",
        *_provenance(result, "end-to-end"),
        "| articles | words | seconds | articles/s | claims | contradictions | checks | warehouse MiB (published + working) | MiB per 1,000 articles |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        total = r["published_bytes"] + r["working_bytes"]
        lines.append(
            f"| {r['articles']:,} | {_num(r.get('words'))} | {r['seconds']:.1f} | {r['articles_per_s']:.1f}"
            f"{'' if r['success'] else ' (FAILED: ' + ', '.join(r['failed_steps']) + ')'} | "
            f"{_num(r['totals'].get('claims'))} | {_num(r['totals'].get('contradictions'))} | "
            f"{r['checks_passed']}/{r['checks_total']} | {total / 2**20:.1f} | "
            f"{total / 2**20 / r['articles'] * 1000:.2f} |"
        )
    lines.append("")
    if growth := result.get("growth"):
        lines += [
            f"Cost growth: time at {growth['largest']:,} articles / time at {growth['smallest']:,}, divided by the "
            f"size ratio = **{growth['factor']}** (1.0 = linear; below 1 the fixed start-up cost of Dagster, dbt and "
            "the models still weighs in).",
            "",
        ]
    largest = runs[-1]
    if steps := largest.get("step_seconds"):
        total = sum(steps.values())
        lines += [
            f"Where the {largest['articles']:,}-article run spends its time (Dagster step wall time; "
            f"{total:.0f} s of the run's {largest['seconds']:.0f} s are in steps):",
            "",
            "| step | seconds | share of the run |",
            "|---|---:|---:|",
            *(f"| `{step}` | {sec:.1f} | {sec / largest['seconds']:.0%} |" for step, sec in list(steps.items())[:6]),
            "",
        ]
    return lines


def _incremental(result: dict) -> list[str]:
    inc = result.get("incremental")
    if not inc:
        return []
    return [
        "## Incremental run",
        "",
        *_provenance(result, "incremental"),
        f"After the {inc['base_articles']:,}-article build, {inc['new_articles']:,} new articles (1%) in a new "
        f"file took {inc['seconds']:.1f} s: **{inc['fraction_of_full_build']:.1%} of the full build** "
        f"({'ok' if inc['success'] else 'FAILED'}).",
        "",
    ]


def _extraction(result: dict) -> list[str]:
    ext = result.get("extraction")
    if not ext:
        return []
    pool_row, pool_ratio = [], ""
    if "pool_seconds" in ext:  # measured since the pipeline extracts on a worker pool
        pool_row = [f"| Claimhouse `ExtractorPool`, {ext['pool_workers']} worker processes (as `claimhouse run`) | "
                    f"{ext['pool_seconds']:.1f} | {ext['pool_words_per_s']:,} |"]
        pool_ratio = (f", **{ext['ratio_pool_over_baseline']}x** on {ext['pool_workers']} worker processes "
                      "(the baseline runs in one)")
    numpy_row, numpy_ratio = [], ""
    if "baseline_numpy_seconds" in ext:  # measured since the extractor loads spaCy on numpy's matrix products
        numpy_row = [f"| the same spaCy pipeline on numpy's matrix multiplication, as our extractor loads it | "
                     f"{ext['baseline_numpy_seconds']:.1f} | {ext['baseline_numpy_words_per_s']:,} |"]
        numpy_ratio = (f"Against the baseline on the same matrix backend: {ext['ratio_ours_over_baseline_numpy']}x "
                       "in one process (the rest of the ratio is the backend's). ")
    return [
        f"## Extraction alone ({ext['articles']} articles, {ext['words']:,} words, same texts, same process)",
        "",
        *_provenance(result, "extraction"),
        "| extractor | seconds | words/s |",
        "|---|---:|---:|",
        f"| Claimhouse `Extractor.extract` (batches of {ext['batch_size']}) | {ext['ours_seconds']:.1f} | "
        f"{ext['ours_words_per_s']:,} |",
        *pool_row,
        f"| {ext['baseline']} | {ext['baseline_seconds']:.1f} | {ext['baseline_words_per_s']:,} |",
        *numpy_row,
        "",
        f"Ours / baseline: **{ext['ratio_ours_over_baseline']}x** (words/s) in one process{pool_ratio}. "
        f"{numpy_ratio}"
        f"Share of the distinct sentences parsed that are candidates for the deep parse: "
        f"{ext['candidate_sentence_share']:.0%}.{_cache_hits(ext)}",
        "",
        *_extraction_streams(ext),
    ]


def _cache_hits(ext: dict) -> str:
    if "entity_cache_hits" not in ext:  # measured since the extractor remembers entities across batches
        return ""
    return (f" The warm-ups ran on other articles; {ext['entity_cache_hits']:,} sentences of the one-process run "
            "took their entities from what the extractor recognized in them (the entity cache).")


def _extraction_streams(ext: dict) -> list[str]:
    """Where the one-process time goes, when the stage timed the extractor's spaCy streams apart."""
    streams = ext.get("streams")
    if not streams:
        return []
    total = ext["ours_seconds"]
    rest = total - sum(stream["seconds"] for stream in streams)
    return [
        f"Where `Extractor.extract`'s {total:.1f} s go: each spaCy stream timed again on its own, over the same "
        "sentences (each distinct text once, as `extract` parses them); the rest (sentence splitting, quotes, "
        "our rules) is what remains of the total, so it carries the noise of two measurements.",
        "",
        "| stream | sentences | tokens | seconds | share | µs a token |",
        "|---|---:|---:|---:|---:|---:|",
        *(f"| {s['stream']} | {s['sentences']:,} | {s['tokens']:,} | {s['seconds']:.2f} | {s['seconds'] / total:.0%} | "
          f"{s['seconds'] / s['tokens'] * 1e6 if s['tokens'] else 0:.1f} |" for s in streams),
        f"| the rest | | | {rest:.2f} | {rest / total:.0%} | |",
        "",
    ]


def _spark_extraction(result: dict) -> list[str]:
    spark = result.get("spark_extraction")
    if not spark:
        return []
    lines = ["## Extraction on Spark local[2] vs in-process", "", *_provenance(result, "spark-extraction")]
    if "skipped" in spark:
        return [*lines, f"Skipped: {spark['skipped']}.", ""]
    if "error" in spark:
        return [*lines, f"**Failed**: {spark['error']}", ""]
    inp, sub, job, startup, marginal = (
        spark["in_process"], spark["spark"], spark["spark_job"], spark["spark_startup"], spark.get("spark_marginal"))
    n, words = spark["articles"], spark["words"]
    stages = result.get("stages", {})
    seed = stages.get("spark-extraction", {}).get("seed")
    same_corpus = (" (the extraction comparison above starts with the same texts)"
                   if "extraction" in result and seed is not None and stages.get("extraction", {}).get("seed") == seed
                   else "")
    lines += [
        f"{n:,} articles ({words:,} words, about {spark['words_per_article']:,.0f} words an article): the first "
        f"{n:,} of the benchmark corpus{same_corpus}. Both paths run the same "
        f"batch function, `arrow_batches.extract_tagged`, over Arrow batches of {spark['arrow_batch_rows']} "
        f"articles (extractor batches of {spark['batch_size']}); Spark runs the pipeline's job "
        f"(`spark-submit --master {spark['master']} pipelines/engines/spark_extract_job.py --root ROOT DAY` with "
        f"Claimhouse's settings from `spark_session.spark_submit_command`) over the articles written as the "
        f"handoff's `articles/day=.../` Parquet. Spark {spark['pyspark']}, {spark['java']}.",
        "",
        "| path | articles | words | seconds | articles/s | words/s | attributions |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| in-process, 1 process (models loaded and warmed up beforehand, {inp['warm_up_seconds']:.1f} s) | "
        f"{n:,} | {words:,} | "
        f"{inp['seconds']:.1f} | {inp['articles_per_s']:.2f} | {inp['words_per_s']:,} | "
        f"{inp['rows']['attributions']:,} |",
        f"| Spark `{spark['master']}`, whole `spark-submit` (JVM, session, spaCy load in each worker, read, "
        f"extract, write) | {n:,} | {words:,} | {sub['seconds']:.1f} | {sub['articles_per_s']:.2f} | "
        f"{sub['words_per_s']:,} | {sub['rows']['attributions']:,} |",
        f"| Spark `{spark['master']}`, inside the job (session up; spaCy load in each worker, read, extract, "
        f"write) | {n:,} | {words:,} | {job['seconds']:.1f} | {job['articles_per_s']:.2f} | "
        f"{job['words_per_s']:,} | {sub['rows']['attributions']:,} |",
    ]
    if marginal:
        lines.append(
            f"| Spark `{spark['master']}`, fixed start-up subtracted | {n:,} | {words:,} | "
            f"{marginal['seconds']:.1f} | {marginal['articles_per_s']:.2f} | {marginal['words_per_s']:,} | "
            f"{sub['rows']['attributions']:,} |"
        )
    ratio_marginal = (
        f", **{spark['ratio_spark_marginal_over_in_process']}x** with the fixed start-up subtracted"
        if marginal else "")
    lines += [
        "",
        f"Spark / in-process (articles/s): **{spark['ratio_spark_over_in_process']}x** for the whole submit"
        f"{ratio_marginal}, on {spark['cores']} cores against 1. Spark overhead factor (core-time per article on "
        f"Spark over in-process): **{spark['spark_overhead_factor']:.2f}**. Fixed start-up of one submit: "
        f"**{startup['fixed_seconds']:.1f} s** (a 1-article submit took {startup['cold_submit_seconds']:.1f} s the "
        f"first time and {startup['warm_submit_seconds']:.1f} s the second, {startup['jvm_and_session_seconds']:.1f} s "
        f"of it before the job's first step: JVM and Spark session; the rest the job's own steps for one article: "
        f"reading, a Python worker starting and loading spaCy, the staged write and the three table writes).",
        "",
    ]
    if spark["counts_equal"]:
        lines += [f"Attributions: equal on both paths ({inp['rows']['attributions']:,}); sentences and mentions "
                  "equal too.", ""]
    else:
        lines += [f"**Counts differ between the paths**: {spark['count_mismatch']}.", ""]
    if sizing := spark.get("sizing"):
        machine = result.get("stages", {}).get("spark-extraction", {}).get("machine") or {}
        lines += _sizing_note(spark, sizing, startup["fixed_seconds"], machine)
    return lines


def _load_caveat(spark: dict, machine: dict) -> str:
    """A sentence when fewer cores were free than Spark's workers needed, which inflates its overhead factor."""
    load, cpus = machine.get("load_average_at_start"), machine.get("cpu_count")
    if not load or not cpus or load[0] <= cpus - spark["cores"]:
        return ""
    return (f" The load average was {load[0]} on {cpus} CPUs when this stage started: Spark's {spark['cores']} "
            "workers then share their cores with other work while the in-process run needs only one, so the "
            "overhead factor measured here likely overstates Spark's cost.")


def _sizing_note(spark: dict, s: dict, fixed_seconds: float, machine: dict) -> list[str]:
    floored = (f" (measured {s['overhead_factor_measured']:.2f}, below 1 on this shared machine, taken as 1)"
               if s["overhead_factor_used"] != s["overhead_factor_measured"] else "")
    days = ", ".join(f"{float(d):,.1f} days on {int(cores):,} cores" for cores, d in s["backfill_days_on_cores"].items())
    return [
        f"### Sizing: GDELT scale (about {s['articles_per_day']:,} articles a day)",
        "",
        "Computed from the figures above, not measured on a cluster. Assumptions: per-core throughput is the "
        f"in-process rate measured in 1 process ({s['per_core_articles_per_s']:.2f} articles/s at about "
        f"{spark['words_per_article']:,.0f} words an article; longer articles cost proportionally more); Spark's "
        f"overhead factor is the one measured here, {s['overhead_factor_used']:.2f}{floored}; throughput scales "
        f"linearly across cores and executors; the fixed start-up ({fixed_seconds:.0f} s a submit) is left out; "
        "extraction only (ingestion and the dbt build are not in it)." + _load_caveat(spark, machine),
        "",
        f"- One day ({s['articles_per_day']:,} articles): **{s['core_hours_per_day']:,.1f} core-hours** "
        f"({s['core_seconds_per_article']:.2f} core-seconds an article). Keeping up within 24 hours takes "
        f"**{_cores(s['cores_for_day_in_24h'])}**; within 1 hour, **{_cores(s['cores_for_day_in_1h'])}**.",
        f"- A {s['backfill_days'] // 365}-year backfill ({s['backfill_days'] // 365} × 365 days × "
        f"{s['articles_per_day']:,} = {s['backfill_articles']:,} articles): "
        f"**{s['backfill_core_hours']:,.0f} core-hours**: {days}.",
        "",
    ]


def _memory(result: dict) -> list[str]:
    runs, memory = result.get("end_to_end"), result.get("memory")
    if not runs or not memory:
        return []
    inc = result.get("incremental") or {}
    after = memory.get("after_stage", "extraction")
    return [
        "## Memory",
        "",
        f"Peak resident memory (ru_maxrss) of the benchmark process: {memory['self_mib']:,} MiB after its "
        f"stages (the last: {after}); of its largest child process, which for the runs is the run's own process "
        f"or dbt's: {memory['children_mib']:,} MiB (a forked child counts the pages it inherits).",
        "",
        *_memory_sampled([(f"{r['articles']:,} articles", r.get("memory_sampled")) for r in runs]
                         + [("1% more articles", inc.get("memory_sampled"))]),
        *_memory_verdict(runs[-1]),
    ]


def _memory_sampled(runs: list[tuple[str, dict | None]]) -> list[str]:
    """The runs' peaks as sampled by ``pipelines.benchmark.memory``, when they were."""
    sampled = [(label, peaks) for label, peaks in runs if peaks]
    if not sampled:
        return []
    return [
        "Sampled every half second during each run (`pipelines.benchmark.memory`): the whole process tree's "
        "proportional set size (the run, its extraction workers and dbt; a page two processes share counts once) "
        "and the largest single process's resident size, each at its peak, with the step then running:",
        "",
        "| run | process tree PSS, peak MiB | during | processes | largest process RSS, peak MiB | during |",
        "|---|---:|---|---:|---:|---|",
        *(f"| {label} | {p['tree_pss_peak_mib']:,.0f} | `{p['tree_pss_peak_step']}` | {p['tree_processes_at_peak']} | "
          f"{p['process_rss_peak_mib']:,.0f} | `{p['process_rss_peak_step']}` |" for label, p in sampled),
        "",
    ]


def _peak_memory_cell(run: dict) -> str:
    """A run's peak: sampled (process tree / largest process) since the runs have their own process; before,
    the benchmark process's ru_maxrss, which was the run's, and its largest child's."""
    if sampled := run.get("memory_sampled"):
        return f"{sampled['tree_pss_peak_mib']:,.0f} tree / {sampled['process_rss_peak_mib']:,.0f} largest process"
    rss = run["maxrss_after"]
    return f"{rss['self_mib']:,.0f} run / {rss['children_mib']:,.0f} largest child"


_MEMORY_TARGET_MIB = 3 * 1024


def _memory_verdict(largest: dict) -> list[str]:
    """The target (under 3 GiB at 100,000 articles) against the largest run's process tree, when sampled."""
    peaks = largest.get("memory_sampled")
    if not peaks:
        return []
    label, tree = f"{largest['articles']:,}-article", peaks["tree_pss_peak_mib"]
    verdict = "met" if tree < _MEMORY_TARGET_MIB else "**missed**"
    return [f"Target: the run under 3 GiB ({_MEMORY_TARGET_MIB:,} MiB) at 100,000 articles. The {label} run's process "
            f"tree peaked at {tree:,.0f} MiB: {verdict}.", ""]


QUERY_TARGET_MS = 100


def _queries(result: dict) -> list[str]:
    queries = result.get("queries")
    if not queries:
        return []
    size = _queries_articles(result)
    lines = [
        f"## Dashboard queries (read-only connection, {_UNKNOWN if size is None else f'{size:,}'}-article warehouse)",
        "",
        *_provenance(result, "queries"),
        "| query | p50 ms | p95 ms |",
        "|---|---:|---:|",
    ]
    lines += [f"| {q['query']} | {q['p50_ms']:.1f} | {q['p95_ms']:.1f} |" for q in queries]
    over = [q for q in queries if q["p95_ms"] >= QUERY_TARGET_MS]
    lines += ["", f"Target: p95 under {QUERY_TARGET_MS} ms at 100,000 articles. {len(queries) - len(over)} of "
              f"{len(queries)} queries under it" + ("." if not over else "; over it: " + ", ".join(
                  f"`{q['query']}` {q['p95_ms']:.1f} ms" for q in over) + ".")]
    return [*lines, ""]


def _queries_articles(result: dict) -> int | None:
    """The size of the warehouse the queries stage measured (stored since it may be a --base-warehouse; before
    that, the largest end-to-end run's)."""
    runs = result.get("end_to_end") or []
    return result.get("queries_articles") or (runs[-1]["articles"] if runs else None)


def _build_at_scale(result: dict) -> list[str]:
    scaled = result.get("build_at_scale")
    if not scaled:
        return []
    full, incremental = scaled["full_build_run"], scaled["incremental_run"]
    dbt_step = "claimhouse_dbt_assets"
    built = {q["query"]: q for q in result.get("queries") or []}
    runs = result.get("end_to_end") or []
    built_size = _queries_articles(result)
    compare = bool(built) and built_size == scaled["base_articles"]
    lines = [
        f"## The pipeline at {scaled['articles']:,} articles (raw layer multiplied; extraction projected)",
        "",
        *_provenance(result, "build-at-scale"),
        f"A copy of the {scaled['base_articles']:,}-article warehouse whose extraction tables (articles, "
        f"sentences, mentions, attributions) hold {scaled['factor']} copies of its own: copy k is shifted "
        f"k × {scaled['span_days']} days and has article ids of its own, and its texts are the same, so a "
        f"proposition the corpus repeats gathers {scaled['factor']} times the claims. Two runs of "
        "`claimhouse run` follow, "
        f"each with {scaled['new_articles_per_run']:,} new articles (1%):",
        "",
        "| run | seconds | dbt step s | extraction s | checks | peak memory MiB |",
        "|---|---:|---:|---:|---|---|",
    ]
    for label, run in (("extract 1% + **full dbt build**", full), ("extract 1% + incremental build", incremental)):
        steps = run["step_seconds"]
        lines.append(
            f"| {label} | {run['seconds']:.1f} | {steps.get(dbt_step, 0):.1f} | "
            f"{steps.get('raw_extractions', 0):.1f} | {run['checks_passed']}/{run['checks_total']} "
            f"({'ok' if run['success'] else 'FAILED'}) | {_peak_memory_cell(run)} |")
    if "error" in scaled:
        return [*lines, "", f"**Failed**: {scaled['error']}; no projection or query figures.", ""]
    lines += [
        "",
        f"The warehouse then holds {scaled['articles']:,} articles, {scaled['claims']:,} claims and "
        f"{scaled['contradictions']:,} contradictions over {scaled['days']:,} days "
        f"({scaled['warehouse_bytes'] / 1e6:,.0f} MB). Loading and extracting the copies was not run: at "
        f"{_extraction_rate_note(scaled)}{_loading_note(scaled)} it would add "
        f"{_per_article_seconds(scaled) * scaled['articles']:,.0f} s, for a **projected full "
        f"build of {scaled['projected_full_build_seconds']:,.0f} s** "
        f"({scaled['articles'] / scaled['projected_full_build_seconds']:.1f} articles/s); the incremental run "
        f"is **{scaled['incremental_fraction_of_projected_build']:.1%} of it** (target: under 5%).",
        "",
        *_growth_at_scale(scaled, runs if _same_benchmark_run(result, "build-at-scale", "end-to-end") else []),
        "Dashboard queries on it:",
        "",
        "| query | p50 ms | p95 ms |" + (f" p95 ms at {built_size:,} |" if compare else ""),
        "|---|---:|---:|" + ("---:|" if compare else ""),
    ]
    for q in scaled["queries"]:
        row = f"| {q['query']} | {q['p50_ms']:.1f} | {q['p95_ms']:.1f} |"
        if compare:
            row += f" {built[q['query']]['p95_ms']:.1f} |" if q["query"] in built else " – |"
        lines.append(row)
    worst = max(scaled["queries"], key=lambda q: q["p95_ms"])
    lines += ["", f"Slowest p95: `{worst['query']}`, {worst['p95_ms']:.1f} ms (target: under 100 ms at 100,000 "
              "articles).", ""]
    return lines


def _extraction_rate_note(scaled: dict) -> str:
    """Which measured extraction cost the projection multiplies, and the other one when there are two."""
    used = f"{scaled['extraction_seconds_per_article'] * 1000:.1f} ms an article"
    if scaled.get("extraction_rate_from") != "base_run":
        return f"the first run's {used} (its 1% batch, worker start-up included)"
    return (f"{used}, the extraction rate of the {scaled['base_articles']:,}-article run that built the base, whose "
            f"texts the copies repeat (the first run's 1% batch, worker start-up included: "
            f"{scaled['new_batch_extraction_seconds_per_article'] * 1000:.1f} ms)")


def _per_article_seconds(scaled: dict) -> float:
    return scaled["extraction_seconds_per_article"] + scaled.get("loading_seconds_per_article", 0.0)


def _loading_note(scaled: dict) -> str:
    loading = scaled.get("loading_seconds_per_article")
    return f", plus {loading * 1000:.2f} ms an article to load them," if loading else ""


def _same_benchmark_run(result: dict, *stages: str) -> bool:
    """Whether these stages' figures come from one benchmark run (the file keeps each stage's latest)."""
    moments = {result.get("stages", {}).get(stage, {}).get("measured_at") for stage in stages}
    return len(moments) == 1 and None not in moments


def _growth_at_scale(scaled: dict, runs: list[dict]) -> list[str]:
    """The projected build at scale over the measured end-to-end run of its base size, when there is one
    (``runs``: the end-to-end runs of the same benchmark run; a ratio of two runs' seconds would mix hosts'
    moods, and the projection multiplies the extraction rate of the run it was measured with)."""
    # The base warehouse may hold a few more articles than its run's size (the incremental stage adds 1%).
    base = min(runs, key=lambda r: abs(r["articles"] - scaled["base_articles"]), default=None)
    if base is None or abs(base["articles"] - scaled["base_articles"]) > 0.05 * base["articles"]:
        return []
    ratio = scaled["projected_full_build_seconds"] / base["seconds"]
    return [f"Cost growth: the projected build of {scaled['articles']:,} articles over the measured "
            f"{base['articles']:,}-article run = **{ratio:.1f}** for {scaled['articles'] / base['articles']:.1f} "
            "times the articles (target: at most 11 from 10,000 to 100,000).", ""]


def _projection(runs: list[dict]) -> str:
    """How long 10k and 100k articles take, from the measured fixed and per-article cost."""
    last = runs[-1]
    if len(runs) > 1 and last["articles"] > runs[0]["articles"]:
        first = runs[0]
        per_article = (last["seconds"] - first["seconds"]) / (last["articles"] - first["articles"])
    else:
        per_article = 0.0
    if per_article <= 0:  # sizes too small or too noisy to separate the fixed cost: assume no fixed cost
        per_article = last["seconds"] / last["articles"]
    fixed = max(0.0, last["seconds"] - per_article * last["articles"])
    estimate = {n: fixed + per_article * n for n in (10_000, 100_000)}
    return (
        f"From the sizes measured here (about {fixed:.0f} s fixed cost plus {per_article:.2f} s per article, "
        f"assuming linear growth beyond them) the end-to-end runs take about {_hms(estimate[10_000])} for 10,000 "
        f"and {_hms(estimate[100_000])} for 100,000 articles, plus the incremental run (1% more articles on top "
        "of a fixed cost of about a minute), corpus generation and the extraction sample."
    )


def _larger_runs(result: dict) -> list[str]:
    runs = result.get("end_to_end")
    if not runs:
        return []
    return [
        "## Larger runs",
        "",
        "`make bench` measures `BENCH_SIZES` (default `1000 5000`). For larger sizes run",
        "`make bench BENCH_SIZES=\"10000 100000\"`. " + _projection(runs),
        "",
    ]


SECTIONS = (_header, _end_to_end, _incremental, _extraction, _spark_extraction, _memory, _queries, _build_at_scale,
            _larger_runs)


def render_markdown(result: dict) -> str:
    return "\n".join(line for section in SECTIONS for line in section(result))


# ------------------------------------------------------------------ figure

_BLUE = (31, 119, 180)
_ORANGE = (255, 127, 14)
_WIDTH = 800
_THROUGHPUT_HEIGHT = 480
_EXTRACTION_HEIGHT = 230


def render_png(result: dict, path: Path) -> bool:
    """Draw what the result has: end-to-end throughput against corpus size, and extraction throughput
    in-process against Spark.  Returns False (writing nothing) when it has neither."""
    from PIL import Image, ImageDraw, ImageFont

    runs = result.get("end_to_end")
    spark = result.get("spark_extraction") or {}
    has_spark = "in_process" in spark
    if not runs and not has_spark:
        return False
    height = (_THROUGHPUT_HEIGHT if runs else 0) + (_EXTRACTION_HEIGHT if has_spark else 0)
    image = Image.new("RGB", (_WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.load_default(size=14)
    except TypeError:  # Pillow < 10.1 has only the bitmap font
        font = ImageFont.load_default()
    top = 0
    if runs:
        measured = result.get("stages", {}).get("end-to-end", {}).get("measured_at", "")
        _draw_throughput(draw, font, runs, top, measured)
        top += _THROUGHPUT_HEIGHT
    if has_spark:
        measured = result.get("stages", {}).get("spark-extraction", {}).get("measured_at", "")
        _draw_extraction(draw, font, spark, top, measured)
    image.save(path)
    return True


def _draw_throughput(draw, font, runs: list[dict], top_y: int, measured_at: str) -> None:  # noqa: ANN001 - Pillow
    """Throughput (articles/s) against corpus size, log-scaled x axis."""
    width, height, left, right, top, bottom = _WIDTH, _THROUGHPUT_HEIGHT, 80, 30, 50, 70
    xs = [r["articles"] for r in runs]
    ys = [r["articles_per_s"] for r in runs]
    lo, hi = math.log10(min(xs)), math.log10(max(xs))
    if hi - lo < 1e-9:
        lo, hi = lo - 0.5, hi + 0.5
    lo, hi = lo - 0.1 * (hi - lo), hi + 0.1 * (hi - lo)
    y_max = _round_axis_max(max(ys))

    def px(x: float, y: float) -> tuple[float, float]:
        return (left + (math.log10(x) - lo) / (hi - lo) * (width - left - right),
                top_y + height - bottom - y / y_max * (height - top - bottom))

    draw.rectangle([left, top_y + top, width - right, top_y + height - bottom], outline="black")
    for i in range(6):
        y = y_max * i / 5
        _, yp = px(10**lo, y)
        draw.line([left, yp, width - right, yp], fill=(225, 225, 225))
        draw.text((left - 8, yp), f"{y:.3g}", fill="black", font=font, anchor="rm")
    for x in xs:  # a tick at each measured size
        xp, _ = px(x, 0)
        draw.line([xp, top_y + top, xp, top_y + height - bottom], fill=(235, 235, 235))
        draw.text((xp, top_y + height - bottom + 8), f"{x:,}", fill="black", font=font, anchor="mt")
    points = [px(x, y) for x, y in zip(xs, ys)]
    if len(points) > 1:
        draw.line(points, fill=_BLUE, width=3)
    for (xp, yp), y in zip(points, ys):
        draw.ellipse([xp - 5, yp - 5, xp + 5, yp + 5], fill=_BLUE)
        draw.text((xp + 8, yp - 8), f"{y:.3g}/s", fill="black", font=font, anchor="lb")
    draw.text((width / 2, top_y + 20), "Claimhouse end-to-end throughput against corpus size", fill="black",
              font=font, anchor="mm")
    draw.text((width / 2, top_y + height - 25), "corpus size (articles, log scale)", fill="black", font=font,
              anchor="mm")
    draw.text((12, top_y + top - 20), "articles/s", fill="black", font=font)
    draw.text((width - right, top_y + height - 10), measured_at, fill=(120, 120, 120), font=font, anchor="rb")


def _draw_extraction(draw, font, spark: dict, top_y: int, measured_at: str) -> None:  # noqa: ANN001 - Pillow
    """Horizontal bars: extraction articles/s in-process (1 process) and on Spark local[2]."""
    spark_label = f"Spark {spark['master']} ({spark['cores']} cores)"
    bars = [("in-process, 1 process", spark["in_process"]["articles_per_s"], _BLUE),
            (f"{spark_label}, whole submit", spark["spark"]["articles_per_s"], _ORANGE)]
    if marginal := spark.get("spark_marginal"):
        bars.append((f"{spark_label}, start-up subtracted", marginal["articles_per_s"], _ORANGE))
    width, left, right, top, bar_height, gap = _WIDTH, 330, 90, 45, 30, 14
    x_max = _round_axis_max(max(value for _, value, _ in bars))
    draw.text((width / 2, top_y + 20), f"Extraction throughput on the same {spark['articles']:,} articles "
              "(articles/s)", fill="black", font=font, anchor="mm")
    for i, (label, value, colour) in enumerate(bars):
        y = top_y + top + i * (bar_height + gap)
        end = left + value / x_max * (width - left - right)
        draw.rectangle([left, y, end, y + bar_height], fill=colour)
        draw.text((left - 8, y + bar_height / 2), label, fill="black", font=font, anchor="rm")
        draw.text((end + 6, y + bar_height / 2), f"{value:.2f}/s", fill="black", font=font, anchor="lm")
    draw.text((width - 30, top_y + _EXTRACTION_HEIGHT - 10), measured_at, fill=(120, 120, 120), font=font,
              anchor="rb")


def _round_axis_max(value: float) -> float:
    """A round axis end above ``value``, so that five gridlines fall on round numbers."""
    raw_max = value * 1.15 or 1.0
    step = 10 ** math.floor(math.log10(raw_max / 5))
    step = next(m * step for m in (1, 2, 2.5, 5, 10) if m * step * 5 >= raw_max)
    return step * 5
