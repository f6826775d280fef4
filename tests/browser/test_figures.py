"""Figures pages in Chromium: the charts show without JavaScript, print, and pass axe."""

from __future__ import annotations

import pytest

from .test_accessibility import axe_violations

TOPIC = "cijfers/sociale-economie-gent/"


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def visible_size(locator) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None and locator.is_visible()
    return box["width"], box["height"]


def test_charts_show_without_javascript(no_js_page, site_url):
    no_js_page.goto(f"{site_url}/{TOPIC}")
    charts = no_js_page.locator("svg[role=img]")
    assert charts.count() == 3
    for i in range(3):
        width, height = visible_size(charts.nth(i))
        assert width > 400 and height > 100
    title = no_js_page.locator("#grafiek-sociale-economie-gent-wachtrij-title")
    assert title.text_content() == "Wachtrij voor jobs in de sociale economie, regio Gent"


def test_charts_and_tables_print(page, site_url):
    page.goto(f"{site_url}/{TOPIC}")
    page.emulate_media(media="print")
    page_width = page.evaluate("document.documentElement.clientWidth")
    for chart in page.locator("figure.chart").all():
        svg = chart.locator("svg")
        width, height = visible_size(svg)
        assert 300 < width <= page_width and height > 100, "the whole chart is on the paper"
    assert page.locator("table.chart-table").count() == 3
    for table in page.locator("table.chart-table").all():
        assert table.is_visible()
    assert page.locator(".site-nav").is_hidden()
    assert page.locator(".chart-data a[download]").first.is_hidden(), "no download links on paper"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000


def test_on_a_phone_the_chart_scrolls_by_itself_and_the_page_does_not(page, site_url):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{site_url}/{TOPIC}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    scroller = page.locator(".chart-scroll").first
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")
    scroller.focus()
    assert page.evaluate("document.activeElement.classList.contains('chart-scroll')"), "reachable by keyboard"


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("path", [TOPIC, "cijfers/oekraiense-werkzoekenden/", "cijfers/riziv-gent/"])
def test_no_axe_violations_on_figures_pages(page, site_url, path, width):
    page.set_viewport_size({"width": width, "height": 900})
    assert axe_violations(page, f"{site_url}/{path}") == []
