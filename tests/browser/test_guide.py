"""The task path from the home page works without JavaScript, on a phone too."""

from __future__ import annotations


def test_a_coach_finds_the_initiatives_for_an_employer_without_javascript(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_url}/")
    page.get_by_role("link", name="Een werkgever").click()
    page.get_by_role("link", name="Subsidie / tussenkomst").click()
    assert page.locator("h1").inner_text().startswith("Subsidie / tussenkomst voor werkgevers")
    titles = page.locator(".cards .card-title a").all_inner_texts()
    assert "Individueel maatwerk (IMW)" in titles and "Werkbaarheidscheques" in titles
    page.get_by_role("link", name="Individueel maatwerk (IMW)").click()
    assert page.locator("h1").inner_text().startswith("Individueel maatwerk")
    context.close()
