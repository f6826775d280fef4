"""A page per initiative and per organisation.

Everything a factsheet page shows comes in its own context (the render cache keys on it); the
templates of these pages cannot read the knowledge base directly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from kaart.core import timing
from kaart.core.store import Store
from kaart.core.model import Initiative, KnowledgeBase, Sheet
from kaart.features.output import LateSection, Page, PageSeries, SheetContextProvider
from kaart.features import changes
from kaart.features.compare import pages as compare
from kaart.features.figures import pages as figures
from kaart.features.graph import pages as graph
from kaart.features.opendata import pages as opendata
from kaart.features.search import pages as search


def sheet_context_providers() -> list[SheetContextProvider]:
    """What other features add to every factsheet page, in the order the page shows it."""
    return [graph.neighbourhood_provider, figures.sheet_figures, compare.sheet_comparisons, search.sheet_context,
            changes.sheet_history, opendata.sheet_structured_data]


def emit(kb: KnowledgeBase, store: Store | None = None) -> Iterator[PageSeries]:
    yield PageSeries(tuple(kb.sheets.values()), page_maker(kb, store), searchable=True,
                     late=LateSection(similar_section_maker))


# The similar factsheets: computed over every factsheet's words (seconds for thousands), and not
# indexed, so the search index need not wait for them (output.LateSection).
SIMILAR_TEMPLATE = "_sheet_similar"  # Pelican adds ".html"


def similar_section_maker(kb: KnowledgeBase, store: Store | None = None) -> Callable[[Sheet], Page]:
    with timing.stage("  voorbereiden: search.pages.similar_context"):
        provide = search.similar_context(kb, store)
    return lambda sheet: Page(page_address(sheet), SIMILAR_TEMPLATE, {"sheet": sheet, **provide(sheet)})


def page_address(sheet: Sheet) -> str:
    return f"{sheet.url}index.html"


def page_maker(kb: KnowledgeBase, store: Store | None = None) -> Callable[[Sheet], Page]:
    """Prepare the per-sheet features once; the returned function makes one sheet's page."""
    providers = []
    for prepare in sheet_context_providers():
        with timing.stage(f"  voorbereiden: {prepare.__module__.removeprefix('kaart.features.')}.{prepare.__name__}"):
            providers.append((f"  per fiche: {prepare.__module__.removeprefix('kaart.features.')}", prepare(kb, store)))

    def make(sheet: Sheet) -> Page:
        template = "initiative" if isinstance(sheet, Initiative) else "organisation"
        contacts, contacts_from = kb.contact_points(sheet)
        context = {"sheet": sheet, "related": kb.related(sheet.id), "page_title": sheet.display_title,
                   "contacts": contacts, "contacts_from": contacts_from, "missing": kb.missing_fields(sheet),
                   "outdated": kb.is_outdated(sheet), "newest_source": kb.newest_source_date(sheet)}
        if isinstance(sheet, Initiative):
            context["providers"] = tuple(kb.sheets[org_id] for org_id in sheet.aanbieders)
        else:
            context["offers"] = kb.offered_by(sheet.id)
            context["takes_part_in"] = kb.taking_part_in(sheet.id)
        for name, provide in providers:
            with timing.stage(name):
                context.update(provide(sheet))
        return Page(page_address(sheet), template, context)

    return make
