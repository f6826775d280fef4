"""Overview pages: one page per list while it is short, pages of PAGE_SIZE cards when it grows."""

from __future__ import annotations

import re
import sys

import pytest

from kaart.build.site import build
from kaart.features.overviews import PAGE_SIZE, paged

from .conftest import REPO


@pytest.mark.parametrize(("count", "pages"), [(0, 1), (1, 1), (PAGE_SIZE, 1), (PAGE_SIZE + 1, 2), (2 * PAGE_SIZE + 50, 3)])
def test_a_list_is_split_into_pages_of_page_size(count, pages):
    sheets = [f"sheet-{i}" for i in range(count)]
    made = list(paged("soort/subsidie/", {"page_title": "Subsidie"}, sheets))
    assert len(made) == pages
    assert made[0].save_as == "soort/subsidie/index.html"
    assert [p.save_as for p in made[1:]] == [f"soort/subsidie/pagina/{n}/index.html" for n in range(2, pages + 1)]
    assert [s for p in made for s in p.context["sheets"]] == sheets, "every sheet once, in order"
    assert all(len(p.context["sheets"]) <= PAGE_SIZE for p in made)
    assert made[0].context["page_title"] == "Subsidie"
    assert all(p.context["page_title"] == f"Subsidie (pagina {n} van {pages})" for n, p in enumerate(made[1:], 2))
    last = made[-1].context["pager"]
    assert (last.number, last.count, last.last, last.total) == (pages, pages, count, count)


@pytest.fixture(scope="module")
def large_site(tmp_path_factory):
    sys.path.insert(0, str(REPO / "scripts"))
    from synthetic import write_project

    root = tmp_path_factory.mktemp("large")
    sheets = write_project(root, 2 * PAGE_SIZE + 30)
    problems = build(root, root / "build", REPO / "pelicanconf.py")
    assert problems == []
    return root / "build", sorted(s["id"] for s in sheets if s["type"] == "initiatief")


def test_all_initiatives_are_listed_once_across_the_pages_with_working_page_links(large_site):
    site, initiative_ids = large_site
    listed = []
    for number in (1, 2, 3):
        folder = site / "initiatieven" / ("" if number == 1 else f"pagina/{number}")
        html = (folder / "index.html").read_text(encoding="utf-8")
        listed += re.findall(r'<li class="card">\s*<h3 class="card-title"><a href="[./]*initiatief/([^/"]+)/"', html)
        pager = re.search(r'<nav class="pager[^"]*" aria-label="[^"]+">(.*?)</nav>', html, re.S).group(1)
        assert re.search(rf'aria-current="page">{number}<', pager)
        for href in re.findall(r'href="([^"]+)"', pager):
            assert (folder / href / "index.html").resolve().is_file(), href
    assert sorted(listed) == initiative_ids
    assert not (site / "initiatieven" / "pagina" / "4").exists()
