"""The factsheet form, /bijdragen/nieuw/: add or edit a factsheet without git or an editor.

Everything the form asks comes from the JSON Schema (fields, allowed values, help texts, examples):
the build hands the browser the schema itself, the ids it may point to, and each factsheet's data
as its file states it, for "Bewerk deze fiche". The browser checks the entry against the schema
with a vendored Ajv and writes the YAML as `kaart fmt` would (theme/static/js/fiche-yaml.js).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from kaart.content.order import SCHEMA_LINE
from kaart.core import privacy, registry
from kaart.core.model import KnowledgeBase, Organisation, sort_key
from kaart.core.store import Store
from kaart.features.output import DataFile, Output, Page

FORM_URL = "bijdragen/nieuw/"
CONFIG_PATH = "bijdragen/formulier.json"


# The form's copy of each factsheet, in groups of about this many bytes: a file per sheet was 5,000
# files to create at 5,000 sheets (0.8 to 3 s of a build on this project's disk), while "Bewerk
# deze fiche" needs one sheet, so it loads one group.
GROUP_BYTES = 64_000


def sheet_group(sheet_id: str, groups: int) -> int:
    """The group a factsheet's id falls in: FNV-1a of the id, as the form computes it (fiche-form.js).
    It depends on the id alone, so an edit rewrites one group."""
    value = 0x811C9DC5
    for byte in sheet_id.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value % groups


def group_count(total_bytes: int) -> int:
    """A power of two, so that the number (and with it every sheet's group) changes only when the
    sheets' size together halves or doubles."""
    groups = 1
    while groups * GROUP_BYTES < total_bytes:
        groups *= 2
    return groups


SHEET_GROUP_FOLDER = "bijdragen/fiches/"  # the form page hands this to the browser


def sheet_group_path(group: int) -> str:
    return f"{SHEET_GROUP_FOLDER}{group}.json"


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
        # The privacy warnings of `kaart validate`, for the browser.
        "privacy": privacy.browser_rules(),
        # What `dia` may say per deck, offered as suggestions; validate reads the same list.
        "slides": {deck: [name for slide in deck_slides for name in slide.names]
                   for deck, deck_slides in registry.slides().items()},
    }


_TOP_KEY = re.compile(r"([A-Za-z_][\w-]*):(?:[ \t]|$)")


def file_blocks(text: str) -> dict[str, Any]:
    """A factsheet's text cut at its top-level keys, each with the comment lines just above it (the
    first key's are the file's header). The form writes these lines back unchanged for every field
    an edit leaves alone, so that a pull request shows only what changed."""
    lines = text.removesuffix("\n").split("\n")
    starts = [(i, match.group(1)) for i, line in enumerate(lines) if (match := _TOP_KEY.match(line))]
    if not starts:
        return {}
    bounds = []
    for n, (line, key) in enumerate(starts):
        above = line
        while n and above > 0 and lines[above - 1].startswith("#"):
            above -= 1
        bounds.append((above, line, key))
    keys = {}
    for n, (above, line, key) in enumerate(bounds):
        end = bounds[n + 1][0] if n + 1 < len(bounds) else len(lines)
        keys[key] = {"comments": lines[above:line], "lines": lines[line:end]}
        if lines[line] == f"{key}:":  # a block below its key: its fields or items too, one level down
            keys[key].update(_parts(lines[line + 1:end]))
    return {"head": lines[:bounds[0][0]], "keys": keys}


_FIELD = re.compile(r"  ([A-Za-z_][\w-]*):(?:[ \t]|$)")


def _parts(lines: list[str]) -> dict[str, Any]:
    """A block's second level, each part with the comment lines just above it: the fields of a
    mapping (`fields`, by name) or the items of a list (`items`, in order)."""
    if lines and lines[0].startswith("  - "):
        starts = [(i, None) for i, line in enumerate(lines) if line.startswith("  - ")]
    else:
        starts = [(i, match.group(1)) for i, line in enumerate(lines) if (match := _FIELD.match(line))]
    if not starts or starts[0][0] != 0:
        return {}
    parts = []
    for n, (line, name) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        while n + 1 < len(starts) and end > line + 1 and lines[end - 1].startswith("  #"):
            end -= 1  # a comment above the next part belongs to it
        above = line
        while above > (starts[n - 1][0] + 1 if n else 0) and lines[above - 1].startswith("  #"):
            above -= 1
        parts.append((name, {"comments": lines[above:line], "lines": lines[line:end]}))
    if parts[0][0] is None:
        return {"items": [part for _, part in parts]}
    return {"fields": dict(parts)}


def _sheet_file(kb: KnowledgeBase, sheet_id: str) -> dict[str, Any]:
    path = kb.source_files.get(sheet_id)
    blocks = file_blocks(path.read_text(encoding="utf-8")) if path is not None and path.is_file() else {}
    return {"path": kb.sheets[sheet_id].path, "data": kb.source_data[sheet_id], "text": blocks}


def sheet_groups(kb: KnowledgeBase) -> tuple[int, dict[int, bytes]]:
    """How many groups, and each non-empty group's file: the sheets in it by id, in id order."""
    sheets = {sheet_id: _json(_sheet_file(kb, sheet_id)) for sheet_id in sorted(kb.source_data)}
    groups = group_count(sum(len(data) for data in sheets.values()))
    members: dict[int, list[bytes]] = {}
    for sheet_id, data in sheets.items():
        members.setdefault(sheet_group(sheet_id, groups), []).append(_json(sheet_id) + b":" + data)
    return groups, {group: b"{" + b",".join(parts) + b"}" for group, parts in sorted(members.items())}


def emit(kb: KnowledgeBase, store: Store | None = None) -> Iterator[Output]:
    groups, files = sheet_groups(kb)
    yield Page(f"{FORM_URL}index.html", "contribute_form", {
        "page_title": "Een fiche toevoegen of bewerken",
        "config_url": CONFIG_PATH,
        "sheet_groups": groups,
        "sheet_group_folder": SHEET_GROUP_FOLDER,
    })
    yield DataFile(CONFIG_PATH, _json(form_config(kb)))
    for group, content in files.items():
        yield DataFile(sheet_group_path(group), content)
