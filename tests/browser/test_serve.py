"""kaart serve in a real browser: an open tab follows a saved edit without a reload, and shows a
broken file's located error while the last good page stays."""

from __future__ import annotations

import subprocess
import sys

from tests.test_cli import Serving, wait_for


def test_an_open_tab_follows_saved_edits_and_shows_a_located_error(page, site_root, tmp_path):
    serving = Serving(site_root, tmp_path / "out")
    printed = serving.printed

    sheet = site_root / "initiatives" / "imw.yaml"
    try:
        wait_for(lambda: printed("Bekijk de site"))
        page.goto(f"{serving.url}/initiatief/imw/")
        assert "Individueel maatwerk" in page.locator("h1").inner_text()
        page.evaluate("window.kaartNotReloaded = true")  # gone if the tab reloads, as it must

        sheet.write_text(sheet.read_text(encoding="utf-8").replace("titel: Individueel maatwerk", "titel: Maatwerk voor iedereen"),
                         encoding="utf-8")
        page.wait_for_function("document.querySelector('h1').innerText.includes('Maatwerk voor iedereen')", timeout=90_000)
        assert page.evaluate("window.kaartNotReloaded") is None, "the tab reloaded itself"
        # The edited page came first; the tab may refresh once more when the whole site is rebuilt.
        wait_for(lambda: printed("Klaar in"))
        page.wait_for_timeout(500)
        page.wait_for_load_state()

        # A build that goes on with a warning: the tab says so (and can hide it).
        text = sheet.read_text(encoding="utf-8")
        sheet.write_text(text + "trefwoorden:\n  - autisme\n    - ASS\n", encoding="utf-8")
        warnings = page.locator("#kaart-live-waarschuwingen")
        warnings.wait_for(timeout=90_000)
        line = len(text.splitlines()) + 2
        assert f"initiatives/imw.yaml:{line}:5: warning: dit lijstitem loopt over 2 regels" in warnings.inner_text()
        page.get_by_role("button", name="Verbergen").click()
        assert warnings.count() == 0
        wait_for(lambda: printed("Zoekindex bijgewerkt", after="warning:"))
        page.wait_for_timeout(500)
        assert warnings.count() == 0, "hidden warnings stay hidden when the search index follows"

        page.evaluate("window.kaartNotReloaded = true")
        sheet.write_text("type: initiatief\nid: imw\ntitel: [\n", encoding="utf-8")
        box = page.locator("#kaart-live-fouten")
        box.wait_for(timeout=90_000)
        assert "initiatives/imw.yaml:3:8: error:" in box.inner_text()
        assert "vorige versie" in box.inner_text()
        # The last good page stays on screen: no reload to an error page.
        assert page.evaluate("window.kaartNotReloaded") is True
        assert "Maatwerk voor iedereen" in page.locator("h1").inner_text()
    finally:
        serving.stop()


def test_an_open_search_tab_reloads_when_the_new_index_is_in_place_and_finds_the_edit(page, site_root, tmp_path):
    from tests.browser.test_search import DONE, ids, result_paths

    serving = Serving(site_root, tmp_path / "out")
    printed = serving.printed

    sheet = site_root / "initiatives" / "sine.yaml"
    try:
        wait_for(lambda: printed("Zoekindex bijgewerkt"))  # a new folder: the first index
        page.goto(f"{serving.url}/zoeken/?q=kangoeroezorg")
        page.wait_for_function(DONE)
        assert result_paths(page) == []
        page.evaluate("window.kaartNotReloaded = true")
        sheet.write_text(sheet.read_text(encoding="utf-8").replace("samenvatting: ", "samenvatting: Kangoeroezorg. ", 1),
                         encoding="utf-8")
        wait_for(lambda: printed("Zoekindex bijgewerkt", after="Klaar in"))
        page.wait_for_function("window.kaartNotReloaded === undefined", timeout=30_000)  # reloaded by itself
        page.wait_for_function(DONE)
        assert ids(result_paths(page)) == ["sine"], "the reloaded tab searches the new index, query kept"
    finally:
        serving.stop()


def test_a_tab_on_a_factsheet_still_being_written_shows_its_errors_then_the_page(page, site_root, tmp_path):
    serving = Serving(site_root, tmp_path / "out")
    printed = serving.printed

    try:
        wait_for(lambda: printed("Bekijk de site"))
        page.goto(f"{serving.url}/initiatief/taalcoaching/")
        assert page.locator("h1").inner_text() == "Pagina niet gevonden"
        assert "kaart new taalcoaching" in page.locator("main").inner_text()
        page.evaluate("window.kaartNotReloaded = true")

        # `kaart new` writes a skeleton whose example text is an error until replaced.
        subprocess.run([sys.executable, "-c", "from kaart.cli import main; raise SystemExit(main())", "--root",
                        str(site_root), "new", "taalcoaching", "--titel", "Taalcoaching op de werkvloer", "--soort",
                        "begeleiding", "--situatie", "actief", "--aanbieder", "vdab", "--bron-url",
                        "https://www.vdab.be/", "--bron-titel", "VDAB"], check=True, capture_output=True)
        box = page.locator("#kaart-live-fouten")
        box.wait_for(timeout=90_000)
        assert "initiatives/taalcoaching.yaml:" in box.inner_text()
        assert "vervang de voorbeeldtekst" in box.inner_text()
        assert page.evaluate("window.kaartNotReloaded") is True

        sheet = site_root / "initiatives" / "taalcoaching.yaml"
        text = sheet.read_text(encoding="utf-8")
        summary = next(line for line in text.splitlines() if line.startswith("samenvatting:"))
        sheet.write_text(text.replace(summary, 'samenvatting: "Een coach oefent het Nederlands van de job mee op de werkvloer."'),
                         encoding="utf-8")
        page.wait_for_function("document.querySelector('h1').innerText.includes('Taalcoaching op de werkvloer')",
                               timeout=90_000)
        assert not box.is_visible()
    finally:
        serving.stop()


def test_a_tab_takes_an_edited_stylesheet_in_place_and_reloads_for_a_script_it_runs(browser, site_root, tmp_path):
    from tests.conftest import project_with_own_theme

    project_with_own_theme(site_root)
    serving = Serving(site_root, tmp_path / "out", settings=site_root / "pelicanconf.py")
    printed = serving.printed

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-BE")
    sheet, graph = context.new_page(), context.new_page()
    try:
        wait_for(lambda: printed("Bekijk de site"))
        sheet.goto(f"{serving.url}/initiatief/imw/")
        graph.goto(f"{serving.url}/graaf/")
        for tab in (sheet, graph):
            tab.evaluate("window.kaartNotReloaded = true")

        stylesheet = site_root / "theme" / "static" / "css" / "kaart.css"
        stylesheet.write_text(stylesheet.read_text(encoding="utf-8") + "\nbody { outline: 7px solid rgb(1, 2, 3); }\n",
                              encoding="utf-8")
        sheet.wait_for_function("getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)'", timeout=90_000)
        assert sheet.evaluate("window.kaartNotReloaded") is True, "a stylesheet is swapped, the page not reloaded"
        assert sheet.locator('link[rel="stylesheet"][href*="kaart.css"]').count() == 1

        script = site_root / "theme" / "static" / "js" / "graaf.js"
        script.write_text(script.read_text(encoding="utf-8") + "\nwindow.kaartScriptEdited = true;\n", encoding="utf-8")
        graph.wait_for_function("window.kaartScriptEdited === true", timeout=90_000)
        assert graph.evaluate("window.kaartNotReloaded") is None, "the graph page runs that script: reloaded"
        wait_for(lambda: printed("Klaar in") >= 2)
        sheet.wait_for_timeout(500)
        assert sheet.evaluate("window.kaartNotReloaded") is True, "the factsheet page does not use it"
    finally:
        context.close()
        serving.stop()
