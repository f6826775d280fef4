"""Rendered factsheet and overview pages kept between builds, keyed by everything that goes into them.

A factsheet page is a function of its own context (the sheet, its relations both ways, the
per-sheet extras such as the neighbourhood drawing), the site-wide values the templates read
(labels, the data date, settings) and the templates themselves. When none of those changed, the
page is taken from the site this build replaces instead of rendering it (`RenderCache`): a
one-factsheet change re-renders only the pages that show that factsheet. The output is the same
bytes either way (tested).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from kaart.core.fingerprint import plain_settings
from kaart.core.model import KnowledgeBase, Sheet
from kaart.features.output import Page

# Pages whose templates read nothing beyond their context and the site-wide values: the
# factsheets, the overviews (a list page is rendered again only when one of its sheets changed)
# and the changes pages (again only after a commit that changed a factsheet).
CACHEABLE_TEMPLATES = frozenset({"initiative", "organisation", "overview", "overviews", "changes"})

# kaart serve (build/served.py) hands the build the served files' digests in this setting (left out
# of every fingerprint): a cached page or a data file equal to its served copy is not written into
# the new folder at all, only listed in KEPT_FILE there. None of these pages forwards (the sitemap
# relies on it).
SERVED_FILES_SETTING = "KAART_SERVED_FILES"
KEPT_FILE = ".kaart-behouden"


def kept_files(site: Path) -> list[str]:
    """The site-relative paths of the files a serve rebuild left in the served folder."""
    try:
        return (site / KEPT_FILE).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []


def site_values(settings: Mapping[str, Any], template_globals: Mapping[str, Any]) -> dict[str, Any]:
    """What every page may read besides its own context: the settings and the template globals. The knowledge base is left out on purpose: a cacheable page depends only on
    the parts of it that are in its own context."""
    values = plain_settings(settings)
    values.update((key, value) for key, value in template_globals.items() if key != "kb")
    return values


def page_fingerprint(page: Page, site_values: Mapping[str, Any], code: bytes,
                     sheet_tokens: SheetTokens | None = None) -> str:
    return PageFingerprints(site_values, code, sheet_tokens).of(page)


class PageFingerprints:
    """The fingerprints of one build's pages. The code and the site-wide values are the same for
    every page, so they are encoded and hashed once (their repr alone took half a millisecond a page)."""

    def __init__(self, site_values: Mapping[str, Any], code: bytes, sheet_tokens: SheetTokens | None = None) -> None:
        self._start = hashlib.sha256(code)
        self._start.update(repr(sorted(site_values.items())).encode("utf-8"))
        self.tokens = sheet_tokens if sheet_tokens is not None else SheetTokens()

    def of(self, page: Page) -> str:
        digest = self._start.copy()
        digest.update(self.tokens.encode((page.save_as, page.template, sorted(page.context.items()))).encode("utf-8"))
        return digest.hexdigest()

    def with_section(self, key: str, section: Page) -> str:
        """The fingerprint of the page with fingerprint `key` with its late section (output.LateSection)
        rendered in: that page's, and the section's template and variables."""
        digest = hashlib.sha256(key.encode("ascii"))
        digest.update(self.tokens.encode((section.template, sorted(section.context.items()))).encode("utf-8"))
        return digest.hexdigest()


# Values whose repr is their whole encoding, by exact type (a subclass, such as Markup, takes the
# general path, which ends in its repr too).
_SPELLED_BY_REPR = frozenset({str, int, float, bool, type(None), bytes})


@functools.cache
def _field_names(kind: type) -> tuple[str, ...] | None:
    """The field names of a dataclass type in order, or None for any other type."""
    if not dataclasses.is_dataclass(kind):
        return None
    return tuple(field.name for field in dataclasses.fields(kind))


class SheetTokens:
    """Stands for each factsheet in a fingerprint by a digest.

    A page context holds the same sheets many times over (relations, similar sheets, providers).
    A sheet of `kb` is named by its file: its path and the SHA-256 of the bytes it was made from
    (a sheet is made from its file alone, by code the fingerprint covers; the store hashed the
    bytes when it read them). Any other sheet is spelled out once, by its repr (slow for a frozen
    dataclass: 0.23 s a process at 5,000 factsheets), and then named by that digest. Everything
    else is encoded as its repr, containers and other dataclasses item by item.
    """

    def __init__(self, kb: KnowledgeBase | None = None) -> None:
        self._digests: dict[int, tuple[Sheet, str]] = {}
        if kb is not None:
            for sheet_id, sheet in kb.sheets.items():
                if digest := kb.source_digests.get(sheet_id):
                    self._digests[id(sheet)] = (sheet, f"file {sheet.path} {digest}")

    def encode(self, value: Any) -> str:
        parts: list[str] = []
        self._encode(value, parts)
        return "".join(parts)

    def _encode(self, value: Any, out: list[str]) -> None:
        kind = type(value)
        if kind in _SPELLED_BY_REPR:  # most values: checked first, by exact type
            out.append(repr(value))
        elif isinstance(value, Sheet):
            out.append(f"<sheet {self._digest(value)}>")
        elif isinstance(value, (tuple, list)):
            out.append("(" if isinstance(value, tuple) else "[")
            for item in value:
                self._encode(item, out)
                out.append(",")
            out.append(")" if isinstance(value, tuple) else "]")
        elif isinstance(value, dict):
            out.append("{")
            for key, item in value.items():
                out.append(repr(key) + ":")
                self._encode(item, out)
                out.append(",")
            out.append("}")
        elif (names := _field_names(kind)) is not None:
            out.append(kind.__qualname__ + "(")
            for name in names:
                out.append(name + "=")
                self._encode(getattr(value, name), out)
                out.append(",")
            out.append(")")
        else:
            out.append(repr(value))

    def _digest(self, sheet: Sheet) -> str:
        known = self._digests.get(id(sheet))
        if known is None or known[0] is not sheet:
            known = (sheet, hashlib.sha256(repr(sheet).encode("utf-8")).hexdigest())
            self._digests[id(sheet)] = known
        return known[1]


class RenderCache:
    """Which bytes each cacheable page had, by fingerprint: the pages themselves stay in the site
    they were written to, and a later build takes a page from the site it replaces (`previous`:
    the folder `kaart build` swaps out, or the one `kaart serve` serves) when the file there still
    has exactly those bytes (its SHA-256 is checked), else renders it. Nothing is packed or copied
    into the cache (packing 90 MB of pages took a cold 5,000 build a second of CPU), and a page that
    was changed, deleted or never written there is simply rendered again.

    A fingerprint covers the page's address, so an entry names its file as well."""

    FILE = "pages-index.pickle"
    OLD_FILES = ("pages.pickle",)  # the pages themselves, packed (until 2026-11-29)

    def __init__(self, directory: Path | None, previous: Path | None = None):
        self.file = directory / self.FILE if directory is not None else None
        self.previous = previous
        self.digests: dict[str, bytes] = {}  # fingerprint -> SHA-256 of the page's bytes
        self.fresh: dict[str, bytes] = {}  # rendered by this build
        if self.file is not None and self.file.is_file():
            try:
                loaded = pickle.loads(self.file.read_bytes())
                if isinstance(loaded, dict) and all(isinstance(v, bytes) and len(v) == 32 for v in loaded.values()):
                    self.digests = loaded
            except Exception:  # damaged: start empty
                self.digests = {}

    def digest(self, key: str) -> bytes | None:
        """The SHA-256 the page with this fingerprint had when it was last written, if known."""
        return self.digests.get(key)

    def get(self, key: str, save_as: str, view: Callable[[bytes], bytes] | None = None) -> bytes | None:
        """The page's bytes from the previous site, if they are still exactly what was rendered;
        with `view`, what was rendered is that view of the page there (e.g. without its late section)."""
        digest = self.digests.get(key)
        if digest is None or self.previous is None:
            return None
        try:
            html = (self.previous / save_as).read_bytes()
        except OSError:
            return None
        if view is not None:
            html = view(html)
        return html if hashlib.sha256(html).digest() == digest else None

    def put(self, key: str, digest: bytes) -> None:
        self.fresh[key] = digest

    def save(self, used: set[str]) -> None:
        """Keep exactly the pages this build used, so the cache never outgrows the site."""
        if self.file is None:
            return
        kept = {key: self.fresh.get(key) or self.digests[key] for key in sorted(used)
                if key in self.fresh or key in self.digests}
        for old in self.OLD_FILES:
            (self.file.parent / old).unlink(missing_ok=True)
        if kept == self.digests:
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.file.parent, delete=False) as handle:
                pickle.dump(kept, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(handle.name, self.file)
        except OSError:
            pass
