"""Stage 5: the Pelican plugin. Pelican stays in charge of the site; kaart adds a generator.

`pelican -s pelicanconf.py` and `kaart build` both come through here.
"""

from __future__ import annotations

import hashlib
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.generators import Generator

from kaart.build import assets, pagefind, quick, sitemap
from kaart.build.site import previous_site
from kaart.core import timing
from kaart.core import registry, state
from kaart.core.store import Store
from kaart.features.output import DataFile, Emitter, Page, PageSeries
from kaart.features import all_emitters, changes, factsheets, start_work_ahead
from kaart.core.dutch import format_date
from kaart.core.dutch import format_number
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
        self.env.filters.update({"markdown": render_markdown, "datum": format_date, "getal": format_number})
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
        with timing.stage("geschiedenis lezen"):
            history = read_history(root, kb, self.store)
        if history.note:
            print(f"let op: {history.note}.", file=sys.stderr)
        self.kb = replace(kb, history=history)
        freeze_long_lived()  # the model lives as long as the build: no collection need walk it again
        start_work_ahead(self.kb, self.store)

    def generate_output(self, writer: Any) -> None:
        assert self.kb is not None
        try:
            self._write_outputs(writer)
        except BaseException:
            pagefind.cancel_during_build(Path(self.output_path))
            raise

    def _write_outputs(self, writer: Any) -> None:
        assert self.kb is not None
        pages = _PageWriter(self, writer)
        emitters = all_emitters()
        for position, emit in enumerate(emitters):
            if self._write_emitted(emit, pages):
                # Pagefind now indexes the searchable pages in its own process; it is the build's
                # critical path, so the rest of the site is written with only the CPU it leaves idle.
                rest, stopping = emitters[position + 1:], threading.Event()
                at_low_priority(lambda: [self._write_emitted(later, pages, stopping) for later in rest],
                                stop=stopping.set)
                break
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
                    if emit is factsheets.emit:
                        pages.sheet_pages = output.make
                    pages.write_series(output)
                    if output.searchable and self.settings.get("KAART_SEARCH_INDEX", True):
                        # Every searchable page is written now: Pagefind indexes them in its
                        # own process while this one writes the rest of the site.
                        site = Path(self.output_path)
                        pagefind.start_during_build(site, previous_site(self.settings, site),
                                                    pages.indexed, pagefind.pages_per_part(self.settings))
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
        path = Path(self.output_path) / output.save_as
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(output.content)


def get_generators(pelican: Any) -> type[Generator]:
    return KaartGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(assets.compact_after_build)
    signals.finalized.connect(pagefind.index_after_build)
    signals.finalized.connect(sitemap.write_after_build)


class _PageWriter:
    """Writes pages: cacheable ones from the render cache when their fingerprint is known."""

    def __init__(self, generator: KaartGenerator, writer: Any) -> None:
        assert generator.kb is not None
        self.generator = generator
        self.writer = writer
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

    def write(self, page: Page) -> None:
        with timing.stage(f"{timing.EVERY_PAGE}vingerafdrukken"):
            key = self.fingerprints.of(page) if page.template in CACHEABLE_TEMPLATES else None
        digest = self.cache.digest(key) if key else None
        if digest is not None and self.served.get(page.save_as) == digest:
            self.kept.add(page.save_as)  # kaart serve serves exactly this page already: nothing to read or write
        elif digest is not None and (cached := self.cache.get(key, page.save_as)) is not None:
            with timing.stage(f"{timing.EVERY_PAGE}uit de cache schrijven"):
                self.generator.write_data(DataFile(page.save_as, cached))  # not served as is: checked above
        else:
            with timing.stage(f"{timing.EVERY_PAGE}renderen"):
                template = self.generator.get_template(page.template)
                page_globals = {**self.extra, "kb": _NO_KNOWLEDGE_BASE} if key else self.extra
                self.writer.write_file(page.save_as, template, self.generator.context, relative_urls=self.relative,
                                       page_url=page.url, **page_globals, **page.context)
                digest = None
                if key:
                    digest = hashlib.sha256((Path(self.generator.output_path) / page.save_as).read_bytes()).digest()
                    self.cache.put(key, digest)
        if key:
            self.used.add(key)
        if digest is not None and pagefind.is_indexed_page(page.save_as):
            self.indexed[page.save_as] = digest

    def write_data(self, output: DataFile) -> None:
        """Write a file whose bytes are known, unless kaart serve serves exactly these bytes already."""
        served = self.served.get(output.save_as)
        if served is not None and served == hashlib.sha256(output.content).digest():
            self.kept.add(output.save_as)
        else:
            self.generator.write_data(output)

    def write_series(self, series: PageSeries) -> None:
        """Make and write the pages of a series, on several cores when it is large."""
        workers = worker_count(len(series.items))
        for used, kept, fresh, indexed, stages in map_shares(lambda share: self._write_share(series, share),
                                                             series.items, workers):
            self.used |= used
            self.kept |= kept
            self.cache.fresh.update(fresh)
            self.indexed.update(indexed)
            timing.add(stages)

    def _write_share(self, series: PageSeries, share: Sequence[Any]) -> tuple[set[str], set[str], dict[str, bytes],
                                                                             dict[str, bytes], dict[str, float]]:
        """Runs in a worker (or here): returns what the parent must keep, and the worker's timings."""
        before_used, before_kept, before_fresh = set(self.used), set(self.kept), set(self.cache.fresh)
        before_indexed = set(self.indexed)
        saved = timing.stages()
        timing.reset()
        for item in share:
            self.write(series.make(item))
        stages = timing.stages()
        timing.reset()
        timing.add(saved)
        fresh = {key: value for key, value in self.cache.fresh.items() if key not in before_fresh}
        indexed = {path: digest for path, digest in self.indexed.items() if path not in before_indexed}
        return self.used - before_used, self.kept - before_kept, fresh, indexed, stages
