"""What only a browser shows: keyboard use, focus, the phone layout, print media."""

from __future__ import annotations


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_content(page, site_url):
    page.goto(f"{site_url}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Naar de inhoud"
    assert page.locator(".skip-link").bounding_box()["x"] >= 0, "the skip link becomes visible on focus"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"


def test_matrix_link_opens_the_factsheet_by_keyboard(page, site_url):
    page.goto(f"{site_url}/")
    link = page.locator('td[data-situatie="werkgever"][data-soort="subsidie"] a', has_text="VOP-premie")
    link.focus()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid", "focus is visible"
    page.keyboard.press("Enter")
    page.wait_for_url("**/initiatief/vop/")
    assert page.locator("h1").inner_text().startswith("VOP-premie")


def test_matrix_becomes_stacked_blocks_on_a_phone(page, site_url):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{site_url}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.locator("thead").is_hidden()
    assert page.locator(".cell-label").first.is_visible()


def test_on_a_phone_the_header_is_compact_and_every_menu_link_reachable_by_keyboard(page, site_url):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{site_url}/initiatief/vop/")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 800 / 6, "the header leaves the screen to the content"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "only the menu row scrolls"
    assert page.get_by_label("Zoek een initiatief").is_visible(), "the search box keeps its name"
    links = page.locator(".site-nav a")
    assert links.count() >= 10
    for index in range(links.count()):
        links.nth(index).focus()
        box = links.nth(index).bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= 375, links.nth(index).inner_text()


def test_print_hides_navigation_and_names_no_bare_path(page, site_url):
    # The shipped site is built without a public address (tests/test_plugin.py checks the address
    # is printed when there is one).
    page.goto(f"{site_url}/initiatief/vop/")
    page.emulate_media(media="print")
    assert page.locator(".site-nav").is_hidden()
    printed = " ".join(page.locator(".print-only").all_inner_texts())
    assert "/initiatief/vop/" not in printed
