"""The job coach's path on a phone (390x844) and a laptop (1366x900): nothing wider than the screen,
the first result on the first screen, a compact compare tray, a graph that lets the page scroll."""

from __future__ import annotations

import pytest

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
SEARCHED = "document.getElementById('zoekstatus').textContent.includes('gevonden')"


def all_pages(site) -> list[str]:
    return sorted("/" + p.parent.relative_to(site).as_posix().removeprefix(".") + "/" for p in site.rglob("index.html"))


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_no_page_is_wider_than_the_screen(browser, site_url, shipped_site, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    wide = []
    for path in all_pages(shipped_site):
        page.goto(site_url + path.replace("//", "/"))
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > viewport["width"]:
            wide.append((path, width))
    context.close()
    assert wide == []


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_first_result_is_on_the_first_screen(browser, site_url, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{site_url}/zoeken/?q=stage")
    page.wait_for_function(SEARCHED)
    top = page.locator("#resultaten .result").first.bounding_box()["y"]
    assert 0 < top < viewport["height"] - 60, top
    page.goto(f"{site_url}/zoeken/?q=xyzzyqq")
    page.wait_for_function(SEARCHED)
    assert page.locator("#zoekverder").bounding_box()["y"] < viewport["height"], "nothing found is seen too"
    context.close()


def test_on_a_phone_the_filters_fold_away_and_say_how_many_are_on(browser, site_url):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{site_url}/zoeken/?q=stage&soort=opleiding&situatie=niet-actief")
    page.wait_for_function(SEARCHED)
    assert page.evaluate("document.getElementById('filters').open") is False
    assert page.locator("#filters summary").inner_text() == "Filters (2 actief)"
    page.locator("#filters summary").click()
    assert page.is_visible('input[name="soort"][value="opleiding"]')
    context.close()
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.goto(f"{site_url}/zoeken/?q=stage")
    page.wait_for_function(SEARCHED)
    assert page.evaluate("document.getElementById('filters').open") is True
    context.close()


def test_the_menu_shows_it_goes_on_until_it_is_scrolled_to_its_end(browser, site_url):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{site_url}/")
    cue = "getComputedStyle(document.querySelector('.site-nav'), '::after').display"
    assert page.evaluate(cue) != "none"
    page.evaluate("document.querySelector('.site-nav ul').scrollLeft = 10000")
    page.wait_for_function(f"{cue} === 'none'")
    context.close()
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.goto(f"{site_url}/")
    assert page.evaluate("getComputedStyle(document.querySelector('.site-nav'), '::after').content") in ("none", "normal")
    context.close()


def test_the_compare_tray_takes_at_most_a_tenth_of_a_phone_screen(browser, site_url):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{site_url}/initiatieven/")
    for sheet_id in ("ibo", "individueel-maatwerk", "bis", "wes"):
        page.locator(f'input[data-compare-id="{sheet_id}"]').check()
    page.wait_for_selector(".compare-tray:not([hidden])")
    height = page.locator(".compare-tray").bounding_box()["height"]
    assert height <= 0.1 * PHONE["height"], height
    assert page.is_visible(".compare-tray .compare-go")
    context.close()


def _swipe(cdp, x: float, y: float, dy: float) -> None:
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y + dy * step / 10}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_on_a_touch_screen_the_page_scrolls_past_the_graph_until_it_is_tapped_awake(browser, site_url):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{site_url}/graaf/")
    page.wait_for_selector("#graaf-app[data-ready]")
    cdp = context.new_cdp_session(page)
    page.locator("#graaf-canvas").scroll_into_view_if_needed()
    box = page.locator("#graaf-canvas").bounding_box()
    before = page.evaluate("scrollY")
    _swipe(cdp, box["x"] + box["width"] / 2, box["y"] + 300, -200)
    page.wait_for_timeout(500)
    assert page.evaluate("scrollY") - before > 100, "a swipe over the graph scrolls the page"
    page.locator("#graaf-activeer").click()
    assert page.is_visible("#graaf-klaar")
    box = page.locator("#graaf-canvas").bounding_box()
    before = page.evaluate("scrollY")
    _swipe(cdp, box["x"] + box["width"] / 2, box["y"] + 300, -200)
    page.wait_for_timeout(500)
    assert page.evaluate("scrollY") == before, "awake, the swipe moves the graph"
    page.locator("#graaf-klaar").click()
    assert page.is_visible("#graaf-activeer")
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_neighbourhood_drawings_are_readable_and_nothing_is_cut_off(browser, site_url, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    for path in ("/organisatie/vdab/", "/initiatief/individueel-maatwerk/", "/initiatief/registratie-burgerzaken/",
                 "/initiatief/actiegroep-re-integratie/"):
        page.goto(site_url + path)
        found = page.evaluate("""() => {
            const svg = document.querySelector('.neighbourhood-svg');
            const box = svg.getBoundingClientRect();
            const scale = box.width / svg.viewBox.baseVal.width;
            return [...svg.querySelectorAll('text')].map(t => {
                const r = t.getBoundingClientRect();
                return {size: parseFloat(t.getAttribute('font-size')) * scale,
                        inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5 && r.bottom <= box.bottom + 0.5,
                        text: t.textContent};
            });
        }""")
        assert found, path
        assert [f["text"] for f in found if f["size"] < 12] == [], path
        assert [f["text"] for f in found if not f["inside"]] == [], path
    context.close()
