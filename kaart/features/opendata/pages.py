"""The open data: /data/ explains the files, /data/* are the files, and every factsheet page
carries its schema.org description (`sheet_structured_data`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from kaart.core import registry
from kaart.core.model import Initiative, KnowledgeBase, Sheet
from kaart.core.store import Store
from kaart.features.opendata.linked import CPSV_AP, SheetDescription, cpsv_document, public_services
from kaart.features.opendata.site import SiteFile
from kaart.features.opendata.tables import SCHEMA_NAME, SEPARATOR, TABLES, factsheets_json
from kaart.features.output import DataFile, Output, Page


def emit(kb: KnowledgeBase, store: Store | None = None) -> Iterator[Output]:
    for table in TABLES:
        yield Page(f"data/{table.file_name}", "data_file", {"file": SiteFile(partial(table.csv, kb))})
    yield DataFile("data/kaart.json", factsheets_json(kb))
    yield DataFile(f"data/{SCHEMA_NAME}", registry.SCHEMA_PATH.read_bytes())
    yield Page("data/kaart.jsonld", "data_file", {"file": SiteFile(partial(cpsv_document, kb))})
    yield Page("data/index.html", "data", {
        "page_title": "Open data", "tables": [(table, len(table.sheets(kb))) for table in TABLES],
        "separator": SEPARATOR, "schema_name": SCHEMA_NAME, "cpsv_ap": CPSV_AP,
        "public_services": len(public_services(kb)), "initiatives": len(kb.initiatives),
    })


def sheet_structured_data(kb: KnowledgeBase, store: Store | None = None) -> Callable[[Sheet], dict[str, Any]]:
    """For a factsheet page: its subject described in schema.org terms (written into the page's head)."""

    def provide(sheet: Sheet) -> dict[str, Any]:
        providers = tuple(kb.sheets[org_id] for org_id in sheet.aanbieders) if isinstance(sheet, Initiative) else ()
        return {"structured_data": SheetDescription(sheet, providers)}

    return provide
