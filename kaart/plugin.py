"""Stage 5: the Pelican plugin. Pelican stays in charge of the site; kaart adds a generator.

`pelican -s pelicanconf.py` and `kaart build` both come through here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.generators import Generator

from . import markup, pagefind_index, registry, timing
from .cache import CACHE_DIR, RESULTS
from .emitters import DataFile, all_emitters, factsheets
from .figures import format_number
from .knowledge import read_knowledge_base
from .markup import render_markdown
from .model import KnowledgeBase
from .problems import ValidationFailed
from .render_cache import CACHEABLE_TEMPLATES, RenderCache, SheetTokens, code_digest, page_fingerprint, site_values


def format_date(value: dt.date | str | None) -> str:
    """Dutch dates: 1 januari 2023; partial dates (2023-07, 2022) as far as they go."""
    if value is None:
        return ""
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
              "september", "oktober", "november", "december"]
    parts = str(value).split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {months[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{months[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


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
        },
        "status_notes": registry.STATUS_NOTES,
        "data_date": kb.data_date,
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
        self.env.filters.update({"markdown": render_markdown, "datum": format_date, "getal": format_number})
        self.kb: KnowledgeBase | None = None

    def generate_context(self) -> None:
        root = self.root = Path(self.settings.get("KAART_ROOT") or Path(self.path).parent)
        RESULTS.configure(root)
        with timing.stage("fiches lezen en controleren"):
            kb, problems = read_knowledge_base(root)
        if problems or kb is None:
            raise ValidationFailed(problems)
        self.kb = kb
        self.context["kaart"] = kb

    def generate_output(self, writer: Any) -> None:
        assert self.kb is not None
        try:
            self._write_outputs(writer)
        except BaseException:
            pagefind_index.cancel_during_build(Path(self.output_path))
            raise

    def _write_outputs(self, writer: Any) -> None:
        extra = template_globals(self.kb)
        relative = self.settings.get("RELATIVE_URLS", False)
        pages = RenderCache(self.root / CACHE_DIR / "pages" if RESULTS.directory else None)
        code = code_digest([Path(p) for p in self._templates_path], [Path(__file__), Path(markup.__file__)])
        values = site_values(self.context, extra)
        used: set[str] = set()
        tokens = SheetTokens()
        for emit in all_emitters():
            with timing.stage(f"uitvoer: {emit.__module__.rsplit('.', 1)[-1]}"):
                for output in emit(self.kb):
                    if isinstance(output, DataFile):
                        self._write_data(output)
                        continue
                    with timing.stage("  vingerafdrukken"):
                        key = page_fingerprint(output, values, code, tokens) if output.template in CACHEABLE_TEMPLATES else None
                    cached = pages.get(key) if key else None
                    if cached is not None:
                        self._write_data(DataFile(output.save_as, cached))
                    else:
                        template = self.get_template(output.template)
                        page_globals = {**extra, "kb": _NO_KNOWLEDGE_BASE} if key else extra
                        writer.write_file(output.save_as, template, self.context, relative_urls=relative,
                                          page_url=output.url, **page_globals, **output.context)
                        if key:
                            pages.put(key, (Path(self.output_path) / output.save_as).read_bytes())
                    if key:
                        used.add(key)
            if emit is factsheets.emit and self.settings.get("KAART_SEARCH_INDEX", True):
                # Only factsheet pages are searchable and they are all written now: Pagefind indexes
                # them in its own process while this one writes the rest of the site.
                pagefind_index.start_during_build(Path(self.output_path))
        with timing.stage("paginacache bewaren"):
            pages.save(used)

    def _write_data(self, output: DataFile) -> None:
        path = Path(self.output_path) / output.save_as
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(output.content)


def get_generators(pelican: Any) -> type[Generator]:
    return KaartGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(pagefind_index.index_after_build)
