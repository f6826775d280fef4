"""Comparison definitions: checked with file:line:col, modelled, rendered as a table."""

from __future__ import annotations

import re
import textwrap
from html.parser import HTMLParser

import pytest

from kaart.core import registry
from kaart.cli import main
from kaart.content.comparisons import normalised, row_state, short_name, short_names
from kaart.content.project import read_knowledge_base

from .conftest import REPO, VALID_INITIATIVE

SHEET_WITH_ATTRIBUTES = VALID_INITIATIVE + """\
    afkorting: {afkorting}
    kenmerken:
      duur:
        waarde: {duur}
        bron: {{deck: imw-werkplekleren, dia: IBO}}
      organisator:
        waarde: VDAB
        bron: {{url: "https://werkgevers.vdab.be/ibo", titel: IBO bij VDAB, geraadpleegd: "2026-11-01"}}
"""


def definition(fiches: str = "[alfa, beta]", kenmerken: str = "[duur, organisator, vervolg]") -> str:
    return textwrap.dedent("""\
        titel: Alfa en beta
        inleiding: Welke past **beter**?
        fiches: {fiches}
        kenmerken: {kenmerken}
    """).format(fiches=fiches, kenmerken=kenmerken)


@pytest.fixture
def project(site_root, write_sheet):
    """The fixture project plus two initiatives with comparison attributes."""
    write_sheet("initiatives/alfa.yaml", SHEET_WITH_ATTRIBUTES.format(id="alfa", afkorting="AL", duur="1 tot 6 maanden."))
    write_sheet("initiatives/beta.yaml", SHEET_WITH_ATTRIBUTES.format(id="beta", afkorting="BE", duur="Maximaal 52 weken."))
    return site_root


def write_definition(root, text: str, name: str = "alfa-beta.yaml"):
    path = root / "content" / "vergelijkingen" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def messages(root) -> list[str]:
    kb, problems = read_knowledge_base(root)
    assert kb is None or not problems
    return [p.format_text() for p in problems]


class _TableParser(HTMLParser):
    """Columns (thead th data-id), rows (data-kenmerk, class) and cell texts of .compare tables."""

    def __init__(self) -> None:
        super().__init__()
        self.columns: list[str] = []
        self.rows: list[dict] = []
        self._section = ""
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag in ("thead", "tbody"):
            self._section = tag
        elif tag == "th" and self._section == "thead" and values.get("data-id"):
            self.columns.append(values["data-id"])
        elif tag == "tr" and self._section == "tbody":
            self.rows.append({"key": values["data-kenmerk"], "class": values["class"], "cells": [], "links": []})
        elif tag == "td":
            self._cell = []
        elif tag == "a" and self._cell is not None:
            self.rows[-1]["links"].append(values["href"])

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.rows[-1]["cells"].append(" ".join(" ".join(self._cell).split()))
            self._cell = None
        elif tag in ("thead", "tbody"):
            self._section = ""

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def table_of(html: str) -> _TableParser:
    parser = _TableParser()
    parser.feed(html)
    return parser


# --- the model -------------------------------------------------------------------------------


def test_values_differing_only_in_case_spacing_or_full_stop_are_the_same():
    assert normalised("  Gratis voor\n de werkgever. ") == normalised("gratis voor de werkgever")
    assert normalised("1 tot 6 maanden") != normalised("1 tot 5 maanden")


@pytest.mark.parametrize(("values", "state"), [
    (["VDAB", "vdab."], "gelijk"),
    (["VDAB", "Een partner van VDAB"], "verschilt"),
    (["VDAB", None, "Een partner"], "verschilt"),
    (["VDAB", None], "onvolledig"),
    ([None, None], "onvolledig"),
])
def test_row_state_says_whether_known_values_differ(values, state):
    assert row_state(values) == state


def test_abbreviations_become_short_names_only_when_they_name_one_initiative():
    assert short_name("IBO+") == "ibo-plus"
    assert short_names([("individueel-maatwerk", "IMW"), ("ibo-t", "IBO-T"), ("x", "DUO"), ("y", "duo"), ("z", None)]) == {
        "imw": "individueel-maatwerk"}


def test_definition_becomes_a_comparison_with_columns_and_rows_in_its_order(project):
    write_definition(project, definition(fiches="[beta, alfa]", kenmerken="[organisator, duur]"))
    kb, problems = read_knowledge_base(project)
    assert problems == []
    [comparison] = kb.comparisons
    assert (comparison.id, comparison.titel, comparison.ids, comparison.rows) == (
        "alfa-beta", "Alfa en beta", ("beta", "alfa"), ("organisator", "duur"))
    table = comparison.table()
    assert [row.state for row in table.rows] == ["gelijk", "verschilt"]
    assert [c.source_number for row in table.rows for c in row.cells] == [1, 1, 2, 2]


def test_a_definition_without_attributes_compares_all_of_them(project):
    write_definition(project, definition().replace("kenmerken: [duur, organisator, vervolg]\n", ""))
    kb, _ = read_knowledge_base(project)
    assert kb.comparisons[0].rows == tuple(registry.ATTRIBUTE_LABELS)


def test_comparisons_are_listed_by_their_order_then_title(project):
    write_definition(project, definition() + "volgorde: 5\n", "z.yaml")
    write_definition(project, definition().replace("Alfa en beta", "Beta en alfa"), "a.yaml")
    write_definition(project, definition().replace("Alfa en beta", "Alfa"), "b.yaml")
    kb, _ = read_knowledge_base(project)
    assert [c.id for c in kb.comparisons] == ["z", "b", "a"]


# --- errors with their place -----------------------------------------------------------------


def test_unknown_id_is_reported_with_file_line_and_column(project):
    write_definition(project, definition(fiches="[alfa, betta]"))
    assert messages(project) == [
        "content/vergelijkingen/alfa-beta.yaml:3:16: error: onbekende fiche 'betta' (bedoel je 'beta'?)"]


def test_unknown_id_in_a_block_list_points_at_the_item(project):
    write_definition(project, definition(fiches="\n  - alfa\n  - imw\n  - onbestaand"))
    assert messages(project) == [
        "content/vergelijkingen/alfa-beta.yaml:6:5: error: onbekende fiche 'onbestaand' "
        "(gebruik het id van een fiche in initiatives/)"]


def test_an_abbreviation_instead_of_an_id_suggests_the_id(project):
    write_definition(project, definition(fiches="[alfa, al]"))
    assert messages(project) == ["content/vergelijkingen/alfa-beta.yaml:3:16: error: onbekende fiche 'al' (bedoel je 'alfa'?)"]


def test_unknown_attribute_is_reported_with_file_line_and_column(project):
    write_definition(project, definition(kenmerken="[duur, kostprijs]"))
    assert messages(project) == [
        "content/vergelijkingen/alfa-beta.yaml:4:19: error: onbekend kenmerk 'kostprijs' (bedoel je 'kostprijs_werkgever'?)"]


def test_an_organisation_cannot_be_a_column(project):
    write_definition(project, definition(fiches="[alfa, vdab]"))
    assert messages(project) == [
        "content/vergelijkingen/alfa-beta.yaml:3:16: error: 'vdab' is geen initiatief "
        "(een vergelijking zet initiatieven naast elkaar, geen organisaties)"]


@pytest.mark.parametrize(("text", "expected"), [
    (definition(fiches="alfa, beta"), "alfa-beta.yaml:3:9: error: verwacht een lijst, gevonden tekst"),
    (definition(fiches="[alfa]"), "alfa-beta.yaml:3:9: error: de lijst moet minstens 2 element(en) hebben"),
    (definition(fiches="[alfa, alfa]"), "alfa-beta.yaml:3:9: error: de lijst bevat een element twee keer (houd er één)"),
    (definition() + "kolommen: [alfa]\n", "alfa-beta.yaml:5:1: error: onbekend veld 'kolommen'"),
    (definition().replace("titel: Alfa en beta\n", ""), "alfa-beta.yaml:1:1: error: het verplichte veld 'titel' ontbreekt"),
    (definition() + "titel: nog eens\n", "alfa-beta.yaml:5:1: error: de sleutel 'titel' staat er twee keer (eerder op regel 1; houd er één)"),
    ("- alfa\n- beta\n", "alfa-beta.yaml:1:1: error: een fiche moet uit velden bestaan (sleutel: waarde)"),
])
def test_a_definition_of_the_wrong_shape_is_reported_where_it_goes_wrong(project, text, expected):
    write_definition(project, text)
    [message] = messages(project)
    assert message.startswith("content/vergelijkingen/" + expected), message


def test_file_name_must_be_usable_as_an_address(project):
    write_definition(project, definition(), "Alfa Beta.yaml")
    assert messages(project) == [
        "content/vergelijkingen/Alfa Beta.yaml:1:1: error: de bestandsnaam 'Alfa Beta.yaml' wordt het adres van de pagina "
        "(gebruik kleine letters, cijfers en koppeltekens, bv. ibo-en-stages.yaml)"]


def test_a_reference_to_a_broken_factsheet_is_not_reported_twice(project, write_sheet):
    write_sheet("initiatives/beta.yaml", VALID_INITIATIVE.format(id="beta").replace("status: actief", "status: weg"))
    write_definition(project, definition())
    assert [m for m in messages(project) if "vergelijkingen" in m] == []


def test_kaart_validate_reports_a_bad_comparison_and_fails(project, capsys):
    write_definition(project, definition(fiches="[alfa, betta]"))
    assert main(["--root", str(project), "validate"]) == 1
    assert "content/vergelijkingen/alfa-beta.yaml:3:16: error: onbekende fiche 'betta'" in capsys.readouterr().out


def test_a_bad_comparison_stops_the_build_and_keeps_the_old_site(project, build_site):
    write_definition(project, definition(kenmerken="[duur, kost]"))
    problems, output = build_site(project)
    assert [p.format_text() for p in problems] == [
        "content/vergelijkingen/alfa-beta.yaml:4:19: error: onbekend kenmerk 'kost' (kies uit: "
        + ", ".join(registry.ATTRIBUTE_LABELS) + ")"]
    assert not output.exists()


def test_shipped_definitions_are_valid_and_name_the_seed_comparisons():
    kb, problems = read_knowledge_base(REPO)
    assert problems == []
    titles = {c.titel: c.ids for c in kb.comparisons}
    assert titles["IMW, IBO en stages"][:2] == ("individueel-maatwerk", "ibo")
    assert titles["Welke stage wanneer? (BVS, WES, OS, BIS)"] == ("bvs", "wes", "os", "bis")
    assert titles["IBO, IBO-T en IBO+"] == ("ibo", "ibo-t", "ibo-plus")
    assert set(titles["Van VOP, LDE, MWA en SINE naar IMW en CMW"]) == {
        "vop", "lokale-diensteneconomie", "maatwerkafdelingen", "sine", "individueel-maatwerk", "collectief-maatwerk"}


def test_the_schema_offers_every_attribute_to_editors():
    from kaart.core.validate import validator_for

    items = validator_for("vergelijking.schema.json").schema["properties"]["kenmerken"]["items"]
    assert items["examples"] == list(registry.ATTRIBUTE_LABELS)


# --- the rendered page -----------------------------------------------------------------------


def test_page_shows_the_defined_columns_and_rows_in_order(project, build_site):
    write_definition(project, definition(fiches="[beta, alfa, imw]"))
    problems, output = build_site(project)
    assert problems == []
    html = (output / "vergelijken" / "alfa-beta" / "index.html").read_text(encoding="utf-8")
    table = table_of(html)
    assert table.columns == ["beta", "alfa", "imw"]
    assert [(row["key"], row["class"]) for row in table.rows] == [
        ("duur", "row-verschilt"), ("organisator", "row-onvolledig"), ("vervolg", "row-onvolledig")]
    assert table.rows[0]["cells"] == ["Een initiatief (BE) Maximaal 52 weken. bron 1", "Een initiatief (AL) 1 tot 6 maanden. bron 1",
                                      "Individueel maatwerk (IMW) Maximaal vijf jaar, verlengbaar. bron 2"]
    assert "<caption" in html and "<strong>beter</strong>" in html
    assert re.search(r'<th scope="row">Duur <span class="row-state row-state-verschilt">', html)


def test_a_missing_value_reads_niet_gekend_with_a_link_to_improve_the_factsheet(project, build_site):
    write_definition(project, definition(fiches="[beta, alfa, imw]"))
    _, output = build_site(project)
    table = table_of((output / "vergelijken" / "alfa-beta" / "index.html").read_text(encoding="utf-8"))
    organisator = table.rows[1]
    assert organisator["cells"][2] == "Individueel maatwerk (IMW) niet gekend vul de fiche aan (wie organiseert van Individueel maatwerk (IMW))"
    assert organisator["links"][-1].endswith("/bijdragen/nieuw/?fiche=imw")
    assert all(cell for row in table.rows for cell in row["cells"]), "never an empty cell"


def test_each_value_cites_a_numbered_source_listed_under_the_table(project, build_site):
    write_definition(project, definition())
    _, output = build_site(project)
    html = (output / "vergelijken" / "alfa-beta" / "index.html").read_text(encoding="utf-8")
    assert ('<li id="bron-1">Individueel Maatwerk en WerkPlekLeren, dia “IBO” '
            '<span class="source-date">(presentatie uit 2023)</span></li>') in html
    assert ('<li id="bron-2"><a href="https://werkgevers.vdab.be/ibo">IBO bij VDAB</a> '
            '<span class="source-date">(geraadpleegd op 1 november 2026)</span></li>') in html
    assert html.count('href="#bron-1"') == 2 and html.count('href="#bron-2"') == 2


def test_index_lists_the_comparisons_and_factsheets_link_to_theirs(project, build_site):
    write_definition(project, definition())
    _, output = build_site(project)
    index = (output / "vergelijken" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../vergelijken/alfa-beta/">Alfa en beta</a>' in index
    assert 'data-compare-id="alfa"' in index and 'data-compare-id="vdab"' not in index
    sheet = (output / "initiatief" / "alfa" / "index.html").read_text(encoding="utf-8")
    assert "vergelijken/alfa-beta/" in sheet and 'data-compare-id="alfa"' in sheet
    organisation = (output / "organisatie" / "vdab" / "index.html").read_text(encoding="utf-8")
    assert "data-compare-id" not in organisation
