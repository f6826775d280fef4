"""Print a built page to PDF with headless Chromium, the browser's own print engine.

The page is served on 127.0.0.1 and printed with Playwright's `page.pdf()`, which uses the
same print stylesheet, page size and page-margin boxes (page numbers) as printing from the
browser. Chromium is Debian's (/usr/bin/chromium), never a downloaded build.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


# Page size and margins come from print.css (@page), as when printing from the browser.
PDF_OPTIONS = {"prefer_css_page_size": True, "print_background": True, "outline": True, "tagged": True}


class PdfError(Exception):
    """Printing is not possible here; the message says what to install or fix (Dutch)."""

    missing_chromium = ("Chromium niet gevonden: installeer het (apt-get install chromium) "
                        "of wijs het aan met KAART_CHROMIUM=/pad/naar/chromium")


def find_chromium() -> str | None:
    """KAART_CHROMIUM if set, else Debian's Chromium."""
    configured = os.environ.get("KAART_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve a built site on a free port of 127.0.0.1 for as long as the block runs."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def render(browser: Any, url: str) -> bytes:
    """The PDF of one page, printed by an open Playwright browser once the page has settled."""
    page = browser.new_page(locale="nl-BE")
    try:
        page.goto(url, wait_until="networkidle")
        page.evaluate("document.fonts.ready.then(() => true)")
        return page.pdf(**PDF_OPTIONS)
    finally:
        page.close()


def print_to_pdf(site: Path, path: str, target: Path, chromium: str | None = None) -> None:
    """Print the page at `path` (e.g. "handouts/x/") of a built site into `target`."""
    executable = chromium or find_chromium()
    if executable is None or not Path(executable).is_file():
        raise PdfError(PdfError.missing_chromium)
    try:
        from playwright.sync_api import Error as PlaywrightError, sync_playwright
    except ImportError as missing:
        raise PdfError("Playwright ontbreekt: pip install 'kaart[pdf]'") from missing
    if not (site / path / "index.html").is_file():
        raise PdfError(f"de pagina {path} bestaat niet in {site}")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with serve(site) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
            try:
                data = render(browser, f"{base}/{path}")
            finally:
                browser.close()
    except PlaywrightError as error:
        raise PdfError(f"Chromium kon de pagina niet afdrukken: {error.message.splitlines()[0]}") from error
    target.write_bytes(data)
