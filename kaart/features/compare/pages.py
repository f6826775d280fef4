"""Comparison pages: one page per shipped comparison, the index /vergelijken/, and the JSON
from which the browser builds a comparison of any two to four initiatives (compare-any)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from kaart.core.store import Store
from kaart.core import registry
from kaart.content.comparisons import MAX_PICK, normalised, short_names
from kaart.core.model import KnowledgeBase, Sheet, Source
from kaart.features.output import DataFile, Output, Page

DATA_PATH = "vergelijken/fiches.json"


def sheet_comparisons(kb: KnowledgeBase, store: Store | None = None) -> Callable[[Sheet], dict[str, Any]]:
    """The shipped comparisons a factsheet stands in, for the 'Vergelijken' section of its page."""

    def provide(sheet: Sheet) -> dict[str, Any]:
        return {"sheet_comparisons": tuple(c for c in kb.comparisons if sheet.id in c.ids)}

    return provide


def emit(kb: KnowledgeBase, store: Store | None = None) -> Iterator[Output]:
    for comparison in kb.comparisons:
        yield Page(f"{comparison.url}index.html", "comparison",
                   {"page_title": comparison.titel, "comparison": comparison, "table": comparison.table()})
    yield Page("vergelijken/index.html", "comparisons",
               {"page_title": "Vergelijken", "comparisons": kb.comparisons, "max_pick": MAX_PICK})
    yield DataFile(DATA_PATH, compare_json(kb))
    # The short address a reader may type or share: /vergelijk/?ids=ibo,imw,bis.
    yield Page("vergelijk/index.html", "compare_alias", {"page_title": "Vergelijken"})


def _value_groups(kb: KnowledgeBase) -> dict[str, dict[str, int]]:
    """Per attribute, a number for each distinct value: the browser compares numbers, so it
    calls two values equal exactly when the shipped pages do (see comparisons.normalised)."""
    groups: dict[str, dict[str, int]] = {}
    for key in registry.ATTRIBUTE_LABELS:
        values = sorted({normalised(a.waarde) for s in kb.initiatives if (a := s.attribute(key))})
        groups[key] = {value: number for number, value in enumerate(values)}
    return groups


def compare_data(kb: KnowledgeBase) -> dict[str, Any]:
    """Everything compare-any needs, sources listed once and referred to by index."""
    sources: dict[Source, int] = {}
    groups = _value_groups(kb)
    sheets = []
    for sheet in sorted(kb.initiatives, key=lambda s: s.id):
        attributes = {
            a.key: {"waarde": a.waarde, "bron": sources.setdefault(a.bron, len(sources)),
                    "gelijk": groups[a.key][normalised(a.waarde)]}
            for a in sheet.kenmerken
        }
        sheets.append({"id": sheet.id, "titel": sheet.display_title, "url": sheet.url, "pad": sheet.path,
                       "status": sheet.status, "kenmerken": attributes})
    return {
        "max": MAX_PICK,
        "kenmerken": [{"key": key, "label": label} for key, label in registry.ATTRIBUTE_LABELS.items()],
        "statussen": registry.statuses(),
        "afkortingen": short_names((s.id, s.afkorting) for s in kb.initiatives),
        "bronnen": [{"label": source.label, "url": source.url, "datum": source.date_note} for source in sources],
        "fiches": sheets,
    }


def compare_json(kb: KnowledgeBase) -> bytes:
    text = json.dumps(compare_data(kb), ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return (text + "\n").encode("utf-8")
