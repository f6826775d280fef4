"""`kaart new`: a commented factsheet skeleton, written from the JSON Schema's descriptions."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path

from kaart.core import registry
from kaart.core.validate import suggest

ID_PATTERN = re.compile(registry.schema()["$defs"]["id"]["pattern"])
URL_PATTERN = re.compile(registry.schema()["$defs"]["url"]["pattern"])


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


def _source_line(url: str | None, titel: str | None, today: dt.date) -> str:
    read_on = _yaml_string(today.isoformat())
    if url and titel:
        return f"  - {{url: {_yaml_string(url)}, titel: {_yaml_string(titel)}, geraadpleegd: {read_on}}}"
    return (f"  - {{url: {_yaml_string(registry.PLACEHOLDER_URL)}, titel: {_yaml_string(registry.PLACEHOLDER_TITLE)}, "
            f"geraadpleegd: {read_on}}}")


def skeleton(sheet_id: str, *, organisation: bool = False, titel: str | None = None, soort: str | None = None,
             situatie: str | None = None, aanbieder: str | None = None, bron_url: str | None = None,
             bron_titel: str | None = None, today: dt.date | None = None) -> str:
    """The text of a new factsheet. Required fields are filled; optional ones are commented out."""
    sheet_type = "organisatie" if organisation else "initiatief"
    today = today or dt.date.today()
    titel = titel or sheet_id.replace("-", " ").capitalize()
    values: dict[str, str] = {
        "type": sheet_type,
        "id": sheet_id,
        "titel": _yaml_string(titel),
        "samenvatting": _yaml_string(registry.PLACEHOLDER_SUMMARY),
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
            if not bron_url:
                lines.append("# Verplicht: vul minstens één bron in, bv. een publieke webpagina:")
            lines.append("bronnen:")
            lines.append(_source_line(bron_url, bron_titel, today))
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
    if bool(fields.get("bron_url")) != bool(fields.get("bron_titel")):
        raise NewSheetError("geef --bron-url en --bron-titel samen op (het webadres en de titel van de pagina)")
    if fields.get("bron_url") and not URL_PATTERN.match(fields["bron_url"]):
        raise NewSheetError(f"'{fields['bron_url']}' is geen webadres: het begint met https:// en bevat geen spaties")
    aanbieder = fields.get("aanbieder")
    organisations = root / registry.FOLDERS["organisatie"]
    if aanbieder and not (organisations / f"{aanbieder}.yaml").exists():
        known = sorted(path.stem for path in organisations.glob("*.yaml"))
        raise NewSheetError(f"onbekende organisatie '{aanbieder}'; "
                            + (suggest(aanbieder, known) or f"maak eerst organisations/{aanbieder}.yaml"))
    folder = root / registry.FOLDERS["organisatie" if organisation else "initiatief"]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{sheet_id}.yaml"
    path.write_text(skeleton(sheet_id, organisation=organisation, **fields), encoding="utf-8")
    return path


Ask = Callable[[str], str]


def _ask_until_valid(ask: Ask, question: str, check: Callable[[str], str | None]) -> str | None:
    """Ask until the answer passes `check` (which returns a complaint or None); empty means none."""
    while True:
        answer = ask(question).strip()
        if not answer:
            return None
        complaint = check(answer)
        if complaint is None:
            return answer
        print(complaint)


def _choice_check(options: dict[str, str]) -> Callable[[str], str | None]:
    return lambda answer: None if answer in options else f"Kies uit: {', '.join(options)} (of laat leeg)."


def ask_missing(root: Path, fields: dict[str, str | None], *, organisation: bool, ask: Ask | None = None) -> dict[str, str | None]:
    """Fill the fields the contributor did not pass as options by asking for them, one at a time."""
    ask = ask or input
    answers = dict(fields)
    if not answers.get("titel"):
        answers["titel"] = _ask_until_valid(ask, "Titel (de naam voluit): ", lambda a: None if len(a) >= 2 else "Minstens 2 tekens.")
    if not organisation:
        if not answers.get("soort"):
            answers["soort"] = _ask_until_valid(ask, f"Soort ({', '.join(registry.kinds())}; leeg = later): ",
                                                _choice_check(registry.kinds()))
        if answers.get("soort") and not answers.get("situatie"):
            answers["situatie"] = _ask_until_valid(ask, f"Situatie ({', '.join(registry.situations())}): ",
                                                   _choice_check(registry.situations()))
        if not answers.get("aanbieder"):
            organisations = root / registry.FOLDERS["organisatie"]
            answers["aanbieder"] = _ask_until_valid(
                ask, "Aanbieder (id van een organisatie, bv. vdab; leeg = later): ",
                lambda a: None if (organisations / f"{a}.yaml").exists() else f"Er is geen organisations/{a}.yaml.")
    if not answers.get("bron_url"):
        answers["bron_url"] = _ask_until_valid(ask, "Bron: webadres van een publieke pagina (leeg = later): ",
                                               lambda a: None if URL_PATTERN.match(a) else "Een webadres begint met https://.")
    if answers.get("bron_url") and not answers.get("bron_titel"):
        answers["bron_titel"] = _ask_until_valid(ask, "Titel van die pagina: ", lambda a: None)
    return answers
