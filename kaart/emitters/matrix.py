"""The home page: the seed matrix, situations as columns and kinds of help as rows."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import KnowledgeBase
from .. import registry
from . import Page


def matrix_rows(kb: KnowledgeBase) -> list[tuple[str, str, list[tuple[str, tuple]]]]:
    """[(kind key, kind label, [(situation key, initiatives), ...]), ...] in schema order."""
    return [
        (kind, label, [(situation, kb.in_cell(situation, kind)) for situation in registry.situations()])
        for kind, label in registry.kinds().items()
    ]


def emit(kb: KnowledgeBase) -> Iterator[Page]:
    yield Page("index.html", "index", {"rows": matrix_rows(kb), "page_title": None})
