"""Paper, as Chromium prints it: handout PDFs, the one-page matrix, addresses, whole rows.

PDFs come from the same code path as `kaart handout --pdf` (kaart.features.handouts.pdf.render) and are read
back with pypdf: page sizes, page counts and the text on each page.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import textwrap
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from kaart.content.project import read_knowledge_base
from kaart.features.handouts.pdf import PDF_OPTIONS, render, serve

from .conftest import REPO

RUNNING_FOOTER = re.compile(r"^pagina \d+ van \d+")
LIGATURES = re.compile("[\ufb00-\ufb06]")  # the PDF keeps "fi" as one glyph


def pdf_of(browser, site: Path, path: str) -> PdfReader:
    with serve(site) as base:
        return PdfReader(io.BytesIO(render(browser, f"{base}/{path}")))


def page_lines(page) -> list[str]:
    """The text lines of a printed page, ligatures unfolded, without the running footer."""
    text = LIGATURES.sub(lambda m: unicodedata.normalize("NFKC", m.group()), page.extract_text())
    return [line.strip() for line in text.splitlines() if line.strip() and not RUNNING_FOOTER.match(line.strip())]


def flat(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())


@pytest.fixture(scope="module")
def shipped_pdf(browser, shipped_site):
    """Pages of the shipped site as PDF, each printed once for all the tests of this module."""
    printed: dict[str, PdfReader] = {}

    def get(path: str) -> PdfReader:
        if path not in printed:
            printed[path] = pdf_of(browser, shipped_site, path)
        return printed[path]

    return get


@pytest.fixture
def kaart_cli(browser):
    """Run the real command in its own process (Playwright allows one sync session per thread)."""

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "kaart.cli", *args], capture_output=True, text=True, timeout=300)

    return run


def write(root: Path, rel_path: str, text: str) -> None:
    path = root / rel_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.mark.parametrize("slug", ["werkplekleren", "actiegroep-re-integratie"])
def test_handout_pdf_has_a_cover_contents_and_each_factsheet_from_a_new_page_in_full(kaart_cli, tmp_path, slug):
    pdf = tmp_path / f"{slug}.pdf"
    result = kaart_cli("--root", str(REPO), "handout", slug, "--pdf", str(pdf), "--output", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    kb, _ = read_knowledge_base(REPO)
    handout = next(h for h in kb.handouts if h.slug == slug)
    titles = [kb.sheets[sheet_id].display_title for sheet_id in handout.sheet_ids]
    assert "KAART_PUBLIC_URL is niet ingesteld" in result.stderr, "a PDF without addresses is announced"
    pages = PdfReader(pdf).pages
    assert all(page.mediabox.height > page.mediabox.width for page in pages), "A4 portrait"
    assert handout.titel in flat(page_lines(pages[0]))
    assert flat(page_lines(pages[1])).startswith("Inhoud")
    # Each factsheet starts a page; a long one goes on over the next pages and ends with its foot.
    starts = [i for i, page in enumerate(pages) if re.search(r"FICHE \d+ VAN", flat(page_lines(page)).upper())]
    assert len(starts) == len(titles)
    for number, (title, start, end) in enumerate(zip(titles, starts, [*starts[1:], len(pages)]), start=1):
        text = " ".join(flat(page_lines(page)) for page in pages[start:end])
        assert f"FICHE {number} VAN {len(titles)}" in text.upper() and title in text
        assert "Laatst nagekeken op" in flat(page_lines(pages[end - 1])), f"{title}: printed to its end"
        sheet = kb.sheets[handout.sheet_ids[number - 1]]
        if sheet.beschrijving:
            last_words = re.findall(r"[^\W\d_]{4,}", sheet.beschrijving)[-3:]
            found = re.findall(r"[^\W\d_]{4,}", text)
            assert any(found[i:i + 3] == last_words for i in range(len(found))), f"{title}: ends with {last_words}"
    assert RUNNING_FOOTER.match(pages[-1].extract_text().strip()).group() == f"pagina {len(pages)} van {len(pages)}"


def test_handout_built_from_a_filter_prints_every_match(kaart_cli, site_root, tmp_path):
    write(site_root, "content/handouts/subsidies.yaml", """\
        titel: Subsidies
        vergadering: Beleidsgroep
        datum: "2026-12-10"
        filter: {soort: subsidie}
        """)
    pdf = tmp_path / "subsidies.pdf"
    result = kaart_cli("--root", str(site_root), "handout", "subsidies", "--pdf", str(pdf),
                       "--output", str(tmp_path / "site"), "--settings", str(REPO / "pelicanconf.py"))
    assert result.returncode == 0, result.stderr
    pages = PdfReader(pdf).pages
    assert len(pages) >= 4
    text = [flat(page_lines(page)) for page in pages]
    assert "Individueel maatwerk (IMW)" in text[2]
    assert any("VOP-premie" in page and "FICHE 2 VAN 2" in page.upper() for page in text[3:])


def test_the_matrix_prints_on_exactly_one_landscape_page_in_full(shipped_pdf, page, site_url):
    pages = shipped_pdf("").pages
    assert len(pages) == 1
    assert pages[0].mediabox.width > pages[0].mediabox.height, "A4 landscape"
    text = flat(page_lines(pages[0]))
    kb, _ = read_knowledge_base(REPO)
    in_matrix = [sheet.titel for sheet in kb.initiatives if sheet.mapping_2022]
    assert [title for title in in_matrix if title not in text] == []
    added = sum(1 for sheet in kb.initiatives if not sheet.mapping_2022)
    assert f"Daarnaast staan {added} initiatieven op de kaart" in text, "the added ones are named, not printed"
    page.goto(f"{site_url}/")
    page.emulate_media(media="print")
    smallest = page.evaluate("Math.min(...[...document.querySelectorAll('.matrix li a')]"
                             ".map(a => parseFloat(getComputedStyle(a).fontSize)))")
    assert smallest >= 8 * 96 / 72, "readable: no entry smaller than 8 pt"


def test_a_printed_factsheet_shows_its_address_and_the_date_of_the_data(shipped_pdf):
    kb, _ = read_knowledge_base(REPO)
    pages = shipped_pdf("initiatief/individueel-maatwerk/").pages
    assert len(pages) > 1
    for page in pages:
        footer = RUNNING_FOOTER.match(page.extract_text().strip())
        assert footer, "every page has the running footer"
        first_line = page.extract_text().strip().splitlines()[0]
        # The shipped site is built without a public address: the map is named, no bare path.
        assert "kaart re-integratie en werkplekleren Gent" in first_line
        assert "/initiatief/" not in first_line
        assert f"gegevens van {kb.data_date.day} " in first_line


def test_print_leaves_out_navigation_search_and_buttons(shipped_pdf):
    factsheet = flat(page_lines(shipped_pdf("initiatief/vop/").pages[0]))
    for chrome in ("Naar de inhoud", "Hoofdmenu", "Bewerk deze fiche", "Iets verbeteren of toevoegen", "Handouts"):
        assert chrome not in factsheet
    handout = flat(page_lines(shipped_pdf("handouts/werkplekleren/").pages[0]))
    assert "Afdrukken of bewaren als PDF" not in handout


@pytest.mark.parametrize("path", ["", "initiatief/individueel-maatwerk/", "initiatief/actiegroep-re-integratie/",
                                  "initiatieven/", "handouts/werkplekleren/"])
def test_no_printed_page_is_blank(shipped_pdf, path):
    pages = shipped_pdf(path).pages
    assert [number for number, page in enumerate(pages, start=1) if not page_lines(page)] == []


@pytest.mark.parametrize("path", ["initiatief/individueel-maatwerk/", "initiatief/actiegroep-re-integratie/",
                                  "initiatieven/"])
def test_no_heading_is_left_alone_at_the_foot_of_a_page(page, site_url, path):
    # Number every heading ("§3 Kenmerken") so that the PDF text tells headings from other lines.
    page.goto(f"{site_url}/{path}", wait_until="networkidle")
    headings = page.evaluate("""[...document.querySelectorAll('main :is(h1, h2, h3, h4)')].map((h, i) => {
        h.prepend(document.createTextNode('\u00a7' + i + ' '));
        return h.textContent.replace(/\\s+/g, ' ').trim();
    })""")
    pages = PdfReader(io.BytesIO(page.pdf(**PDF_OPTIONS))).pages
    assert len(pages) > 1
    for number, printed in enumerate(pages[:-1], start=1):
        lines = page_lines(printed)
        starts = [i for i, line in enumerate(lines) if re.match(r"\u00a7\d+ ", line)]
        if not starts:
            continue
        tail = " ".join(" ".join(lines[starts[-1]:]).split())
        heading = headings[int(re.match(r"\u00a7(\d+)", tail).group(1))]
        assert not heading.startswith(tail), f"page {number} ends with the heading '{heading}'"


LONG_TABLE_SHEET = """\
type: initiatief
id: tabel
titel: Een lange tabel
samenvatting: Een fiche met zeventig cijfers, langer dan een blad.
status: actief
links:
  - {titel: Kort adres, url: "https://www.vdab.be/ibo"}
  - {titel: Lang adres, url: "https://www.example.org/een/heel/lang/pad/naar/een/pagina/met-een-bijzonder-lange-naam.html"}
relaties:
  - {type: zie-ook, doel: vop}
bronnen:
  - {deck: netwerk-2022, dia: Mapping initiatieven}
laatst_nagekeken: "2026-11-01"
cijfers:
"""


@pytest.fixture
def long_table_site(site_root, build_site):
    rows = "".join(f"  - {{omschrijving: Rij {n:02d}, waarde: {1000 + n}, bron: {{deck: netwerk-2022, dia: Ontbrekende cijfers}}}}\n"
                   for n in range(1, 71))
    write(site_root, "initiatives/tabel.yaml", LONG_TABLE_SHEET + rows)
    problems, output = build_site()
    assert problems == []
    return output


def test_a_long_table_repeats_its_header_only_at_the_top_of_a_page_and_never_cuts_a_row(browser, long_table_site):
    pages = [flat(page_lines(page)) for page in pdf_of(browser, long_table_site, "initiatief/tabel/").pages]
    header = "Wat Aantal Peildatum Bron"
    seen = []
    table_pages = 0
    for text in pages:
        rows = list(re.finditer(r"Rij (\d\d) (\d+) ", text))
        if not rows:
            assert header not in text, "no header without rows under it"
            continue
        table_pages += 1
        assert text.count(header) == 1 and text.index(header) < rows[0].start(), "one header, above the page's rows"
        for row in rows:
            assert int(row.group(2)) == 1000 + int(row.group(1)), "the row's cells stand on one page"
            seen.append(int(row.group(1)))
    assert table_pages > 1, "the table runs over a page"
    assert seen == list(range(1, 71)), "every row once, in order"


def test_a_short_table_prints_its_header_once(shipped_pdf):
    kb, _ = read_knowledge_base(REPO)
    sheet = next(s for s in kb.initiatives if 0 < len(s.cijfers) < 10)
    text = [line for page in shipped_pdf(sheet.url).pages for line in page_lines(page)]
    assert text.count("Wat Aantal Peildatum Bron") == 1


def test_links_print_their_address_shortened_where_long(browser, long_table_site):
    text = flat([line for page in pdf_of(browser, long_table_site, "initiatief/tabel/").pages
                 for line in page_lines(page)])
    assert "Kort adres (vdab.be/ibo)" in text
    assert "Lang adres (example.org/…/met-een-bijzonder-lange…)" in text
    assert "heel/lang/pad" not in text
    assert "VOP-premie" in text and "(/initiatief/vop/)" not in text, "a link to a sheet is known by its name"


def test_the_matrix_prints_no_addresses(shipped_pdf):
    text = flat(page_lines(shipped_pdf("").pages[0]))
    assert "(/initiatief/" not in text and "(/soort/" not in text


def test_no_printed_comparison_ends_on_a_page_with_one_or_two_notes(shipped_pdf):
    kb, _ = read_knowledge_base(REPO)
    for comparison in kb.comparisons:
        pages = shipped_pdf(comparison.url).pages
        last = pages[-1].extract_text()
        notes = re.findall(r"^\d+\. ", last, re.M)
        assert len(pages) == 1 or len(notes) >= 3 or "Wat volgt erna" in last, (comparison.id, last[:200])
