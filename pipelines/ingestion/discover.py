"""Find the input files under the paths a user gives.

Order is deterministic (sorted names, depth-first) so runs are reproducible
and "first record wins" deduplication means the same thing every time.

Path safety: a path named by the user is followed even when it is a symbolic
link (they asked for it), but what lies inside a named folder must stay inside
it. A symlink found while walking a folder whose resolved target is outside
that folder is refused (``RefusedPath`` with ``unsafe_path``) and never
followed; so is a symlink loop. A symlink to a file inside the folder is read
(once: files are deduplicated on their resolved path); a symlink to a folder
inside the folder is not descended into (its target is walked where it lies),
so directory links can never make the walk loop.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .records import ReasonCode

__all__ = ["InputFile", "RefusedPath", "discover_inputs", "iter_input_files", "is_skipped_name"]

# Documentation that sits beside a corpus is not an article.
_README_NAMES = frozenset({"readme", "readme.md", "readme.txt", "readme.rst"})


@dataclass(frozen=True)
class InputFile:
    """A file to read: ``path`` as found (provenance), ``real_path`` resolved (what is opened)."""

    path: Path
    real_path: str


@dataclass(frozen=True)
class RefusedPath:
    """Something found under a named folder that is not read, with why (becomes a quarantine record)."""

    path: Path
    code: str
    reason: str


def is_skipped_name(name: str) -> bool:
    """Hidden (``.x``) and private (``_x``, e.g. ``_parquet_source``) entries are not inputs."""
    return name.startswith(".") or name.startswith("_")


def _inside(real: str, root_real: str) -> bool:
    return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)


def _not_regular(path: str) -> RefusedPath:
    return RefusedPath(
        Path(path),
        ReasonCode.UNREADABLE_FILE,
        f"{path} is not a regular file (a FIFO, socket or device); only regular files are read.",
    )


def _link_entry(full: str, root: str, root_real: str) -> InputFile | RefusedPath | None:
    """Classify a symlink found inside ``root``; None means skip it silently (a folder link inside)."""
    try:
        shown = os.readlink(full)
    except OSError:
        shown = "?"
    real = os.path.realpath(full)
    if not _inside(real, root_real):
        return RefusedPath(
            Path(full),
            ReasonCode.UNSAFE_PATH,
            f"{full} is a symbolic link to {shown!r} (resolving to {real}), outside the ingested folder "
            f"{root}; links that leave the folder are not followed.",
        )
    try:
        st = os.stat(full)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return RefusedPath(
                Path(full),
                ReasonCode.UNSAFE_PATH,
                f"{full} is a symbolic link loop (via {shown!r}); it was not followed.",
            )
        return RefusedPath(
            Path(full),
            ReasonCode.UNREADABLE_FILE,
            f"{full} is a symbolic link to {shown!r}, which does not exist or cannot be reached "
            f"({exc.strerror or exc}).",
        )
    if stat.S_ISDIR(st.st_mode):
        return None
    if not stat.S_ISREG(st.st_mode):
        return _not_regular(full)
    return InputFile(Path(full), real)


def _walk(root: str) -> Iterator[InputFile | RefusedPath]:
    """Depth-first, files of a folder before its sub-folders, all sorted; never follows links."""
    root_real = os.path.realpath(root)
    stack = [root]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as it:
                entries = sorted((e for e in it if not is_skipped_name(e.name)), key=lambda e: e.name)
        except OSError as exc:
            yield RefusedPath(
                Path(current), ReasonCode.UNREADABLE_FILE, f"The folder {current} could not be listed ({exc.strerror or exc})."
            )
            continue
        subdirs: list[str] = []
        for entry in entries:
            full = os.path.join(current, entry.name)
            try:
                if entry.is_symlink():
                    if entry.name.lower() in _README_NAMES:
                        continue
                    found = _link_entry(full, root, root_real)
                    if found is not None:
                        yield found
                elif entry.is_dir(follow_symlinks=False):
                    subdirs.append(full)
                elif entry.name.lower() in _README_NAMES:
                    continue
                elif entry.is_file(follow_symlinks=False):
                    yield InputFile(Path(full), os.path.realpath(full))
                else:
                    yield _not_regular(full)
            except OSError as exc:
                yield RefusedPath(
                    Path(full), ReasonCode.UNREADABLE_FILE, f"{full} could not be inspected ({exc.strerror or exc})."
                )
        stack.extend(reversed(subdirs))


def discover_inputs(paths: Iterable[str | Path]) -> Iterator[InputFile | RefusedPath]:
    """Yield every input file under ``paths`` once, in a stable order, or why an entry is refused.

    A path named explicitly is always read, even if hidden, a README or a
    symbolic link; the skip and containment rules only apply to what is found
    inside folders. Raises ``FileNotFoundError`` for a path that does not
    exist, before yielding anything from it, because a typo should not look
    like an empty corpus.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]  # a lone string is iterable too, one character at a time
    seen: set[str] = set()
    for given in paths:
        root = Path(given)
        if not root.exists():
            raise FileNotFoundError(f"Input path does not exist: {str(given)!r} (resolved to {root.absolute()})")
        key = os.path.abspath(root)
        if root.is_dir():
            for found in _walk(key):
                if isinstance(found, InputFile):
                    if found.real_path in seen:
                        continue
                    seen.add(found.real_path)
                yield found
            continue
        if not root.is_file():
            yield _not_regular(key)
            continue
        real = os.path.realpath(key)
        if real not in seen:
            seen.add(real)
            yield InputFile(Path(key), real)


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The readable input files under ``paths`` (see ``discover_inputs``; refused entries are left out)."""
    for found in discover_inputs(paths):
        if isinstance(found, InputFile):
            yield found.path
