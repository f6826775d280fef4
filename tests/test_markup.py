"""Contributor Markdown is rendered, and nothing executable survives."""

from __future__ import annotations

import pytest

from kaart.core.markup import render_markdown


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "[klik](javascript:alert(1))",
        "[klik](JaVaScRiPt:alert(1))",
        "[klik](data:text/html;base64,PHNjcmlwdD4=)",
        '<img src="x" onerror="alert(1)">',
        '<a href="https://a.be" onmouseover="alert(1)">a</a>',
        "<iframe src='https://evil.example'></iframe>",
        "<style>body{display:none}</style>",
        '<svg onload="alert(1)"></svg>',
        "![x](javascript:alert(1))",
    ],
)
def test_nothing_executable_survives(payload):
    html = render_markdown(f"Tekst {payload} tekst").lower()
    for needle in ("<script", "javascript:", "onerror", "onmouseover", "onload", "<iframe", "<style", "data:text", "<svg", "<img"):
        assert needle not in html


def test_ordinary_markdown_is_kept():
    html = render_markdown("Een **vet** woord, een [link](https://www.vdab.be) en\n\n- een\n- lijst")
    assert "<strong>vet</strong>" in html
    assert '<a href="https://www.vdab.be" rel="noopener noreferrer">link</a>' in html
    assert "<li>een</li>" in html


def test_headings_are_shifted_under_the_page_section():
    assert render_markdown("## Kop").startswith("<h3>Kop</h3>")


def test_empty_description_renders_nothing():
    assert render_markdown(None) == "" and render_markdown("") == ""


def test_link_with_a_removed_unsafe_target_keeps_only_its_text():
    assert render_markdown("[klik](javascript:alert(1)) hier") == "<p>klik hier</p>"


def test_a_list_right_after_a_paragraph_line_is_a_list():
    # CommonMark, as contributors write it: no blank line needed before the first item.
    html = render_markdown("Voor werknemers:\n- minder uren\n- andere taken")
    assert html == "<p>Voor werknemers:</p>\n<ul>\n<li>minder uren</li>\n<li>andere taken</li>\n</ul>"


def test_a_table_scrolls_inside_its_own_region():
    html = render_markdown("| Premie | Bedrag |\n| --- | --- |\n| VOP | 40% |")
    assert html.startswith('<div class="table-scroll" role="region" aria-label="Tabel" tabindex="0"><table>')
    assert "<th>Premie</th>" in html and "<td>40%</td>" in html and html.endswith("</table></div>")
