"""Overview pages: by kind, by situation, by target group, all initiatives, all organisations.

A long list is split into pages of PAGE_SIZE cards (`…/pagina/2/` and on): Ghent's lists fit on
one page, a map of all of Flanders would otherwise send megabytes of cards at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from kaart.core.store import Store
from kaart.core import registry
from kaart.core.model import Initiative, KnowledgeBase
from kaart.features.output import Page

PAGE_SIZE = 100


@dataclass(frozen=True)
class Pager:
    """Where one page of a long list stands: its number, how many there are, the cards it shows."""

    number: int
    count: int
    first: int  # 1-based position of the first card on this page
    last: int
    total: int

    def url(self, number: int) -> str:
        """The address of page `number`, relative to page 1."""
        return "" if number == 1 else f"pagina/{number}/"


def _facet_pages(kb: KnowledgeBase) -> Iterator[tuple[str, str, str, str, tuple]]:
    """(facet name, facet label, key, label, initiatives) for every facet value; empty ones are left
    out by `emit`, so no link leads to a page that lists nothing."""
    for facet in registry.FACETS:
        if facet.overview and facet.labels is not None:
            for key, label in facet.labels().items():
                yield facet.key, facet.legend, key, label, kb.with_facet_value(facet, key)


def paged(folder: str, context: dict, sheets: Sequence[Initiative]) -> Iterator[Page]:
    """The pages of one list: page 1 at `folder`, the others at `folder`pagina/N/."""
    count = max(1, -(-len(sheets) // PAGE_SIZE))
    for number in range(1, count + 1):
        start = (number - 1) * PAGE_SIZE
        chunk = tuple(sheets[start:start + PAGE_SIZE])
        pager = Pager(number, count, start + 1, start + len(chunk), len(sheets))
        # Each page has its own title (browser tab, history): "… (pagina 2 van 3)".
        title = context["page_title"] + (f" (pagina {number} van {count})" if number > 1 else "")
        yield Page(f"{folder}{pager.url(number)}index.html", "overview",
                   {**context, "page_title": title, "sheets": chunk, "pager": pager, "list_url": folder})


def emit(kb: KnowledgeBase, store: Store | None = None) -> Iterator[Page]:
    facets: dict[str, list[tuple[str, str, int]]] = {}
    for facet, facet_label, key, label, sheets in _facet_pages(kb):
        if not sheets:
            continue
        facets.setdefault(facet_label, []).append((f"{facet}/{key}/", label, len(sheets)))
        yield from paged(f"{facet}/{key}/", {"page_title": label, "facet_label": facet_label}, sheets)
    yield Page("overzicht/index.html", "overviews", {"page_title": "Overzichten", "facets": facets})
    yield from paged("initiatieven/", {"page_title": "Alle initiatieven", "facet_label": None}, kb.initiatives)
    yield Page("organisaties/index.html", "organisations",
               {"page_title": "Organisaties", "organisations": kb.organisations})
