"""`kaart serve` updates its site file by file, and lets the search index follow in the background.

`kaart build` swaps a whole new site in at once, the rule for a published site. In serve that cost
the contributor twice over: every page was replaced (and every open tab had to be compared again)
and nothing showed until Pagefind had indexed all pages. Here a rebuild still goes to a folder of
its own (a failed build touches nothing), then only the files whose bytes changed replace their
served copies, one rename each, and files the build no longer makes are removed. Pagefind indexes
the served pages afterwards, into a folder beside the site that is swapped in when complete: for a
few seconds a search may find the pages as they were. Once it is done, the served site is byte for
byte what `kaart build` makes of the same files (tests/test_served.py).
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kaart.build import live, pagefind
from kaart.build.render_cache import KEPT_FILE, SERVED_FILES_SETTING, kept_files
from kaart.build.site import build_staging, new_folder_beside, remove_in_background
from kaart.core import timing
from kaart.core.problems import Problem

Digests = dict[str, bytes]  # SHA-256 of each file, by site-relative path


@dataclass(frozen=True)
class Update:
    problems: list[Problem] = field(default_factory=list)  # what stopped the rebuild
    changed: list[str] = field(default_factory=list)  # site-relative paths written or removed
    warnings: list[Problem] = field(default_factory=list)  # of a rebuild that went on

    @property
    def pages(self) -> list[str]:
        """The addresses of the HTML pages among the changed files (/initiatief/ibo/)."""
        return [live.page_url(path) for path in self.changed if path.endswith(".html")]

    @property
    def files(self) -> list[str]:
        """The addresses of the other changed files (/theme/css/kaart.css, /graaf/graaf.json)."""
        return ["/" + path for path in self.changed if not path.endswith(".html")]


def file_digests(site: Path) -> Digests:
    """Every file of a site but its search bundle (the index follows the pages on its own)."""
    found = {}
    for directory, folders, files in os.walk(site):
        if Path(directory) == site and pagefind.BUNDLE_DIR in folders:
            folders.remove(pagefind.BUNDLE_DIR)
        for name in files:
            path = Path(directory) / name
            found[path.relative_to(site).as_posix()] = hashlib.sha256(path.read_bytes()).digest()
    return found


def apply(staging: Path, site: Path, known: Digests) -> list[str]:
    """Make `site` (whose files `known` describes, and is kept up to date) equal to the freshly built
    `staging`, moving over only the files that differ. Returns the paths written or removed."""
    kept = kept_files(staging)  # files the build found equal to their served copy
    (staging / KEPT_FILE).unlink(missing_ok=True)
    made = file_digests(staging)
    made.update((rel_path, known[rel_path]) for rel_path in kept)
    changed = []
    for rel_path, digest in sorted(made.items()):
        if known.get(rel_path) != digest:
            target = site / rel_path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / rel_path, target)
            changed.append(rel_path)
    for rel_path in sorted(known.keys() - made.keys()):
        (site / rel_path).unlink(missing_ok=True)
        _remove_empty_folders((site / rel_path).parent, site)
        changed.append(rel_path)
    known.clear()
    known.update(made)
    return sorted(changed)


def _remove_empty_folders(folder: Path, site: Path) -> None:
    """A removed factsheet leaves its folder (initiatief/x/) empty: a full build has no such folder."""
    while folder != site and folder.is_relative_to(site):
        try:
            folder.rmdir()
        except OSError:  # not empty (or already gone)
            return
        folder = folder.parent


def _folder_id(folder: Path) -> tuple[int, int] | None:
    try:
        stat = folder.stat()
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


class BackgroundIndex:
    """Pagefind indexing the served pages in its own process; the bundle is swapped in when done."""

    def __init__(self, site: Path, digest: str, when_done: Callable[[], None],
                 per_part: int = pagefind.PAGES_PER_PART, digests: Digests | None = None) -> None:
        self.site = site
        self.when_done = when_done
        self.work = new_folder_beside(site)  # a later build cleans it up if serve is killed
        self.cancelled = False
        # An index in parts: only the parts whose pages changed are indexed again.
        self.running = pagefind.start_indexing(site, digest, into=self.work / pagefind.BUNDLE_DIR, per_part=per_part,
                                               reuse_from=site / pagefind.BUNDLE_DIR, digests=digests)
        self.thread = threading.Thread(target=self._finish, name="zoekindex", daemon=True)
        self.thread.start()

    def _finish(self) -> None:
        try:
            summary = pagefind.finish_indexing(self.running)
            if not self.cancelled:
                self._swap_in()
                print(f"Zoekindex bijgewerkt ({summary.pages} fiches).", flush=True)
                self.when_done()
        except Exception as error:  # noqa: BLE001 (reported; the pages stay served)
            if not self.cancelled:
                print(f"De zoekindex kon niet worden bijgewerkt: {error}", file=sys.stderr, flush=True)
        finally:
            # The old bundle is thousands of files: deleted by a detached process, so that removing
            # them does not slow down serve noticing the next save.
            remove_in_background([str(self.work)])

    def _swap_in(self) -> None:
        served = self.site / pagefind.BUNDLE_DIR
        if served.exists():
            os.replace(served, self.work / "vorige")
        os.replace(self.running.bundle, served)

    def cancel(self) -> None:
        """Stop indexing (the pages are about to change): nothing of it reaches the site."""
        self.cancelled = True
        self.running.kill()
        self.thread.join()

    def wait(self, timeout: float | None = None) -> bool:
        self.thread.join(timeout)
        return not self.thread.is_alive()


class ServedSite:
    """The folder `kaart serve` serves, built once in full, then updated after each change."""

    def __init__(self, root: Path, output: Path, settings_file: Path,
                 when_indexed: Callable[[], None] = lambda: None) -> None:
        self.root, self.output, self.settings_file = root, output, settings_file
        # A tab with the search open holds the old bundle's file names: it must reload (kaart serve).
        self.when_indexed = when_indexed
        self.index: BackgroundIndex | None = None
        self._settings_read: int | None = None
        self._per_part = pagefind.PAGES_PER_PART
        self._look_again()

    def _look_again(self) -> None:
        """Read what the folder holds now: at the start, and when someone replaced or removed it
        (a `kaart build` into the same folder swaps in a folder of its own)."""
        self.known = file_digests(self.output)
        # What Pagefind reads of each page: not the whole file (pagefind.page_digests).
        self.search_input = pagefind.page_digests(self.output)
        self.folder_id = _folder_id(self.output)

    def written(self, rel_paths: list[str]) -> None:
        """Files changed in the served site by someone else (the edited page shown first)."""
        for rel_path in rel_paths:
            path = self.output / rel_path
            if path.is_file():
                self.known[rel_path] = hashlib.sha256(path.read_bytes()).digest()
        self._read_search_input(rel_paths)

    def _read_search_input(self, rel_paths: list[str]) -> None:
        """Of these changed files, take what Pagefind would read of the indexed pages."""
        for rel_path in filter(pagefind.is_indexed_page, rel_paths):
            if rel_path in self.known:
                self.search_input[rel_path] = pagefind.page_digest(self.output / rel_path)
            else:
                self.search_input.pop(rel_path, None)

    def rebuild(self) -> Update:
        """Build again; bring the served site up to date; start indexing it. A failed build leaves
        the site as it was."""
        self.stop_indexing()
        if _folder_id(self.output) != self.folder_id:
            self._look_again()
        staging, problems = build_staging(self.root, self.output, self.settings_file,
                                          overrides={"KAART_SEARCH_INDEX": False, SERVED_FILES_SETTING: self.known})
        if staging is None:
            return Update(problems=problems)
        try:
            with timing.stage("gewijzigde bestanden overzetten"):
                changed = apply(staging, self.output, self.known)
                self._read_search_input(changed)
                self.folder_id = _folder_id(self.output)
        finally:
            remove_in_background([str(staging)])  # what is left of it: the files that did not change
        self.start_indexing()
        return Update(changed=changed, warnings=problems)

    def start_indexing(self) -> None:
        """Index the served pages in the background, unless the bundle is already theirs."""
        per_part = self._pages_per_part()
        pages = dict(self.search_input)
        digest = pagefind.input_digest_of(pages, per_part)
        try:
            current = (self.output / pagefind.BUNDLE_DIR / pagefind.INPUT_DIGEST_FILE).read_text(encoding="utf-8")
        except OSError:
            current = ""
        if current != digest:
            self.index = BackgroundIndex(self.output, digest, self.when_indexed, per_part, pages)

    def _pages_per_part(self) -> int:
        """The settings' KAART_SEARCH_PART_PAGES, read again only when the settings file changed."""
        try:
            changed = self.settings_file.stat().st_mtime_ns
        except OSError:
            return pagefind.PAGES_PER_PART
        if self._settings_read != changed:
            from pelican.settings import read_settings

            self._per_part = pagefind.pages_per_part(read_settings(str(self.settings_file)))
            self._settings_read = changed
        return self._per_part

    def stop_indexing(self) -> None:
        if self.index is not None:
            self.index.cancel()
            self.index = None

    def wait_for_index(self, timeout: float | None = None) -> bool:
        return self.index is None or self.index.wait(timeout)
