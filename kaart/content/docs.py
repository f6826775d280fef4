"""Docs generated from the schema, so that CONTRIBUTING.md cannot drift from the format.

The generated part holds the fields of each factsheet type, every list of allowed values, an
example of each field (the schema's own, as `kaart fmt` would write it) and the slides of the
seed decks that a source may cite.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from kaart.core import registry

BEGIN = "<!-- velden:begin (gegenereerd door `python -m kaart.content.docs`) -->"
END = "<!-- velden:einde -->"

SHEET_TYPES = (("initiatief", "Initiatief (initiatives/)"), ("organisatie", "Organisatie (organisations/)"))

# Fields whose allowed values have a list of their own below the tables.
VALUE_LISTS = {"cellen": "**Situatie en soort**", "relaties": "**Soorten relaties**", "kenmerken": "**Kenmerken**",
               "bronnen": "**Brondecks** en **De dia's van de brondecks**"}


def _resolved(node: dict) -> dict:
    """A property with the definition it refers to merged in (the property's own keys win)."""
    if "$ref" not in node:
        return node
    return registry.schema()["$defs"][node["$ref"].split("/")[-1]] | {k: v for k, v in node.items() if k != "$ref"}


def _const_options(node: dict) -> list[dict] | None:
    options = node.get("oneOf")
    return options if options and all("const" in option for option in options) else None


def _cell(text: str) -> str:
    """Text for a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _field_doc(sheet_type: str, name: str, required: set[str]) -> str:
    node = _resolved(registry.schema()["$defs"][sheet_type]["properties"][name])
    description = node.get("description", "")
    options = _const_options(node) or _const_options(_resolved(node.get("items", {})))
    if options:
        description += " Waarden: " + ", ".join(f"`{o['const']}`" for o in options) + "."
    elif name in VALUE_LISTS:
        description += f" Waarden: zie {VALUE_LISTS[name]} hieronder."
    mark = "ja" if name in required else ""
    return f"| `{name}` | {mark} | {_cell(description)} |"


def _tables() -> list[str]:
    parts = []
    for sheet_type, heading in SHEET_TYPES:
        definition = registry.schema()["$defs"][sheet_type]
        required = set(definition["required"])
        parts.append(f"### {heading}\n\n| veld | verplicht | betekenis |\n| --- | --- | --- |")
        parts.extend(_field_doc(sheet_type, name, required) for name in definition["properties"])
        parts.append("")
    return parts


# -- allowed values -----------------------------------------------------------------------------

def _table(title: str, note: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    lines = [f"**{title}** ({note})", "", "| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _labelled(labels: dict[str, str]) -> list[tuple[str, str]]:
    return [(f"`{value}`", label) for value, label in labels.items()]


def _values() -> list[str]:
    """Every list of allowed values, from the schema and the registry."""
    attributes = registry.schema()["$defs"]["kenmerken"]["properties"]
    relations = [(f"`{rt.key}`", rt.label, rt.inverse_label,
                  "een organisatie, naar een initiatief" if rt.key in registry.ORGANISATION_RELATIONS else "elke fiche")
                 for rt in registry.RELATION_TYPES.values()]
    return [
        "### Toegelaten waarden\n",
        _table("Situatie en soort", "in `cellen`: elk vakje van de matrix is een situatie (kolom) en een soort (rij)",
               ("situatie", "kolom van de matrix"), _labelled(registry.situations()))
        + "\n| soort | rij van de matrix |\n| --- | --- |\n"
        + "\n".join(f"| `{value}` | {_cell(label)} |" for value, label in registry.kinds().items()) + "\n",
        _table("Doelgroepen", "in `doelgroepen`", ("waarde", "betekenis"), _labelled(registry.target_groups())),
        _table("Status", "in `status`", ("waarde", "betekenis"), _labelled(registry.statuses())),
        _table("Regio", "in `regio`", ("waarde", "betekenis"), _labelled(registry.regions())),
        _table("Soort organisatie", "in `soort_organisatie`", ("waarde", "betekenis"),
               _labelled(registry.organisation_kinds())),
        _table("Soorten relaties", "in `relaties`, bij `type`; schrijf een relatie één keer, op de ene fiche: "
               "op de andere (het `doel`) verschijnt ze vanzelf in omgekeerde richting",
               ("type", "op deze fiche", "op de andere fiche", "vanuit"), relations),
        _table("Kenmerken", "in `kenmerken`, elk met een `waarde` en een `bron`", ("kenmerk", "op de site", "de vraag"),
               [(f"`{key}`", label, attributes[key]["description"]) for key, label in registry.ATTRIBUTE_LABELS.items()]),
        _table("Brondecks", "in een bron: `deck`, met de titel van de dia in `dia`", ("deck", "naam"),
               _labelled(registry.decks())),
    ]


# -- examples -----------------------------------------------------------------------------------

_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}){0,2}")


def _quoted(value: Any) -> Any:
    """Dates and text with ': ' in double quotes, as CONTRIBUTING tells contributors to write them."""
    if isinstance(value, dict):
        return {key: _quoted(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_quoted(item) for item in value]
    if isinstance(value, str) and (_DATE.fullmatch(value) or ": " in value):
        return DoubleQuotedScalarString(value)
    return value


def _dump(name: str, value: Any) -> str:
    """`name: value` the way a factsheet writes it: blocks outside, small mappings and lists inline."""
    yaml = YAML()
    yaml.default_flow_style = None
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    top = CommentedMap([(name, _quoted(value))])
    top.fa.set_block_style()
    out = io.StringIO()
    yaml.dump(top, out)
    return out.getvalue()


def example(sheet_type: str, name: str) -> str | None:
    """The schema's example of a field as YAML: its own hand-written block when the help text has
    one, otherwise its first example value."""
    node = _resolved(registry.schema()["$defs"][sheet_type]["properties"][name])
    block = re.search(r"```yaml\n(" + re.escape(name) + r":.*?)```", node.get("markdownDescription", ""), re.S)
    if block:
        return block.group(1)
    examples = node.get("examples")
    return _dump(name, examples[0]) if examples else None


def _examples() -> list[str]:
    parts = ["### Voorbeelden\n", "Zo schrijf je elk veld; de waarden zijn voorbeelden, geen feiten om over te nemen.\n"]
    seen: set[str] = set()
    for sheet_type, _ in SHEET_TYPES:
        for name in registry.schema()["$defs"][sheet_type]["properties"]:
            text = example(sheet_type, name)
            if text and name not in seen:
                seen.add(name)
                parts.append(f"**`{name}`**\n\n```yaml\n{text}```\n")
    return parts


# -- slides -------------------------------------------------------------------------------------

def _slide_title(slide: registry.Slide) -> str:
    if slide.title is None and slide.announced_as:
        return f"*(geen titel; in de fiches: {slide.announced_as})*"
    if slide.title is None:
        return "*(geen titel)*"
    return slide.title + (f" — *{slide.subtitle}*" if slide.subtitle else "")


def _slides() -> list[str]:
    parts = ["### De dia's van de brondecks\n",
             "Een bron uit een deck noemt de dia met haar **titel** zoals hieronder (hoofdletters en streepjes "
             "mogen verschillen), niet met haar nummer: `{deck: imw-werkplekleren, dia: IBO+}`. Staat er een "
             "dubbele punt in de titel, zet hem dan tussen aanhalingstekens: "
             "`{deck: imw-werkplekleren, dia: \"Praktijk: loonpremie\"}`. Een titel met een tweede regel (schuin) "
             "mag met of zonder die regel. Het nummer is de plaats van de dia in het deck; `kaart validate` "
             "zegt welke titel bij een nummer hoort.\n"]
    for deck, label in registry.decks().items():
        rows = [f"| {slide.number} | {_cell(_slide_title(slide))} |" for slide in registry.slides()[deck]]
        parts.append(f"**`{deck}`**: {label}\n\n| nr. | titel |\n| --- | --- |\n" + "\n".join(rows) + "\n")
    return parts


def field_reference() -> str:
    return "\n".join([*_tables(), *_values(), *_examples(), *_slides()])


def update(path: Path) -> bool:
    """Rewrite the generated part of `path`; True if it changed."""
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
    new = pattern.sub(lambda _: f"{BEGIN}\n{field_reference()}\n{END}", text)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def copy_schemas(project: Path) -> list[str]:
    """Write the package's schemas into the project's schema/ (what editors point at); return the changed names."""
    changed = []
    for name in registry.SCHEMA_NAMES:
        text = (registry.SCHEMA_DIR / name).read_text(encoding="utf-8")
        target = project / "schema" / name
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.parent.mkdir(exist_ok=True)
            target.write_text(text, encoding="utf-8")
            changed.append(name)
    return changed


if __name__ == "__main__":
    project = Path(__file__).resolve().parents[2]
    changed = update(project / "CONTRIBUTING.md")
    print("CONTRIBUTING.md bijgewerkt" if changed else "CONTRIBUTING.md was al actueel")
    copied = copy_schemas(project)
    print(f"schema/ bijgewerkt: {', '.join(copied)}" if copied else "schema/ was al actueel")
