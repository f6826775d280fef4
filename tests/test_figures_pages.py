"""The figures pages in a real build: chart with title and description, a table with every number, links both ways."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kaart.cli import main as kaart_main

from .test_site import tree_digest
from .test_figures import VALID

SECTIONS = """\
secties:
  - titel: Conclusies
    bron: {deck: netwerk-2022, dia: "Conclusie RIZIV-data"}
    tekst: "Aandacht voor **vrouwen**, arbeiders en 40+ers. <script>alert(1)</script>"
"""


class TableCells(HTMLParser):
    """The text of every table cell, per table."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture
def figures_site(site_root, write_sheet, build_site):
    write_sheet("content/cijfers/proef.yaml", VALID)
    write_sheet("content/cijfers/tekst.yaml", VALID.replace("id: proef", "id: tekst").split("grafieken:")[0]
                + SECTIONS + 'laatst_nagekeken: "2026-11-23"\n')
    problems, output = build_site()
    assert problems == [], [p.format_text() for p in problems]
    return output


def test_the_index_lists_every_figures_page(figures_site):
    html = (figures_site / "cijfers" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../cijfers/proef/">Proefcijfers</a>' in html
    assert '<a href="../cijfers/proef/#banen">Banen per organisatie</a>' in html
    assert '<a href="../cijfers/tekst/">Proefcijfers</a>' in html


def test_the_page_inlines_an_accessible_chart(figures_site):
    html = (figures_site / "cijfers" / "proef" / "index.html").read_text(encoding="utf-8")
    svg = re.search(r"<svg\b[^>]*>", html).group()
    assert 'role="img"' in svg and 'aria-labelledby="grafiek-proef-banen-title grafiek-proef-banen-desc"' in svg
    assert '<title id="grafiek-proef-banen-title">Banen per organisatie</title>' in html
    assert re.search(r'<desc id="grafiek-proef-banen-desc">De meeste banen zijn bij de eerste organisatie\. '
                     r"Eerste: Toegekend 210,1 VTE, Ingevuld 185 VTE; Tweede: Toegekend 10 VTE\.</desc>", html)
    main = html[html.index("<main"):html.index("</main>")]
    assert "<script" not in main, "a chart needs no script"


def test_the_table_beside_the_chart_holds_every_number(figures_site):
    parser = TableCells()
    parser.feed((figures_site / "cijfers" / "proef" / "index.html").read_text(encoding="utf-8"))
    (cells,) = parser.tables
    assert cells == ["Wat", "Toegekend (VTE)", "Ingevuld (VTE)",
                     "Eerste", "210,1", "185",
                     "Tweede", "10", "niet gegeven",
                     "Totaal", "220,1", "niet gegeven"]


def test_the_page_names_its_sources_and_links_its_factsheets(figures_site):
    html = (figures_site / "cijfers" / "proef" / "index.html").read_text(encoding="utf-8")
    assert "peildatum januari 2020" in html
    assert "dia \u201cSociale Economie Gent: situering (cijfers jan 2020)\u201d" in html
    assert 'href="../../initiatief/imw/"' in html, "listed in fiches"
    assert '<a href="../../organisatie/vdab/">Eerste</a>' in html, "a row links its factsheet"
    assert "content/cijfers/proef.yaml" in html, "the edit link names the data file"


def test_factsheets_link_back_to_the_figures_about_them(figures_site):
    imw = (figures_site / "initiatief" / "imw" / "index.html").read_text(encoding="utf-8")
    vdab = (figures_site / "organisatie" / "vdab" / "index.html").read_text(encoding="utf-8")
    sine = (figures_site / "initiatief" / "sine" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../../cijfers/proef/">Proefcijfers</a>' in imw
    assert '<a href="../../cijfers/proef/#banen">Banen per organisatie</a>' in vdab
    assert "cijfers/proef/" not in sine


def test_text_sections_are_sanitized_markdown(figures_site):
    html = (figures_site / "cijfers" / "tekst" / "index.html").read_text(encoding="utf-8")
    assert "<strong>vrouwen</strong>" in html
    assert "alert(1)</script>" not in html
    assert "<svg" not in html


def test_each_dataset_is_also_a_csv_for_spreadsheets(figures_site):
    data = (figures_site / "cijfers" / "proef" / "banen.csv").read_bytes()
    assert data.decode("utf-8") == ("\ufeffRij;Toegekend (VTE);Ingevuld (VTE)\r\n"
                                    "Eerste;210,1;185\r\nTweede;10;\r\n")


def test_without_data_files_the_index_invites_contributions(build_site):
    problems, output = build_site()
    assert problems == []
    assert "nog aan te vullen" in (output / "cijfers" / "index.html").read_text(encoding="utf-8")


def test_two_builds_with_charts_are_byte_identical(figures_site, build_site, tmp_path):
    problems, again = build_site(output=tmp_path / "again")
    assert problems == []
    assert tree_digest(figures_site) == tree_digest(again)


def test_a_bad_data_file_stops_the_build_and_validate(site_root, write_sheet, build_site, capsys):
    write_sheet("content/cijfers/proef.yaml", VALID.replace("totaal: [220.1, null]", "totaal: [221.1, null]"))
    problems, _ = build_site()
    expected = ("content/cijfers/proef.yaml:22:14: error: het totaal 221,1 klopt niet: de rijen geven samen 220,1 "
                "(controleer de getallen tegen de bron)")
    assert [p.format_text() for p in problems] == [expected]
    assert kaart_main(["--root", str(site_root), "validate"]) == 1
    assert expected in capsys.readouterr().out


def test_the_shipped_pages_render(shipped_site: Path):
    html = (shipped_site / "cijfers" / "sociale-economie-gent" / "index.html").read_text(encoding="utf-8")
    assert html.count('role="img"') == 3
    parser = TableCells()
    parser.feed(html)
    numbers = {cell for table in parser.tables for cell in table}
    assert {"210,1", "185", "1077,8", "1104,9", "450", "51", "46", "4", "115,3", "137,3", "86,3", "0"} <= numbers
    riziv = (shipped_site / "cijfers" / "riziv-gent" / "index.html").read_text(encoding="utf-8")
    assert "Piek net voor één jaar".lower() in riziv.lower() and "<svg" not in riziv
