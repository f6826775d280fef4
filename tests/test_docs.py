"""The README stays true: every CLI command and its help text are documented."""

from __future__ import annotations

import argparse

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
