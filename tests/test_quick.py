"""kaart serve shows an edited factsheet's page first (kaart/build/quick.py); the whole path, with
the rebuild after it, is tested in tests/test_served.py."""

from __future__ import annotations

from kaart.build import quick
from kaart.build.site import build
from tests.conftest import REPO

SETTINGS = REPO / "pelicanconf.py"


def test_an_edited_title_is_on_the_page_before_the_rebuild(site_root, tmp_path):
    site = tmp_path / "site"
    assert build(site_root, site, SETTINGS) == []
    path = site_root / "initiatives" / "imw.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("titel: Individueel maatwerk", "titel: Maatwerk op maat"),
                    encoding="utf-8")
    first = quick.edited_sheet_page(site_root, [str(path)], site)
    assert first.url == "/initiatief/imw/" and first.problems == ()
    page = (site / "initiatief" / "imw" / "index.html").read_text(encoding="utf-8")
    assert "<h1" in page and "Maatwerk op maat" in page
    # Only that file changed; no scratch folder is left beside the site.
    assert not list(site.parent.glob(".kaart-pagina-*"))


def test_an_edit_with_an_error_is_reported_at_once_and_the_page_stays(site_root, tmp_path):
    site = tmp_path / "site"
    assert build(site_root, site, SETTINGS) == []
    before = (site / "initiatief" / "imw" / "index.html").read_bytes()
    path = site_root / "initiatives" / "imw.yaml"
    path.write_text("type: initiatief\nid: imw\ntitel: [\n", encoding="utf-8")
    first = quick.edited_sheet_page(site_root, [str(path)], site)
    assert first.url is None
    assert [str(p.location) for p in first.problems] == ["initiatives/imw.yaml:3:8"]
    assert (site / "initiatief" / "imw" / "index.html").read_bytes() == before


def test_other_changes_wait_for_the_full_build(site_root, tmp_path):
    site = tmp_path / "site"
    assert build(site_root, site, SETTINGS) == []
    path = site_root / "initiatives" / "imw.yaml"
    renamed = site_root / "initiatives" / "imw2.yaml"
    renamed.write_text(path.read_text(encoding="utf-8").replace("id: imw", "id: imw2"), encoding="utf-8")
    assert quick.edited_sheet_page(site_root, [str(renamed)], site) == quick.QuickResult()  # a new id
    assert quick.edited_sheet_page(site_root, [str(path), str(renamed)], site) == quick.QuickResult()  # two files
