"""Resident memory of the benchmark's process tree, sampled while a run goes on.

``ru_maxrss`` says how high one process went, not when, and a forked child
(dbt's subprocess) starts its count at the pages it inherits.  Sampling the
tree every half second says when the run peaked (mapped to the Dagster step
running then) and what all its processes held together: the sum of their
proportional set sizes (PSS), which counts a page shared by two processes
once, not twice as a sum of RSS would; and the largest single process's
resident size.  Linux only (``/proc``); elsewhere the
sampler records nothing.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

_PROC = Path("/proc")


@dataclass(frozen=True)
class MemorySample:
    at: float  # time.time() of the sample
    largest_rss_kib: int  # the largest single process (the run's own, or dbt), comparable with ru_maxrss
    tree_pss_kib: int  # this process and every descendant (the run, its extraction workers, dbt)
    processes: int


class ProcessTreeSampler:
    """Samples this process and its descendants in a thread while the ``with`` block runs.

    >>> with ProcessTreeSampler(interval=0.05) as sampler:
    ...     time.sleep(0.2)
    >>> sampler.peak_tree() is None or sampler.peak_tree().tree_pss_kib > 0
    True
    """

    def __init__(self, interval: float = 0.5) -> None:
        self.interval = interval
        self.samples: list[MemorySample] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="memory-sampler", daemon=True)

    def __enter__(self) -> ProcessTreeSampler:
        if _PROC.is_dir():
            self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def peak_tree(self) -> MemorySample | None:
        return max(self.samples, key=lambda s: s.tree_pss_kib, default=None)

    def peak_process(self) -> MemorySample | None:
        return max(self.samples, key=lambda s: s.largest_rss_kib, default=None)

    def _loop(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            sizes = [_rss_and_pss_kib(pid) for pid in (me, *_descendants(me))]
            self.samples.append(MemorySample(
                at=time.time(),
                largest_rss_kib=max(rss for rss, _ in sizes),
                tree_pss_kib=sum(pss for _, pss in sizes),
                processes=sum(1 for _, pss in sizes if pss),
            ))
            self._stop.wait(self.interval)


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in _PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # The command name, in parentheses, may hold spaces: the parent pid comes after its ")".
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended meanwhile
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _rss_and_pss_kib(pid: int) -> tuple[int, int]:
    """A process's resident and proportional set sizes in KiB, from one read of ``/proc/<pid>/smaps_rollup``;
    zeros when the process is gone."""
    sizes = {"Rss:": 0, "Pss:": 0}
    try:
        for line in (_PROC / str(pid) / "smaps_rollup").read_text().splitlines():
            field = line.split(maxsplit=1)[0] if line else ""
            if field in sizes:
                sizes[field] = int(line.split()[1])
    except (OSError, ValueError):
        pass
    return sizes["Rss:"], sizes["Pss:"]


def step_at(moment: float, step_spans: dict[str, tuple[float, float]]) -> str:
    """The Dagster step that was running at ``moment`` (the latest started), or ``between steps``."""
    running = [(start, step) for step, (start, end) in step_spans.items() if start <= moment <= end]
    return max(running)[1] if running else "between steps"


def peaks(sampler: ProcessTreeSampler, step_spans: dict[str, tuple[float, float]]) -> dict:
    """The run's peaks for the benchmark's JSON: the tree's PSS and the largest process's RSS, each with its step."""
    tree, largest = sampler.peak_tree(), sampler.peak_process()
    if tree is None or largest is None:
        return {}
    return {
        "samples": len(sampler.samples),
        "interval_s": sampler.interval,
        "tree_pss_peak_mib": round(tree.tree_pss_kib / 1024, 1),
        "tree_pss_peak_step": step_at(tree.at, step_spans),
        "tree_processes_at_peak": tree.processes,
        "process_rss_peak_mib": round(largest.largest_rss_kib / 1024, 1),
        "process_rss_peak_step": step_at(largest.at, step_spans),
    }
