"""The rendered site: matrix, factsheet pages, sanitizing, relations both ways."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture
def built(build_site) -> Path:
    problems, output = build_site()
    assert problems == []
    return output


def main_of(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    return html[html.index("<main"): html.index("</main>") + len("</main>")]


def test_factsheet_page_matches_the_golden_file(built):
    """Update on purpose with KAART_UPDATE_GOLDEN=1 and review the diff."""
    rendered = main_of(built / "initiatief" / "imw" / "index.html")
    golden = GOLDEN / "initiatief-imw.html"
    if os.environ.get("KAART_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")


def test_markdown_is_sanitized_on_the_page(built):
    html = (built / "initiatief" / "imw" / "index.html").read_text(encoding="utf-8")
    # The theme's own scripts (theme/js/) are allowed; nothing else may load or run a script.
    html = re.sub(r'<script src="[^"]*/theme/js/[\w.-]+\.js"[^>]*></script>', "", html)
    # The page's JSON-LD is data, with every "<" escaped (tests/test_opendata.py reads it back).
    html = re.sub(r'<script type="application/ld\+json">[^<]*</script>', "", html)
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onclick" not in html
    assert '<a href="https://example.org" rel="noopener noreferrer">veilig</a>' in html
    assert "<strong>loonpremie</strong>" in html


def test_contributor_text_is_escaped_in_plain_fields(build_site, site_root):
    path = site_root / "initiatives" / "vop.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "titel: VOP-premie", 'titel: "<img src=x onerror=alert(1)>VOP"'), encoding="utf-8")
    problems, output = build_site()
    assert problems == []
    html = (output / "initiatief" / "vop" / "index.html").read_text(encoding="utf-8")
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;VOP" in html


def cell_titles(html: str, situatie: str, soort: str) -> list[str]:
    cell = re.search(rf'<td data-situatie="{situatie}" data-soort="{soort}">(.*?)</td>', html, re.S)
    assert cell, (situatie, soort)
    return re.findall(r'<a href="[^"]+">([^<]+)</a>', cell.group(1))


def test_matrix_places_each_initiative_of_the_2022_mapping_in_every_cell_it_claims(built):
    html = (built / "index.html").read_text(encoding="utf-8")
    for situatie in ("niet-actief", "actief", "werkgever"):
        assert cell_titles(html, situatie, "informatie") == ["Weeraandeslag.be"]
    assert cell_titles(html, "actief", "subsidie") == ["VOP-premie"]
    assert cell_titles(html, "werkgever", "subsidie") == [], "IMW has a cell but was not on the 2022 slide"
    assert cell_titles(html, "niet-actief", "begeleiding") == []
    assert html.count("<td data-situatie=") == 12


def test_initiatives_added_after_the_mapping_are_listed_under_the_matrix_by_kind(built):
    html = (built / "index.html").read_text(encoding="utf-8")
    added = html[html.index('id="toegevoegd"'):]
    subsidies = added[added.index('id="toegevoegd-subsidie"'):added.index("</section>")]
    assert "initiatief/imw/" in subsidies
    rest = added[added.index('id="toegevoegd-overig"'):]
    assert "Nog niet ingedeeld" in rest and "initiatief/sine/" in rest
    assert "initiatief/vop/" not in added


def test_relations_show_on_both_pages(built):
    imw = main_of(built / "initiatief" / "imw" / "index.html")
    vop = main_of(built / "initiatief" / "vop" / "index.html")
    assert "<dt>Vervangt</dt>" in imw and "VOP-premie" in imw
    assert "<dt>Vervangen door</dt>" in vop and "Individueel maatwerk (IMW)" in vop


def test_replaced_measure_is_marked_and_points_to_its_successor(built):
    vop = main_of(built / "initiatief" / "vop" / "index.html")
    assert 'class="badge badge-uitdovend">Uitdovend</span>' in vop
    assert re.search(r'class="status-note status-uitdovend".*Vervangen door: <a href="../../initiatief/imw/">', vop, re.S)


def test_abolished_measure_is_clearly_marked(built):
    sine = main_of(built / "initiatief" / "sine" / "index.html")
    assert 'class="badge badge-afgeschaft">Afgeschaft</span>' in sine
    assert "Deze maatregel is afgeschaft." in sine


def test_missing_fields_invite_a_contribution(built):
    vop = main_of(built / "initiatief" / "vop" / "index.html")
    assert vop.count('<span class="todo">nog aan te vullen</span>') >= 3
    assert '/bijdragen/nieuw/?fiche=vop">Vul de fiche aan</a>' in vop
    assert 'href="https://github.com/gent-werk/kaart/edit/main/initiatives/vop.yaml"' in vop


def test_organisation_page_lists_what_it_offers_and_takes_part_in(built):
    vdab = main_of(built / "organisatie" / "vdab" / "index.html")
    offers = vdab[vdab.index('id="aanbod"'): vdab.index('id="deelname"')]
    assert "Individueel maatwerk (IMW)" in offers
    assert "Weeraandeslag.be" in vdab[vdab.index('id="deelname"'):]


def test_overview_pages_list_the_matching_initiatives(built):
    subsidie = main_of(built / "soort" / "subsidie" / "index.html")
    assert "Individueel maatwerk (IMW)" in subsidie and "VOP-premie" in subsidie
    assert "Weeraandeslag" not in subsidie
    group = main_of(built / "doelgroep" / "personen-met-arbeidsbeperking" / "index.html")
    assert "Individueel maatwerk (IMW)" in group and "VOP" not in group


def test_every_page_has_the_basic_accessible_structure(built):
    for page in built.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert '<html lang="nl">' in html, page
        assert html.count("<h1") == 1, page
        assert 'href="#inhoud"' in html and 'id="inhoud"' in html, page
        assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', html), f"{page} loads from outside"


def test_paper_names_the_public_address_only_when_it_is_known(site_root, tmp_path):
    from kaart.build.site import run_pelican

    from .conftest import REPO

    for public_url in ("https://example.org/kaart", ""):
        output = tmp_path / (public_url and "public" or "local")
        run_pelican(REPO / "pelicanconf.py", output, {"KAART_ROOT": str(site_root), "KAART_PUBLIC_URL": public_url,
                                                      "KAART_SEARCH_INDEX": False})
        html = (output / "initiatief" / "imw" / "index.html").read_text(encoding="utf-8")
        footer = html[html.index("@bottom-left"):html.index("</style>", html.index("@bottom-left"))]
        if public_url:
            assert "https://example.org/kaart/initiatief/imw/" in footer
            assert "Online: https://example.org/kaart/initiatief/imw/" in html
        else:
            assert "/initiatief/imw/" not in footer and "kaart re-integratie en werkplekleren Gent" in footer
            assert "Online:" not in html


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a thread's own niceness is Linux's")
def test_the_pages_pagefind_does_not_wait_for_are_written_at_the_lowest_priority(build_site, site_root, tmp_path,
                                                                                  monkeypatch):
    """Pagefind is the build's critical path once it runs: the rest of the site takes only the CPU
    it leaves idle, and is the same site as one written at normal priority."""
    import threading

    from kaart.build import plugin
    from kaart.core.workers import LOW_PRIORITY

    emitters, seen = plugin.all_emitters(), {}

    def recorded(emit):
        def run(kb, store):
            thread = threading.get_native_id()
            seen[emit.__module__] = (thread, os.getpriority(os.PRIO_PROCESS, thread))
            yield from emit(kb, store)
        return run

    monkeypatch.setattr(plugin, "all_emitters", lambda: [emitters[0], *map(recorded, emitters[1:])])
    before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    problems, low = build_site(output=tmp_path / "low")
    assert problems == [] and len(seen) == len(emitters) - 1
    assert {niceness for _, niceness in seen.values()} == {LOW_PRIORITY}
    assert threading.get_native_id() not in {thread for thread, _ in seen.values()}
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == before
    monkeypatch.setenv("KAART_NO_LOW_PRIORITY", "1")
    problems, normal = build_site(output=tmp_path / "normal")
    assert problems == [] and {niceness for _, niceness in seen.values()} == {before}
    files = sorted(p.relative_to(low) for p in low.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(normal) for p in normal.rglob("*") if p.is_file())
    assert [f for f in files if (low / f).read_bytes() != (normal / f).read_bytes()] == []


def test_an_interrupted_build_writes_no_more_of_the_rest_of_the_site(build_site, tmp_path, monkeypatch):
    """Ctrl-C while the rest of the site is written at low priority: the writing stops at the next
    output, so the build's folder can be removed without a thread writing on into it."""
    from kaart.build import plugin

    monkeypatch.setattr(plugin, "at_low_priority", lambda work, stop: (stop(), work())[1])  # as if interrupted at once
    problems, output = build_site(output=tmp_path / "site")
    assert problems == []
    assert (output / "initiatief" / "imw" / "index.html").is_file(), "the factsheets come before Pagefind starts"
    assert not (output / "index.html").exists() and not (output / "graaf").exists()


def test_pages_filled_in_after_indexing_started_equal_pages_rendered_whole(shipped_site, tmp_path):
    # A build that indexes writes the factsheet pages without their similar lists, starts Pagefind,
    # then fills the lists in (kaart.features.output.LateSection); a build that leaves indexing to
    # kaart serve renders them inline. The shipped factsheets give the same pages either way.
    from kaart.build.site import build_staging
    from kaart.features.output import LATE_BEGIN, LATE_END

    from .conftest import REPO
    from .test_site import tree_digest

    staging, problems = build_staging(REPO, tmp_path / "site", overrides={"KAART_SEARCH_INDEX": False})
    assert problems == [] and staging is not None
    whole = tree_digest(staging)
    filled = {path: digest for path, digest in tree_digest(shipped_site).items() if not path.startswith("pagefind/")}
    assert filled == whole
    page = (shipped_site / "initiatief" / "ibo" / "index.html").read_bytes()
    section = page[page.index(LATE_BEGIN):page.index(LATE_END)]
    assert b'id="gelijkaardig"' in section and b'href="../../initiatief/' in section, "links relative to the page"
    with_lists = [p for p in shipped_site.glob("*/*/index.html") if b'id="gelijkaardig"' in p.read_bytes()]
    assert len(with_lists) > 50, "most shipped factsheets list similar ones"


def test_pagefind_starts_before_the_similar_lists_are_known(build_site, write_sheet, monkeypatch):
    from kaart.build import pagefind as pagefind_index
    from kaart.features.search import pages as search_pages

    seen = []
    start, similar = pagefind_index.start_or_reuse, search_pages.similar_context
    monkeypatch.setattr(pagefind_index, "start_or_reuse",
                        lambda site, *rest, **options: seen.append("index") or start(site, *rest, **options))
    monkeypatch.setattr(search_pages, "similar_context",
                        lambda kb, store=None: seen.append("similar") or similar(kb, store))
    problems, output = build_site()
    assert problems == [] and seen == ["index", "similar"]
