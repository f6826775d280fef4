"""The factsheet form, /bijdragen/nieuw/: add or edit a factsheet without git or an editor.

Everything the form asks comes from the JSON Schema (fields, allowed values, help texts, examples):
the build hands the browser the schema itself, the ids it may point to, and each factsheet's data
as its file states it, for "Bewerk deze fiche". The browser checks the entry against the schema
with a vendored Ajv and writes the YAML as `kaart fmt` would (theme/static/js/fiche-yaml.js).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from kaart.content.fmt import SCHEMA_LINE
from kaart.core import registry
from kaart.core.model import KnowledgeBase, Organisation, sort_key
from kaart.core.store import Store
from kaart.features.output import DataFile, Output, Page

FORM_URL = "bijdragen/nieuw/"
CONFIG_PATH = "bijdragen/formulier.json"


def sheet_data_path(sheet_id: str) -> str:
    return f"bijdragen/fiches/{sheet_id}.json"


def _json(value: Any) -> bytes:
    # Key order is meaningful here (the schema's property order is the file's key order): never sort.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def form_config(kb: KnowledgeBase) -> dict[str, Any]:
    """What the form needs besides the page: the schema, where files go, and the ids it may link."""
    sheets = sorted(kb.sheets.values(), key=lambda s: sort_key(s.display_title))
    return {
        "schema": registry.schema(),
        "schemaLine": SCHEMA_LINE,
        "folders": registry.FOLDERS,
        "organisations": [[s.id, s.display_title] for s in sheets if isinstance(s, Organisation)],
        "sheets": [[s.id, s.display_title] for s in sheets],
        # What `dia` may say per deck, offered as suggestions; validate reads the same list.
        "slides": {deck: [name for slide in deck_slides for name in slide.names]
                   for deck, deck_slides in registry.slides().items()},
    }


def emit(kb: KnowledgeBase, store: Store | None = None) -> Iterator[Output]:
    yield Page(f"{FORM_URL}index.html", "contribute_form", {
        "page_title": "Een fiche toevoegen of bewerken",
        "config_url": CONFIG_PATH,
    })
    yield DataFile(CONFIG_PATH, _json(form_config(kb)))
    for sheet_id, data in sorted(kb.source_data.items()):
        yield DataFile(sheet_data_path(sheet_id), _json({"path": kb.sheets[sheet_id].path, "data": data}))
