"""The browser's search index: Pagefind run over the written factsheet pages.

Runs after Pelican has written the site (the plugin's `finalized` handler), so `kaart build`
and plain `pelican -s pelicanconf.py` both ship a searchable site. Only the factsheet pages
carry `data-pagefind-body`, so the matrix, overviews, navigation and footer stay out of it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from . import timing

BUNDLE_DIR = "pagefind"
PAGES_GLOB = "{initiatief,organisatie}/*/index.html"
# Parts of a factsheet page that name *other* factsheets or only cite sources: indexing them
# would let a search for "VOP" return every page that mentions a relation to the VOP.
EXCLUDE_SELECTORS = (
    "[data-search-ignore]",
    ".kicker",
    "section[aria-labelledby=relaties]",
    "section.neighbourhood",
    "section.sheet-compare",
    "section.sources",
    ".cite",
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


@dataclass
class RunningIndex:
    """Pagefind indexing `site` in its own process, while the build goes on with other pages."""

    site: Path
    process: subprocess.Popen
    output: IO[str]  # a file, not a pipe: a full pipe would stall Pagefind while nobody reads it


def start_indexing(site: Path) -> RunningIndex:
    """Start the Pagefind command (from the `pagefind[bin]` wheel) on the factsheet pages of `site`.

    The command, not Pagefind's Python API: the API stops its indexer right after the indexer
    answers "written", and on large sites that cut off files still being written (an empty
    pagefind-entry.json at 5,000 factsheets); its client also sleeps 0.1 s per answer. The command
    returns only when every file is on disk.
    """
    bundle = site / BUNDLE_DIR
    if bundle.exists():
        shutil.rmtree(bundle)
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(bundle),
               "--force-language", "nl", "--glob", PAGES_GLOB]
    for selector in EXCLUDE_SELECTORS:
        command += ["--exclude-selectors", selector]
    output = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 (closed by finish/cancel)
    try:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, text=True)
    except FileNotFoundError as missing:
        output.close()
        raise SearchIndexError(f"Pagefind ontbreekt ({missing}); installeer 'pagefind[bin]'.") from missing
    return RunningIndex(site, process, output)


def finish_indexing(running: RunningIndex, keep_stock_ui: bool = False) -> IndexSummary:
    """Wait for Pagefind, check it indexed something, drop the stock UIs, make the bundle deterministic."""
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
    bundle = running.site / BUNDLE_DIR
    if not keep_stock_ui:
        for path in bundle.iterdir():
            if path.name.startswith(STOCK_UI_PREFIXES):
                path.unlink()
    make_deterministic(bundle)
    return IndexSummary(pages, bundle)


def cancel_indexing(running: RunningIndex) -> None:
    """The build failed: stop Pagefind (its output goes away with the staging folder)."""
    running.process.kill()
    running.process.wait()
    running.output.close()


# Indexing started during the build (as soon as the factsheet pages are written), by output folder.
_started: dict[Path, RunningIndex] = {}


def start_during_build(site: Path) -> None:
    _started[site.resolve()] = start_indexing(site)


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
        running = _started.pop(site.resolve(), None) or start_indexing(site)
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
