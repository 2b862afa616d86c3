"""Find the input files under the paths a user gives.

Order is deterministic (sorted names, depth-first) so runs are reproducible
and "first record wins" deduplication means the same thing every time.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

__all__ = ["iter_input_files", "is_skipped_name"]

# Documentation that sits beside a corpus is not an article.
_README_NAMES = frozenset({"readme", "readme.md", "readme.txt", "readme.rst"})


def is_skipped_name(name: str) -> bool:
    """Hidden (``.x``) and private (``_x``, e.g. ``_parquet_source``) entries are not inputs."""
    return name.startswith(".") or name.startswith("_")


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Yield every input file under ``paths`` once, in a stable order.

    A path named explicitly is always read, even if hidden or a README; the
    skip rules only apply to what is found inside folders. Raises
    ``FileNotFoundError`` for a path that does not exist, before yielding
    anything from it, because a typo should not look like an empty corpus.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]  # a lone string is iterable too, one character at a time
    seen: set[str] = set()
    for given in paths:
        root = Path(given)
        if not root.exists():
            raise FileNotFoundError(f"Input path does not exist: {str(given)!r} (resolved to {root.absolute()})")
        if root.is_file():
            key = os.path.abspath(root)
            if key not in seen:
                seen.add(key)
                yield Path(key)
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not is_skipped_name(d))
            for name in sorted(filenames):
                if is_skipped_name(name) or name.lower() in _README_NAMES:
                    continue
                full = os.path.abspath(os.path.join(dirpath, name))
                if full in seen or not os.path.isfile(full):
                    continue
                seen.add(full)
                yield Path(full)
