"""sitemap.xml and robots.txt, so search engines find every page of the published site.

A sitemap needs absolute addresses: it is written only when the site knows where it is
published (KAART_PUBLIC_URL, set by the GitHub Pages workflow). Runs after Pelican has written
the site (the plugin's `finalized` handler), over the pages actually written.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from kaart.build.render_cache import kept_files

# Pages that only forward to another page (<meta http-equiv="refresh"> in their head) are not listed.
_FORWARDING = b'http-equiv="refresh"'
_HEAD_BYTES = 4096


def page_paths(site: Path) -> list[str]:
    """Site-relative paths of the pages (folders with an index.html), sorted; "" is the home page."""
    paths = []
    for page in site.rglob("index.html"):
        with page.open("rb") as handle:
            if _FORWARDING in handle.read(_HEAD_BYTES):
                continue
        folder = page.parent.relative_to(site).as_posix()
        paths.append("" if folder == "." else f"{folder}/")
    # A kaart serve rebuild leaves unchanged cached pages where they are served (none forwards).
    paths += [rel_path.removesuffix("index.html") for rel_path in kept_files(site) if rel_path.endswith("index.html")]
    return sorted(paths)


def write_sitemap(site: Path, public_url: str) -> None:
    base = public_url.rstrip("/") + "/"
    entries = "".join(f"  <url><loc>{escape(base + path)}</loc></url>\n" for path in page_paths(site))
    (site / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + entries + "</urlset>\n",
        encoding="utf-8")
    # Crawlers read robots.txt only at the root of a host: it counts when the site has its own domain.
    (site / "robots.txt").write_text(f"User-agent: *\nAllow: /\n\nSitemap: {base}sitemap.xml\n", encoding="utf-8")


def write_after_build(pelican: object) -> None:
    """Pelican's `finalized` signal: every page is written."""
    public_url = getattr(pelican, "settings", {}).get("KAART_PUBLIC_URL")
    if public_url:
        write_sitemap(Path(getattr(pelican, "output_path")), public_url)
