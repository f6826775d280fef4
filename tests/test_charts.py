"""Charts: accessible SVG (role, title, desc), byte-identical on every build, safe with any label."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from kaart.features.figures.charts import HATCHES, PALETTE, accessible_svg
from kaart.content.figures import Chart, Group, Row, Series
from kaart.core.model import Source

from .conftest import REPO

SVG = "{http://www.w3.org/2000/svg}"
SOURCE = Source(deck="netwerk-2022", slide="Sociale Economie Gent: situering (cijfers jan 2020)")


def chart(**changes) -> Chart:
    fields = {
        "id": "toegekend", "titel": "Banen toegekend en ingevuld", "beschrijving": "Niet alles wat toegekend is, is ingevuld.",
        "eenheid": "VTE", "bron": SOURCE,
        "reeksen": (Series("Toegekend", "VTE"), Series("Ingevuld", "VTE"), Series("Aantal", "personen", False)),
        "rijen": (Row("Lokale diensteneconomie", (210.1, 185, 3)), Row("Collectief maatwerk", (1077.8, None, 4))),
    }
    return Chart(**(fields | changes))


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_the_svg_is_an_image_labelled_by_its_title_and_description():
    root = parse(accessible_svg(chart(), "g1"))
    assert root.get("role") == "img"
    title, desc = root[0], root[1]
    assert (title.tag, desc.tag) == (f"{SVG}title", f"{SVG}desc")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}" == "g1-title g1-desc"
    assert title.text == "Banen toegekend en ingevuld"
    assert desc.text == ("Niet alles wat toegekend is, is ingevuld. Lokale diensteneconomie: Toegekend 210,1 VTE, "
                         "Ingevuld 185 VTE; Collectief maatwerk: Toegekend 1077,8 VTE.")


def test_every_plotted_number_is_a_direct_label_in_dutch_notation():
    labels = texts(parse(accessible_svg(chart(), "g1")))
    assert {"210,1", "185", "1077,8", "niet gegeven"} <= set(labels)
    assert "3" not in labels and "4" not in labels, "a table-only series is not drawn"
    assert "Lokale diensteneconomie" in labels and "Toegekend" in labels and "Ingevuld" in labels


def test_series_differ_in_colour_and_hatching_for_grey_print():
    svg = accessible_svg(chart(), "g1")
    assert PALETTE[0].lower() in svg and "<pattern" in svg, "the second series is hatched"
    assert HATCHES[0] == "" and HATCHES[1]


def test_text_stays_text_with_a_fallback_font():
    svg = accessible_svg(chart(), "g1")
    assert "<text" in svg and "<use" not in svg, "svg.fonttype none: real text, no glyph paths"
    assert "font-family: 'DejaVu Sans', Verdana, sans-serif" in svg


def test_the_svg_is_ready_to_inline_in_html():
    svg = accessible_svg(chart(), "g1")
    assert svg.startswith("<svg ") and "<?xml" not in svg and "<!DOCTYPE" not in svg
    assert "<metadata" not in svg and "<style" not in svg, "no document metadata, no global *{} style"
    assert "<script" not in svg


def test_ids_are_scoped_so_two_charts_share_a_page():
    first, second = accessible_svg(chart(), "a"), accessible_svg(chart(), "b")
    ids_first = set(re.findall(r'\bid="([^"]+)"', first))
    ids_second = set(re.findall(r'\bid="([^"]+)"', second))
    assert ids_first and not ids_first & ids_second
    assert all(i.startswith("a-") for i in ids_first)
    for ref in re.findall(r"url\(#([^)]+)\)", first):
        assert ref in ids_first, f"dangling reference #{ref}"


def test_labels_are_escaped():
    hostile = chart(titel="<script>alert(1)</script>", rijen=(Row("<b>&amp; \"x\"</b> $5$", (1, 2, 3)),))
    svg = accessible_svg(hostile, "g1")
    assert "<script" not in svg and "<b>" not in svg
    root = parse(svg)
    assert root[0].text == "<script>alert(1)</script>"
    assert '<b>&amp; "x"</b> $5$' in texts(root), "dollar signs are text, not TeX"


def test_groups_get_headings_and_one_colour_each():
    grouped = chart(reeksen=(Series("Banen", "VTE"),), groepen=(Group("Stad"), Group("Extern")),
                    rijen=(Row("Dienst A", (115.3,), groep="Stad"), Row("Vzw B", (24,), groep="Extern")))
    svg = accessible_svg(grouped, "g1")
    labels = texts(parse(svg))
    assert labels.count("Stad") == 2 and labels.count("Extern") == 2, "a heading and a legend entry each"
    assert PALETTE[0].lower() in svg and "<pattern" in svg


def test_columns_for_months():
    svg = accessible_svg(chart(weergave="staand"), "g1")
    assert {"maart 2022", "210,1"} <= set(texts(parse(accessible_svg(
        chart(weergave="staand", rijen=(Row("maart 2022", (210.1, 1, 1)),)), "g1"))))
    assert svg != accessible_svg(chart(), "g1")


def test_the_same_chart_gives_the_same_bytes_twice():
    assert accessible_svg(chart(), "g1") == accessible_svg(chart(), "g1")


def test_the_same_chart_gives_the_same_bytes_in_another_process():
    """Hash seeds and process state must not leak into ids or layout."""
    program = ("import sys; sys.path.insert(0, '.'); from tests.test_charts import chart; "
               "from kaart.features.figures.charts import accessible_svg; sys.stdout.write(accessible_svg(chart(), 'g1'))")
    runs = [subprocess.run([sys.executable, "-c", program], cwd=REPO, capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")]
    assert runs[0] == runs[1] == accessible_svg(chart(), "g1")


def test_the_build_keeps_each_chart_between_builds(tmp_path, monkeypatch):
    from kaart.core.store import Store
    from kaart.features.figures import charts
    from kaart.features.figures.pages import chart_svg

    store = Store(tmp_path, "fingerprint")
    first = chart_svg(chart(), "g1", store)
    assert first == accessible_svg(chart(), "g1")
    monkeypatch.setattr(charts, "accessible_svg", lambda *args: pytest.fail("drawn again"))
    assert chart_svg(chart(), "g1", store) == first  # from the store: no drawing, no matplotlib
    changed = chart(titel="Andere titel")
    monkeypatch.undo()
    assert "Andere titel" in chart_svg(changed, "g1", store)
