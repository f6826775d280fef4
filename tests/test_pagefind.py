"""The browser's search index: written by every build, only factsheets, byte-identical."""

from __future__ import annotations

import gzip
import json
import os
import re
import sys
import time
from pathlib import Path

from kaart.build.pagefind import INPUT_DIGEST_FILE, PARTS_LIST, SIGNATURE, _read_cbor, index_site, input_digest, pagefind_command

from .test_site import tree_digest


def entry(site):
    return entry_of(site / "pagefind")


def entry_of(bundle):
    return json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))


def test_plain_pelican_run_writes_the_search_bundle(site_root, tmp_path):
    from kaart.build.site import run_pelican

    from .conftest import REPO

    output = tmp_path / "pelican-out"
    run_pelican(REPO / "pelicanconf.py", output, {"KAART_ROOT": str(site_root)})
    assert (output / "pagefind" / "pagefind.js").is_file()
    assert entry(output)["languages"]["nl"]["page_count"] == 5  # 4 initiatives + 1 organisation


def test_only_factsheet_pages_are_indexed_and_stock_ui_is_dropped(build_site):
    problems, output = build_site()
    assert problems == []
    bundle = output / "pagefind"
    assert entry(output)["languages"]["nl"]["page_count"] == 5
    assert not list(bundle.glob("pagefind-ui.*"))
    meta = _read_cbor(next(bundle.glob("pagefind.*.pf_meta")))
    assert [name for name, _ in meta[3]] == ["aanbieder", "doelgroep", "regio", "situatie", "soort", "status", "type"]


def test_reindexing_gives_byte_identical_bundles(build_site):
    # Pagefind itself writes filter values in random (hash map) order; kaart sorts them.
    problems, output = build_site()
    assert problems == []
    digests = []
    for _ in range(3):
        index_site(output)
        digests.append(tree_digest(output / "pagefind"))
    assert digests[0] == digests[1] == digests[2]


def test_filter_values_are_sorted(build_site):
    problems, output = build_site()
    for path in (output / "pagefind" / "filter").iterdir():
        _, values = _read_cbor(path)
        keys = [value for value, _ in values]
        assert keys == sorted(keys)


def test_indexing_starts_once_the_factsheets_are_written(build_site, monkeypatch):
    # Pagefind runs beside the rest of the build: started right after the factsheet pages, before
    # the overview pages are written, and waited for at the end.
    from kaart.build import pagefind as pagefind_index
    from kaart.features import overviews

    events = []
    start, overview_emit = pagefind_index.start_or_reuse, overviews.emit

    def start_or_reuse(site, *rest, **options):
        # The factsheet pages come first: not even the matrix (the site's front page) is written yet.
        events.append("index" if not (site / "index.html").exists() else "index after the matrix")
        return start(site, *rest, **options)

    monkeypatch.setattr(pagefind_index, "start_or_reuse", start_or_reuse)

    def emit_overviews(kb, store=None):
        events.append("overviews")
        yield from overview_emit(kb, store)

    monkeypatch.setattr(overviews, "emit", emit_overviews)
    problems, output = build_site()
    assert problems == []
    assert events == ["index", "overviews"]
    assert entry(output)["languages"]["nl"]["page_count"] == 5


def test_a_build_that_fails_after_indexing_started_stops_pagefind(build_site, monkeypatch):
    from kaart.build import pagefind as pagefind_index
    from kaart.features import overviews

    started = []
    start = pagefind_index.start_indexing
    monkeypatch.setattr(pagefind_index, "start_indexing", lambda site, *rest, **options: started.append(start(site, *rest, **options)) or started[-1])

    def broken(kb, store=None):
        raise RuntimeError("boom")
        yield

    monkeypatch.setattr(overviews, "emit", broken)
    try:
        build_site()
    except RuntimeError:
        pass
    assert len(started) == 1
    assert started[0].process.poll() is not None  # not left running
    assert pagefind_index._started == {}
    command = started[0].process.args
    scratch = Path(command[command.index("--site") + 1]).parent.parent  # the pages it read
    deadline = time.monotonic() + 30
    while scratch.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not scratch.exists(), "the pages made for Pagefind are removed (from memory, perhaps)"


def fragments(site):
    for path in sorted((site / "pagefind" / "fragment").iterdir()):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(SIGNATURE)
        yield json.loads(raw[len(SIGNATURE):])


def test_the_hidden_word_forms_end_the_indexed_text(build_site):
    # The search page cuts excerpts at the #zoekvormen anchor and starts them at #samenvatting:
    # both must be where Pagefind's word positions say, the forms last.
    problems, output = build_site()
    assert problems == []
    checked = 0
    for fragment in fragments(output):
        anchors = {anchor["id"]: anchor["location"] for anchor in fragment["anchors"]}
        words = fragment["content"].split()
        html = (output / fragment["url"].strip("/") / "index.html").read_text(encoding="utf-8")
        summary = re.search(r'<p class="lead" id="samenvatting">(.*?)</p>', html).group(1)
        assert words[anchors["samenvatting"]] == summary.split()[0]
        forms = re.search(r'<p id="zoekvormen"[^>]*>(.*?)</p>', html)
        if forms:
            assert " ".join(words[anchors["zoekvormen"]:]).rstrip(".") == forms.group(1)
            checked += 1
    assert checked


def count_indexing(monkeypatch) -> list[Path]:
    from kaart.build import pagefind as pagefind_index

    runs: list[Path] = []
    start = pagefind_index.start_indexing
    monkeypatch.setattr(pagefind_index, "start_indexing", lambda site, *rest, **options: runs.append(site) or start(site, *rest, **options))
    return runs


def test_a_rebuild_with_the_same_pages_takes_over_the_bundle(build_site, site_root, monkeypatch):
    problems, output = build_site()
    assert problems == []
    before = tree_digest(output / "pagefind")
    runs = count_indexing(monkeypatch)
    assert build_site()[0] == []
    assert runs == [], "same pages: Pagefind does not run again"
    assert tree_digest(output / "pagefind") == before
    assert (output / "pagefind" / INPUT_DIGEST_FILE).read_text(encoding="utf-8") == input_digest(output)


def test_a_changed_page_or_a_missing_digest_indexes_again(build_site, site_root, monkeypatch):
    problems, output = build_site()
    runs = count_indexing(monkeypatch)
    sheet = site_root / "initiatives" / "imw.yaml"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("samenvatting: ", "samenvatting: Vernieuwd. "),
                     encoding="utf-8")
    assert build_site()[0] == [] and len(runs) == 1
    assert any("Vernieuwd" in fragment["content"] for fragment in fragments(output))
    (output / "pagefind" / INPUT_DIGEST_FILE).unlink()
    assert build_site()[0] == [] and len(runs) == 2


def test_the_input_digest_takes_the_written_pages_only_when_they_are_all_the_indexed_pages(tmp_path):
    import hashlib

    for rel_path, text in (("initiatief/a/index.html", "<p>a</p>"), ("organisatie/b/index.html", "<p>b</p>")):
        (tmp_path / rel_path).parent.mkdir(parents=True)
        (tmp_path / rel_path).write_text(text, encoding="utf-8")
    on_disk = input_digest(tmp_path)
    written = {"initiatief/a/index.html": hashlib.sha256(b"<p>a</p>").digest(),
               "organisatie/b/index.html": hashlib.sha256(b"<p>b</p>").digest()}
    assert input_digest(tmp_path, written) == on_disk
    # A page on disk that this build did not write (a plain Pelican run over an old output folder):
    # everything is read, so the digest is still that of the pages Pagefind will index.
    (tmp_path / "initiatief/old").mkdir()
    (tmp_path / "initiatief/old/index.html").write_text("<p>old</p>", encoding="utf-8")
    assert input_digest(tmp_path, written) == input_digest(tmp_path) != on_disk


def test_pagefind_runs_as_the_binary_the_wrapper_would_run(monkeypatch, tmp_path):
    # `python -m pagefind` only finds the binary and replaces itself with it; kaart starts the
    # binary directly, found the same way, and falls back to the wrapper when there is none.
    import importlib
    import subprocess
    import sys

    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    command = pagefind_command()
    assert len(command) == 1 and Path(command[0]).name == "pagefind" and Path(command[0]).is_file()
    version = subprocess.run([*command, "--version"], capture_output=True, text=True, check=True).stdout
    wrapped = subprocess.run([sys.executable, "-m", "pagefind", "--version"], capture_output=True, text=True, check=True)
    assert version == wrapped.stdout

    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "my-pagefind"))
    assert pagefind_command() == [str(tmp_path / "my-pagefind")]

    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    real_import = importlib.import_module

    def without_wheels(name, *rest):
        if name.startswith("pagefind_bin"):
            raise ImportError(name)
        return real_import(name, *rest)

    monkeypatch.setattr(importlib, "import_module", without_wheels)
    assert pagefind_command() == [sys.executable, "-m", "pagefind"]


def build_in_parts(site_root: Path, output: Path, per_part: int) -> Path:
    from kaart.build.site import run_pelican

    from .conftest import REPO

    run_pelican(REPO / "pelicanconf.py", output, {"KAART_ROOT": str(site_root), "KAART_SEARCH_PART_PAGES": per_part})
    return output


def part_fragments(bundle: Path) -> list[dict]:
    found = []
    for path in sorted((bundle / "fragment").iterdir()):
        raw = gzip.decompress(path.read_bytes())
        found.append(json.loads(raw[len(SIGNATURE):]) | {"id": path.name.removesuffix(".pf_fragment")})
    return found


def test_more_pages_than_a_part_holds_split_the_index_in_equal_parts(site_root, tmp_path):
    from kaart.build.pagefind import PART_PAGES_DIR, indexed_pages, split_pages

    output = build_in_parts(site_root, tmp_path / "site", per_part=2)  # 5 pages: 3 parts
    bundle = output / "pagefind"
    parts = [bundle, bundle / "deel-2", bundle / "deel-3"]
    assert sorted(p.name for p in bundle.glob("deel-*")) == ["deel-2", "deel-3"]
    urls = []
    for part, expected in zip(parts, split_pages(indexed_pages(output), 3)):
        pages = [fragment["url"] for fragment in part_fragments(part)]
        assert sorted(url.strip("/") + "/index.html" for url in pages) == sorted(expected)
        assert len(pages) in (1, 2)  # equal shares of 5
        assert entry_of(part)["languages"]["nl"]["page_count"] == len(pages)
        urls += pages
    assert len(urls) == 5
    assert sorted(urls) == sorted("/" + rel.removesuffix("index.html") for rel in indexed_pages(output))
    # The search page merges exactly the parts the bundle lists (not the page: in serve a new bundle
    # may come after it); they need no script or WebAssembly of their own.
    assert json.loads((bundle / PARTS_LIST).read_text(encoding="utf-8")) == ["deel-2", "deel-3"]
    assert "deel-" not in (output / "zoeken" / "index.html").read_text(encoding="utf-8")
    assert (bundle / "pagefind.js").is_file() and (bundle / "wasm.nl.pagefind").is_file()
    assert not [p.name for part in parts[1:] for p in part.iterdir() if p.name.startswith(("pagefind.js", "wasm."))]
    assert not (bundle / PART_PAGES_DIR).exists()
    deadline = time.monotonic() + 10  # the trees of page links are deleted in the background
    while list(tmp_path.glob("site-pagina-s-*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not list(tmp_path.glob("site-pagina-s-*"))
    # Page ids are unique over all parts (Pagefind makes them unique within one index): the later
    # parts' ids carry their number, in the fragments' names and in the part's page list.
    ids = {number: {fragment["id"] for fragment in part_fragments(part)} for number, part in enumerate(parts, 1)}
    assert len(set.union(*ids.values())) == 5
    assert all(page_id.endswith(f"-{number}") for number in (2, 3) for page_id in ids[number])
    for number, part in enumerate(parts, 1):
        assert {page[0] for page in _read_cbor(next(part.glob("pagefind.*.pf_meta")))[1]} == ids[number]
    # The exact-name lookups cover the pages of every part.
    names = {}
    for path in (bundle / "kaart" / "namen").iterdir():
        names.update(json.loads(path.read_text(encoding="utf-8")))
    named = {page_id for ids in names.values() for page_id in ids}
    assert named == {fragment["id"] for part in parts for fragment in part_fragments(part)}


def test_a_split_index_is_byte_identical_across_builds_and_absent_below_the_part_size(site_root, tmp_path):
    first = tree_digest(build_in_parts(site_root, tmp_path / "a", per_part=2) / "pagefind")
    assert tree_digest(build_in_parts(site_root, tmp_path / "b", per_part=2) / "pagefind") == first
    whole = build_in_parts(site_root, tmp_path / "c", per_part=5)
    assert not list((whole / "pagefind").glob("deel-*"))
    assert json.loads((whole / "pagefind" / PARTS_LIST).read_text(encoding="utf-8")) == []
    assert entry(whole)["languages"]["nl"]["page_count"] == 5


def test_a_build_that_fails_while_parts_are_indexed_stops_them_all(site_root, tmp_path):
    from kaart.build import pagefind as pagefind_index

    site = build_in_parts(site_root, tmp_path / "site", per_part=1)
    running = pagefind_index.start_indexing(site, per_part=1)
    assert running.parts == 5
    deadline = time.monotonic() + 10
    while len(running_in_group(running.process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.001)  # until the shell has started a Pagefind
    pagefind_index.cancel_indexing(running)
    assert running.process.poll() is not None
    assert running_in_group(running.process.pid) == []  # no Pagefind left writing into the bundle


def running_in_group(group: int) -> list[str]:
    """The processes of a process group that still run (not zombies), from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            found.append(stat.parent.name)
    return found


def build_with_parts(site_root: Path, output: Path, per_part: int) -> None:
    """`kaart build` (into a new folder, then swapped in) with the search index in parts."""
    from kaart.build.site import build_staging, swap_in

    from .conftest import REPO

    staging, problems = build_staging(site_root, output, REPO / "pelicanconf.py",
                                      overrides={"KAART_SEARCH_PART_PAGES": per_part})
    assert problems == []
    swap_in(staging, output)


def test_a_rebuild_indexes_again_only_the_parts_whose_pages_changed(site_root, tmp_path, monkeypatch):
    from kaart.build import pagefind as pagefind_index

    site = tmp_path / "site"
    build_with_parts(site_root, site, per_part=2)
    before = {part.name: tree_digest(part) for part in (site / "pagefind").glob("deel-*")}
    indexed = []
    command = pagefind_index._index_command
    monkeypatch.setattr(pagefind_index, "_index_command", lambda tree, out: indexed.append(out) or command(tree, out))
    sheet = site_root / "initiatives" / "imw.yaml"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("beschrijving: |\n", "beschrijving: |\n  Vernieuwd.\n"),
                     encoding="utf-8")
    build_with_parts(site_root, site, per_part=2)
    assert len(indexed) == 1, "one page changed: only its part is indexed"
    changed_part = indexed[0].name  # "pagefind": the first part, the bundle's own files; or "deel-N"
    after = {part.name: tree_digest(part) for part in (site / "pagefind").glob("deel-*")}
    assert [name for name in before if before[name] != after[name]] == [changed_part] * (changed_part != "pagefind")
    # Taken over or indexed again, the bundle is the one a build from nothing makes.
    monkeypatch.setenv("KAART_NO_CACHE", "1")
    build_with_parts(site_root, tmp_path / "cold", per_part=2)
    assert tree_digest(site / "pagefind") == tree_digest(tmp_path / "cold" / "pagefind")
    assert any("Vernieuwd" in fragment["content"]
               for part in [site / "pagefind", *(site / "pagefind").glob("deel-*")]
               for fragment in part_fragments(part))


def test_the_fragments_are_read_while_pagefind_still_runs(site_root, tmp_path, monkeypatch):
    # Each Pagefind lingers after writing its part: the build reads every fragment while waiting,
    # and the lookups are what reading the finished parts gives (later parts' ids marked).
    import shlex
    import threading

    from kaart.build.pagefind import part_bundles
    from kaart.core.workers import LOW_PRIORITY
    from kaart.features.search import lookup

    slow = tmp_path / "slow-pagefind"
    slow.write_text(f'#!/bin/sh\n{shlex.join(pagefind_command())} "$@" && sleep 0.3\n', encoding="utf-8")
    slow.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(slow))
    left = []
    read_rest = lookup.Lookups.read_rest
    monkeypatch.setattr(lookup.Lookups, "read_rest", lambda self, fragments: left.append(
        sum(path not in self.done for path, _ in fragments)) or read_rest(self, fragments))
    niceness = set()
    read_ready = lookup.Lookups.read_ready
    monkeypatch.setattr(lookup.Lookups, "read_ready", lambda self, fragments, most: niceness.add(
        os.getpriority(os.PRIO_PROCESS, threading.get_native_id())) or read_ready(self, fragments, most))
    bundle = build_in_parts(site_root, tmp_path / "site", per_part=2) / "pagefind"
    assert left == [0], "all five fragments read before the last Pagefind ended"
    if sys.platform.startswith("linux"):
        assert niceness == {LOW_PRIORITY}, "read with only the CPU Pagefind leaves idle"
    lookup.write_lookups(tmp_path / "after", [f for part in part_bundles(bundle, 3) for f in lookup.bundle_fragments(part)])
    after = {p.relative_to(tmp_path / "after").as_posix(): p.read_bytes() for p in (tmp_path / "after").rglob("*.json")}
    built = {p.relative_to(bundle).as_posix(): p.read_bytes() for p in (bundle / "kaart").rglob("*.json")
             if p.relative_to(bundle).as_posix() != PARTS_LIST}
    assert after and after == built


def copy_pages(site: Path, into: Path, pages: list[str], change=lambda html: html) -> Path:
    for rel_path in pages:
        (into / rel_path).parent.mkdir(parents=True, exist_ok=True)
        (into / rel_path).write_bytes(change((site / rel_path).read_bytes()))
    return into


def test_the_index_is_the_same_with_or_without_the_late_sections(shipped_site, tmp_path):
    # A build's Pagefind reads its pages before their similar lists are filled in; kaart serve's reads
    # the finished pages: the similar lists are left out of the index, so both give the same bundle.
    from kaart.build.pagefind import indexed_pages
    from kaart.features.output import without_late_section

    pages = indexed_pages(shipped_site)
    whole = copy_pages(shipped_site, tmp_path / "whole", pages)
    emptied = copy_pages(shipped_site, tmp_path / "emptied", pages, without_late_section)
    assert tree_digest(whole) != tree_digest(emptied)
    index_site(whole)
    index_site(emptied)
    assert tree_digest(whole / "pagefind") == tree_digest(emptied / "pagefind")


def test_the_index_does_not_depend_on_the_order_the_pages_were_written_in(shipped_site):
    # Pagefind's index follows the order it finds the pages in; in memory that is the order they
    # were made in, which several processes writing pages do not keep. It reads trees made in one order.
    import shutil
    import tempfile

    import pytest

    from kaart.build import site as site_module
    from kaart.build.pagefind import indexed_pages

    if not site_module.MEMORY.is_dir():
        pytest.skip("no folder in memory on this system")
    pages = indexed_pages(shipped_site)
    bundles = []
    with tempfile.TemporaryDirectory(dir=site_module.MEMORY) as scratch:
        for name, order in (("sorted", pages), ("reversed", pages[::-1])):
            folder = copy_pages(shipped_site, Path(scratch) / name, order)
            index_site(folder)
            bundles.append(tree_digest(folder / "pagefind"))
            shutil.rmtree(folder / "initiatief")
    assert bundles[0] == bundles[1]


def test_the_pages_pagefind_read_are_removed_once_it_is_done(build_site, monkeypatch):
    from kaart.build import pagefind as pagefind_index

    scratch = []
    start = pagefind_index.start_indexing

    def start_indexing(*args, **options):
        running = start(*args, **options)
        command = running.process.args
        scratch.append((running.scratch, Path(command[command.index("--site") + 1])))
        return running

    monkeypatch.setattr(pagefind_index, "start_indexing", start_indexing)
    problems, output = build_site()
    assert problems == [] and len(scratch) == 1
    folder, tree = scratch[0]
    assert tree.is_relative_to(folder) and not tree.is_relative_to(output), "Pagefind read a tree made for it"
    deadline = time.monotonic() + 30
    while folder.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not folder.exists()
