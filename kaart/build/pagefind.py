"""The browser's search index: Pagefind run over the written factsheet pages.

Runs after Pelican has written the site (the plugin's `finalized` handler), so `kaart build`
and plain `pelican -s pelicanconf.py` both ship a searchable site. Only the factsheet pages
carry `data-pagefind-body`, so the matrix, overviews, navigation and footer stay out of it.
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
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from kaart.build.site import previous_site
from kaart.core import timing
from kaart.features.search import lookup as search_lookup
from kaart.core.fingerprint import package_digest

BUNDLE_DIR = "pagefind"
PAGE_FOLDERS = ("initiatief", "organisatie")
PAGES_GLOB = "{" + ",".join(PAGE_FOLDERS) + "}/*/index.html"
# Written into each bundle: a digest of everything it was made from (the pages, this module's
# options and post-processing, Pagefind's version). A build whose pages give the same digest
# takes the bundle of the site it replaces instead of running Pagefind again.
INPUT_DIGEST_FILE = "kaart-invoer.sha256"
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
# The stock UIs Pagefind writes beside its search API; kaart ships its own lean UI.
STOCK_UI_PREFIXES = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")

log = logging.getLogger(__name__)


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site (missing binary or an indexing failure)."""


@dataclass(frozen=True)
class IndexSummary:
    pages: int
    bundle: Path


def index_site(site: Path, keep_stock_ui: bool = False) -> IndexSummary:
    """Write the Pagefind bundle into `site/pagefind/`, replacing any earlier one."""
    return finish_indexing(start_indexing(site), keep_stock_ui)


def input_digest(site: Path, written: Mapping[str, bytes] | None = None) -> str:
    """What a bundle depends on: the indexed pages, the options and code here, Pagefind's version.

    `written`: the SHA-256 of pages this build wrote, by site-relative path; used when they are
    exactly the indexed pages in `site` (a build into a fresh folder), so nothing is read again.
    """
    pages = {p.relative_to(site).as_posix(): p for folder in PAGE_FOLDERS for p in (site / folder).glob("*/index.html")}
    if written is not None and written.keys() == pages.keys():
        return input_digest_of(written)
    return input_digest_of({rel_path: hashlib.sha256(p.read_bytes()).digest() for rel_path, p in pages.items()})


def is_indexed_page(rel_path: str) -> bool:
    """Whether Pagefind indexes the page at this site-relative path (PAGES_GLOB)."""
    parts = rel_path.split("/")
    return len(parts) == 3 and parts[0] in PAGE_FOLDERS and parts[2] == "index.html"


def input_digest_of(page_digests: dict[str, bytes]) -> str:
    """input_digest from the SHA-256 of each indexed page, by site-relative path."""
    digest = hashlib.sha256(package_digest().encode())  # this module, the name lookups and all the rest
    digest.update(importlib.metadata.version("pagefind").encode())
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
        try:  # hard links: a site is never changed in place, only replaced, so sharing files is safe
            shutil.copytree(old, new, copy_function=os.link)
        except OSError:  # another file system
            shutil.rmtree(new, ignore_errors=True)
            shutil.copytree(old, new)
    return True


@dataclass
class RunningIndex:
    """Pagefind indexing `site` in its own process, while the build goes on with other pages."""

    site: Path
    process: subprocess.Popen | None  # None: the bundle was taken over from the previous site
    output: IO[str] | None  # a file, not a pipe: a full pipe would stall Pagefind while nobody reads it
    digest: str = ""
    into: Path | None = None  # where the bundle is written, if not in the site (kaart serve)

    @property
    def bundle(self) -> Path:
        return self.into or self.site / BUNDLE_DIR


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


def start_indexing(site: Path, digest: str | None = None, into: Path | None = None) -> RunningIndex:
    """Start the Pagefind command (from the `pagefind[bin]` wheel) on the factsheet pages of `site`.

    The command, not Pagefind's Python API: the API stops its indexer right after the indexer
    answers "written", and on large sites that cut off files still being written (an empty
    pagefind-entry.json at 5,000 factsheets); its client also sleeps 0.1 s per answer. The command
    returns only when every file is on disk. The bundle goes to `site/pagefind/` or to `into`.
    """
    bundle = into or site / BUNDLE_DIR
    if bundle.exists():
        shutil.rmtree(bundle)
    command = [*pagefind_command(), "--site", str(site), "--output-path", str(bundle),
               "--force-language", "nl", "--glob", PAGES_GLOB]
    for selector in EXCLUDE_SELECTORS:
        command += ["--exclude-selectors", selector]
    digest = digest or input_digest(site)
    output = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 (closed by finish/cancel)
    try:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, text=True)
    except FileNotFoundError as missing:
        output.close()
        raise SearchIndexError(f"Pagefind ontbreekt ({missing}); installeer 'pagefind[bin]'.") from missing
    return RunningIndex(site, process, output, digest, into)


def start_or_reuse(site: Path, previous: Path | None, written: Mapping[str, bytes] | None = None) -> RunningIndex:
    """Index `site`, or take over the bundle of `previous` when its pages are the same."""
    digest = input_digest(site, written)
    if previous is not None and reuse_bundle(site, previous, digest):
        return RunningIndex(site, None, None, digest)
    return start_indexing(site, digest)


def finish_indexing(running: RunningIndex, keep_stock_ui: bool = False) -> IndexSummary:
    """Wait for Pagefind, check it indexed something, drop the stock UIs, make the bundle deterministic."""
    bundle = running.bundle
    if running.process is None or running.output is None:  # taken over from the previous site
        pages = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"]
        return IndexSummary(sum(language["page_count"] for language in pages.values()), bundle)
    returncode = running.process.wait()
    running.output.seek(0)
    log_text = running.output.read()
    running.output.close()
    if returncode != 0:
        raise SearchIndexError(f"Pagefind kon de site niet indexeren:\n{log_text[-4000:]}")
    found = re.search(r"Indexed (\d+) pages?", log_text)
    pages = int(found.group(1)) if found else 0
    if pages == 0:
        log.warning("Pagefind vond geen fiches om te indexeren in %s", running.site)
    if not keep_stock_ui:
        for path in bundle.iterdir():
            if path.name.startswith(STOCK_UI_PREFIXES):
                path.unlink()
    make_deterministic(bundle)
    search_lookup.write_lookups(bundle)
    if not keep_stock_ui:  # a bundle with the stock UIs is not what a build would take over
        (bundle / INPUT_DIGEST_FILE).write_text(running.digest, encoding="utf-8")
    return IndexSummary(pages, bundle)


def cancel_indexing(running: RunningIndex) -> None:
    """The build failed: stop Pagefind (its output goes away with the staging folder)."""
    if running.process is None or running.output is None:
        return
    running.process.kill()
    running.process.wait()
    running.output.close()


# Indexing started during the build (as soon as the factsheet pages are written), by output folder.
_started: dict[Path, RunningIndex] = {}


def start_during_build(site: Path, previous: Path | None, written: Mapping[str, bytes] | None = None) -> None:
    _started[site.resolve()] = start_or_reuse(site, previous, written)


def cancel_during_build(site: Path) -> None:
    running = _started.pop(site.resolve(), None)
    if running is not None:
        cancel_indexing(running)


def index_after_build(pelican: object) -> None:
    """Pelican's `finalized` signal: every page is written; finish (or run) the indexing now."""
    settings = getattr(pelican, "settings", {})
    if not settings.get("KAART_SEARCH_INDEX", True):
        return
    site = Path(getattr(pelican, "output_path"))
    with timing.stage("zoekindex (Pagefind) afwachten"):
        running = _started.pop(site.resolve(), None) or start_or_reuse(site, previous_site(settings, site))
        summary = finish_indexing(running)
    log.info("Zoekindex: %d fiches in %s", summary.pages, summary.bundle)


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


def make_deterministic(bundle: Path) -> None:
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language in sorted(entry["languages"]):
        info = entry["languages"][language]
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read_cbor(meta_path)
        meta[3] = sorted((_sorted_filter(bundle / "filter", language, name, old) for name, old in meta[3]))
        meta_path.unlink()
        info["hash"] = _write_cbor(bundle, "pagefind.{}.pf_meta", language, meta, 10)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _sorted_filter(folder: Path, language: str, name: str, old_hash: str) -> list[str]:
    old = folder / f"{old_hash}.pf_filter"
    filter_name, values = _read_cbor(old)
    old.unlink()
    ordered = sorted(([value, sorted(pages)] for value, pages in values), key=lambda pair: pair[0])
    return [name, _write_cbor(folder, "{}.pf_filter", language, [filter_name, ordered], 7)]
