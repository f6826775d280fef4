"""`kaart serve` rebuilds when a factsheet, definition, template or setting changes.

Polling, not file-system events: a scan of a few thousand files takes milliseconds, works the
same on every system and inside containers, and needs no dependency.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

# What a build reads from a project (the output and the caches are left out).
WATCHED_FOLDERS = ("initiatives", "organisations", "content", "schema", "theme")
Snapshot = dict[str, tuple[int, int]]


def is_editor_file(name: str) -> bool:
    """Hidden files and the scratch files editors keep beside the one being edited (vim's .swp and
    its 4913 probe, emacs's #autosave# and backup~): saving one must not start a rebuild."""
    return (name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp")) or name == "4913")


def snapshot(root: Path, extra_files: Iterable[Path] = (), output: Path | None = None,
             extra_folders: Iterable[Path] = ()) -> Snapshot:
    """Modification time and size of every watched file, by path; never inside the output folder
    (were it placed in a watched one, every build would start the next)."""
    found: Snapshot = {}
    skip = str(output) if output is not None else None
    for folder in sorted({*(root / name for name in WATCHED_FOLDERS), *extra_folders}):
        _scan(str(folder), skip, found)
    for path in extra_files:
        try:
            stat = path.stat()
        except OSError:  # removed: it counts as gone
            continue
        found[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return found


def _scan(folder: str, skip: str | None, found: Snapshot) -> None:
    """os.scandir, not Path objects: the watcher scans thousands of files several times a second."""
    try:
        entries = list(os.scandir(folder))
    except OSError:  # not there (yet), or removed while scanning
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                if not entry.name.startswith(".") and entry.path != skip:
                    _scan(entry.path, skip, found)
            elif not is_editor_file(entry.name):
                stat = entry.stat()
                found[entry.path] = (stat.st_mtime_ns, stat.st_size)
        except OSError:  # removed between listing and reading: it counts as gone
            continue


def changed_paths(before: Snapshot, after: Snapshot) -> list[str]:
    """Files added, removed or changed between two snapshots."""
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


def watch(root: Path, rebuild: Callable[[list[str]], None], extra_files: Iterable[Path] = (),
          interval: float = 0.5, should_stop: Callable[[], bool] = lambda: False, output: Path | None = None,
          extra_folders: Iterable[Path] = (), since: Snapshot | None = None, settle: float = 0.05) -> None:
    """Call `rebuild(changed)` after files change, until `should_stop()`.

    Waits until a scan `settle` seconds later shows no further change, so an editor that writes a
    file in steps (or `git checkout` of many files) leads to one rebuild, not several; a change
    after that starts another rebuild, so a short wait costs nothing but a rebuild.
    """
    extra = tuple(extra_files)
    folders = tuple(extra_folders)
    # `since`: the files as the last build read them, so that a save during that build counts.
    known = since if since is not None else snapshot(root, extra, output, folders)
    while not should_stop():
        time.sleep(interval)
        current = snapshot(root, extra, output, folders)
        if current == known:
            continue
        while True:
            time.sleep(settle)
            settled = snapshot(root, extra, output, folders)
            if settled == current:
                break
            current = settled
        changed = changed_paths(known, current)
        known = current
        rebuild(changed)
