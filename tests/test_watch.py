"""`kaart serve` watches the project: which changes it sees, one rebuild per burst of writes, and
a save noticed at once."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kaart.build.watch import changed_paths, snapshot, watch


def test_snapshot_sees_added_changed_and_removed_files(site_root):
    before = snapshot(site_root)
    assert str(site_root / "initiatives" / "imw.yaml") in before
    (site_root / "initiatives" / "nieuw.yaml").write_text("id: nieuw\n", encoding="utf-8")
    with (site_root / "initiatives" / "imw.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# gewijzigd\n")
    (site_root / "initiatives" / "sine.yaml").unlink()
    after = snapshot(site_root)
    assert changed_paths(before, after) == sorted(str(site_root / "initiatives" / name)
                                                  for name in ("imw.yaml", "nieuw.yaml", "sine.yaml"))


def test_an_output_folder_inside_a_watched_folder_is_not_watched(site_root):
    output = site_root / "content" / "site"
    before = snapshot(site_root, output=output)
    output.mkdir(parents=True)
    (output / "index.html").write_text("x", encoding="utf-8")
    assert changed_paths(before, snapshot(site_root, output=output)) == []


def test_editor_scratch_files_are_not_watched(site_root):
    before = snapshot(site_root)
    for name in (".imw.yaml.swp", "4913", "imw.yaml~", "#imw.yaml#", ".~lock.imw.yaml#"):
        (site_root / "initiatives" / name).write_text("x", encoding="utf-8")
    assert changed_paths(before, snapshot(site_root)) == []


def test_output_and_caches_are_not_watched(site_root):
    before = snapshot(site_root)
    for folder in ("build", ".cache/kaart"):
        (site_root / folder).mkdir(parents=True)
        (site_root / folder / "index.html").write_text("x", encoding="utf-8")
    assert changed_paths(before, snapshot(site_root)) == []


@contextmanager
def watching(site_root: Path, interval: float) -> Iterator[list[list[str]]]:
    """`watch` running in a thread for the block (stopped after it); the changes of each rebuild."""
    calls: list[list[str]] = []
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(site_root, calls.append),
                               kwargs={"interval": interval, "should_stop": stop.is_set})
    watcher.start()
    try:
        time.sleep(0.5)  # the first snapshot is taken, the notices' thread is watching
        yield calls
    finally:
        stop.set()
        watcher.join()


def wait_for_a_rebuild(calls: list[list[str]], seconds: float) -> list[list[str]]:
    deadline = time.monotonic() + seconds
    while not calls and time.monotonic() < deadline:
        time.sleep(0.01)
    return list(calls)


def test_a_burst_of_writes_gives_one_rebuild_with_every_changed_file(site_root):
    with watching(site_root, interval=0.2) as calls:
        for name in ("a", "b", "c"):
            (site_root / "initiatives" / f"{name}.yaml").write_text(f"id: {name}\n", encoding="utf-8")
            time.sleep(0.02)  # shorter than the interval: still one burst
        wait_for_a_rebuild(calls, 10)
        time.sleep(1)
    assert calls == [[str(site_root / "initiatives" / f"{name}.yaml") for name in ("a", "b", "c")]]


def test_a_save_is_noticed_at_once_not_at_the_next_scan(site_root):
    # A scan every 3 s: a rebuild within 1.5 s of the save can only come from the file system's notice.
    path = site_root / "initiatives" / "nieuw.yaml"
    with watching(site_root, interval=3) as calls:
        path.write_text("id: nieuw\n", encoding="utf-8")
        in_time = wait_for_a_rebuild(calls, 1.5)
    assert in_time == [[str(path)]]


def test_without_notices_the_scans_still_find_a_change(site_root, monkeypatch):
    monkeypatch.setitem(sys.modules, "watchfiles", None)  # as if it were not installed
    path = site_root / "initiatives" / "nieuw.yaml"
    with watching(site_root, interval=0.1) as calls:
        path.write_text("id: nieuw\n", encoding="utf-8")
        assert wait_for_a_rebuild(calls, 10) == [[str(path)]]
