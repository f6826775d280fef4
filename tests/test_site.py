"""Whole builds: atomic (a failure keeps the old site) and deterministic (same bytes twice)."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import pytest


def tree_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_build_writes_every_page_type(build_site):
    problems, output = build_site()
    assert problems == []
    for page in ["index.html", "initiatief/imw/index.html", "organisatie/vdab/index.html",
                 "soort/subsidie/index.html", "situatie/werkgever/index.html",
                 "doelgroep/werkgevers/index.html", "initiatieven/index.html", "organisaties/index.html",
                 "overzicht/index.html", "over/index.html", "bijdragen/index.html", "theme/css/kaart.css"]:
        assert (output / page).is_file(), page
    assert not list(output.rglob("*.yaml")), "factsheet sources must not be copied into the site"


def test_two_builds_are_byte_identical(build_site, site_root, tmp_path):
    problems_a, first = build_site(output=tmp_path / "a")
    problems_b, second = build_site(output=tmp_path / "b")
    assert problems_a == problems_b == []
    assert tree_digest(first) == tree_digest(second)


def test_failed_build_leaves_the_previous_site_untouched(build_site, site_root, write_sheet):
    problems, output = build_site()
    assert problems == []
    before = tree_digest(output)
    write_sheet("initiatives/kapot.yaml", "type: initiatief\nid: kapot\nid: dubbel\n")
    problems, output = build_site()
    assert [p.format_text() for p in problems] == [
        "initiatives/kapot.yaml:3:1: error: de sleutel 'id' staat er twee keer (eerder op regel 2; houd er één)"
    ]
    assert tree_digest(output) == before
    leftovers = [p.name for p in output.parent.iterdir() if p.name.startswith(".build")]
    assert leftovers == [], "the staging folder is cleaned up"


def test_successful_rebuild_replaces_the_site(build_site, site_root):
    build_site()
    (site_root / "initiatives" / "sine.yaml").unlink()
    (site_root / "initiatives" / "imw.yaml").write_text(
        (site_root / "initiatives" / "imw.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    problems, output = build_site()
    assert problems == []
    assert not (output / "initiatief" / "sine").exists()


def test_plain_pelican_builds_the_same_site_as_kaart_build(tmp_path, shipped_site):
    import subprocess
    import sys

    from .conftest import REPO

    pelican = Path(sys.executable).parent / "pelican"
    result = subprocess.run([str(pelican), "-s", "pelicanconf.py", "-o", str(tmp_path / "plain"), "-q"],
                            cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert tree_digest(tmp_path / "plain") == tree_digest(shipped_site)


def test_plain_pelican_stops_on_invalid_factsheets(site_root, write_sheet, tmp_path):
    import subprocess
    import sys

    from .conftest import REPO

    write_sheet("initiatives/x.yaml", "type: initiatief\nid: x\nid: y\n")
    pelican = Path(sys.executable).parent / "pelican"
    result = subprocess.run([str(pelican), "-s", str(REPO / "pelicanconf.py"), "-o", str(tmp_path / "out"),
                             "-e", f'KAART_ROOT="{site_root}"'], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "COLUMNS": "400"})
    assert result.returncode != 0
    assert "initiatives/x.yaml:3:1: error: de sleutel 'id' staat er twee keer" in result.stdout + result.stderr


def test_the_swapped_out_site_is_removed_in_the_background(build_site):
    # Deleting thousands of files takes seconds: a detached process removes the old copy after
    # the swap, and a build that finds a copy left over (its removal cut short) removes it too.
    from kaart.build.site import old_copies

    def gone(output) -> bool:
        deadline = time.monotonic() + 30
        while old_copies(output) and time.monotonic() < deadline:
            time.sleep(0.05)
        return old_copies(output) == []

    problems, output = build_site()
    assert problems == [] and old_copies(output) == []
    for _ in range(2):
        build_site()
        assert len(old_copies(output)) <= 1
        assert gone(output)
    leftover = output.parent / f".{output.name}-old-leftover"
    shutil.copytree(output, leftover)
    build_site()
    assert gone(output) and not leftover.exists()


def test_pages_made_in_worker_processes_are_the_same_bytes(build_site, tmp_path, monkeypatch):
    # Large sites make their factsheet pages on every core (kaart.core.workers); the result must not
    # depend on how many processes made it, with or without the render cache.
    monkeypatch.setenv("KAART_NO_CACHE", "1")
    monkeypatch.setenv("KAART_WORKERS", "1")
    problems, alone = build_site(output=tmp_path / "one")
    assert problems == []
    monkeypatch.setenv("KAART_WORKERS", "3")
    problems, shared = build_site(output=tmp_path / "three")
    assert problems == []
    assert tree_digest(shared) == tree_digest(alone)
    monkeypatch.delenv("KAART_NO_CACHE")
    build_site(output=tmp_path / "cached")
    problems, from_cache = build_site(output=tmp_path / "cached")  # its pages from the one it replaces
    assert problems == [] and tree_digest(from_cache) == tree_digest(alone)


def test_an_error_in_a_worker_fails_the_build_and_keeps_the_old_site(build_site, monkeypatch):
    from kaart.features.graph import pages as graph_emitter

    problems, output = build_site()
    assert problems == []
    before = tree_digest(output)
    monkeypatch.setenv("KAART_WORKERS", "2")
    original = graph_emitter.neighbourhood_provider

    def breaking(kb, store=None):
        provide = original(kb, store)
        def provide_or_fail(sheet):
            if sheet.id == "sine":  # the third sheet: made by a worker, not by this process
                raise RuntimeError("kapot")
            return provide(sheet)

        return provide_or_fail

    monkeypatch.setattr(graph_emitter, "neighbourhood_provider", breaking)
    with pytest.raises(RuntimeError, match="kapot"):
        build_site()
    assert tree_digest(output) == before
    assert not [p for p in output.parent.iterdir() if p.name.startswith(".build-new-")]


def test_a_killed_build_leaves_nothing_the_next_build_does_not_remove(build_site, site_root, tmp_path):
    import os
    import subprocess
    import time

    from kaart.build.site import BUILDER_FILE, old_copies

    output = tmp_path / "site"
    dead = subprocess.Popen(["true"])
    dead.wait()
    killed = tmp_path / ".site-new-killed"
    killed.mkdir()
    (killed / BUILDER_FILE).write_text(str(dead.pid))
    running = tmp_path / ".site-new-running"
    running.mkdir()
    (running / BUILDER_FILE).write_text(str(os.getpid()))
    assert old_copies(output) == [str(killed)], "the folder of a build still running is left alone"
    problems, _ = build_site(output=output)
    assert problems == []
    for _ in range(50):
        if not killed.exists():
            break
        time.sleep(0.1)
    assert not killed.exists() and running.exists()
    assert not (output / BUILDER_FILE).exists()


def test_the_pages_for_pagefind_go_to_the_disk_when_memory_has_no_room(build_site, tmp_path, monkeypatch):
    from kaart.build import site as site_module

    problems, in_memory = build_site(output=tmp_path / "memory")
    assert problems == []
    monkeypatch.setattr(site_module, "ROOM_PER_PAGE", 1 << 50)  # no memory folder has that much room
    made = []
    new_folder = site_module.new_folder_beside
    monkeypatch.setattr(site_module, "new_folder_beside", lambda output: made.append(new_folder(output)) or made[-1])
    problems, on_disk = build_site(output=tmp_path / "disk")
    assert problems == []
    # The same site, and the same pages in the search index; Pagefind numbers the pages in the order
    # it finds them, which on a disk follows its file system (pagefind.start_indexing), so only the
    # files that hold those numbers may differ.
    numbered = ("pagefind/index/", "pagefind/filter/", "pagefind/pagefind.nl_", "pagefind/pagefind-entry.json")
    same = [{path: digest for path, digest in tree_digest(site).items() if not path.startswith(numbered)}
            for site in (in_memory, on_disk)]
    assert same[0] == same[1] and any(path.startswith("pagefind/fragment/") for path in same[0])
    assert any(folder.parent == tmp_path and folder != on_disk for folder in made), "the copies, beside the site"
    deadline = time.monotonic() + 30
    while any(folder.exists() for folder in made) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(folder.exists() for folder in made)


def test_the_pages_for_pagefind_of_a_killed_build_are_removed_from_memory(build_site, tmp_path):
    import subprocess

    from kaart.build.site import BUILDER_FILE, MEMORY, SCRATCH_PREFIX

    if not MEMORY.is_dir():
        pytest.skip("no folder in memory on this system")
    dead = subprocess.Popen(["true"])
    dead.wait()
    killed = MEMORY / f"{SCRATCH_PREFIX}test-killed-{os.getpid()}"
    killed.mkdir()
    (killed / BUILDER_FILE).write_text(str(dead.pid))
    running = MEMORY / f"{SCRATCH_PREFIX}test-running-{os.getpid()}"
    running.mkdir()
    (running / BUILDER_FILE).write_text(str(os.getpid()))
    try:
        problems, _ = build_site(output=tmp_path / "site")
        assert problems == []
        deadline = time.monotonic() + 30
        while killed.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not killed.exists() and running.exists(), "only the folder of a build no longer running"
    finally:
        shutil.rmtree(killed, ignore_errors=True)
        shutil.rmtree(running, ignore_errors=True)
