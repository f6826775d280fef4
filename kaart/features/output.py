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


Output = Page | DataFile | PageSeries
# Every feature gets the run's store explicitly (None: keep nothing between runs).
Emitter = Callable[[KnowledgeBase, Store | None], Iterable[Output]]
# A feature that adds to every factsheet page: prepared once with the whole model, then asked
# per sheet for extra template variables (e.g. similar initiatives, a neighbourhood graph).
SheetContextProvider = Callable[[KnowledgeBase, Store | None], Callable[[Sheet], dict[str, Any]]]
