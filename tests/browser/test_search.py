"""Search in a real browser: Pagefind's index with kaart's UI, on the shipped factsheets."""

from __future__ import annotations

import re

import pytest

from .conftest import serve

COMPOUND_SHEET = """\
    type: initiatief
    id: loonkosten
    titel: Tegemoetkoming in de loonkosten
    samenvatting: Een loonkostensubsidie na een werkervaringsstage, voor de werkgever.
    status: actief
    cellen:
      - {situatie: werkgever, soort: begeleiding}
    bronnen:
      - {deck: netwerk-2022, dia: Mapping initiatieven}
    laatst_nagekeken: "2026-11-01"
"""


@pytest.fixture
def compound_site_url(site_root, write_sheet, build_site):
    """The fixture project plus a factsheet that says "subsidie" only inside a compound."""
    write_sheet("initiatives/loonkosten.yaml", COMPOUND_SHEET)
    problems, output = build_site()
    assert problems == []
    with serve(output) as url:
        yield url


DONE = "document.getElementById('zoekstatus').textContent.includes('gevonden')"


def search(page, site_url, params: str) -> list[str]:
    """Open the search page with URL parameters; return the result paths in ranked order."""
    page.goto(f"{site_url}/zoeken/?{params}")
    page.wait_for_function(DONE)
    return result_paths(page)


def result_paths(page) -> list[str]:
    return [a.get_attribute("href") for a in page.query_selector_all("#resultaten .result-title a")]


def ids(paths: list[str]) -> list[str]:
    return [p.rstrip("/").rsplit("/", 1)[-1] for p in paths]


def test_loonpremie_ranks_imw_first(page, site_url):
    found = ids(search(page, site_url, "q=loonpremie"))
    # The IMW loonpremie factsheet or IMW itself: not the VOP it replaced.
    assert found[0] in {"loonpremie-imw", "individueel-maatwerk"}
    assert "individueel-maatwerk" in found[:3]


def all_result_paths(page) -> list[str]:
    while page.is_visible("#meer-resultaten"):
        count = len(result_paths(page))
        page.click("#meer-resultaten")
        page.wait_for_function(f"document.querySelectorAll('#resultaten .result').length > {count}")
    return result_paths(page)


def indexed_text(html: str) -> str:
    """The words of a factsheet page that Pagefind indexes as visible text."""
    body = html[html.index("data-pagefind-body"): html.index('<div class="search-data"')]
    # The sections kaart.build.pagefind.EXCLUDE_SELECTORS keeps out of the index.
    for excluded in (r'<section aria-labelledby="relaties">', r'<section aria-labelledby="in-de-graaf"[^>]*>',
                     r'<section aria-labelledby="vergelijken"[^>]*>'):
        body = re.sub(excluded + r".*?</section>", " ", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def test_parts_find_pages_that_only_have_them_inside_compounds(page, site_url, shipped_site):
    checked = 0
    for word in ("subsidie", "premie", "stage", "coach"):
        compound_only = set()
        for path in shipped_site.glob("*/*/index.html"):
            html = path.read_text(encoding="utf-8")
            if "data-pagefind-body" not in html:
                continue
            text = indexed_text(html)
            if not re.search(rf"\b{word}s?\b", text, re.I) and re.search(rf"\w{word}", text, re.I):
                compound_only.add(path.parent.name)
        if compound_only:
            search(page, site_url, f"q={word}")
            assert compound_only <= set(ids(all_result_paths(page))), word
            checked += len(compound_only)
    assert checked >= 5, "the shipped factsheets should have compounds like jobcoach, begeleidingspremie"


def test_subsidie_finds_a_factsheet_that_only_has_a_compound_of_it(browser, compound_site_url):
    page = browser.new_page()
    search(page, compound_site_url, "q=subsidie")
    assert "loonkosten" in ids(result_paths(page))
    page.close()


def test_stages_finds_the_four_internships(page, site_url):
    assert {"bvs", "wes", "os", "bis"} <= set(ids(search(page, site_url, "q=stages")))


def test_opleiding_facet_shows_only_training_initiatives(page, site_url, shipped_site):
    found = ids(search(page, site_url, "soort=opleiding"))
    assert found
    for sheet in found:
        html = (shipped_site / "initiatief" / sheet / "index.html").read_text(encoding="utf-8")
        assert 'data-pagefind-filter="soort:opleiding"' in html, sheet
    badges = page.locator("#resultaten .result").first.locator(".tag-soort")
    assert "Opleiding" in badges.all_inner_texts()[0]


def test_facet_state_survives_a_reload(page, site_url):
    page.goto(f"{site_url}/zoeken/")
    page.fill("#zoekterm", "stage")
    page.check("input[name=soort][value=opleiding]")
    page.check("input[name=situatie][value=niet-actief]")
    page.wait_for_function(DONE)
    page.wait_for_function("window.location.search.includes('situatie=niet-actief')")
    before = result_paths(page)
    assert "q=stage" in page.url and "soort=opleiding" in page.url
    page.reload()
    page.wait_for_function(DONE)
    assert page.input_value("#zoekterm") == "stage"
    assert page.is_checked("input[name=soort][value=opleiding]")
    assert page.is_checked("input[name=situatie][value=niet-actief]")
    assert result_paths(page) == before


def test_result_count_is_announced_and_excerpts_mark_the_match(page, site_url):
    search(page, site_url, "q=IBO")
    status = page.locator("#zoekstatus")
    assert status.get_attribute("role") == "status"
    assert re.match(r"\d+ fiches gevonden voor \u201cIBO\u201d", status.inner_text())
    assert page.locator("#resultaten mark").count() > 0


VISIBLE_AND_HIDDEN_WORDS = """async (url) => {
  const html = await (await fetch(url)).text();
  const doc = new DOMParser().parseFromString(html, "text/html");
  const words = (text) => text.toLowerCase().match(/[\\p{L}\\p{N}]+/gu) || [];
  const forms = doc.getElementById("zoekvormen");
  const hidden = forms ? words(forms.textContent) : [];
  doc.querySelectorAll(".search-data").forEach((node) => node.remove());
  return {visible: words(doc.querySelector("article").textContent), hidden};
}"""


@pytest.mark.parametrize("query", ["loonpremie", "subsidie", "stages", "werkgever"])
def test_excerpts_come_from_the_text_people_see(page, site_url, query):
    # Each page ends with hidden word forms (plurals, compound parts) for matching; an excerpt
    # made of those loose words says nothing, so excerpts are taken from the visible text.
    search(page, site_url, f"q={query}")
    results = page.query_selector_all("#resultaten .result")
    assert results
    checked_hidden_only = 0
    for result in results:
        url = result.query_selector(".result-title a").get_attribute("href")
        words = page.evaluate(VISIBLE_AND_HIDDEN_WORDS, url)
        hidden_only = set(words["hidden"]) - set(words["visible"])
        excerpt = result.query_selector(".result-excerpt").inner_text().lower()
        assert not set(re.findall(r"\w+", excerpt)) & hidden_only, (url, excerpt)
        checked_hidden_only += bool(hidden_only)
    assert checked_hidden_only  # the check above had words to catch


def test_a_word_matched_only_through_its_compound_is_marked_in_the_excerpt(page, compound_site_url):
    search(page, compound_site_url, "q=subsidie")
    result = page.locator("#resultaten .result", has=page.locator("a[href*='loonkosten']"))
    assert result.locator(".result-excerpt mark").all_inner_texts() == ["loonkostensubsidie"]


def test_result_titles_leave_out_the_status_badge(page, site_url):
    search(page, site_url, "q=VOP")
    titles = page.locator("#resultaten .result-title a").all_inner_texts()
    assert "VOP-premie" in titles
    assert not [t for t in titles if "Uitdovend" in t]


def test_search_box_and_results_work_by_keyboard(page, site_url):
    page.goto(f"{site_url}/")
    page.focus("#zoekterm-kop")
    page.keyboard.type("stages")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/zoeken/\?q=stages"))
    page.wait_for_function(DONE)
    page.focus("#zoekterm")
    page.keyboard.press("Tab")  # the search button
    page.keyboard.press("Tab")  # the results come before the filters
    assert page.evaluate("document.activeElement.closest('#resultaten') !== null")
    for _ in range(40):  # on through the results to the first filter
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "soort":
            break
    assert page.evaluate("document.activeElement.name") == "soort"
    page.keyboard.press("Space")
    page.wait_for_function("window.location.search.includes('soort=')")
    page.wait_for_function(DONE)


def test_without_javascript_the_page_points_to_the_overviews(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_url}/zoeken/?q=stages")
    notice = page.locator("noscript").first
    assert notice.count() == 1
    html = page.content()
    assert "JavaScript" in html and 'href="../initiatieven/"' in html
    context.close()


def test_facet_counts_follow_the_results(page, site_url):
    search(page, site_url, "q=stages")
    # The counts come after the results (README, "Search"): wait for them, as a reader would.
    page.wait_for_function("/^\\(\\d+\\)$/.test(document.querySelector(\"[data-count-for='soort:opleiding']\").textContent)")
    count = page.locator("[data-count-for='soort:opleiding']").inner_text()
    assert re.fullmatch(r"\(\d+\)", count) and count != "(0)"


def test_the_first_results_fetch_no_worker_and_no_compare_or_print_script(page, site_url):
    # Lean first query: Pagefind runs on the page (no 12 KB worker); the comparison tray's script
    # and the print helper (results appear after it runs; no print buttons) stay away.
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    search(page, site_url, "soort=begeleiding")  # more than ten factsheets
    assert not [url for url in fetched if "pagefind-worker" in url or url.endswith(("compare.js", "print.js"))]
    assert len(page.locator("#resultaten .result").all()) == 5  # the first page; "meer" fetches the rest
    assert page.is_visible("#meer-resultaten")


def test_up_to_ten_results_show_at_once(page, site_url):
    found = search(page, site_url, "q=stage")
    assert 5 < len(found) <= 10, found  # the shipped content has six or so
    assert not page.is_visible("#meer-resultaten")


def test_a_full_matrix_cell_links_to_all_its_initiatives_on_the_search_page(page, tmp_path):
    # At Flanders scale a cell holds more than CELL_LIMIT initiatives: it shows that many and
    # links to the search page filtered on its kind and situation, which finds every one of them.
    import sys

    from kaart.build.site import build
    from kaart.features.matrix import CELL_LIMIT

    from ..conftest import REPO

    sys.path.insert(0, str(REPO / "scripts"))
    from synthetic import write_project

    sheets = write_project(tmp_path / "large", 300)
    assert build(tmp_path / "large", tmp_path / "large" / "build", REPO / "pelicanconf.py") == []
    with serve(tmp_path / "large" / "build") as url:
        page.goto(f"{url}/")
        cell = page.locator("td:has(.cell-more)").first
        kind, situation = cell.get_attribute("data-soort"), cell.get_attribute("data-situatie")
        total = sum(1 for s in sheets if {"situatie": situation, "soort": kind} in s["cellen"])
        assert total > CELL_LIMIT
        assert cell.locator("li a").count() == CELL_LIMIT
        more = cell.locator(".cell-more a")
        assert more.inner_text() == f"Alle {total} in dit vakje"
        more.click()
        page.wait_for_function(DONE)
        assert page.locator("#zoekstatus").inner_text().startswith(f"{total} fiches gevonden")
        assert page.is_checked(f"input[name=soort][value={kind}]")
        assert page.is_checked(f"input[name=situatie][value={situation}]")


def test_factsheet_text_in_results_is_text_never_markup(page, write_sheet, build_site):
    from ..conftest import VALID_INITIATIVE

    payload = "<img src=x onerror=\"document.title='pwned'\"><b>vetgedrukt</b> kwaadaardig"
    write_sheet("initiatives/x.yaml", VALID_INITIATIVE.format(id="x").replace(
        "titel: Een initiatief", "titel: 'Titel <i>kwaadaardig</i>'").replace(
        "samenvatting: Een korte samenvatting van het initiatief.", "samenvatting: '" + payload.replace("'", "''") + "'"))
    problems, output = build_site()
    assert problems == []
    with serve(output) as url:
        search(page, url, "q=kwaadaardig")
        results = page.locator("#resultaten")
        assert results.locator(".result").count() == 1
        assert results.locator("img, b, i, script").count() == 0
        assert results.locator(".result-title a").inner_text() == "Titel <i>kwaadaardig</i>"
        assert "<b>vetgedrukt</b>" in results.locator(".result-excerpt").inner_text()
        assert results.locator(".result-excerpt mark").all_inner_texts() == ["kwaadaardig"]
        assert "pwned" not in page.title()


TWIN = """\
    type: initiatief
    id: {id}
    titel: {titel}
    samenvatting: Een zorgtraject voor wie na een lange ziekte opnieuw wil beginnen.
    status: {status}
    cellen:
      - {{situatie: actief, soort: begeleiding}}
    bronnen:
      - {{deck: netwerk-2022, dia: Mapping initiatieven}}
    laatst_nagekeken: "2026-11-01"
"""
COMPLETE = """\
    beschrijving: Over het traject.
    doelgroepen: [werknemers]
    aanbieders: [vdab]
    regio: gent
    contact:
      - {naam: Loket, telefoon: "0800 30 700", bron: {deck: netwerk-2022, dia: Mapping initiatieven}}
"""


def test_at_the_same_score_a_complete_running_factsheet_comes_before_a_thin_or_ended_one(
        browser, site_root, write_sheet, build_site):
    write_sheet("initiatives/a-dun.yaml", TWIN.format(id="a-dun", titel="Alfa", status="actief"))
    write_sheet("initiatives/b-afgeschaft.yaml", TWIN.format(id="b-afgeschaft", titel="Beta", status="afgeschaft") + COMPLETE)
    write_sheet("initiatives/c-vol.yaml", TWIN.format(id="c-vol", titel="Gamma", status="actief") + COMPLETE)
    problems, output = build_site()
    assert problems == []
    page = browser.new_page()
    with serve(output) as url:
        found = ids(search(page, url, "q=zorgtraject"))
    assert found == ["c-vol", "a-dun", "b-afgeschaft"]
