"""sitemap.xml and robots.txt: every page at its public address, only when that address is known."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from kaart.build.site import run_pelican

from .conftest import REPO

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def build_with(site_root, output, public_url: str):
    run_pelican(REPO / "pelicanconf.py", output, {"KAART_ROOT": str(site_root), "KAART_PUBLIC_URL": public_url,
                                                  "KAART_SEARCH_INDEX": False})


def test_every_page_is_listed_at_its_public_address(site_root, tmp_path):
    output = tmp_path / "site"
    build_with(site_root, output, "https://example.org/kaart/")
    locations = [loc.text for loc in ET.parse(output / "sitemap.xml").getroot().iter(f"{NS}loc")]
    pages = sorted(p.parent.relative_to(output).as_posix() for p in output.rglob("index.html"))
    assert "https://example.org/kaart/" in locations
    assert "https://example.org/kaart/initiatief/imw/" in locations
    assert locations == sorted(locations) and len(locations) == len(set(locations))
    # Every page but the forwarding one (/vergelijk/ sends on to /vergelijken/).
    assert len(locations) == len(pages) - 1 and "https://example.org/kaart/vergelijk/" not in locations
    robots = (output / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://example.org/kaart/sitemap.xml" in robots


def test_without_a_public_address_there_is_no_sitemap(site_root, tmp_path):
    output = tmp_path / "site"
    build_with(site_root, output, "")
    assert not (output / "sitemap.xml").exists() and not (output / "robots.txt").exists()
