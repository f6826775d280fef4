"""Overview pages: by kind, by situation, by target group, all initiatives, all organisations."""

from __future__ import annotations

from collections.abc import Iterator

from .. import registry
from ..model import KnowledgeBase
from . import Page


def _facet_pages(kb: KnowledgeBase) -> Iterator[tuple[str, str, str, str, tuple]]:
    """(facet name, facet label, key, label, initiatives) for every facet value."""
    for key, label in registry.kinds().items():
        yield "soort", "Soort hulp", key, label, kb.with_kind(key)
    for key, label in registry.situations().items():
        yield "situatie", "Situatie", key, label, kb.in_situation(key)
    for key, label in registry.target_groups().items():
        yield "doelgroep", "Doelgroep", key, label, kb.for_target_group(key)


def emit(kb: KnowledgeBase) -> Iterator[Page]:
    facets: dict[str, list[tuple[str, str, int]]] = {}
    for facet, facet_label, key, label, sheets in _facet_pages(kb):
        facets.setdefault(facet_label, []).append((f"{facet}/{key}/", label, len(sheets)))
        yield Page(f"{facet}/{key}/index.html", "overview",
                   {"page_title": label, "facet_label": facet_label, "sheets": sheets})
    yield Page("overzicht/index.html", "overviews", {"page_title": "Overzichten", "facets": facets})
    yield Page("initiatieven/index.html", "overview",
               {"page_title": "Alle initiatieven", "facet_label": None, "sheets": kb.initiatives})
    yield Page("organisaties/index.html", "organisations",
               {"page_title": "Organisaties", "organisations": kb.organisations})
