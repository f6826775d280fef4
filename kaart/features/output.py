"""What a feature hands the build: pages (a template and its context), data files, and series
of pages made the same way. Every feature imports these from here, and nothing else of the build."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kaart.core.model import KnowledgeBase, Sheet
from kaart.core.store import Store


@dataclass(frozen=True)
class Page:
    """An HTML page: where it goes, which template renders it, and what the template gets."""

    save_as: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.save_as.removesuffix("index.html")


@dataclass(frozen=True)
class DataFile:
    """A non-HTML output (JSON for the browser, SVG, ...), written as is."""

    save_as: str
    content: bytes


@dataclass(frozen=True)
class PageSeries:
    """Many pages made the same way, one per item (e.g. a page per factsheet). The plugin may make
    them in several processes, so `make` must depend only on what was prepared before."""

    items: Sequence[Any]
    make: Callable[[Any], Page]
    # The pages the site search indexes (build/pagefind.PAGES_GLOB): once written, indexing starts.
    searchable: bool = False
    # A section of every page that the search index leaves out and that takes long to prepare.
    late: LateSection | None = None


# Where a page holds its late section (`LateSection`); the section's own template renders what goes between.
LATE_BEGIN = b"<!--kaart:late-->"
LATE_END = b"<!--/kaart:late-->"


@dataclass(frozen=True)
class LateSection:
    """A section of each page of a searchable series that the search index leaves out (e.g. the
    similar factsheets) and whose preparation takes long. While the search index is built in the
    same run, the pages are written with the section left empty between LATE_BEGIN and LATE_END,
    indexing starts, and the section is filled in afterwards (`fill_late_section`); otherwise each
    page gets its section at once, its template rendering the section inline. Either way the page
    has the same bytes (tested)."""

    # Prepared once with the whole model, then asked per item for the section: a Page at the page's
    # address whose template renders the section alone, from the variables in its context.
    prepare: Callable[[KnowledgeBase, Store | None], Callable[[Any], Page]]


def without_late_section(html: bytes) -> bytes:
    """A page as the search index reads it: every late section emptied."""
    start = html.find(LATE_BEGIN)
    while start != -1:
        end = html.find(LATE_END, start + len(LATE_BEGIN))
        if end == -1:
            break
        html = html[:start + len(LATE_BEGIN)] + html[end:]
        start = html.find(LATE_BEGIN, start + len(LATE_BEGIN) + len(LATE_END))
    return html


def fill_late_section(html: bytes, section: bytes) -> bytes:
    """A page written with its late section empty, with `section` filled in."""
    empty = LATE_BEGIN + LATE_END
    if html.count(empty) != 1:
        raise ValueError("a page of this series should hold exactly one empty late section")
    return html.replace(empty, LATE_BEGIN + section + LATE_END)


Output = Page | DataFile | PageSeries
# Every feature gets the run's store explicitly (None: keep nothing between runs).
Emitter = Callable[[KnowledgeBase, Store | None], Iterable[Output]]
# A feature that adds to every factsheet page: prepared once with the whole model, then asked
# per sheet for extra template variables (e.g. similar initiatives, a neighbourhood graph).
SheetContextProvider = Callable[[KnowledgeBase, Store | None], Callable[[Sheet], dict[str, Any]]]
