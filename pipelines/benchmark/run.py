"""The benchmark: end-to-end throughput, extraction speed against spaCy, incremental cost,
memory, warehouse size, dashboard query latency and how cost grows with corpus size.

    python -m pipelines.benchmark.run --sizes 1000 5000        # make bench
    make bench BENCH_SIZES="10000 100000"

Everything is measured in one process on one machine, over corpora from
``pipelines.benchmark.corpus`` (fixed seed), each run into a fresh temporary
warehouse.  Writes ``docs/benchmark.json``, ``docs/benchmark.md`` and
``docs/benchmark.png`` (drawn with Pillow, no plotting dependency).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path

from pipelines.benchmark.corpus import generate
from pipelines.settings import REPO_DIR

DEFAULT_SIZES = (1000, 5000)
EXTRACT_BATCH = 500
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


def bench_end_to_end(corpus: Path, warehouse: Path, size: int) -> dict:
    from pipelines.run import run_pipeline

    say("end-to-end", size, f"run_pipeline -> {warehouse}")
    seconds, summary = _timed(lambda: run_pipeline(
        [str(corpus)], warehouse, progress=lambda line: say("end-to-end", size, line)))
    say("end-to-end", size, f"done in {seconds:.1f}s ({'ok' if summary.success else 'FAILED'})")
    return {
        "articles": size,
        "seconds": round(seconds, 2),
        "articles_per_s": round(size / seconds, 2),
        "success": summary.success,
        "failed_steps": summary.failed_steps,
        "totals": summary.totals,
        "checks_passed": sum(1 for _, ok, _ in summary.checks if ok),
        "checks_total": len(summary.checks),
        **_warehouse_bytes(warehouse),
        "maxrss_after": _maxrss_mib(),
    }


def bench_incremental(corpus_dir: Path, warehouse: Path, base_size: int, seed: int, full_seconds: float) -> dict:
    """Add 1% new articles (records at offset ``base_size``) to the largest warehouse and run again."""
    from pipelines.run import run_pipeline

    n_new = max(1, base_size // 100)
    new_dir = corpus_dir / "incremental"
    generate(new_dir, n_new, seed=seed, offset=base_size)
    say("incremental", base_size, f"+{n_new} articles")
    seconds, summary = _timed(lambda: run_pipeline([str(new_dir)], warehouse))
    say("incremental", base_size, f"done in {seconds:.1f}s ({'ok' if summary.success else 'FAILED'})")
    return {
        "base_articles": base_size,
        "new_articles": n_new,
        "seconds": round(seconds, 2),
        "fraction_of_full_build": round(seconds / full_seconds, 3),
        "success": summary.success,
        "new_loaded": summary.ingest.get("new_articles"),
        "maxrss_after": _maxrss_mib(),
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
    """Extractor.extract (batches of 500) against spaCy's full ``nlp.pipe`` on the same texts."""
    from pipelines.extraction import Extractor
    from pipelines.extraction.parsing import load_nlp
    from pipelines.extraction.records import ArticleText

    texts = _sample_texts(corpus, sample)
    words = sum(len(text.split()) for _, text in texts)
    say("extraction", len(texts), f"{words:,} words; loading models")
    extractor = Extractor()
    nlp = load_nlp()
    warm = [ArticleText(i, t) for i, t in texts[:3]]
    extractor.extract(warm)  # warm-up: first calls allocate and cache
    list(nlp.pipe(t for _, t in texts[:3]))

    def ours() -> int:
        n = 0
        for start in range(0, len(texts), EXTRACT_BATCH):
            batch = [ArticleText(i, t) for i, t in texts[start : start + EXTRACT_BATCH]]
            n += len(extractor.extract(batch).attributions)
        return n

    say("extraction", len(texts), "Extractor.extract")
    ours_s, attributions = _timed(ours)
    say("extraction", len(texts), f"ours {ours_s:.1f}s; spaCy nlp.pipe (full pipeline)")
    base_s, _ = _timed(lambda: sum(1 for _ in nlp.pipe(t for _, t in texts)))
    say("extraction", len(texts), f"baseline {base_s:.1f}s")
    candidate_share = _candidate_share(extractor, texts)
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
        "attributions": attributions,
        "candidate_sentence_share": round(candidate_share, 3),
        "maxrss_after": _maxrss_mib(),
    }


def _model_name(nlp) -> str:  # noqa: ANN001 - spaCy Language
    return f"{nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')} {nlp.meta.get('version', '')}".strip()


def _candidate_share(extractor, texts: list[tuple[str, str]]) -> float:  # noqa: ANN001
    from pipelines.extraction.sentences import split_sentences

    total = candidates = 0
    for _, text in texts:
        for start, end in split_sentences(text):
            total += 1
            candidates += extractor.is_candidate(text[start:end])
    return candidates / total if total else 0.0


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
        cases: list[tuple[str, Callable[[], object]]] = [
            ("filter_choices", lambda: q.filter_choices(con)),
            ("overview_metrics", lambda: q.overview_metrics(con, none)),
            ("overview_metrics (7-day filter)", lambda: q.overview_metrics(con, week)),
            ("claims_per_day", lambda: q.claims_per_day(con, none)),
            ("actor_contradiction_rates", lambda: q.actor_contradiction_rates(con, none)),
            ("actor_contradiction_rates (7-day filter)", lambda: q.actor_contradiction_rates(con, week)),
            ("actor_conflicts", lambda: q.actor_conflicts(con, none)),
            ("contested_propositions", lambda: q.contested_propositions(con, none)),
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


# ------------------------------------------------------------------ report


def _machine() -> dict:
    import duckdb
    import spacy

    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = None
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "cpu_affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "load_average_at_start": load,
        "duckdb": duckdb.__version__,
        "spacy": spacy.__version__,
    }


def _hms(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _num(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) else "?"


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
        f"and {_hms(estimate[100_000])} for 100,000 articles, plus the incremental run (about as long again at "
        "these sizes), corpus generation and the extraction sample."
    )


def render_markdown(result: dict) -> str:
    runs, ext, inc, growth = result["end_to_end"], result["extraction"], result.get("incremental"), result["growth"]
    m = result["machine"]
    lines = [
        "# Claimhouse benchmark",
        "",
        f"Measured {result['measured_at']} on {m['platform']}, Python {m['python']}, "
        f"{m['cpu_count']} CPUs ({m['cpu_affinity']} usable), load average at start {m['load_average_at_start']}; "
        f"DuckDB {m['duckdb']}, spaCy {m['spacy']}. Corpus: `pipelines.benchmark.corpus`, seed {result['seed']}. "
        f"Command: `{result['command']}`.",
        "",
        "## End to end (`run_pipeline` into a fresh warehouse: ingest, extract, dbt build, checks, publish)",
        "",
        "| articles | words | seconds | articles/s | claims | contradictions | checks | warehouse MiB (published + working) | MiB per 1,000 articles |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        total = r["published_bytes"] + r["working_bytes"]
        lines.append(
            f"| {r['articles']:,} | {r['words']:,} | {r['seconds']:.1f} | {r['articles_per_s']:.1f}"
            f"{'' if r['success'] else ' (FAILED: ' + ', '.join(r['failed_steps']) + ')'} | "
            f"{_num(r['totals'].get('claims'))} | {_num(r['totals'].get('contradictions'))} | "
            f"{r['checks_passed']}/{r['checks_total']} | {total / 2**20:.1f} | "
            f"{total / 2**20 / r['articles'] * 1000:.2f} |"
        )
    lines += [
        "",
        f"Cost growth: time at {growth['largest']:,} articles / time at {growth['smallest']:,}, divided by the "
        f"size ratio = **{growth['factor']}** (1.0 = linear; below 1 the fixed start-up cost of Dagster, dbt and "
        "the models still weighs in).",
        "",
    ]
    if inc:
        lines += [
            "## Incremental run",
            "",
            f"After the {inc['base_articles']:,}-article build, {inc['new_articles']:,} new articles (1%) in a new "
            f"file took {inc['seconds']:.1f} s: **{inc['fraction_of_full_build']:.0%} of the full build** "
            f"({'ok' if inc['success'] else 'FAILED'}).",
            "",
        ]
    lines += [
        f"## Extraction alone ({ext['articles']} articles, {ext['words']:,} words, same texts, same process)",
        "",
        "| extractor | seconds | words/s |",
        "|---|---:|---:|",
        f"| Claimhouse `Extractor.extract` (batches of {ext['batch_size']}) | {ext['ours_seconds']:.1f} | "
        f"{ext['ours_words_per_s']:,} |",
        f"| {ext['baseline']} | {ext['baseline_seconds']:.1f} | {ext['baseline_words_per_s']:,} |",
        "",
        f"Ours / baseline: **{ext['ratio_ours_over_baseline']}x** (words/s). Share of sentences marked as "
        f"candidates for the deep parse: {ext['candidate_sentence_share']:.0%}.",
        "",
        "## Memory",
        "",
        f"Peak resident memory (ru_maxrss) of the benchmark process: {runs[-1]['maxrss_after']['self_mib']:,} MiB "
        f"after the end-to-end runs (the pipeline in-process), "
        f"{(inc or {}).get('maxrss_after', {}).get('self_mib', '?')} MiB after the incremental run, "
        f"{result['memory']['self_mib']:,} MiB at the end (after the extraction comparison); largest child "
        f"process: {result['memory']['children_mib']:,} MiB (a forked child counts the pages it inherits).",
        "",
        f"## Dashboard queries (read-only connection, {runs[-1]['articles']:,}-article warehouse)",
        "",
        "| query | p50 ms | p95 ms |",
        "|---|---:|---:|",
    ]
    lines += [f"| {q['query']} | {q['p50_ms']:.1f} | {q['p95_ms']:.1f} |" for q in result["queries"]]
    lines += [
        "",
        "## Larger runs",
        "",
        "`make bench` measures `BENCH_SIZES` (default `1000 5000`). For larger sizes run",
        "`make bench BENCH_SIZES=\"10000 100000\"`. " + _projection(runs),
        "",
    ]
    return "\n".join(lines)


def render_png(result: dict, path: Path) -> None:
    """Throughput (articles/s) against corpus size, log-scaled x axis, drawn with Pillow."""
    import math

    from PIL import Image, ImageDraw, ImageFont

    runs = result["end_to_end"]
    width, height, left, right, top, bottom = 800, 480, 80, 30, 50, 70
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.load_default(size=14)
    except TypeError:  # Pillow < 10.1 has only the bitmap font
        font = ImageFont.load_default()
    xs = [r["articles"] for r in runs]
    ys = [r["articles_per_s"] for r in runs]
    lo, hi = math.log10(min(xs)), math.log10(max(xs))
    if hi - lo < 1e-9:
        lo, hi = lo - 0.5, hi + 0.5
    lo, hi = lo - 0.1 * (hi - lo), hi + 0.1 * (hi - lo)
    raw_max = max(ys) * 1.15 or 1.0
    step = 10 ** math.floor(math.log10(raw_max / 5))
    step = next(m * step for m in (1, 2, 2.5, 5, 10) if m * step * 5 >= raw_max)
    y_max = step * 5  # five round gridlines

    def px(x: float, y: float) -> tuple[float, float]:
        return (left + (math.log10(x) - lo) / (hi - lo) * (width - left - right),
                height - bottom - y / y_max * (height - top - bottom))

    draw.rectangle([left, top, width - right, height - bottom], outline="black")
    for i in range(6):
        y = y_max * i / 5
        _, yp = px(10**lo, y)
        draw.line([left, yp, width - right, yp], fill=(225, 225, 225))
        draw.text((left - 8, yp), f"{y:.3g}", fill="black", font=font, anchor="rm")
    for x in xs:  # a tick at each measured size
        xp, _ = px(x, 0)
        draw.line([xp, top, xp, height - bottom], fill=(235, 235, 235))
        draw.text((xp, height - bottom + 8), f"{x:,}", fill="black", font=font, anchor="mt")
    points = [px(x, y) for x, y in zip(xs, ys)]
    if len(points) > 1:
        draw.line(points, fill=(31, 119, 180), width=3)
    for (xp, yp), y in zip(points, ys):
        draw.ellipse([xp - 5, yp - 5, xp + 5, yp + 5], fill=(31, 119, 180))
        draw.text((xp + 8, yp - 8), f"{y:.3g}/s", fill="black", font=font, anchor="lb")
    draw.text((width / 2, 20), "Claimhouse end-to-end throughput against corpus size", fill="black", font=font,
              anchor="mm")
    draw.text((width / 2, height - 25), "corpus size (articles, log scale)", fill="black", font=font, anchor="mm")
    draw.text((12, top - 20), "articles/s", fill="black", font=font)
    draw.text((width - right, height - 10), result["measured_at"], fill=(120, 120, 120), font=font, anchor="rb")
    image.save(path)


# ------------------------------------------------------------------ main


def run(sizes: list[int], seed: int, out_dir: Path, work_dir: Path | None, extract_sample: int,
        query_repetitions: int, keep: bool) -> dict:
    sizes = sorted(set(sizes))
    root = Path(tempfile.mkdtemp(prefix="claimhouse-bench-", dir=work_dir))
    say("start", None, f"sizes {sizes}, work dir {root}")
    result: dict = {
        "measured_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": "python -m pipelines.benchmark.run " + " ".join(sys.argv[1:]),
        "seed": seed,
        "machine": _machine(),
        "end_to_end": [],
    }
    try:
        largest_corpus = largest_wh = None
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
        result["queries"] = bench_queries(largest_wh, query_repetitions)
        say("queries", sizes[-1], f"{len(result['queries'])} queries x {query_repetitions}")
        result["incremental"] = bench_incremental(root, largest_wh, sizes[-1], seed, last["seconds"])
        result["extraction"] = bench_extraction(largest_corpus, extract_sample)
        result["memory"] = _maxrss_mib()
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "benchmark.json").write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    (out_dir / "benchmark.md").write_text(render_markdown(result), encoding="utf-8")
    render_png(result, out_dir / "benchmark.png")
    say("done", None, f"wrote {out_dir}/benchmark.json, benchmark.md, benchmark.png")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.benchmark.run", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), help="corpus sizes (articles)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out-dir", type=Path, default=REPO_DIR / "docs")
    parser.add_argument("--work-dir", type=Path, default=None, help="where temporary corpora and warehouses go")
    parser.add_argument("--extract-sample", type=int, default=300, help="articles in the extraction comparison")
    parser.add_argument("--query-repetitions", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the temporary corpora and warehouses")
    args = parser.parse_args(argv)
    if min(args.sizes) < 1:
        parser.error("--sizes must be positive")
    result = run(args.sizes, args.seed, args.out_dir, args.work_dir, args.extract_sample,
                 args.query_repetitions, args.keep)
    failed = [r["articles"] for r in result["end_to_end"] if not r["success"]]
    if failed or not result.get("incremental", {}).get("success", True):
        print(f"benchmark runs failed at sizes {failed}", file=sys.stderr)
        return 1
    print(render_markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
