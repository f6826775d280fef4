"""The README stays true: every CLI command and its help text are documented."""

from __future__ import annotations

import argparse
import re

from kaart.cli import build_parser
from kaart.core import registry

from .conftest import REPO


def test_every_command_is_in_the_readme_with_its_help():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for choice in subparsers._choices_actions:
        assert f"`kaart {choice.dest}" in readme, choice.dest
        assert choice.help in readme, choice.help


def test_readme_commands_match_ci():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    install = "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/kaart build"
    assert install in readme
    assert install.replace("pip install", "pip install -q") in ci
    assert ".venv/bin/python -m pytest" in readme and ".venv/bin/python -m pytest" in ci


def test_contributing_field_reference_is_generated_from_the_schema():
    from kaart.content.docs import BEGIN, END, field_reference

    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    generated = text[text.index(BEGIN) + len(BEGIN): text.index(END)].strip()
    assert generated == field_reference().strip(), "run: .venv/bin/python -m kaart.content.docs"


def test_the_starter_factsheet_in_contributing_validates_and_is_formatted(site_root):
    from kaart.content.fmt import format_text
    from kaart.content.project import read_knowledge_base

    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    block = text.split("### Een nieuwe fiche in de webeditor")[1].split("```yaml\n")[1].split("```")[0]
    sheet = "\n".join(line.removeprefix("   ") for line in block.splitlines()).strip() + "\n"
    path = site_root / "initiatives" / "mijn-initiatief.yaml"
    path.write_text(sheet, encoding="utf-8")
    _, problems = read_knowledge_base(site_root)
    assert [p.message for p in problems] == ["vervang de voorbeeldtekst"] * 3, [p.format_text() for p in problems]
    assert format_text(sheet)[0] == sheet
    filled = sheet.replace(registry.PLACEHOLDER_SUMMARY, "Een begeleiding.").replace(
        '{url: "https://", titel: "Titel van de pagina"', '{url: "https://www.vdab.be", titel: "VDAB"')
    path.write_text(filled, encoding="utf-8")
    _, problems = read_knowledge_base(site_root)
    assert problems == [], [p.format_text() for p in problems]


def _generated() -> str:
    from kaart.content.docs import BEGIN, END

    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    return text[text.index(BEGIN): text.index(END)]


def test_contributing_lists_every_allowed_value():
    generated = _generated()
    vocabularies = [registry.situations(), registry.kinds(), registry.target_groups(), registry.statuses(),
                    registry.regions(), registry.organisation_kinds(), registry.decks(), registry.ATTRIBUTE_LABELS]
    for labels in vocabularies:
        for value, label in labels.items():
            assert f"| `{value}` | {label} |" in generated, value
    for relation in registry.RELATION_TYPES.values():
        assert f"| `{relation.key}` | {relation.label} | {relation.inverse_label} |" in generated, relation.key


def test_contributing_lists_every_slide_of_both_decks_with_its_number():
    generated = _generated()
    for deck, slides in registry.slides().items():
        assert f"**`{deck}`**: {registry.decks()[deck]}" in generated
        for slide in slides:
            row = f"| {slide.number} | {slide.title or '*(geen titel'}"
            assert row in generated, (deck, slide.number)
    assert "| 35 | *(geen titel; in de fiches: Mapping initiatieven)* |" in generated
    assert "| 20 | RIZIV-data GENT — *Begrippen* |" in generated


def _example_blocks() -> dict[str, str]:
    generated = _generated()
    section = generated[generated.index("### Voorbeelden"): generated.index("### De dia's van de brondecks")]
    return {name: block for name, block in re.findall(r"\*\*`([a-z_0-9]+)`\*\*\n\n```yaml\n(.*?)```", section, re.S)}


def test_every_field_has_an_example_and_every_example_validates_as_kaart_fmt_writes_it(site_root):
    from kaart.content.fmt import SCHEMA_LINE, format_text
    from kaart.content.project import read_knowledge_base

    blocks = _example_blocks()
    fields = {sheet_type: [name for name in registry.field_names(sheet_type) if name != "type"]
              for sheet_type in registry.FOLDERS}
    without = {name for names in fields.values() for name in names if name not in blocks}
    assert without <= {"soort_organisatie"}, without  # its values are listed; it has no example of its own
    # The examples point at factsheets the fixture project lacks.
    (site_root / "organisations" / "dwse.yaml").write_text(
        (site_root / "organisations" / "vdab.yaml").read_text(encoding="utf-8")
        .replace("id: vdab", "id: dwse").replace("relaties:\n  - {type: neemt-deel-aan, doel: weeraandeslag}\n", ""),
        encoding="utf-8")
    (site_root / "initiatives" / "ibo.yaml").write_text(
        (site_root / "initiatives" / "sine.yaml").read_text(encoding="utf-8").replace("id: sine", "id: ibo"),
        encoding="utf-8")
    for sheet_type, sheet_id in (("initiatief", "voorbeeld"), ("organisatie", "voorbeeld-organisatie")):
        body = "".join(blocks[name] for name in fields[sheet_type] if name in blocks and name != "id")
        text = f"{SCHEMA_LINE}\ntype: {sheet_type}\nid: {sheet_id}\n{body}"
        assert format_text(text)[0] == text, f"the {sheet_type} examples are not as kaart fmt writes them"
        (site_root / registry.FOLDERS[sheet_type] / f"{sheet_id}.yaml").write_text(text, encoding="utf-8")
    _, problems = read_knowledge_base(site_root)
    assert problems == [], [p.format_text() for p in problems]


def test_every_link_inside_contributing_leads_to_a_heading():
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    anchors = set()
    for heading in re.findall(r"^#+ (.+)$", text, re.M):
        anchors.add(re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-"))
    links = re.findall(r"\]\(#([^)]+)\)", text)
    assert links and [link for link in links if link not in anchors] == []
