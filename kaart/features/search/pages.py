"""Search: the page at /zoeken/ and, on every factsheet page, its search data and similar sheets.

The browser searches with Pagefind (indexed after the build, `kaart.build.pagefind`); the
"gelijkaardige initiatieven" come from Whoosh (`kaart.features.search.whoosh`), computed once per build.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from kaart.core import registry
from kaart.core.store import Store
from kaart.features.search.corpus import all_extra_terms
from kaart.core.model import KnowledgeBase, Sheet
from kaart.features.output import Page

# The one page that loads the Pagefind bundle.
SEARCH_PAGE = "zoeken/index.html"


def facet_options(kb: KnowledgeBase) -> dict[str, dict[str, str]]:
    """The values of each facet (registry.FACETS) that some factsheet has, key -> label."""
    return {facet.key: kb.facet_labels(facet) for facet in registry.FACETS}


def emit(kb: KnowledgeBase, store: Store | None = None) -> Iterator[Page]:
    options = facet_options(kb)
    facets = [(facet.key, facet.legend, options[facet.key]) for facet in registry.FACETS if options[facet.key]]
    yield Page(SEARCH_PAGE, "search", {"page_title": "Zoeken", "facets": facets})


def sheet_context(kb: KnowledgeBase, store: Store | None = None) -> Callable[[Sheet], dict[str, Any]]:
    """Per factsheet: the extra word forms to index, and its facets' values."""
    terms = all_extra_terms(kb, store)

    def provide(sheet: Sheet) -> dict[str, Any]:
        return {
            "search_terms": terms[sheet.id],
            # The page's values of every facet, as Pagefind filters (the same keys as the search page).
            "search_filters": tuple((facet.key, value) for facet in registry.FACETS
                                    for value in kb.facet_values(facet, sheet)),
        }

    return provide


def similar_context(kb: KnowledgeBase, store: Store | None = None) -> Callable[[Sheet], dict[str, Any]]:
    """Per factsheet: up to five similar factsheets (a part of the page the search index leaves out).
    Imported here: it brings numpy and Whoosh, which nothing needs before Pagefind starts."""
    from kaart.features.search.similar import similar_sheets

    similar = similar_sheets(kb, store=store)
    return lambda sheet: {"similar": tuple(kb.sheets[s] for s in similar[sheet.id])}
