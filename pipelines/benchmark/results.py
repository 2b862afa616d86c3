"""The benchmark's stages, the result keys each one writes, and merging a partial run into the stored result.

``docs/benchmark.json`` holds one result: the figures of every stage, keyed as
below, plus ``stages``: for each stage, when, how (the command) and on what
machine it was measured.  A run of some stages (``--stages``) replaces those
stages' keys and provenance and keeps everything else, so figures measured by
different runs sit side by side, each with its own ``measured_at``.
"""

from __future__ import annotations

STAGE_KEYS: dict[str, tuple[str, ...]] = {
    # Growth and the memory figures describe the end-to-end runs' process, so they go with them.
    "end-to-end": ("end_to_end", "growth", "memory"),
    # The size of the warehouse they ran on, which --base-warehouse may choose.
    "queries": ("queries", "queries_articles"),
    # The pipeline (a full build, then an incremental run) and the dashboard's queries on a copy of the
    # largest warehouse whose raw layer is multiplied to --scale-to articles.
    "build-at-scale": ("build_at_scale",),
    "incremental": ("incremental",),
    "extraction": ("extraction",),
    "spark-extraction": ("spark_extraction",),
}
STAGES = tuple(STAGE_KEYS)
"""Every stage, in the order a run measures them."""

NEEDS_END_TO_END = ("queries", "build-at-scale", "incremental")
"""Stages that measure the warehouse the end-to-end stage built in the same run (queries and build-at-scale
may take a warehouse kept from an earlier run instead: ``--base-warehouse``)."""

PROVENANCE_FIELDS = ("measured_at", "command", "seed", "machine")


def legacy_provenance(result: dict) -> dict[str, dict]:
    """``stages`` for a result written before stages kept their own provenance: the run's, for each stage present."""
    run = {name: result[name] for name in PROVENANCE_FIELDS if name in result}
    return {stage: dict(run) for stage, keys in STAGE_KEYS.items() if any(key in result for key in keys)}


def normalized(result: dict) -> dict:
    """``result`` with per-stage provenance and without run-wide ``measured_at``/``command``/``seed``/``machine``."""
    stages = result.get("stages") or legacy_provenance(result)
    out = {name: value for name, value in result.items() if name not in PROVENANCE_FIELDS}
    out["stages"] = {stage: dict(provenance) for stage, provenance in stages.items()}
    return out


def merge_results(existing: dict | None, new: dict) -> dict:
    """``existing`` with the stages that ``new`` measured replaced by ``new``'s figures and provenance.

    A key of a measured stage that ``new`` lacks is dropped rather than kept from
    the older run: figures of one stage always come from one run.
    """
    merged = normalized(existing or {})
    new = normalized(new)
    for stage, provenance in new["stages"].items():
        for key in STAGE_KEYS[stage]:
            if key in new:
                merged[key] = new[key]
            else:
                merged.pop(key, None)
        merged["stages"][stage] = provenance
    if "updated_at" in new:
        merged["updated_at"] = new["updated_at"]
    return ordered(merged)


def ordered(result: dict) -> dict:
    """``updated_at``, ``stages``, then each stage's keys in stage order, then anything else."""
    stage_keys = [key for stage in STAGES for key in STAGE_KEYS[stage]]
    order = ["updated_at", "stages", *stage_keys]
    out = {key: result[key] for key in order if key in result}
    out["stages"] = {stage: result["stages"][stage] for stage in STAGES if stage in result.get("stages", {})}
    out.update({key: value for key, value in result.items() if key not in out})
    return out
