"""The relevance set (tests/relevance/queries.yaml): what a coach types, run on the built site's
search page in a real browser. Prints the top-1 and top-3 hit rates; the goal is top-1 >= 90%
and top-3 100% (README, "Search")."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml

from kaart.content.project import read_knowledge_base

from .conftest import REPO, serve

QUERIES = yaml.safe_load((Path(__file__).resolve().parents[1] / "relevance" / "queries.yaml").read_text(encoding="utf-8"))
DONE = "document.getElementById('zoekstatus').textContent.includes('gevonden')"


def ranked_ids(page, site_url: str, query: str) -> list[str]:
    page.goto(f"{site_url}/zoeken/?q={quote(query)}")
    page.wait_for_function(DONE)
    hrefs = [a.get_attribute("href") for a in page.query_selector_all("#resultaten .result-title a")]
    return [href.rstrip("/").rsplit("/", 1)[-1] for href in hrefs]


def test_the_set_has_thirty_queries_that_name_existing_factsheets():
    kb, _ = read_knowledge_base(REPO)
    assert len(QUERIES) >= 30
    assert sorted({sheet_id for q in QUERIES for sheet_id in q["verwacht"]} - set(kb.sheets)) == []


@pytest.fixture(scope="module")
def split_site(tmp_path_factory) -> Path:
    """The shipped site with its search index in three parts (at 5,000 factsheets a build splits it
    to bound Pagefind's memory; kaart/build/pagefind.py)."""
    from kaart.build.site import build_staging

    output = tmp_path_factory.mktemp("split") / "build"
    staging, problems = build_staging(REPO, output, overrides={"KAART_SEARCH_PART_PAGES": SPLIT_PART_PAGES})
    assert problems == [], [p.format_text() for p in problems]
    staging.rename(output)
    return output


@pytest.fixture(scope="module")
def split_site_url(split_site: Path):
    with serve(split_site) as url:
        yield url


SPLIT_PART_PAGES = 45


def test_relevance_set_meets_its_goal(page, site_url, capsys):
    assert_relevance_goal(page, site_url, capsys, "relevance set")


def test_relevance_set_meets_its_goal_with_the_index_in_parts(page, split_site_url, capsys):
    # Each part ranks with its own word statistics; Pagefind merges the parts' results by score.
    assert_relevance_goal(page, split_site_url, capsys, "relevance set, index in parts")


def assert_relevance_goal(page, site_url, capsys, label):
    top1 = top3 = 0
    misses = []
    for query in QUERIES:
        found = ranked_ids(page, site_url, query["zoek"])
        first = bool(found) and found[0] in query["verwacht"]
        within = any(sheet_id in query["verwacht"] for sheet_id in found[:3])
        top1 += first
        top3 += within
        if not first:
            misses.append((query["zoek"], found[:3]))
    with capsys.disabled():
        print(f"\n{label}: top-1 {top1}/{len(QUERIES)} = {top1 / len(QUERIES):.0%}, "
              f"top-3 {top3}/{len(QUERIES)} = {top3 / len(QUERIES):.0%}; not first: {misses}")
    assert top1 >= 0.9 * len(QUERIES), misses
    assert top3 == len(QUERIES), misses


def help_text(page) -> str:
    return page.locator("#zoekhulp").inner_text() if page.is_visible("#zoekhulp") else ""


def test_an_exact_abbreviation_comes_first(page, site_url):
    assert ranked_ids(page, site_url, "IBO")[0] == "ibo"
    assert ranked_ids(page, site_url, "ibo+")[0] == "ibo-plus"
    assert ranked_ids(page, site_url, "ibot")[0] == "ibo-t", "typed without the hyphen"


def test_a_factsheet_typed_as_its_address_comes_first(page, site_url):
    # "registratie-dvz": Pagefind joins hyphenated query words into one ("registratiedvz") that no
    # page has; the address is a name of the page (the name lookup), so its words find it.
    kb, _ = read_knowledge_base(REPO)
    addresses = sorted(sheet_id for sheet_id in kb.sheets if "-" in sheet_id)
    assert len(addresses) > 30
    missed = [sheet_id for sheet_id in addresses if ranked_ids(page, site_url, sheet_id)[:1] != [sheet_id]]
    assert missed == []


def test_a_typo_is_corrected_from_the_factsheets_own_words_and_can_be_undone(page, site_url):
    found = ranked_ids(page, site_url, "loonpermie")
    assert found[0] in {"loonpremie-imw", "individueel-maatwerk"}
    assert "Resultaten voor \u201cloonpremie\u201d" in help_text(page)
    assert "voor \u201cloonpremie\u201d" in page.locator("#zoekstatus").inner_text()
    page.get_by_role("button", name="Zoek toch naar \u201cloonpermie\u201d").click()
    page.wait_for_function("document.getElementById('zoekstatus').textContent.includes('\u201cloonpermie\u201d')")
    assert "Resultaten voor" not in help_text(page)


def test_a_question_is_searched_for_its_content_words(page, site_url):
    found = ranked_ids(page, site_url, "hoe vraag ik een loonpremie aan")
    assert found and found[0] in {"loonpremie-imw", "individueel-maatwerk"}
    assert "Geen fiche bevat alle woorden" in help_text(page)


def test_words_no_factsheet_has_together_give_those_with_most_of_them(page, site_url):
    found = ranked_ids(page, site_url, "loopbaancheque kinderopvang")
    assert found and "loopbaancheques" in found[:3]
    assert "fiches met de meeste ervan" in help_text(page)


def test_nothing_found_always_shows_a_way_on(page, site_url):
    assert ranked_ids(page, site_url, "xyzzyqq") == []
    way_on = page.locator("#zoekverder")
    assert way_on.is_visible()
    assert {a.get_attribute("href").rstrip("/").rsplit("/", 1)[-1] for a in way_on.locator("a").all()} >= {
        "overzicht", "initiatieven"}


def test_a_correction_that_finds_nothing_with_the_filters_is_offered_and_the_filters_can_go(page, site_url):
    from kaart.features.search.corpus import sheet_text

    kb, _ = read_knowledge_base(REPO)
    # A cell none of whose factsheets says "loon": with its filters, the corrected word finds nothing.
    cell = next(c for s in kb.initiatives for c in s.cellen
                if not any("loon" in sheet_text(other).casefold() for other in kb.in_cell(c.situatie, c.soort)))
    page.goto(f"{site_url}/zoeken/?q=loonpermie&soort={cell.soort}&situatie={cell.situatie}")
    page.wait_for_function(DONE)
    assert page.query_selector_all("#resultaten .result") == []
    assert "Bedoelde je loonpremie?" in help_text(page)
    page.get_by_role("button", name="Zoek zonder filters").click()
    page.wait_for_function("document.querySelectorAll('#resultaten .result').length > 0")
    assert not page.locator("fieldset[data-facet] input:checked").count()


def test_a_kind_of_help_offers_its_filter(page, site_url):
    ranked_ids(page, site_url, "subsidie")
    page.get_by_role("button", name="Toon alle fiches met soort hulp: Subsidie / tussenkomst").click()
    page.wait_for_function("document.getElementById('zoekstatus').textContent.includes('met 1 filter')")
    assert page.locator('input[name="soort"][value="subsidie"]').is_checked()
    assert page.input_value("#zoekterm") == ""


def test_with_the_index_in_parts_every_part_is_searched_and_counted_once(page, site_url, split_site, split_site_url):
    from kaart.build.pagefind import indexed_pages, split_pages

    parts = split_pages(indexed_pages(split_site), 3)
    assert sorted(p.name for p in (split_site / "pagefind").glob("deel-*")) == ["deel-2", "deel-3"]
    # An exact name opens on its factsheet, whichever part holds it.
    for part in parts:
        for rel_path in part[:3]:
            page_html = (split_site / rel_path).read_text(encoding="utf-8")
            title = html.unescape(re.search(r'<h1>(?:<span data-pagefind-meta="title">)?([^<]+)<', page_html).group(1))
            assert ranked_ids(page, split_site_url, title)[0] == rel_path.split("/")[1], title
    # Browsing without a query: the facet counts are those of the whole index.
    assert facet_counts(page, split_site_url) == facet_counts(page, site_url)


def facet_counts(page, site_url: str) -> dict[str, str]:
    page.goto(f"{site_url}/zoeken/")
    counted = "[...document.querySelectorAll('[data-count-for]')].every((e) => /^\\(\\d+\\)$/.test(e.textContent))"
    page.wait_for_function(counted)
    return {e.get_attribute("data-count-for"): e.inner_text() for e in page.query_selector_all("[data-count-for]")}
