"""Handout pages: cover, contents with page numbers, one section per factsheet, QR codes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import segno

from kaart.features.handouts.pages import TOC_ENTRIES_PER_PAGE, online_address, printed_sheets, qr_svg
from kaart.content.handouts import Handout
from kaart.content.project import read_knowledge_base

BUNDLE = """\
    titel: Subsidies voor werkgevers
    vergadering: Actiegroep re-integratie
    datum: "2026-12-10"
    fiches: [weeraandeslag, vdab]
    filter: {soort: subsidie}
    """


@pytest.fixture
def handout_html(site_root, write_sheet, build_site, monkeypatch):
    def build(public_url: str = "") -> str:
        monkeypatch.setenv("KAART_PUBLIC_URL", public_url)
        write_sheet("content/handouts/december.yaml", BUNDLE)
        problems, output = build_site()
        assert problems == []
        return (output / "handouts" / "december" / "index.html").read_text(encoding="utf-8")

    return build


def qr_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules of a segno SVG path ("M0 0.5h7m1 0h1..."), as (row, column)."""
    dark = set()
    x = y = 0.0
    for command, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", re.search(r' d="([^"]+)"', svg)[1]):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            dark.update((int(y), int(x) + i) for i in range(int(a)))
            x += float(a)
    return dark


def expected_modules(address: str) -> set[tuple[int, int]]:
    code = segno.make(address, error="m", micro=False)
    return {(r + 2, c + 2) for r, row in enumerate(code.matrix) for c, v in enumerate(row) if v}


def test_cover_contents_and_one_section_per_sheet_in_bundle_order(handout_html):
    html = handout_html()
    assert "<h1 id=\"handout-titel\">Subsidies voor werkgevers</h1>" in html
    assert "Actiegroep re-integratie, vergadering van <time datetime=\"2026-12-10\">10 december 2026</time>" in html
    assert "4 fiches, elk op een nieuwe bladzijde" in html
    sections = re.findall(r'<section class="handout-sheet" id="fiche-([a-z-]+)"', html)
    assert sections == ["weeraandeslag", "vdab", "imw", "vop"]
    toc = re.findall(r'<a href="#fiche-([a-z-]+)"><span class="toc-title">[^<]+</span></a>', html)
    assert toc == ["weeraandeslag", "vdab", "imw", "vop"]
    assert "soort hulp: Subsidie / tussenkomst" in html


def test_without_a_public_address_paper_promises_no_qr_code_and_shows_no_bare_path(handout_html):
    html = handout_html("")
    assert "<svg" not in html and "QR" not in html
    assert ">/initiatief/imw/<" not in html and ">/handouts/december/<" not in html
    assert "op de kaart, zoek" in html and "bij <a" in html


def test_each_qr_code_encodes_the_public_address_of_its_sheet(handout_html):
    html = handout_html("https://kaart.example/")
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(svgs) == 5, "one for the bundle, one per sheet"
    for svg, path in zip(svgs, ["handouts/december/", "initiatief/weeraandeslag/", "organisatie/vdab/",
                                "initiatief/imw/", "initiatief/vop/"]):
        address = f"https://kaart.example/{path}"
        assert f"<title>QR-code naar {address}</title>" in svg
        assert qr_modules(svg) == expected_modules(address)


def test_qr_codes_are_made_only_for_addresses_a_phone_can_open():
    assert qr_svg("/initiatief/vop/") == ""
    assert qr_svg(online_address("", "initiatief/vop/")) == ""
    assert online_address("https://kaart.example/", "initiatief/vop/") == "https://kaart.example/initiatief/vop/"
    assert qr_svg("https://kaart.example/x/") == qr_svg("https://kaart.example/x/"), "deterministic"


def test_sheets_are_numbered_in_bundle_order(site_root):
    kb, _ = read_knowledge_base(site_root)
    ids = ("imw", "vop") * (TOC_ENTRIES_PER_PAGE // 2 + 1)
    sheets = printed_sheets(kb, Handout("x", "T", "V", dt.date(2026, 1, 1), ids, "x.yaml"))
    assert [s.number for s in sheets] == list(range(1, len(ids) + 1))
    assert sheets[0].anchor == "fiche-imw"


def test_index_lists_every_bundle(handout_html, site_root):
    handout_html()
    index = (site_root.parent / "build" / "handouts" / "index.html").read_text(encoding="utf-8")
    assert 'href="../handouts/december/"' in index
    assert "Subsidies voor werkgevers" in index and "4 fiches" in index
    assert "kaart handout" not in index and "QR" not in index, "readers, not developers; no promise without an address"


SINCE_BUNDLE = """\
    titel: Wat er bewoog
    vergadering: Actiegroep re-integratie
    sinds: "2026-03-01"
    fiches: [vop, weer-aan-de-slag, imw]
    """


def since_text(html: str) -> str:
    section = html[html.index('<section class="handout-since"'):]
    section = section[:section.index("</section>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section))


def test_a_bundle_with_sinds_shows_what_changed_in_its_sheets_and_on_the_map(site_root, write_sheet, build_site):
    from .test_history import script_history

    script_history(site_root)
    write_sheet("content/handouts/maart.yaml", SINCE_BUNDLE)
    problems, output = build_site()
    assert problems == []
    html = (output / "handouts" / "maart" / "index.html").read_text(encoding="utf-8")
    assert html.index('class="handout-cover"') < html.index('class="handout-since"') < html.index('class="handout-toc"')
    text = since_text(html)
    assert "Wat veranderde sinds 1 maart 2026" in text
    # In the bundle: the rename (April) of sheet 2; VOP's change (February) was before the day asked for.
    assert "Weeraandeslag.be (fiche 2) 20 april 2026 : nieuw adres (was weeraandeslag)." in text
    assert "VOP-premie" not in text and "afgeschaft" not in text
    assert "2 andere fiches in deze bundel veranderden niet." in text
    # On the whole map: the new and the removed sheet (March), the rename and VDAB's relation (April).
    assert "1 nieuwe fiche, 1 hernoemde fiche, 1 gewijzigde fiche, 1 verwijderde fiche." in text
    assert "Nieuw: Jobcoaching op de werkvloer (15 maart 2026)." in text
    assert "Verwijderd: Sociale inschakelingseconomie (15 maart 2026)." in text


def test_without_history_a_bundle_with_sinds_has_no_changes_section(site_root, write_sheet, build_site):
    write_sheet("content/handouts/maart.yaml", SINCE_BUNDLE.replace("weer-aan-de-slag", "weeraandeslag"))
    problems, output = build_site()
    assert problems == []
    html = (output / "handouts" / "maart" / "index.html").read_text(encoding="utf-8")
    assert "handout-since" not in html and "Wat veranderde" not in html
