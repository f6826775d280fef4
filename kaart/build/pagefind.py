"""The browser's search index: Pagefind run over the written factsheet pages.

Runs after Pelican has written the site (the plugin's `finalized` handler), so `kaart build`
and plain `pelican -s pelicanconf.py` both ship a searchable site. Only the factsheet pages
carry `data-pagefind-body`, so the matrix, overviews, navigation and footer stay out of it.

Pagefind holds a whole index in memory: with real text about 250 KB a page, 1.3 GB at 5,000
factsheets. Above `KAART_SEARCH_PART_PAGES` pages (2,000) the pages are split, in the order of a
hash of their address, into equal parts of at most that many, indexed one after the other (each
~0.45 GB at 1,700 pages; together no slower than one run); the first part is the bundle itself,
the others `deel-2/`, `deel-3/`, … inside it, which the search page merges with Pagefind's
`mergeIndex`. A part whose pages did not change is taken over from the site being replaced.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib
import importlib.metadata
import json
import logging
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import IO

from kaart.build.site import new_scratch_folder, previous_site, remove_in_background
from kaart.core import timing
from kaart.features.output import without_late_section
from kaart.features.search import lookup as search_lookup
from kaart.core.fingerprint import package_digest
from kaart.core.workers import at_low_priority

BUNDLE_DIR = "pagefind"
PAGE_FOLDERS = ("initiatief", "organisatie")
PAGES_GLOB = "{" + ",".join(PAGE_FOLDERS) + "}/*/index.html"
# Written into each bundle: a digest of everything it was made from (the pages, this module's
# options and post-processing, Pagefind's version). A build whose pages give the same digest
# takes the bundle of the site it replaces instead of running Pagefind again.
INPUT_DIGEST_FILE = "kaart-invoer.sha256"
# In each part of a bundle in parts: the digest of that part's pages alone.
PART_DIGEST_FILE = "kaart-deel.sha256"
# Parts of a factsheet page that name *other* factsheets, only cite sources or speak about the page
# itself: indexing them would let a search for "VOP" return every page that mentions a relation to
# the VOP, and "verouderd" or "onvolledig" every page with a care note.
EXCLUDE_SELECTORS = (
    "[data-search-ignore]",
    ".kicker",
    "section[aria-labelledby=relaties]",
    "section.neighbourhood",
    "section.sheet-compare",
    "section.sources",
    ".cite",
    ".care-note",
    ".mapping-note",
    ".todo",
)
# Pages per part of the index (the setting KAART_SEARCH_PART_PAGES), and where the other parts go.
PAGES_PER_PART = 2000
PART_FOLDER = "deel-{}"
# In the scratch folder of an index being made: for each part a tree of its pages (start_indexing).
PART_PAGES_DIR = ".pagina-s"
# A merged part needs only its index; the script and the WebAssembly come from the first part.
PART_ONLY_FILES = ("pagefind.js", "pagefind-worker.js", "wasm.")
# The stock UIs Pagefind writes beside its search API; kaart ships its own lean UI.
STOCK_UI_PREFIXES = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")

log = logging.getLogger(__name__)


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site (missing binary or an indexing failure)."""


@dataclass(frozen=True)
class IndexSummary:
    pages: int
    bundle: Path


def index_site(site: Path, keep_stock_ui: bool = False, per_part: int = PAGES_PER_PART) -> IndexSummary:
    """Write the Pagefind bundle into `site/pagefind/`, replacing any earlier one."""
    return finish_indexing(start_indexing(site, per_part=per_part), keep_stock_ui)


def part_count(pages: int, per_part: int = PAGES_PER_PART) -> int:
    """How many parts an index of this many pages is split into (1: not split)."""
    return max(1, -(-pages // max(1, per_part)))


# Inside the bundle: the folders of the parts the search page merges into the first one, so that
# the page always loads the parts of the bundle it is served with (in `kaart serve` a new bundle
# can arrive after the page, with a different number of parts).
PARTS_LIST = f"{search_lookup.LOOKUP_DIR}/delen.json"


def write_parts_list(bundle: Path, parts: int) -> None:
    path = bundle / PARTS_LIST
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(part_folders(parts)), encoding="utf-8")


def part_folders(parts: int) -> list[str]:
    return [PART_FOLDER.format(number) for number in range(2, parts + 1)]


def part_bundles(bundle: Path, parts: int | None = None) -> list[Path]:
    """The folders of a bundle's parts, the bundle itself first (`parts`: how many, if not the
    number found in it)."""
    if parts is None:
        parts = 1 + sum(1 for _ in bundle.glob(PART_FOLDER.format("*")))
    return [bundle] + [bundle / folder for folder in part_folders(parts)]


def split_pages(pages: list[str], parts: int) -> list[list[str]]:
    """The pages of each part: ordered by a hash of their address and cut into runs of equal length,
    so no part is empty or larger than the others, and a page added or removed moves few others."""
    ordered = sorted(pages, key=lambda rel_path: hashlib.sha256(rel_path.encode("utf-8")).digest())
    return [ordered[len(ordered) * number // parts:len(ordered) * (number + 1) // parts] for number in range(parts)]


def indexed_pages(site: Path) -> list[str]:
    """The site-relative paths of the pages Pagefind indexes (PAGES_GLOB)."""
    found = (p.relative_to(site).as_posix() for folder in PAGE_FOLDERS for p in (site / folder).glob("*/index.html"))
    return sorted(found, key=lambda rel: rel.split("/"))


def input_digest(site: Path, written: Mapping[str, bytes] | None = None, per_part: int = PAGES_PER_PART) -> str:
    """What a bundle depends on: the indexed pages, the options and code here, Pagefind's version.

    `written`: the SHA-256 of pages this build wrote, by site-relative path; used when they are
    exactly the indexed pages in `site` (a build into a fresh folder), so nothing is read again.
    """
    return input_digest_of(page_digests(site, written), per_part)


def page_digests(site: Path, written: Mapping[str, bytes] | None = None) -> dict[str, bytes]:
    """The SHA-256 of each indexed page of `site` as Pagefind reads it, without its late section (which
    it leaves out, and which a build fills in while Pagefind runs), by site-relative path
    (`written`: see input_digest)."""
    pages = indexed_pages(site)
    if written is not None and written.keys() == set(pages):
        return dict(written)
    return {rel_path: page_digest(site / rel_path) for rel_path in pages}


def page_digest(page: Path) -> bytes:
    """The SHA-256 of an indexed page as Pagefind reads it (page_digests)."""
    return hashlib.sha256(without_late_section(page.read_bytes())).digest()


def is_indexed_page(rel_path: str) -> bool:
    """Whether Pagefind indexes the page at this site-relative path (PAGES_GLOB)."""
    parts = rel_path.split("/")
    return len(parts) == 3 and parts[0] in PAGE_FOLDERS and parts[2] == "index.html"


def input_digest_of(page_digests: dict[str, bytes], per_part: int = PAGES_PER_PART) -> str:
    """input_digest from the SHA-256 of each indexed page, by site-relative path."""
    digest = hashlib.sha256(package_digest().encode())  # this module, the name lookups and all the rest
    digest.update(importlib.metadata.version("pagefind").encode())
    digest.update(f"parts:{part_count(len(page_digests), per_part)}".encode())
    for rel_path in sorted(page_digests, key=lambda rel: rel.split("/")):
        digest.update(rel_path.encode("utf-8") + b"\0")
        digest.update(page_digests[rel_path])
    return digest.hexdigest()


def reuse_bundle(site: Path, previous: Path, digest: str) -> bool:
    """Give `site` the bundle of `previous` (the site it replaces) if that was made from the same input."""
    old, new = previous / BUNDLE_DIR, site / BUNDLE_DIR
    try:
        if (old / INPUT_DIGEST_FILE).read_text(encoding="utf-8") != digest:
            return False
    except OSError:
        return False
    if old.resolve() != new.resolve():
        if new.exists():
            shutil.rmtree(new)
        shutil.copytree(old, new, copy_function=_link_or_copy)
    return True


@dataclass
class RunningIndex:
    """Pagefind indexing `site` in its own process, while the build goes on with other pages."""

    site: Path
    process: subprocess.Popen | None  # None: the bundle was taken over from the previous site
    output: IO[str] | None  # a file, not a pipe: a full pipe would stall Pagefind while nobody reads it
    digest: str = ""
    into: Path | None = None  # where the bundle is written, if not in the site (kaart serve)
    parts: int = 1
    reused: list[int] = field(default_factory=list)  # the parts taken over, not indexed again
    scratch: Path | None = None  # the trees of pages Pagefind reads (start_indexing): removed after

    def remove_scratch(self) -> None:
        if self.scratch is not None:
            remove_in_background([str(self.scratch)])
            self.scratch = None

    @property
    def bundle(self) -> Path:
        return self.into or self.site / BUNDLE_DIR

    def part_bundles(self) -> list[Path]:
        return part_bundles(self.bundle, self.parts)

    def kill(self) -> None:
        """Stop Pagefind (with more parts: the shell that runs them in turn, and the one running)."""
        if self.process is None or self.process.poll() is not None:
            return
        if self.parts > 1:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        else:
            self.process.kill()


def pagefind_command() -> list[str]:
    """The Pagefind binary itself, found as `python -m pagefind` finds it (PAGEFIND_BINARY_PATH,
    then the extended and the plain binary wheel); that wrapper only looks it up and replaces
    itself with it, but first starts an interpreter and imports asyncio: 0.07 s on a build's
    critical path. (`pagefind.service.get_executable` does the same lookup, but importing it here
    imports asyncio into the build: 0.06 s.) Anything else (a binary on PATH) goes through the
    wrapper as before."""
    if binary := os.environ.get("PAGEFIND_BINARY_PATH"):
        return [binary]
    for wheel in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            return [str(importlib.import_module(wheel).get_executable())]
        except (ImportError, FileNotFoundError):
            continue
    return [sys.executable, "-m", "pagefind"]


def start_indexing(site: Path, digest: str | None = None, into: Path | None = None,
                   per_part: int = PAGES_PER_PART, reuse_from: Path | None = None,
                   digests: Mapping[str, bytes] | None = None, scratch: Path | None = None) -> RunningIndex:
    """Start the Pagefind command (from the `pagefind[bin]` wheel) on the factsheet pages of `site`.

    The command, not Pagefind's Python API: the API stops its indexer right after the indexer
    answers "written", and on large sites that cut off files still being written (an empty
    pagefind-entry.json at 5,000 factsheets); its client also sleeps 0.1 s per answer. The command
    returns only when every file is on disk. The bundle goes to `site/pagefind/` or to `into`.

    More pages than `per_part`: one command per part, run in turn by one shell; a part whose pages
    are those of the same part in the bundle `reuse_from` (the site this one replaces) is taken over
    from it instead. `digests`: the SHA-256 of exactly the indexed pages of `site`, if known
    (`page_digests`; at 5,000 pages each listing of the site's page folders took 0.07 s).

    Pagefind reads each part's pages from a tree of its own in `scratch` (links or copies, made here
    and removed when indexing ends; by default a new folder, in memory where there is room): its
    index depends on the order in which it finds the pages, which in memory follows the order the
    files were made in (a build's workers write its copies in no fixed order), so each tree is made
    in one order. (On a disk the order follows the file system's hash of each name instead.)
    """
    bundle = into or site / BUNDLE_DIR
    if bundle.exists():
        shutil.rmtree(bundle)
    digests = digests if digests is not None else page_digests(site)
    pages = sorted(digests, key=lambda rel: rel.split("/"))
    parts = part_count(len(pages), per_part)
    digest = digest or input_digest_of(digests, per_part)
    scratch = scratch or new_scratch_folder(site, len(pages))
    reused: list[int] = []
    try:
        if parts == 1:
            commands = [_index_command(_link_part_pages(site, pages, scratch / PART_PAGES_DIR / "1"), bundle)]
        else:
            commands, reused = _part_commands(site, bundle, split_pages(pages, parts), digests, reuse_from,
                                              scratch / PART_PAGES_DIR)
    except BaseException:
        remove_in_background([str(scratch)])
        raise
    output = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 (closed by finish/cancel)
    try:
        if parts == 1:
            process = subprocess.Popen(commands[0], stdout=output, stderr=subprocess.STDOUT, text=True)
        else:  # its own process group, so that stopping it stops the Pagefind it is running
            script = " && ".join(shlex.join(command) for command in commands) or ":"
            process = subprocess.Popen(["sh", "-c", script], stdout=output, stderr=subprocess.STDOUT, text=True,
                                       start_new_session=True)
    except FileNotFoundError as missing:
        output.close()
        remove_in_background([str(scratch)])
        raise SearchIndexError(f"Pagefind ontbreekt ({missing}); installeer 'pagefind[bin]'.") from missing
    return RunningIndex(site, process, output, digest, into, parts, reused, scratch)


def _part_commands(site: Path, bundle: Path, shares: list[list[str]], digests: Mapping[str, bytes],
                   reuse_from: Path | None, trees: Path) -> tuple[list[list[str]], list[int]]:
    """The Pagefind command of each part that is not taken over from `reuse_from`, and the numbers
    (0-based) of those taken over. Each part written records the digest of its own pages."""
    commands, reused = [], []
    for number, (share, out) in enumerate(zip(shares, part_bundles(bundle, len(shares)))):
        part_digest = input_digest_of({rel_path: digests[rel_path] for rel_path in share})
        if reuse_from is not None and _take_over_part(reuse_from, out.relative_to(bundle), out, part_digest):
            reused.append(number)
            continue
        tree = _link_part_pages(site, share, trees / str(number + 1))
        commands.append(_index_command(tree, out))
        out.mkdir(parents=True, exist_ok=True)
        (out / PART_DIGEST_FILE).write_text(part_digest, encoding="utf-8")
    return commands, reused


def _take_over_part(previous: Path, folder: Path, target: Path, part_digest: str) -> bool:
    """Copy the part at `folder` of the bundle `previous` to `target` if it was made of the same pages
    (hard links: a site is replaced, never changed in place). The first part is the bundle's own
    files, without the other parts and the name lookups, which are written anew."""
    source = previous / folder
    try:
        if (source / PART_DIGEST_FILE).read_text(encoding="utf-8") != part_digest:
            return False
    except OSError:
        return False
    target.mkdir(parents=True, exist_ok=True)
    for path in source.iterdir():
        if path.name in (INPUT_DIGEST_FILE, search_lookup.LOOKUP_DIR) or path.name.startswith(PART_FOLDER.format("")):
            continue
        if path.is_dir():
            shutil.copytree(path, target / path.name, copy_function=_link_or_copy)
        else:
            _link_or_copy(path, target / path.name)
    return True


def _link_or_copy(source: Path | str, target: Path | str) -> None:
    """A hard link (a site is never changed in place, only replaced, so sharing files is safe)."""
    try:
        os.link(source, target)
    except OSError:  # another file system
        shutil.copyfile(source, target)


def _index_command(site: Path, bundle: Path) -> list[str]:
    command = [*pagefind_command(), "--site", str(site), "--output-path", str(bundle),
               "--force-language", "nl", "--glob", PAGES_GLOB]
    for selector in EXCLUDE_SELECTORS:
        command += ["--exclude-selectors", selector]
    return command


def _link_part_pages(site: Path, pages: list[str], tree: Path) -> Path:
    """A folder that holds these pages at their own addresses (hard links): Pagefind takes its
    pages from a folder and a glob, not from a list."""
    for rel_path in pages:
        target = tree / rel_path
        target.parent.mkdir(parents=True, exist_ok=True)
        _link_or_copy(site / rel_path, target)
    return tree


def start_or_reuse(site: Path, previous: Path | None, written: Mapping[str, bytes] | None = None,
                   per_part: int = PAGES_PER_PART, copies: Path | None = None) -> RunningIndex:
    """Index `site`, or take over the bundle of `previous` when its pages are the same. With `copies`:
    the pages are read from that folder instead (the build's copies of them as Pagefind reads them,
    written while the site's own are not yet), which goes away when indexing ends."""
    pages = copies or site
    digests = page_digests(pages, written)
    digest = input_digest_of(digests, per_part)
    if previous is not None and reuse_bundle(site, previous, digest):
        return RunningIndex(site, None, None, digest, scratch=copies)
    running = start_indexing(pages, digest, into=site / BUNDLE_DIR, per_part=per_part, digests=digests,
                             reuse_from=previous / BUNDLE_DIR if previous is not None else None, scratch=copies)
    return replace(running, site=site)


def finish_indexing(running: RunningIndex, keep_stock_ui: bool = False) -> IndexSummary:
    """Wait for Pagefind, check it indexed something, drop the stock UIs, make the bundle deterministic."""
    bundle = running.bundle
    if running.process is None or running.output is None:  # taken over from the previous site
        running.remove_scratch()
        return IndexSummary(sum(_page_count(part) for part in part_bundles(bundle)), bundle)
    lookups = search_lookup.Lookups()
    try:
        # What is read while Pagefind runs takes only the CPU Pagefind leaves idle.
        returncode = at_low_priority(lambda: _wait_reading(running, lookups), stop=running.kill)
    except BaseException:  # interrupted: Pagefind must not go on writing into a folder being removed
        running.kill()
        running.remove_scratch()
        raise
    running.remove_scratch()  # Pagefind has read the pages
    running.output.seek(0)
    log_text = running.output.read()
    running.output.close()
    if returncode != 0:
        raise SearchIndexError(f"Pagefind kon de site niet indexeren:\n{log_text[-4000:]}")
    pages = sum(int(found) for found in re.findall(r"Indexed (\d+) pages?", log_text))
    parts = running.part_bundles()
    pages += sum(_page_count(parts[number]) for number in running.reused)
    if pages == 0:
        log.warning("Pagefind vond geen fiches om te indexeren in %s", running.site)
    lookups.read_rest(_fragments(running))  # before the later parts' fragments are renamed
    for number, part in enumerate(parts):
        if number in running.reused:
            continue
        for path in part.iterdir():
            if (not keep_stock_ui and path.name.startswith(STOCK_UI_PREFIXES)) or (
                    number > 0 and path.name.startswith(PART_ONLY_FILES)):
                path.unlink()
        make_deterministic(part, number + 1)
    lookups.write(bundle)
    write_parts_list(bundle, len(parts))
    if not keep_stock_ui:  # a bundle with the stock UIs is not what a build would take over
        (bundle / INPUT_DIGEST_FILE).write_text(running.digest, encoding="utf-8")
    return IndexSummary(pages, bundle)


def _page_count(bundle: Path) -> int:
    languages = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"]
    return sum(language["page_count"] for language in languages.values())


def cancel_indexing(running: RunningIndex) -> None:
    """The build failed: stop Pagefind (its output goes away with the staging folder)."""
    if running.process is not None and running.output is not None:
        running.kill()
        running.process.wait()
        running.output.close()
    running.remove_scratch()


# Indexing started during the build (as soon as the factsheet pages are written), by output folder.
_started: dict[Path, RunningIndex] = {}


def start_during_build(site: Path, previous: Path | None, written: Mapping[str, bytes] | None = None,
                       per_part: int = PAGES_PER_PART, copies: Path | None = None) -> None:
    _started[site.resolve()] = start_or_reuse(site, previous, written, per_part, copies)


def cancel_during_build(site: Path) -> None:
    running = _started.pop(site.resolve(), None)
    if running is not None:
        cancel_indexing(running)


# While Pagefind runs, the fragments it has written are read this often, at most this many at a time
# (so that a finished Pagefind is noticed soon, and serve's other thread is not held up).
READ_INTERVAL = 0.05
READ_AT_A_TIME = 200


def _wait_reading(running: RunningIndex, lookups: search_lookup.Lookups) -> int:
    """Wait for Pagefind and return its exit code; meanwhile read the fragments it has finished
    writing. The name and word lookups need every page's fragment: read after Pagefind ended,
    5,000 of them took 1.1 s of the build, while Pagefind writes them a second or more before it
    ends (and an index in parts finishes its earlier parts long before)."""
    assert running.process is not None
    while True:
        try:
            return running.process.wait(timeout=READ_INTERVAL)
        except subprocess.TimeoutExpired:
            lookups.read_ready(_fragments(running), READ_AT_A_TIME)


def _fragments(running: RunningIndex) -> list[search_lookup.Fragment]:
    """The fragment files in the parts' folders now, each with the id the search page will know it
    by: a later part's fresh fragments get the part's number (as make_deterministic renames them)."""
    return [fragment for number, part in enumerate(running.part_bundles())
            for fragment in search_lookup.bundle_fragments(
                part, partial(marked_id, part=number + 1) if number > 0 and number not in running.reused else None)]


def index_after_build(pelican: object) -> None:
    """Pelican's `finalized` signal: every page is written; finish (or run) the indexing now."""
    settings = getattr(pelican, "settings", {})
    if not settings.get("KAART_SEARCH_INDEX", True):
        return
    site = Path(getattr(pelican, "output_path"))
    with timing.stage("zoekindex (Pagefind) afwachten"):
        running = _started.pop(site.resolve(), None) or start_or_reuse(
            site, previous_site(settings, site), per_part=pages_per_part(settings))
        summary = finish_indexing(running)
    log.info("Zoekindex: %d fiches in %s", summary.pages, summary.bundle)


def pages_per_part(settings: Mapping) -> int:
    return int(settings.get("KAART_SEARCH_PART_PAGES", PAGES_PER_PART))


# Pagefind 1.5 writes the values of each filter in the order of a Rust HashMap, which is seeded
# at random: the same site gives different filter files (and so a different metadata file and
# entry hash) on every run. The files are gzip'd CBOR behind a signature; sorting the values and
# naming each file after a hash of its content makes the bundle byte-identical across builds.
SIGNATURE = b"pagefind_dcd"


def _read_cbor(path: Path) -> object:
    import cbor2

    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise SearchIndexError(f"Onverwacht Pagefind-bestand: {path}")
    return cbor2.loads(raw[len(SIGNATURE):])


def _write_cbor(folder: Path, file_name: str, language: str, value: object, digits: int) -> str:
    """Write `value` as Pagefind does, named by `file_name` with a content hash; return the hash."""
    import cbor2

    payload = gzip.compress(SIGNATURE + cbor2.dumps(value), mtime=0)
    content_hash = f"{language}_{hashlib.sha256(payload).hexdigest()[:digits]}"
    (folder / file_name.format(content_hash)).write_bytes(payload)
    return content_hash


def make_deterministic(bundle: Path, part: int = 1) -> None:
    """Sort the filter values and name the files after their content (see above). In the second
    and later parts of an index in parts, each page id also gets the part's number (`nl_1a2b3c4-2`):
    Pagefind keeps ids unique within one index only, and the search page tells results apart by id."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language in sorted(entry["languages"]):
        info = entry["languages"][language]
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read_cbor(meta_path)
        if part > 1:
            meta[1] = [[_mark_page(bundle / "fragment", page_id, part), *rest] for page_id, *rest in meta[1]]
        meta[3] = sorted((_sorted_filter(bundle / "filter", language, name, old) for name, old in meta[3]))
        meta_path.unlink()
        info["hash"] = _write_cbor(bundle, "pagefind.{}.pf_meta", language, meta, 10)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def marked_id(page_id: str, part: int) -> str:
    return f"{page_id}-{part}"


def _mark_page(fragments: Path, page_id: str, part: int) -> str:
    """Rename a page's fragment to the id `page_id-part`; return that id."""
    marked = marked_id(page_id, part)
    suffix = search_lookup.FRAGMENT_SUFFIX
    os.rename(fragments / f"{page_id}{suffix}", fragments / f"{marked}{suffix}")
    return marked


def _sorted_filter(folder: Path, language: str, name: str, old_hash: str) -> list[str]:
    old = folder / f"{old_hash}.pf_filter"
    filter_name, values = _read_cbor(old)
    old.unlink()
    ordered = sorted(([value, sorted(pages)] for value, pages in values), key=lambda pair: pair[0])
    return [name, _write_cbor(folder, "{}.pf_filter", language, [filter_name, ordered], 7)]
