"""`kaart serve` rebuilds when a factsheet, definition, template or setting changes.

What changed is read from snapshots (each file's modification time and size): a scan of a few
thousand files takes milliseconds and works the same on every system. What wakes the watcher is
the file system's notice that something changed in a watched folder (inotify on Linux, through
watchfiles, which Pelican installs too), so a save is seen at once instead of at the next scan;
the scans every `interval` seconds stay for whatever sends no notice (a mounted folder in some
containers, the settings and schema files, a folder made after serve started).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

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
    notices = Notices([*(root / name for name in WATCHED_FOLDERS), *folders])
    try:
        while not should_stop():
            notices.wait(interval)
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
    finally:
        notices.stop()


class Notices:
    """The file system's notices of changes in some folders (and below), as one flag: watchfiles
    watches them in a thread of its own. Without watchfiles, or where it fails (no inotify, too
    many watches), the flag is never raised and `wait` only waits."""

    # Changes closer together than this come as one notice; a stream of them still wakes the
    # watcher this often (watchfiles' `step` and `debounce`, in milliseconds).
    STEP_MS = 5
    AT_MOST_MS = 100

    def __init__(self, folders: Iterable[Path]) -> None:
        self._raised = threading.Event()
        self._stopped = threading.Event()
        existing = sorted(str(folder) for folder in set(folders) if folder.is_dir())
        try:
            import watchfiles
        except ImportError:
            return
        if existing:
            threading.Thread(target=self._watch, args=(watchfiles, existing), name="kaart-notices", daemon=True).start()

    def _watch(self, watchfiles: Any, folders: list[str]) -> None:
        try:
            for _ in watchfiles.watch(*folders, watch_filter=None, step=self.STEP_MS, debounce=self.AT_MOST_MS,
                                      stop_event=self._stopped, raise_interrupt=False):
                self._raised.set()
        except Exception:  # noqa: BLE001 (no notices then: the scans alone find the changes)
            return

    def wait(self, seconds: float) -> bool:
        """Wait until a change is noticed or `seconds` have passed; whether one was noticed. The
        flag is lowered before this returns: a change after that raises it again, so a change the
        next snapshot misses wakes the following wait at once."""
        noticed = self._raised.wait(seconds)
        self._raised.clear()
        return noticed

    def stop(self) -> None:
        self._stopped.set()
