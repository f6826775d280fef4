"""Where the site's pages are, as a written file names them.

The CSV files, the CPSV-AP export and the structured data in a factsheet page name factsheet
pages. When the site knows where it is published (KAART_PUBLIC_URL) those are absolute addresses;
otherwise they are relative like the page's own links (Pelican's SITEURL: ".." from /data/,
"../.." from a factsheet page), so they still lead to the right page from where the file is read.
Only a template knows both settings, so these files are made when they are written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from kaart.core.model import Initiative, Sheet


@dataclass(frozen=True)
class Site:
    root: str  # "https://…/kaart", ".." or "" (no trailing slash)

    @classmethod
    def of(cls, public_url: str | None, site_url: str | None) -> Site:
        return cls((public_url or site_url or "").rstrip("/"))

    def page(self, sheet: Sheet) -> str:
        return f"{self.root}/{sheet.url}"

    def thing(self, sheet: Sheet) -> str:
        """The identifier of what a factsheet is about (the service, the organisation), not of its page."""
        return self.page(sheet) + ("#dienst" if isinstance(sheet, Initiative) else "#organisatie")

    def data(self, name: str) -> str:
        return f"{self.root}/data/{name}"


@dataclass(frozen=True)
class SiteFile:
    """A data file that names pages; the `data_file` template writes `text(KAART_PUBLIC_URL, SITEURL)`."""

    make: Callable[[Site], str]

    def text(self, public_url: str | None, site_url: str | None) -> Markup:
        return Markup(self.make(Site.of(public_url, site_url)))
