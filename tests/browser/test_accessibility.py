"""axe-core (WCAG 2.1 A/AA rules) reports no violation on any page type of the shipped site."""

from __future__ import annotations

from pathlib import Path

import pytest

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def page_types(site: Path) -> dict[str, str]:
    """One example of every kind of page the build writes, found from the output itself."""
    examples: dict[str, str] = {}
    for page in sorted(site.rglob("index.html")):
        rel = page.parent.relative_to(site).as_posix()
        kind = rel.split("/")[0] if rel != "." else "home"
        examples.setdefault(kind, "" if rel == "." else rel + "/")
    return examples


def axe_violations(page, url: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    page.goto(url)
    page.wait_for_load_state("networkidle")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
        for v in results.response["violations"]
    ]


def test_every_page_type_is_found(shipped_site):
    kinds = page_types(shipped_site)
    for expected in ("home", "initiatief", "organisatie", "soort", "situatie", "doelgroep", "overzicht", "over"):
        assert expected in kinds, kinds


@pytest.mark.parametrize("width", [1280, 375])
def test_no_axe_violations_on_any_page_type(page, site_url, shipped_site, width):
    page.set_viewport_size({"width": width, "height": 900})
    failures = {}
    for kind, path in page_types(shipped_site).items():
        violations = axe_violations(page, f"{site_url}/{path}")
        if violations:
            failures[kind] = violations
    assert failures == {}


def tab_until(page, predicate_js: str, limit: int = 60) -> bool:
    """Press Tab until the focused element satisfies the predicate; False if never."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {predicate_js}; }})()"):
            return True
    return False


def test_keyboard_only_search_factsheet_and_graph_text(page, site_url):
    page.goto(f"{site_url}/")
    assert tab_until(page, "el.type === 'search'"), "the search box is reachable by Tab"
    page.keyboard.type("stages")
    page.keyboard.press("Enter")
    page.wait_for_url("**/zoeken/?*")
    page.wait_for_selector("#resultaten .result a")
    assert tab_until(page, "el.closest && el.closest('#resultaten .result') !== null && el.tagName === 'A'", limit=120)
    page.keyboard.press("Enter")
    page.wait_for_url("**/initiatief/**")
    assert page.locator("h1").count() == 1
    page.goto(f"{site_url}/graaf/")
    assert tab_until(page, "el.getAttribute('href') === '#als-tekst'", limit=120)
    page.keyboard.press("Enter")
    assert tab_until(page, "el.closest && el.closest('section.relation-text') !== null && el.tagName === 'A'", limit=3)


def test_no_axe_violations_on_search_results(page, site_url):
    page.goto(f"{site_url}/zoeken/?q=stages")
    page.wait_for_selector("#resultaten .result")
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert [v["id"] for v in results.response["violations"]] == []


@pytest.mark.parametrize("width", [1280, 375])
def test_no_axe_violations_on_a_paged_overview(page, tmp_path_factory, width):
    # Ghent's lists fit on one page; a list of more than PAGE_SIZE initiatives gets a pager.
    import sys

    from kaart.build.site import build
    from kaart.features.overviews import PAGE_SIZE

    from ..conftest import REPO
    from .conftest import serve

    sys.path.insert(0, str(REPO / "scripts"))
    from synthetic import write_project

    root = tmp_path_factory.mktemp("paged")
    write_project(root, PAGE_SIZE + 20)
    assert build(root, root / "build", REPO / "pelicanconf.py") == []
    page.set_viewport_size({"width": width, "height": 900})
    with serve(root / "build") as url:
        assert axe_violations(page, f"{url}/initiatieven/pagina/2/") == []
        assert page.locator("nav.pager a[aria-current=page]").inner_text() == "2"
