"""The search page, the search box on every page, and the search data on factsheet pages."""

from __future__ import annotations

import re
from html import unescape


def test_every_page_has_a_labelled_search_box_that_goes_to_the_search_page(build_site):
    problems, output = build_site()
    assert problems == []
    for page in ["index.html", "initiatief/imw/index.html", "overzicht/index.html"]:
        html = (output / page).read_text(encoding="utf-8")
        assert re.search(r'<form class="search-box[^"]*" role="search" action="[./]*/zoeken/" method="get">', html), page
        assert '<label for="zoekterm-kop">' in html and 'id="zoekterm-kop" name="q"' in html


def test_search_page_has_facets_a_live_region_and_a_no_script_fallback(build_site):
    problems, output = build_site()
    html = (output / "zoeken" / "index.html").read_text(encoding="utf-8")
    for facet in ["soort", "situatie", "doelgroep", "aanbieder", "status", "regio"]:
        assert f'data-facet="{facet}"' in html
    assert 'name="soort" value="subsidie"' in html
    assert 'name="soort" value="opleiding"' not in html, "no factsheet of the fixture is an opleiding"
    assert 'name="doelgroep" value="uitzendkrachten"' not in html
    assert 'role="status" aria-live="polite"' in html
    noscript = html[html.index("<noscript>"): html.index("</noscript>")]
    assert "JavaScript" in noscript and "/initiatieven/" in noscript and "/overzicht/" in noscript
    assert "theme/js/search.js" in html
    assert (output / "theme" / "js" / "search.js").is_file()


def test_factsheet_page_carries_body_filters_and_keywords(build_site):
    problems, output = build_site()
    html = (output / "initiatief" / "imw" / "index.html").read_text(encoding="utf-8")
    assert '<article class="factsheet" data-id="imw" data-pagefind-body>' in html
    assert 'data-pagefind-filter="type:initiatief"' in html
    assert 'data-pagefind-filter="status:' in html
    assert html.count("data-pagefind-body") == 1


def test_similar_section_is_kept_out_of_the_index(build_site, write_sheet):
    # Only sheets that are not thin are offered as similar: one like IMW, complete, not related to it.
    write_sheet("initiatives/premie.yaml", """\
        type: initiatief
        id: premie
        titel: Een premie
        samenvatting: Een loonpremie voor werkgevers die iemand met een arbeidsbeperking in dienst nemen.
        beschrijving: Een loonpremie en een begeleidingspremie voor de werkgever.
        cellen:
          - {situatie: werkgever, soort: subsidie}
        doelgroepen: [personen-met-arbeidsbeperking, werkgevers]
        aanbieders: [vdab]
        regio: vlaanderen
        status: actief
        contact:
          - {naam: Loket, telefoon: "0800 30 700", bron: {deck: netwerk-2022, dia: situering}}
        bronnen:
          - {deck: netwerk-2022, dia: situering}
        laatst_nagekeken: "2026-11-01"
    """)
    problems, output = build_site()
    assert problems == []
    pages = [p.read_text(encoding="utf-8") for p in (output / "initiatief").glob("*/index.html")]
    similar = [html for html in pages if 'id="gelijkaardig"' in html]
    assert similar, "some factsheet of the fixture should list similar initiatives"
    assert all('class="similar no-print" data-search-ignore' in html for html in similar)


def test_a_similar_sheets_long_summary_is_shortened_after_whole_words(shipped_site):
    summaries = [unescape(text) for page in shipped_site.glob("initiatief/*/index.html")
                 for text in re.findall(r'<ul class="similar-list">.*?</ul>', page.read_text(encoding="utf-8"), re.S)
                 for text in re.findall(r'<span class="muted">(.*?)</span></li>', text)]
    assert summaries, "the shipped factsheets list similar ones"
    cut = [s for s in summaries if s.endswith("\u2026")]
    assert cut, "some shipped summaries are longer than the list shows"
    assert all(len(s) <= 140 and not s.endswith((".\u2026", " \u2026", ",\u2026")) for s in cut)
    assert not [s for s in summaries if s.endswith("...") or "...." in s]
