"""`kaart new`: a commented factsheet skeleton, written from the JSON Schema's descriptions."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from . import registry

ID_PATTERN = re.compile(registry.schema()["$defs"]["id"]["pattern"])


class NewSheetError(Exception):
    """The factsheet cannot be created as asked (bad id, existing file, unknown value)."""


def _description(sheet_type: str, field: str) -> str:
    schema = registry.schema()
    node = schema["$defs"][sheet_type]["properties"][field]
    if "description" not in node and "$ref" in node:
        node = schema["$defs"][node["$ref"].split("/")[-1]]
    return node.get("description", "")


def _yaml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _check_choice(value: str | None, options: dict[str, str], what: str) -> None:
    if value is not None and value not in options:
        raise NewSheetError(f"onbekende {what} '{value}'; kies uit: {', '.join(options)}")


def skeleton(sheet_id: str, *, organisation: bool = False, titel: str | None = None, soort: str | None = None,
             situatie: str | None = None, aanbieder: str | None = None, today: dt.date | None = None) -> str:
    """The text of a new factsheet. Required fields are filled; optional ones are commented out."""
    sheet_type = "organisatie" if organisation else "initiatief"
    today = today or dt.date.today()
    titel = titel or sheet_id.replace("-", " ").capitalize()
    values: dict[str, str] = {
        "type": sheet_type,
        "id": sheet_id,
        "titel": _yaml_string(titel),
        "samenvatting": _yaml_string("Nog aan te vullen: zeg in één of twee zinnen wat dit is en voor wie."),
        "laatst_nagekeken": _yaml_string(today.isoformat()),
    }
    if not organisation:
        values["status"] = "actief"
        if soort and situatie:
            values["cellen"] = f"\n  - {{situatie: {situatie}, soort: {soort}}}"
        if aanbieder:
            values["aanbieders"] = f"[{aanbieder}]"
    lines = [f"# yaml-language-server: $schema=../schema/{registry.SCHEMA_PATH.name}"]
    for field in registry.field_names(sheet_type):
        lines.append(f"# {_description(sheet_type, field)}")
        if field in values:
            separator = "" if values[field].startswith("\n") else " "
            lines.append(f"{field}:{separator}{values[field]}")
        elif field == "bronnen":
            lines.append("# Verplicht: vul minstens één bron in, bv. een publieke webpagina:")
            lines.append("bronnen:")
            lines.append('  - {url: "https://", titel: "Titel van de pagina"}')
        else:
            lines.append(f"# {field}:")
    return "\n".join(lines) + "\n"


def write_new_sheet(root: Path, sheet_id: str, *, organisation: bool = False, **fields: str | None) -> Path:
    if not ID_PATTERN.match(sheet_id) or len(sheet_id) > 60:
        raise NewSheetError(f"'{sheet_id}' is geen geldig id: gebruik kleine letters, cijfers en koppeltekens")
    _check_choice(fields.get("soort"), registry.kinds(), "soort")
    _check_choice(fields.get("situatie"), registry.situations(), "situatie")
    if bool(fields.get("soort")) != bool(fields.get("situatie")):
        raise NewSheetError("geef --soort en --situatie samen op (ze vormen samen een vakje van de matrix)")
    for folder in registry.FOLDERS.values():
        existing = root / folder / f"{sheet_id}.yaml"
        if existing.exists():
            raise NewSheetError(f"er bestaat al een fiche met id '{sheet_id}': {folder}/{sheet_id}.yaml")
    aanbieder = fields.get("aanbieder")
    if aanbieder and not (root / registry.FOLDERS["organisatie"] / f"{aanbieder}.yaml").exists():
        raise NewSheetError(f"onbekende organisatie '{aanbieder}'; maak eerst organisations/{aanbieder}.yaml")
    folder = root / registry.FOLDERS["organisatie" if organisation else "initiatief"]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{sheet_id}.yaml"
    path.write_text(skeleton(sheet_id, organisation=organisation, **fields), encoding="utf-8")
    return path
