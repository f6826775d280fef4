"""The home page: the seed matrix, situations as columns and kinds of help as rows, and beside it
the initiatives the map added after the 2022 mapping, so every initiative is one click away."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .. import registry
from ..model import Initiative, KnowledgeBase
from . import Page

# A cell lists at most this many initiatives (Ghent's fullest has 11). A fuller one, as a map of all
# of Flanders would have, shows these and links to the search page filtered on its kind and
# situation for the rest: the home page stays a page to scan, not a list of thousands.
CELL_LIMIT = 25


@dataclass(frozen=True)
class Cell:
    situation: str
    shown: tuple[Initiative, ...]
    total: int


def matrix_rows(kb: KnowledgeBase) -> list[tuple[str, str, list[Cell]]]:
    """[(kind key, kind label, [cell per situation]), ...] in schema order."""
    rows = []
    for kind, label in registry.kinds().items():
        cells = []
        for situation in registry.situations():
            sheets = tuple(kb.in_cell(situation, kind))
            cells.append(Cell(situation, sheets[:CELL_LIMIT], len(sheets)))
        rows.append((kind, label, cells))
    return rows


def added_since_mapping(kb: KnowledgeBase) -> tuple[Initiative, ...]:
    """Initiatives outside the 2022 matrix (no cell), alphabetically."""
    return tuple(s for s in kb.initiatives if not s.cellen)


def emit(kb: KnowledgeBase) -> Iterator[Page]:
    yield Page("index.html", "index", {
        "rows": matrix_rows(kb),
        "added": added_since_mapping(kb),
        "routes": registry.ROUTES,
        "reforms": registry.REFORMS,
        "page_title": None,
    })
