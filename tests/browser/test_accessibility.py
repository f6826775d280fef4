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
