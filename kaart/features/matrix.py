"""The home page: the seed matrix, situations as columns and kinds of help as rows, and beside it
the initiatives the map added after the 2022 mapping, so every initiative is one click away."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from kaart.core.store import Store
from kaart.core import registry
from kaart.core.model import Initiative, KnowledgeBase
from kaart.features.output import Page
from kaart.features import guide

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
            sheets = tuple(kb.in_mapping_cell(situation, kind))
            cells.append(Cell(situation, sheets[:CELL_LIMIT], len(sheets)))
        rows.append((kind, label, cells))
    return rows


@dataclass(frozen=True)
class AddedGroup:
    """Initiatives added after the 2022 mapping, of one kind of help (`kind` None: not classified)."""

    kind: str | None
    shown: tuple[Initiative, ...]
    total: int


def added_since_mapping(kb: KnowledgeBase) -> tuple[AddedGroup, ...]:
    """Initiatives not on the 2022 slide, by the kind of help of their first cell, in matrix row order."""
    by_kind: dict[str | None, list[Initiative]] = {}
    for sheet in kb.initiatives:
        if not sheet.mapping_2022:
            by_kind.setdefault(sheet.cellen[0].soort if sheet.cellen else None, []).append(sheet)
    order = [*registry.kinds(), None]
    return tuple(AddedGroup(kind, tuple(by_kind[kind][:CELL_LIMIT]), len(by_kind[kind]))
                 for kind in order if kind in by_kind)


def emit(kb: KnowledgeBase, store: Store | None = None) -> Iterator[Page]:
    situations, groups = guide.first_step(kb)
    yield Page("index.html", "index", {
        "guide_situations": situations,
        "guide_groups": groups,
        "rows": matrix_rows(kb),
        # Overview pages exist only for kinds and situations that list something.
        "kind_pages": tuple(kind for kind in registry.kinds() if kb.with_kind(kind)),
        "situation_pages": tuple(s for s in registry.situations() if kb.in_situation(s)),
        "added": added_since_mapping(kb),
        "routes": registry.ROUTES,
        "reforms": registry.REFORMS,
        "page_title": None,
    })
