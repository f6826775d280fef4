"""Stage 4: emitters turn the knowledge base into outputs (pages and data files).

An emitter is a function `emit(kb) -> Iterable[Page | DataFile]`. Adding a feature means
adding an emitter to EMITTERS, not threading a flag through the generator.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..model import KnowledgeBase, Sheet


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
    # The pages the site search indexes (pagefind_index.PAGES_GLOB): once written, indexing starts.
    searchable: bool = False


Output = Page | DataFile | PageSeries
Emitter = Callable[[KnowledgeBase], Iterable[Output]]
# A feature that adds to every factsheet page: prepared once with the whole model, then asked
# per sheet for extra template variables (e.g. similar initiatives, a neighbourhood graph).
SheetContextProvider = Callable[[KnowledgeBase], Callable[[Sheet], dict[str, Any]]]


def sheet_context_providers() -> list[SheetContextProvider]:
    from . import comparisons, figures, graph, search

    return [graph.neighbourhood_provider, figures.sheet_figures, comparisons.sheet_comparisons, search.sheet_context]


def all_emitters() -> list[Emitter]:
    from . import comparisons, factsheets, figures, graph, guide, handouts, matrix, overviews, search

    return [matrix.emit, guide.emit, factsheets.emit, overviews.emit, graph.emit, comparisons.emit, figures.emit,
            search.emit, handouts.emit]
