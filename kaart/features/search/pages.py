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
from kaart.features.search.similar import similar_sheets
from kaart.features.output import Page

# Facets in the order the search page shows them: (URL parameter, legend).
FACETS = (
    ("soort", "Soort hulp"),
    ("situatie", "Situatie"),
    ("doelgroep", "Doelgroep"),
    ("aanbieder", "Aanbieder"),
    ("status", "Status"),
    ("regio", "Regio"),
)


def facet_options(kb: KnowledgeBase) -> dict[str, dict[str, str]]:
    """The values of each facet that some factsheet has (key -> label), in vocabulary order: a filter
    that can only give "0" is not offered. Providers are the organisations that offer something."""
    providers = sorted({org for sheet in kb.initiatives for org in sheet.aanbieders},
                       key=lambda org: kb.sheets[org].titel.casefold())
    used = {
        "soort": {c.soort for s in kb.initiatives for c in s.cellen},
        "situatie": {c.situatie for s in kb.initiatives for c in s.cellen},
        "doelgroep": {g for s in kb.initiatives for g in s.doelgroepen},
        "status": {s.status for s in kb.initiatives},
        "regio": {s.regio for s in kb.sheets.values() if s.regio},
    }
    options = {
        name: {key: label for key, label in labels.items() if key in used[name]}
        for name, labels in (("soort", registry.kinds()), ("situatie", registry.situations()),
                             ("doelgroep", registry.target_groups()), ("status", registry.statuses()),
                             ("regio", registry.regions()))
    }
    return {**options, "aanbieder": {org: kb.sheets[org].display_title for org in providers}}


def emit(kb: KnowledgeBase, store: Store | None = None) -> Iterator[Page]:
    options = facet_options(kb)
    facets = [(name, legend, options[name]) for name, legend in FACETS if options[name]]
    yield Page("zoeken/index.html", "search", {"page_title": "Zoeken", "facets": facets})


def sheet_context(kb: KnowledgeBase, store: Store | None = None) -> Callable[[Sheet], dict[str, Any]]:
    """Per factsheet: the extra word forms to index, and up to five similar factsheets."""
    terms = all_extra_terms(kb, store)
    similar = similar_sheets(kb, store=store)

    def provide(sheet: Sheet) -> dict[str, Any]:
        return {
            "search_terms": terms[sheet.id],
            "similar": tuple(kb.sheets[s] for s in similar[sheet.id]),
        }

    return provide
