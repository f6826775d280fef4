"""/graaf/ in a real browser: find a node by name, click it, land on its factsheet."""

from __future__ import annotations


def open_graph(page, site_url, query=""):
    page.goto(f"{site_url}/graaf/{query}")
    page.wait_for_selector("#graaf-app[data-ready='true']")


def test_find_a_node_by_name_click_it_and_land_on_its_factsheet(page, site_url):
    open_graph(page, site_url)
    page.fill("#graaf-zoek", "beroepsinlevings")
    page.get_by_role("button", name="Beroepsinlevingsstage (BIS)").click()
    assert page.locator("#graaf-details-titel a").inner_text() == "Beroepsinlevingsstage (BIS)"
    page.wait_for_timeout(100)
    box = page.locator("#graaf-canvas").bounding_box()
    point = page.evaluate("() => window.kaartGraph.getElementById('bis').renderedPosition()")
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_url("**/initiatief/bis/")
    assert page.locator("h1").inner_text().startswith("Beroepsinlevingsstage")


def test_focus_mode_shows_only_the_node_and_its_neighbours(page, site_url):
    open_graph(page, site_url, "?focus=ibo")
    visible = page.evaluate("() => window.kaartGraph.nodes(':visible').map(n => n.id()).sort()")
    expected = page.evaluate("() => window.kaartGraph.getElementById('ibo').closedNeighborhood().nodes()"
                             ".map(n => n.id()).sort()")
    assert visible == expected and "bvs" in visible and "ibo-plus" in visible
    page.click("#graaf-alles")
    assert page.evaluate("() => window.kaartGraph.nodes(':visible').length") == page.evaluate(
        "() => window.kaartGraph.nodes().length")


COUNT_SHOWN = """relation => window.kaartGraph.edges().filter(
    e => e.data('relation') === relation && e.style('display') !== 'none').length"""


def test_relation_filter_hides_edges_of_that_type(page, site_url):
    open_graph(page, site_url)
    assert page.evaluate(COUNT_SHOWN, "neemt-deel-aan") > 0
    page.click(".graph-filters summary")
    page.uncheck("input[name='relatie'][value='neemt-deel-aan']")
    assert page.evaluate(COUNT_SHOWN, "neemt-deel-aan") == 0
    assert page.evaluate(COUNT_SHOWN, "vervangt") > 0


def test_hovering_a_node_highlights_its_neighbours(page, site_url):
    open_graph(page, site_url)
    faded = page.evaluate("""() => { const cy = window.kaartGraph; cy.getElementById('vop').emit('mouseover');
        return [cy.getElementById('individueel-maatwerk').hasClass('faded'), cy.getElementById('bis').hasClass('faded')]; }""")
    assert faded == [False, True]


def test_text_alternative_works_without_javascript(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_url}/graaf/")
    assert not page.locator("#graaf-app").is_visible()
    link = page.locator("#als-tekst ~ section a", has_text="Werkervaringsstage (WES)").first
    link.click()
    page.wait_for_url("**/initiatief/wes/")
    context.close()
