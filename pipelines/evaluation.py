"""Extraction quality on PolNeAR: run the extractor, score it, explain the errors.

``make eval`` runs ``python -m pipelines.evaluation GOLD_DIR docs/quality.md``:
it extracts from ``GOLD_DIR/text`` with the same library the pipeline uses,
scores with the shared yardstick (``score_attributions.py`` beside GOLD_DIR's
parent), and writes figures, throughput and an error analysis.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pipelines.extraction import Extractor
from pipelines.extraction.files import extract_files, text_files

EXAMPLES_PER_KIND = 3
TOP_KINDS = 10


@dataclass(frozen=True)
class GoldAttribution:
    cue: list[tuple[int, int]]
    source: list[tuple[int, int]]
    content: list[tuple[int, int]]
    cue_text: str


def load_gold(gold_dir: Path) -> dict[str, list[GoldAttribution]]:
    """brat standoff: T lines are spans, E lines tie Source/Cue/Content; first annotator per article."""
    first: dict[str, Path] = {}
    for ann in sorted((gold_dir / "attributions").glob("*.ann")):
        first.setdefault(ann.stem.rsplit("_", 1)[0], ann)
    gold: dict[str, list[GoldAttribution]] = {}
    for name, ann in first.items():
        spans: dict[str, tuple[list[tuple[int, int]], str]] = {}
        relations = []
        for line in ann.read_text(encoding="utf-8").splitlines():
            # A span's text may run over several lines, so a line is a record only when it starts with its id.
            if re.match(r"T\d+\t", line):
                tid, middle, text = (line.split("\t") + [""])[:3]
                _, offsets = middle.split(" ", 1)
                spans[tid] = ([tuple(map(int, part.split())) for part in offsets.split(";")], text)
            elif re.match(r"E\d+\t", line):
                relations.append(dict(part.split(":") for part in line.split("\t")[1].split()))

        def span(relation: dict[str, str], role: str) -> list[tuple[int, int]]:
            return spans[relation[role]][0] if relation.get(role) in spans else []

        gold[name] = [
            GoldAttribution(span(r, "Cue"), span(r, "Source"), span(r, "Content"),
                            spans[r["Cue"]][1] if r.get("Cue") in spans else "")
            for r in relations
        ]
    return gold


def _overlaps(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    return any(x0 < y1 and y0 < x1 for x0, x1 in a for y0, y1 in b)


def _span(row: dict, role: str) -> list[tuple[int, int]]:
    start, end = row.get(f"{role}_start"), row.get(f"{role}_end")
    return [(start, end)] if start is not None and end is not None and end > start else []


def error_analysis(gold: dict[str, list[GoldAttribution]], predictions: list[dict], texts: dict[str, str]) -> dict:
    """Misses by gold cue, false alarms by predicted cue, and partial matches by the role that missed."""
    by_file: dict[str, list[dict]] = {}
    for row in predictions:
        by_file.setdefault(Path(row["file"]).stem, []).append(row)
    misses: Counter[str] = Counter()
    false_alarms: Counter[str] = Counter()
    partial: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}

    def example(kind: str, name: str, spans: list[tuple[int, int]]) -> None:
        if spans and len(examples.setdefault(kind, [])) < EXAMPLES_PER_KIND:
            start = max(0, spans[0][0] - 80)
            end = min(len(texts[name]), spans[0][1] + 80)
            examples[kind].append(" ".join(texts[name][start:end].split()))

    for name, items in gold.items():
        predicted = by_file.get(name, [])
        matched: set[int] = set()
        for item in items:
            hit = next((i for i, p in enumerate(predicted) if i not in matched and _overlaps(item.cue, _span(p, "cue"))), None)
            if hit is None:
                key = f"missed cue '{item.cue_text.lower()}'"
                misses[key] += 1
                example(key, name, item.cue)
                continue
            matched.add(hit)
            row = predicted[hit]
            if item.source and not _overlaps(item.source, _span(row, "speaker")):
                partial["speaker span wrong"] += 1
                example("speaker span wrong", name, item.cue)
            if not _overlaps(item.content, _span(row, "content")):
                partial["content span wrong"] += 1
                example("content span wrong", name, item.cue)
        for i, row in enumerate(predicted):
            if i not in matched:
                key = f"false alarm on '{row['cue_text'].lower()}'"
                false_alarms[key] += 1
                example(key, name, _span(row, "cue"))
    return {"misses": misses, "false_alarms": false_alarms, "partial": partial, "examples": examples}


def score(scorer: Path, gold_dir: Path, predictions_path: Path) -> str:
    completed = subprocess.run(
        [sys.executable, str(scorer), str(gold_dir), str(predictions_path)],
        capture_output=True, text=True, check=True,
    )
    return completed.stdout.strip()


def render(report: dict) -> str:
    lines = [
        "# Extraction quality",
        "",
        f"Measured {report['measured_at']} with `make eval` (`python -m pipelines.evaluation`).",
        "",
        "| what | value |",
        "|---|---|",
        f"| gold set | PolNeAR `{report['gold_dir']}` ({report['n_articles']} articles) |",
        f"| extractor version | `{report['extractor_version']}` |",
        f"| predicted attributions | {report['n_predicted']} |",
        f"| throughput | {report['words_per_second']:,.0f} words/s ({report['n_words']:,} words in "
        f"{report['seconds']:.1f} s, one process, model load excluded) |",
        f"| CPU throughput | {report['words_per_cpu_second']:,.0f} words per CPU-second "
        f"({report['cpu_seconds']:.1f} CPU-s; steadier than wall time on a shared machine) |",
        "",
        "Scorer output (`score_attributions.py`; cue = cue spans overlap; full = cue, source and content overlap):",
        "",
        "```",
        report["scores"],
        "```",
        "",
        "## Error analysis",
        "",
    ]
    analysis = report["analysis"]
    for title, counter in (("Most frequent misses (gold attributions with no predicted cue)", analysis["misses"]),
                           ("Most frequent false alarms (predicted cues with no gold cue)", analysis["false_alarms"]),
                           ("Partial matches (cue found, another span off)", analysis["partial"])):
        lines += [f"### {title}", "", "| kind | count | example |", "|---|---|---|"]
        for kind, count in counter.most_common(TOP_KINDS):
            sample = (analysis["examples"].get(kind) or [""])[0].replace("|", "\\|")
            lines.append(f"| {kind} | {count} | {sample[:200]} |")
        lines.append("")
    lines += [
        "PolNeAR marks reported thoughts, intentions and beliefs as attributions too, so many misses are cues",
        "outside our speech lexicon; add them to `dbt_project/seeds/cue_lexicon.csv` only when they carry claims.",
        "",
    ]
    return "\n".join(lines)


HAND_WRITTEN_FROM = "## Method"


def _hand_written(report: Path) -> str:
    """The report's hand-written sections (method, known weaknesses), kept across runs."""
    if not report.exists():
        return ""
    text = report.read_text(encoding="utf-8")
    position = text.find(HAND_WRITTEN_FROM)
    return "" if position == -1 else "\n" + text[position:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold_dir", type=Path, help="e.g. ../shared/eval/polnear/dev")
    parser.add_argument("report", type=Path, help="where to write the Markdown report, e.g. docs/quality.md")
    parser.add_argument("--scorer", type=Path, help="default: score_attributions.py two folders above gold_dir")
    args = parser.parse_args(argv)
    gold_dir = args.gold_dir.resolve()
    if not (gold_dir / "text").is_dir():
        parser.error(f"{gold_dir}/text does not exist: point gold_dir at a PolNeAR split such as polnear/dev")
    scorer = args.scorer or gold_dir.parent.parent / "score_attributions.py"
    files = text_files([gold_dir / "text"])
    texts = {path.stem: path.read_text(encoding="utf-8") for path in files}
    extractor = Extractor()
    started, cpu_started = time.perf_counter(), time.process_time()
    predictions = list(extract_files(files, extractor))
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    predictions_path = args.report.with_suffix(".predictions.jsonl")
    predictions_path.parent.mkdir(parents=True, exist_ok=True)
    predictions_path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in predictions))
    n_words = sum(len(text.split()) for text in texts.values())
    report = {
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "gold_dir": f"{gold_dir.parent.name}/{gold_dir.name}",
        "n_articles": len(files),
        "extractor_version": extractor.version,
        "n_predicted": len(predictions),
        "n_words": n_words,
        "seconds": seconds,
        "words_per_second": n_words / seconds if seconds else 0.0,
        "cpu_seconds": cpu_seconds,
        "words_per_cpu_second": n_words / cpu_seconds if cpu_seconds else 0.0,
        "scores": score(scorer, gold_dir, predictions_path),
        "analysis": error_analysis(load_gold(gold_dir), predictions, texts),
    }
    args.report.write_text(render(report) + _hand_written(args.report), encoding="utf-8")
    predictions_path.unlink()
    print(report["scores"])
    print(f"{report['words_per_second']:,.0f} words/s ({report['words_per_cpu_second']:,.0f} per CPU-second); "
          f"report written to {args.report}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
