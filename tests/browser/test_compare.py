"""Comparison pages and compare-any in a real browser: ticking, the table, sharing, print."""

from __future__ import annotations

import functools
import http.server
import re
import threading

import pytest

from kaart.features.handouts.pdf import QuietHandler

IDS = ["ibo", "individueel-maatwerk", "bis"]


def column_ids(page) -> list[str]:
    return page.locator(".compare thead th[data-id]").evaluate_all("ths => ths.map(th => th.dataset.id)")


def rows(page) -> dict[str, tuple[str, list[str]]]:
    """data-kenmerk -> (row class, cell texts) of the comparison table on the page."""
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.compare tbody tr')].map(tr =>
        [tr.dataset.kenmerk, [tr.className, [...tr.querySelectorAll('td')].map(td => td.innerText.trim())]]))""")


def status_text(page) -> str:
    return page.locator("[data-compare-status]").inner_text()


def test_tick_three_on_an_overview_get_the_table_and_reload_the_url(page, site_url):
    page.goto(f"{site_url}/initiatieven/")
    page.locator('input[data-compare-id="ibo"]').check()
    page.locator('input[data-compare-id="individueel-maatwerk"]').check()
    bis = page.locator('input[data-compare-id="bis"]')
    bis.focus()
    page.keyboard.press("Space")  # the selection works by keyboard
    assert bis.is_checked()
    page.wait_for_function("document.querySelector('[data-compare-status]').textContent.includes('(3 van 4)')")
    assert status_text(page) == "Beroepsinlevingsstage (BIS) staat in de vergelijking (3 van 4)."
    page.get_by_role("link", name="Vergelijk 3 fiches").click()
    page.wait_for_url(re.compile(r"/vergelijken/\?ids=ibo,individueel-maatwerk,bis$"))
    page.wait_for_selector(".compare-own .compare")
    assert column_ids(page) == IDS
    first = rows(page)
    from kaart.core import registry

    assert list(first) == list(registry.ATTRIBUTE_LABELS), "every attribute, in the registry's order"
    assert page.locator(".compare caption").inner_text().startswith("Vergelijking: Individuele beroepsopleiding (IBO)")
    page.reload()
    page.wait_for_selector(".compare-own .compare")
    assert column_ids(page) == IDS and rows(page) == first


def test_a_shared_link_works_in_a_fresh_browser_and_accepts_abbreviations(browser, site_url):
    context = browser.new_context(locale="nl-BE")
    page = context.new_page()
    page.goto(f"{site_url}/vergelijken/?ids=ibo,imw,bis,onbekend")
    page.wait_for_selector(".compare-own .compare")
    assert column_ids(page) == IDS
    assert "Onbekende fiche overgeslagen: onbekend." in page.locator(".compare-notice").inner_text()
    assert page.locator('input[data-compare-id="bis"]').is_checked(), "the shared ids become the selection"
    context.close()


def test_compare_any_shows_the_same_rows_as_the_shipped_page(page, site_url):
    page.goto(f"{site_url}/vergelijken/ibo-ibo-t-en-ibo-plus/")
    shipped = rows(page)
    page.goto(f"{site_url}/vergelijken/?ids=ibo,ibo-t,ibo-plus")
    page.wait_for_selector(".compare-own .compare")
    built = rows(page)
    assert shipped and all(built[key] == shipped[key] for key in shipped)


def test_a_fifth_factsheet_is_refused_and_announced(page, site_url):
    page.goto(f"{site_url}/vergelijken/")
    for sheet_id in ["ibo", "ibo-t", "ibo-plus", "bvs"]:
        page.locator(f'input[data-compare-id="{sheet_id}"]').check()
    fifth = page.locator('input[data-compare-id="wes"]')
    fifth.click()
    assert not fifth.is_checked()
    page.wait_for_function("document.querySelector('[data-compare-status]').textContent.includes('hoogstens')")
    assert status_text(page) == "Je kan hoogstens 4 fiches tegelijk vergelijken. Verwijder er eerst een."


def test_selection_follows_the_reader_from_a_factsheet_and_can_be_removed_in_the_tray(page, site_url):
    page.goto(f"{site_url}/initiatief/ibo/")
    page.get_by_label("Zet Individuele beroepsopleiding (IBO) in je vergelijking").check()
    page.goto(f"{site_url}/initiatief/os/")
    page.get_by_label("Zet Opleidingsstage (OS) in je vergelijking").check()
    page.goto(f"{site_url}/initiatieven/")
    assert page.locator('input[data-compare-id="ibo"]').is_checked()
    tray = page.locator(".compare-tray")
    assert tray.get_by_role("link", name="Vergelijk 2 fiches").is_visible()
    tray.get_by_role("button", name="Verwijder Individuele beroepsopleiding (IBO) uit de vergelijking").click()
    assert not page.locator('input[data-compare-id="ibo"]').is_checked()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Verwijder Opleidingsstage (OS) uit de vergelijking"
    assert tray.get_by_text("Kies nog minstens één fiche.").is_visible()


def test_checkboxes_added_later_join_the_selection(page, site_url):
    """The hook for search results: a checkbox with data-compare-id, added after load."""
    page.goto(f"{site_url}/over/")
    page.evaluate("""() => {
        const label = document.createElement('label');
        const box = document.createElement('input');
        box.type = 'checkbox'; box.dataset.compareId = 'wes'; box.dataset.compareTitle = 'Werkervaringsstage (WES)';
        label.append(box, ' WES'); document.querySelector('main').append(label);
    }""")
    page.locator('input[data-compare-id="wes"]').check()
    page.wait_for_selector(".compare-tray:not([hidden])")
    assert "Werkervaringsstage (WES)" in page.locator(".compare-tray").inner_text()


def test_without_javascript_the_index_shows_the_shipped_comparisons(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_url}/vergelijken/?ids=ibo,imw")
    assert page.get_by_role("link", name="IBO, IBO-T en IBO+").is_visible()
    assert page.locator(".compare-own").is_hidden() and page.locator(".compare-picker").is_hidden()
    page.goto(f"{site_url}/initiatieven/")
    assert page.locator('input[data-compare-id="ibo"]').is_hidden(), "no checkbox that cannot work"
    context.close()


def test_header_row_and_first_column_stay_in_view_while_scrolling(page, site_url):
    page.set_viewport_size({"width": 900, "height": 700})
    page.goto(f"{site_url}/vergelijken/imw-ibo-en-stages/")
    scroller = page.locator(".compare-scroll")
    scroller.evaluate("el => { el.scrollTop = 400; el.scrollLeft = 300; }")
    box = scroller.bounding_box()
    header = page.locator(".compare thead th[data-id]").first.bounding_box()
    first_column = page.locator(".compare tbody th").nth(2).bounding_box()
    assert abs(header["y"] - box["y"]) <= 2, "header row sticks to the top"
    assert abs(first_column["x"] - box["x"]) <= 2, "first column sticks to the left"


def test_differences_are_marked_in_text_not_only_colour(page, site_url):
    page.goto(f"{site_url}/vergelijken/stages/")
    differing = page.locator(".compare tr.row-verschilt th")
    assert differing.count() >= 1
    assert "verschilt" in differing.first.inner_text()


def test_phone_shows_readable_cards_without_sideways_scrolling(page, site_url):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{site_url}/vergelijken/imw-ibo-en-stages/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.locator(".compare thead").is_hidden()
    assert page.locator(".compare td .cell-label").first.is_visible()


@pytest.mark.parametrize("path", ["vergelijken/imw-ibo-en-stages/", "vergelijken/van-vop-lde-mwa-en-sine-naar-imw-en-cmw/",
                                  "vergelijken/?ids=ibo,imw,bis,os"])
def test_prints_on_a4_landscape_without_cut_columns(page, site_url, path):
    # A4 landscape minus the 10 mm margins: 277 mm = 1047 CSS pixels.
    page.set_viewport_size({"width": 1047, "height": 740})
    page.goto(f"{site_url}/{path}")
    page.wait_for_selector(".compare")
    page.emulate_media(media="print")
    overflow = page.evaluate("""() => {
        const table = document.querySelector('.compare');
        return {doc: document.documentElement.scrollWidth, right: table.getBoundingClientRect().right,
                scroller: table.parentElement.scrollWidth - table.parentElement.clientWidth,
                page: getComputedStyle(document.body).page};
    }""")
    assert overflow["doc"] <= 1047 and overflow["right"] <= 1047 and overflow["scroller"] <= 0, overflow
    assert overflow["page"] == "vergelijking"
    pdf = page.pdf(prefer_css_page_size=True)
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert boxes and all(float(w) > float(h) for w, h in boxes), "every page is landscape"


@pytest.mark.parametrize("width", [1280, 375])
def test_no_axe_violations_on_a_compare_any_result(page, site_url, width):
    from .test_accessibility import axe_violations

    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{site_url}/initiatieven/")
    page.locator('input[data-compare-id="ibo"]').check()  # the tray is on screen too
    assert axe_violations(page, f"{site_url}/vergelijken/?ids=ibo,imw,bis") == []


def test_factsheet_text_is_shown_as_text_never_as_markup(browser, build_site, site_root, write_sheet):
    from ..conftest import VALID_INITIATIVE

    payload = "<img src=x onerror=\"document.title='pwned'\"><b>vet</b>"
    for sheet_id in ("x", "y"):
        write_sheet(f"initiatives/{sheet_id}.yaml", VALID_INITIATIVE.format(id=sheet_id).replace(
            "titel: Een initiatief", f"titel: 'Titel <i>{sheet_id}</i>'") + f"""\
    kenmerken:
      doel:
        waarde: '{payload.replace("'", "''")}'
        bron: {{url: "https://example.org/?a=<b>", titel: '<script>bron</script>', geraadpleegd: "2026-11-01"}}
""")
    problems, output = build_site()
    assert problems == []
    handler = functools.partial(QuietHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/vergelijken/?ids=x,y")
        page.wait_for_selector(".compare-own .compare")
        assert page.locator(".compare img, .compare b, .compare i, .compare-sources script").count() == 0
        assert page.locator('.compare thead th[data-id="x"]').inner_text() == "Titel <i>x</i>"
        assert payload in page.locator('.compare td[data-id="x"]').first.inner_text()
        assert "pwned" not in page.title()
        page.close()
    finally:
        server.shutdown()
        server.server_close()


def test_short_address_keeps_the_chosen_ids(page, site_url):
    page.goto(f"{site_url}/vergelijk/?ids=ibo,bis")
    page.wait_for_url("**/vergelijken/?ids=ibo,bis")
    page.wait_for_selector("table")
    headers = page.locator("table thead th").all_inner_texts()
    assert any("IBO" in h for h in headers) and any("BIS" in h or "Beroepsinlevingsstage" in h for h in headers)
