"""Stage 4: features turn the knowledge base into outputs (pages and data files).

Each feature is a module or package that derives what it needs from the model and emits its
pages: `emit(kb) -> Iterable[Page | DataFile | PageSeries]`, and, for what it adds to every
factsheet page, a provider `prepare(kb) -> (sheet -> extra template variables)` listed in
`factsheets.sheet_context_providers`. Adding a feature means adding it to those lists, not
threading a flag through the build.
"""

from __future__ import annotations

from kaart.features import changes, contribute, factsheets, guide, matrix, overviews
from kaart.features.compare import pages as compare
from kaart.features.figures import pages as figures
from kaart.features.graph import pages as graph
from kaart.features.handouts import pages as handouts
from kaart.features.opendata import pages as opendata
from kaart.core.model import KnowledgeBase
from kaart.core.store import Store
from kaart.features.output import Emitter
from kaart.features.search import pages as search


def start_work_ahead(kb: KnowledgeBase, store: Store | None) -> None:
    """Right after the model is read: start what takes long and needs little (in other processes)."""
    graph.start_layout(kb, store)


def all_emitters() -> list[Emitter]:
    """The factsheet pages first: Pagefind indexes them while the rest of the site is written."""
    return [factsheets.emit, matrix.emit, guide.emit, overviews.emit, graph.emit, compare.emit, figures.emit,
            search.emit, handouts.emit, contribute.emit, changes.emit, opendata.emit]
