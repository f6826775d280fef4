"""`kaart serve` rebuilds when a factsheet, definition, template or setting changes.

What changed is read from snapshots (each file's modification time and size): a scan of a few
thousand files takes milliseconds and works the same on every system. What wakes the watcher is
the file system's notice that something changed in a watched folder or file (inotify on Linux,
through watchfiles, which Pelican installs too), so a save is seen at once instead of at the next
scan. While notices come, the watcher scans only now and then (`quiet_interval`), in case one is
missed; once a scan finds a change no notice announced (a mounted folder in some containers sends
none, a folder made after serve started is not watched), it scans every `interval` seconds again.
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


# While the file system's notices come, the watcher scans this seldom (seconds). A scan of 5,000
# factsheets took 20 ms: every 0.15 s, an idle `kaart serve` kept a tenth of a core busy.
QUIET_INTERVAL = 2.0


def watch(root: Path, rebuild: Callable[[list[str]], None], extra_files: Iterable[Path] = (),
          interval: float = 0.5, should_stop: Callable[[], bool] = lambda: False, output: Path | None = None,
          extra_folders: Iterable[Path] = (), since: Snapshot | None = None, settle: float = 0.05,
          quiet_interval: float = QUIET_INTERVAL) -> None:
    """Call `rebuild(changed)` after files change, until `should_stop()`.

    Waits until a scan `settle` seconds later shows no further change, so an editor that writes a
    file in steps (or `git checkout` of many files) leads to one rebuild, not several; a change
    after that starts another rebuild, so a short wait costs nothing but a rebuild.
    """
    extra = tuple(extra_files)
    folders = tuple(extra_folders)
    # `since`: the files as the last build read them, so that a save during that build counts.
    known = since if since is not None else snapshot(root, extra, output, folders)
    notices = Notices([*(root / name for name in WATCHED_FOLDERS), *folders], extra)
    try:
        while not should_stop():
            noticed = notices.wait(quiet_interval if notices.trusted else interval)
            current = snapshot(root, extra, output, folders)
            if current == known:
                continue
            if notices.trusted and not noticed and not notices.wait(NOTICE_LATENCY):
                notices.trusted = False  # this change sent no notice: scan often from now on
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


# How long after a scan found a change its notice may still arrive (the notices' own delay is
# STEP_MS to AT_MOST_MS), before the change counts as one that sent none.
NOTICE_LATENCY = 0.3


class Notices:
    """The file system's notices of changes in some folders (and below) and some files, as one
    flag: watchfiles watches them in threads of their own. `trusted` while they run; without
    watchfiles, or where it fails (no inotify, too many watches), the flag is never raised and
    `wait` only waits."""

    # Changes closer together than this come as one notice; a stream of them still wakes the
    # watcher this often (watchfiles' `step` and `debounce`, in milliseconds).
    STEP_MS = 5
    AT_MOST_MS = 100

    def __init__(self, folders: Iterable[Path], files: Iterable[Path] = ()) -> None:
        self._raised = threading.Event()
        self._stopped = threading.Event()
        self.trusted = False
        folders = {os.path.abspath(folder) for folder in folders}
        existing = sorted(folder for folder in folders if os.path.isdir(folder))
        # A file is watched through its folder alone: an editor that saves by writing a new file
        # and renaming it over the old one would end a watch on the file itself.
        files = {os.path.abspath(path) for path in files}
        parents = {os.path.dirname(path) for path in files}
        try:
            import watchfiles
        except ImportError:
            return
        # A folder made after this is not watched: the first change in it comes without a notice,
        # and from then on the watcher scans often (`watch`).
        self.trusted = bool(existing)
        if existing:
            self._start(watchfiles, existing, None, True)
        if parents := sorted(parent for parent in parents if os.path.isdir(parent)):
            self._start(watchfiles, parents, lambda change, path: path in files, False)

    def _start(self, watchfiles: Any, paths: list[str], only: Callable[[Any, str], bool] | None,
               recursive: bool) -> None:
        threading.Thread(target=self._watch, args=(watchfiles, paths, only, recursive), name="kaart-notices",
                         daemon=True).start()

    def _watch(self, watchfiles: Any, paths: list[str], only: Callable[[Any, str], bool] | None,
               recursive: bool) -> None:
        try:
            for _ in watchfiles.watch(*paths, watch_filter=only, step=self.STEP_MS, debounce=self.AT_MOST_MS,
                                      stop_event=self._stopped, raise_interrupt=False, recursive=recursive):
                self._raised.set()
        except Exception:  # noqa: BLE001 (no notices then: the scans alone find the changes)
            self.trusted = False
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
