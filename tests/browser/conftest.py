"""Real-browser fixtures: Debian's Chromium driven by Playwright, pages served on 127.0.0.1."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kaart.features.handouts.pdf import CHROMIUM_FLAGS, find_chromium, serve


REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def site_url(shipped_site: Path) -> Iterator[str]:
    with serve(shipped_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    executable = find_chromium()
    if executable is None:
        if os.environ.get("KAART_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required (KAART_REQUIRE_BROWSER is set) but was not found")
        pytest.skip("Chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-BE")
    page = context.new_page()
    yield page
    context.close()
