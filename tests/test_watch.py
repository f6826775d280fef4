"""`kaart serve` watches the project: which changes it sees, one rebuild per burst of writes, a
save noticed at once, and scans seldom while notices come."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kaart.build import watch as watch_module
from kaart.build.watch import Notices, changed_paths, snapshot, watch


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
def watching(site_root: Path, interval: float, **options: float) -> Iterator[list[list[str]]]:
    """`watch` running in a thread for the block (stopped after it); the changes of each rebuild."""
    calls: list[list[str]] = []
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(site_root, calls.append),
                               kwargs={"interval": interval, "should_stop": stop.is_set, **options})
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


def counted_scans(monkeypatch) -> list[float]:
    scans: list[float] = []
    real = watch_module.snapshot

    def counted(*args, **kwargs):
        scans.append(time.monotonic())
        return real(*args, **kwargs)

    monkeypatch.setattr(watch_module, "snapshot", counted)
    return scans


def test_while_notices_come_an_idle_watcher_scans_seldom(site_root, monkeypatch):
    scans = counted_scans(monkeypatch)
    path = site_root / "initiatives" / "nieuw.yaml"
    with watching(site_root, interval=0.05, quiet_interval=3.0) as calls:
        time.sleep(1.5)
        idle = len(scans)  # two seconds in all, with the helper's start: 40 scans every 0.05 s
        path.write_text("id: nieuw\n", encoding="utf-8")
        in_time = wait_for_a_rebuild(calls, 0.8)  # the notice: the next scan is a second away
    assert idle <= 4
    assert in_time == [[str(path)]]


def test_a_change_that_sent_no_notice_makes_the_watcher_scan_often_again(site_root, monkeypatch):
    # Watching, but silent, as in a container's mounted folder that sends no notices.
    monkeypatch.setattr(Notices, "_watch", lambda self, *args: self._stopped.wait())
    first, second = (site_root / "initiatives" / f"{name}.yaml" for name in ("eerste", "tweede"))
    with watching(site_root, interval=0.05, quiet_interval=2.0) as calls:
        first.write_text("id: eerste\n", encoding="utf-8")
        found_by_a_quiet_scan = wait_for_a_rebuild(calls, 5)
        second.write_text("id: tweede\n", encoding="utf-8")
        deadline = time.monotonic() + 1.0  # the next quiet scan would come 2 s after the rebuild
        while len(calls) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        found = list(calls)
    assert found_by_a_quiet_scan == [[str(first)]]
    assert found == [[str(first)], [str(second)]]


def test_a_settings_file_outside_the_watched_folders_sends_notices(tmp_path):
    settings = tmp_path / "pelicanconf.py"
    settings.write_text("SITENAME = 'a'\n", encoding="utf-8")
    notices = Notices([], [settings])
    try:
        time.sleep(0.3)  # the thread is watching
        (tmp_path / "README.md").write_text("niet gelezen\n", encoding="utf-8")
        other = notices.wait(0.5)
        replacement = tmp_path / "pelicanconf.py.nieuw"  # saved as editors do: a new file renamed over it
        replacement.write_text("SITENAME = 'b'\n", encoding="utf-8")
        replacement.replace(settings)
        saved = notices.wait(2)
    finally:
        notices.stop()
    assert (other, saved) == (False, True)
