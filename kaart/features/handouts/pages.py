"""Handout bundles for meetings: an index, and per bundle a page with a cover, the numbered
contents and the factsheets, each starting on a new A4 page and going on over the next pages when
it is long (never cut off). With a public address (KAART_PUBLIC_URL) each carries that address
and a QR code to its online version; without one, paper names no address at all rather than a
path no reader can open.
"""

from __future__ import annotations

import datetime as dt

from collections.abc import Iterator
from dataclasses import dataclass

from markupsafe import Markup

from kaart.core.store import Store
from kaart.core import registry
from kaart.content.handouts import Handout
from kaart.core.model import Initiative, KnowledgeBase, Organisation
from kaart.features.changes import since_report
from kaart.features.output import Page

TOC_ENTRIES_PER_PAGE = 40


@dataclass(frozen=True)
class PrintedSheet:
    """A factsheet as it stands in a bundle: its number and its anchor."""

    sheet: Initiative | Organisation
    number: int

    @property
    def anchor(self) -> str:
        return f"fiche-{self.sheet.id}"


def online_address(public_url: str, path: str) -> str:
    """Where a page lives online: absolute with KAART_PUBLIC_URL, else "" (paper shows no address)."""
    base = (public_url or "").rstrip("/")
    return f"{base}/{path}" if base else ""


def qr_svg(address: str) -> Markup:
    """A QR code as inline SVG, or nothing for an address a phone could not open.

    Without KAART_PUBLIC_URL a page has no address a phone could open, so there is no code.
    """
    import segno  # only for handouts, made beside Pagefind

    if not address.startswith(("https://", "http://")):
        return Markup("")
    code = segno.make(address, error="m", micro=False)
    return Markup(code.svg_inline(border=2, omitsize=True, svgclass="qr", title=f"QR-code naar {address}"))


def printed_sheets(kb: KnowledgeBase, handout: Handout) -> tuple[PrintedSheet, ...]:
    """The bundle's sheets, numbered in bundle order."""
    return tuple(PrintedSheet(kb.sheets[sheet_id], i + 1) for i, sheet_id in enumerate(handout.sheet_ids))


def filter_in_words(kb: KnowledgeBase, handout: Handout) -> list[tuple[str, list[str]]]:
    """The bundle's filter for the cover: [("Soort hulp", ["Opleiding / methodiek"]), ...]."""
    facets = {facet.key: facet for facet in registry.FACETS}
    organisations = {o.id: o.titel for o in kb.organisations}

    def label(facet: registry.Facet, value: str) -> str:
        return (facet.labels() if facet.labels else organisations).get(value, value)

    return [(facets[key].legend, [label(facets[key], v) for v in values]) for key, values in handout.filter]


def _handout_page(kb: KnowledgeBase, handout: Handout) -> Page:
    sheets = printed_sheets(kb, handout)
    chunks = [sheets[i:i + TOC_ENTRIES_PER_PAGE] for i in range(0, len(sheets), TOC_ENTRIES_PER_PAGE)]
    return Page(f"{handout.url}index.html", "handout", {
        "page_title": handout.titel,
        "handout": handout,
        "printed": sheets,
        "toc_chunks": chunks,
        "filter_words": filter_in_words(kb, handout),
        "since": since_report(kb, handout.sinds, handout.sheet_ids),
        "online_address": online_address,
        "qr_svg": qr_svg,
    })


def emit(kb: KnowledgeBase, store: Store | None = None) -> Iterator[Page]:
    handouts = sorted(kb.handouts, key=lambda h: (h.datum or dt.date.max, h.slug))
    for handout in handouts:
        yield _handout_page(kb, handout)
    yield Page("handouts/index.html", "handouts", {"page_title": "Handouts voor vergaderingen", "handouts": handouts,
                                                   "online_address": online_address})
