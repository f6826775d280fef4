"""Stage 5: the Pelican plugin. Pelican stays in charge of the site; kaart adds a generator.

`pelican -s pelicanconf.py` and `kaart build` both come through here.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.generators import Generator, PelicanTemplateNotFound
from pelican.utils import get_relative_path, path_to_url

from kaart.build import assets, pagefind, quick, sitemap
from kaart.build.site import new_scratch_folder, previous_site, report_warnings
from kaart.core import timing
from kaart.core import registry, state
from kaart.core.store import Store
from kaart.features.output import DataFile, Emitter, Page, PageSeries, fill_late_section, without_late_section
from kaart.features import all_emitters, changes, factsheets, start_work_ahead
from kaart.core.dutch import format_date
from kaart.core.dutch import format_number, shorten
from kaart.content.history import read_history
from kaart.content.project import read_knowledge_base
from kaart.core.markup import render_markdown
from kaart.core.model import KnowledgeBase
from kaart.core.problems import ValidationFailed
from kaart.core.fingerprint import fingerprint
from kaart.build.render_cache import (CACHEABLE_TEMPLATES, KEPT_FILE, SERVED_FILES_SETTING, PageFingerprints, RenderCache,
                                     SheetTokens, site_values)
from kaart.core.workers import at_low_priority, collection_paused, freeze_long_lived, map_shares, worker_count


def template_globals(kb: KnowledgeBase) -> dict[str, Any]:
    return {
        "kb": kb,
        "labels": {
            "situatie": registry.situations(),
            "soort": registry.kinds(),
            "status": registry.statuses(),
            "doelgroep": registry.target_groups(),
            "regio": registry.regions(),
            "soort_organisatie": registry.organisation_kinds(),
            "ontbrekend": registry.MISSING_LABELS,
        },
        "status_notes": registry.STATUS_NOTES,
        "data_date": kb.data_date,
        "changes_feed": changes.FEED if changes.has_feed(kb) else "",
    }


class _ForbiddenKnowledgeBase:
    """Given to cacheable page templates instead of the knowledge base: such a page may show only
    what is in its own context, or the render cache could serve it stale."""

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f"a factsheet template read kb.{name}; pass it in the page context instead")


_NO_KNOWLEDGE_BASE = _ForbiddenKnowledgeBase()


class KaartGenerator(Generator):
    """Reads the factsheets into the model, then writes every emitter's output."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Contributor text reaches templates; never render it unescaped by accident.
        self.env.autoescape = True
        # Templates do not change during a build: skip the file check Jinja does on every lookup.
        self.env.auto_reload = False
        self.env.filters.update({"markdown": render_markdown, "datum": format_date, "getal": format_number,
                                 "inkorten": shorten})
        self.kb: KnowledgeBase | None = None

    def generate_context(self) -> None:
        root = self.root = Path(self.settings.get("KAART_ROOT") or Path(self.path).parent)
        # Every build starts from nothing in memory (kaart serve builds again in this process) and
        # keys every cache entry on one fingerprint of the package, the theme and the settings.
        state.reset()
        self.store = Store(root, fingerprint([Path(self.settings["THEME"])], self.settings))
        with timing.stage("fiches lezen en controleren"), collection_paused():
            kb, problems = read_knowledge_base(root, self.store)
        if kb is None:
            raise ValidationFailed(problems)
        for warning in problems:  # only warnings are left: shown, and the build goes on
            print(warning.format_text(), file=sys.stderr)
        report_warnings(problems)
        with timing.stage("geschiedenis lezen"):
            history = read_history(root, kb, self.store)
        if history.note:
            print(f"let op: {history.note}.", file=sys.stderr)
        self.kb = replace(kb, history=history)
        freeze_long_lived()  # the model lives as long as the build: no collection need walk it again
        start_work_ahead(self.kb, self.store)

    def generate_output(self, writer: Any) -> None:
        assert self.kb is not None
        pages = _PageWriter(self, writer)
        try:
            self._write_outputs(pages)
        except BaseException:
            pagefind.cancel_during_build(Path(self.output_path))
            if pages.copies is not None:  # in memory, perhaps: not left until the next build
                shutil.rmtree(pages.copies, ignore_errors=True)
            raise

    def _write_outputs(self, pages: _PageWriter) -> None:
        assert self.kb is not None
        emitters = all_emitters()
        for position, emit in enumerate(emitters):
            if self._write_emitted(emit, pages):
                # Pagefind now indexes the searchable pages in its own process; it is the build's
                # critical path, so the late sections of those pages and the rest of the site are
                # written with only the CPU it leaves idle.
                rest, stopping = emitters[position + 1:], threading.Event()

                def beside_pagefind() -> None:
                    pages.fill_late_sections(stopping)
                    for later in rest:
                        self._write_emitted(later, pages, stopping)

                at_low_priority(beside_pagefind, stop=stopping.set)
                break
        pages.fill_late_sections(threading.Event())  # none left, unless no indexing started
        with timing.stage("paginacache bewaren"):
            pages.cache.save(pages.used)
        if pages.served:
            self.write_data(DataFile(KEPT_FILE, "".join(f"{path}\n" for path in sorted(pages.kept)).encode("utf-8")))
        if pages.sheet_pages is not None:  # for `kaart serve`, which shows an edited factsheet first
            quick.remember(quick.LastBuild(self, self.kb, pages.sheet_pages, self.write_page_into))

    def _write_emitted(self, emit: Emitter, pages: _PageWriter, stopping: threading.Event | None = None) -> bool:
        """Write one emitter's output; whether that started the search index (Pagefind). With
        `stopping`: beside Pagefind, at low priority, until the event is set."""
        assert self.kb is not None
        started = False
        # Beside Pagefind a stage's time includes the waits for the CPU Pagefind leaves idle.
        label = "uitvoer" if stopping is None else "uitvoer naast Pagefind"
        with timing.stage(f"{label}: {emit.__module__.removeprefix('kaart.features.')}"):
            for output in emit(self.kb, self.store):
                if stopping is not None and stopping.is_set():  # the build was interrupted
                    break
                if isinstance(output, DataFile):
                    pages.write_data(output)
                elif isinstance(output, PageSeries):
                    indexing_here = self.settings.get("KAART_SEARCH_INDEX", True)
                    pages.write_series(output, late_section_after=output.searchable and indexing_here,
                                       shows_sheets=emit is factsheets.emit)
                    if output.searchable and indexing_here:
                        # Every searchable page is written now: Pagefind indexes them in its
                        # own process while this one writes the rest of the site.
                        site = Path(self.output_path)
                        pagefind.start_during_build(site, previous_site(self.settings, site), pages.indexed,
                                                    pagefind.pages_per_part(self.settings), pages.copies)
                        started = True
                else:
                    pages.write(output)
        return started

    def write_page_into(self, page: Page, folder: Path) -> None:
        """Render one page into `folder` exactly as the build does, without the render cache."""
        from pelican.writers import Writer

        assert self.kb is not None
        extra = template_globals(self.kb)
        page_globals = {**extra, "kb": _NO_KNOWLEDGE_BASE} if page.template in CACHEABLE_TEMPLATES else extra
        Writer(str(folder), settings=self.settings).write_file(
            page.save_as, self.get_template(page.template), self.context,
            relative_urls=self.settings.get("RELATIVE_URLS", False), page_url=page.url, **page_globals, **page.context)

    def write_data(self, output: DataFile) -> None:
        write_into(Path(self.output_path), output)


def write_into(folder: Path, output: DataFile) -> None:
    path = folder / output.save_as
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(output.content)


def get_generators(pelican: Any) -> type[Generator]:
    return KaartGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(assets.compact_after_build)
    signals.finalized.connect(pagefind.index_after_build)
    signals.finalized.connect(sitemap.write_after_build)


@dataclass(frozen=True)
class _Written:
    """What a worker writing pages hands back to the build's process."""

    used: set[str]
    kept: set[str]
    fresh: dict[str, bytes]
    indexed: dict[str, bytes]
    section_keys: dict[str, str]
    stages: dict[str, float]


class _PageWriter:
    """Writes pages: cacheable ones from the render cache when their fingerprint is known."""

    def __init__(self, generator: KaartGenerator, writer: Any) -> None:
        assert generator.kb is not None
        self.generator = generator
        self.writer = writer
        self.output = Path(generator.output_path)
        self.extra = template_globals(generator.kb)
        self.relative = generator.settings.get("RELATIVE_URLS", False)
        # Cached pages are taken from the site this build replaces (checked byte for byte).
        self.cache = RenderCache(generator.store.pages, previous_site(generator.settings, Path(generator.output_path)))
        self.fingerprints = PageFingerprints(site_values(generator.context, self.extra),
                                             bytes.fromhex(generator.store.fingerprint or "00"), SheetTokens(generator.kb))
        self.used: set[str] = set()
        # Only when the search index is made elsewhere: Pagefind would not find the pages left out.
        indexed_here = generator.settings.get("KAART_SEARCH_INDEX", True)
        self.served: Mapping[str, bytes] = {} if indexed_here else generator.settings.get(SERVED_FILES_SETTING) or {}
        self.kept: set[str] = set()  # cached pages and data files equal to their served copy, not written
        # SHA-256 of the pages written that Pagefind indexes, so that its input digest reads none again.
        self.indexed: dict[str, bytes] = {}
        self.sheet_pages: Callable[[Any], Page] | None = None  # makes a factsheet's page (for kaart serve)
        # Series written with their late sections empty, to be filled in once indexing has started,
        # and whether the series is the factsheets'.
        self.pending: list[tuple[PageSeries, bool]] = []
        self.section_keys: dict[str, str] = {}  # the fingerprint of each page written so, by address
        # Where those pages are written first, as the search index reads them (site.new_scratch_folder).
        self.copies: Path | None = None
        self.copy_writer: Any = None

    def write(self, page: Page, section: Page | None = None, late_section_empty: bool = False) -> None:
        """Write a page. A page of a series with a late section gets it from `section`, rendered
        inline, or with `late_section_empty` is written as the search index reads it, the section
        left empty, to be filled in by `fill_late_sections` (in the site it replaces, it is filled)."""
        with timing.stage(f"{timing.EVERY_PAGE}vingerafdrukken"):
            key = self.fingerprints.of(page) if page.template in CACHEABLE_TEMPLATES else None
            # The fingerprint of what this page has in the site now: with its section, when it has one.
            whole = self.fingerprints.with_section(key, section) if key and section is not None else key
        digest = self.cache.digest(whole) if key else None
        view = without_late_section if late_section_empty else None
        folder, writer = (self.copies, self.copy_writer) if late_section_empty else (self.output, self.writer)
        assert folder is not None
        if digest is not None and self.served.get(page.save_as) == digest:
            self.kept.add(page.save_as)  # kaart serve serves exactly this page already: nothing to read or write
        elif digest is not None and (cached := self.cache.get(whole, page.save_as, view)) is not None:
            with timing.stage(f"{timing.EVERY_PAGE}uit de cache schrijven"):
                write_into(folder, DataFile(page.save_as, cached))  # not served as is: checked above
        else:
            with timing.stage(f"{timing.EVERY_PAGE}renderen"):
                template = self.generator.get_template(page.template)
                page_globals = {**self.extra, "kb": _NO_KNOWLEDGE_BASE} if key else self.extra
                context = page.context if section is None else {**page.context, **section.context}
                writer.write_file(page.save_as, template, self.generator.context, relative_urls=self.relative,
                                  page_url=page.url, **page_globals, **context)
                digest = None
                if key:
                    html = (folder / page.save_as).read_bytes()
                    digest = hashlib.sha256(html).digest()
                    self.cache.put(whole, digest)
                    if whole != key:  # as a build that fills the section in later writes it first
                        self.cache.put(key, hashlib.sha256(without_late_section(html)).digest())
        if key:
            self.used.add(whole)
            if whole != key and (key in self.cache.fresh or self.cache.digest(key) is not None):
                self.used.add(key)
            if late_section_empty:
                self.section_keys[page.save_as] = key
        # (A page rendered with its section: only in a build that leaves indexing to kaart serve.)
        if digest is not None and section is None and pagefind.is_indexed_page(page.save_as):
            self.indexed[page.save_as] = digest

    def write_data(self, output: DataFile) -> None:
        """Write a file whose bytes are known, unless kaart serve serves exactly these bytes already."""
        served = self.served.get(output.save_as)
        if served is not None and served == hashlib.sha256(output.content).digest():
            self.kept.add(output.save_as)
        else:
            self.generator.write_data(output)

    def write_series(self, series: PageSeries, late_section_after: bool = False, shows_sheets: bool = False) -> None:
        """Make and write the pages of a series, on several cores when it is large. A late section
        (output.LateSection) is left empty when `late_section_after`, else rendered with each page."""
        assert self.generator.kb is not None
        make_section = None
        if series.late is not None and late_section_after:
            self.pending.append((series, shows_sheets))
            if self.copies is None:
                from pelican.writers import Writer

                self.copies = new_scratch_folder(previous_site(self.generator.settings, self.output),
                                                 len(series.items))
                self.copy_writer = Writer(str(self.copies), settings=self.generator.settings)
        elif series.late is not None:
            make_section = series.late.prepare(self.generator.kb, self.generator.store)
        if shows_sheets and not late_section_after:
            self.sheet_pages = series.make if make_section is None else whole_pages(series.make, make_section)
        empty = series.late is not None and late_section_after
        workers = worker_count(len(series.items))
        for share in map_shares(lambda items: self._write_share(series, items, make_section, empty), series.items,
                                workers):
            self.used |= share.used
            self.kept |= share.kept
            self.cache.fresh.update(share.fresh)
            self.indexed.update(share.indexed)
            self.section_keys.update(share.section_keys)
            timing.add(share.stages)

    def _write_share(self, series: PageSeries, items: Sequence[Any], make_section: Callable[[Any], Page] | None,
                     late_section_empty: bool) -> _Written:
        """Runs in a worker (or here): returns what the parent must keep, and the worker's timings."""
        before_used, before_kept, before_fresh = set(self.used), set(self.kept), set(self.cache.fresh)
        before_indexed, before_keys = set(self.indexed), set(self.section_keys)
        saved = timing.stages()
        timing.reset()
        for item in items:
            self.write(series.make(item), make_section(item) if make_section else None, late_section_empty)
        stages = timing.stages()
        timing.reset()
        timing.add(saved)
        return _Written(used=self.used - before_used, kept=self.kept - before_kept,
                        fresh={key: value for key, value in self.cache.fresh.items() if key not in before_fresh},
                        indexed={path: digest for path, digest in self.indexed.items() if path not in before_indexed},
                        section_keys={path: key for path, key in self.section_keys.items() if path not in before_keys},
                        stages=stages)

    def fill_late_sections(self, stopping: threading.Event) -> None:
        """Write the pages of the series whose late sections were left out, with their sections
        (beside Pagefind, which reads the copies without them)."""
        assert self.generator.kb is not None
        for series, shows_sheets in self.pending:
            assert series.late is not None
            with timing.stage("uitvoer naast Pagefind: late sectie van de fiches"):
                make_section = series.late.prepare(self.generator.kb, self.generator.store)
                for item in series.items:
                    if stopping.is_set():  # the build was interrupted
                        return
                    self._fill(make_section(item))
            if shows_sheets:
                self.sheet_pages = whole_pages(series.make, make_section)
        self.pending = []

    def _fill(self, section: Page) -> None:
        """Write a page into the site: its copy for the search index with the section filled in."""
        assert self.copies is not None
        filled = fill_late_section((self.copies / section.save_as).read_bytes(), self.render_section(section))
        write_into(self.output, DataFile(section.save_as, filled))
        if (key := self.section_keys.get(section.save_as)) is not None:  # cached whole, for kaart serve
            whole = self.fingerprints.with_section(key, section)
            self.cache.put(whole, hashlib.sha256(filled).digest())
            self.used.add(whole)

    def render_section(self, section: Page) -> bytes:
        """A late section alone, rendered with what its page's template would give it (Pelican's
        writer: the site's context, SITEURL relative to the page, the page's own variables)."""
        try:
            template = self.generator.get_template(section.template)
        except PelicanTemplateNotFound:  # the page includes it with "ignore missing"
            return b""
        context = self.generator.context.copy()
        context["localsiteurl"] = context.get("localsiteurl", None)
        if self.relative:
            context["SITEURL"] = context["localsiteurl"] = path_to_url(get_relative_path(section.save_as))
        context["output_file"] = section.save_as
        context.update(page_url=section.url, **{**self.extra, "kb": _NO_KNOWLEDGE_BASE})
        context.update(section.context)
        return template.render(context).encode("utf-8")


def whole_pages(make: Callable[[Any], Page], make_section: Callable[[Any], Page]) -> Callable[[Any], Page]:
    """Make each page with its late section's variables, so that its template renders the section inline."""

    def make_whole(item: Any) -> Page:
        page = make(item)
        return replace(page, context={**page.context, **make_section(item).context})

    return make_whole
