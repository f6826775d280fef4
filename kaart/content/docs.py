"""Docs generated from the schema, so that CONTRIBUTING.md cannot drift from the format."""

from __future__ import annotations

import re
from pathlib import Path

from kaart.core import registry

BEGIN = "<!-- velden:begin (gegenereerd door `python -m kaart.content.docs`) -->"
END = "<!-- velden:einde -->"


def _field_doc(sheet_type: str, name: str, required: set[str]) -> str:
    schema = registry.schema()
    node = schema["$defs"][sheet_type]["properties"][name]
    target = schema["$defs"][node["$ref"].split("/")[-1]] if "$ref" in node else node
    description = node.get("description") or target.get("description", "")
    options = target.get("oneOf") or node.get("oneOf")
    if options and all("const" in o for o in options):
        description += " Waarden: " + ", ".join(f"`{o['const']}`" for o in options) + "."
    mark = "ja" if name in required else ""
    return f"| `{name}` | {mark} | {description} |"


def field_reference() -> str:
    schema = registry.schema()
    parts = []
    for sheet_type, heading in (("initiatief", "Initiatief (initiatives/)"), ("organisatie", "Organisatie (organisations/)")):
        definition = schema["$defs"][sheet_type]
        required = set(definition["required"])
        parts.append(f"### {heading}\n\n| veld | verplicht | betekenis |\n| --- | --- | --- |")
        parts.extend(_field_doc(sheet_type, name, required) for name in definition["properties"])
        parts.append("")
    return "\n".join(parts)


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
