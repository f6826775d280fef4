"""The factsheet form in a real browser: a contributor fills it in on a phone and a laptop and gets
a file that `kaart validate` accepts and `kaart fmt` would not change; "Bewerk deze fiche" brings
back every shipped factsheet without changing its data."""

from __future__ import annotations

import difflib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from kaart.content.fmt import format_text
from kaart.features.contribute import file_blocks
from kaart.core.load import load_text
from tests.browser.test_accessibility import axe_violations

REPO = Path(__file__).resolve().parents[2]
FORM = "/bijdragen/nieuw/"


def open_form(page, url: str) -> None:
    page.goto(url)
    wait_for_form(page)


def wait_for_form(page) -> None:
    page.wait_for_function("window.kaartFicheForm !== undefined")
    page.evaluate("window.kaartFicheForm.ready")
    page.wait_for_selector("#velden input")


def field(page, label: str):
    return page.locator("#velden").get_by_label(label, exact=True).first


def add_item(page, noun: str, legend: str):
    """Press "+ Voeg een <noun> toe" and return the new list item, found by its legend."""
    page.get_by_role("button", name=f"+ Voeg een {noun} toe").click()
    return page.locator("#velden li.item", has=page.locator("legend", has_text=legend)).first


def fill_web_source(box, url: str, title: str, consulted: str) -> None:
    box.get_by_label("Webadres (verplicht)", exact=True).fill(url)
    box.get_by_label("Titel (verplicht)", exact=True).fill(title)
    box.get_by_label("Geraadpleegd (verplicht)", exact=True).fill(consulted)


def project_copy(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for name in ("initiatives", "organisations", "content", "schema"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "pelicanconf.py", root / "pelicanconf.py")
    return root


def kaart_validate(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kaart.cli", "--root", str(root), "validate"], capture_output=True,
                          text=True, timeout=300)


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1366, "height": 900}])
def test_a_new_initiative_filled_in_becomes_a_valid_formatted_file(page, site_url, tmp_path, viewport):
    page.set_viewport_size(viewport)
    open_form(page, site_url + FORM)
    field(page, "Titel (verplicht)").fill("Proefproject werkplekcoaching Gent")
    assert field(page, "Korte naam (id) (verplicht)").input_value() == "proefproject-werkplekcoaching-gent"
    field(page, "Samenvatting (verplicht)").fill("Een proefproject waarin coaches werknemers met een "
                                                  "arbeidsbeperking op de werkvloer begeleiden.")
    field(page, "Status (verplicht)").select_option("actief")
    page.get_by_label("Werkgevers", exact=True).check()
    page.get_by_role("button", name="+ Voeg een aanbieder toe").click()
    field(page, "Aanbieder 1").select_option("vdab")
    source = add_item(page, "bron", "Bron 1")
    fill_web_source(source, "https://www.vdab.be/werkgevers", "Werkgevers (VDAB)", "2026-11-29")
    page.get_by_role("button", name="Controleer en maak het bestand").click()

    assert page.locator("#fouten").is_hidden()
    assert "Klaar" in page.locator(".result-status").inner_text()
    assert page.evaluate("document.activeElement.id") == "resultaat-kop"
    yaml = page.locator("#yaml-uit").input_value()
    assert page.locator("#yaml-uit + *, label[for=yaml-uit] code").first.inner_text() == \
        "initiatives/proefproject-werkplekcoaching-gent.yaml"

    # Byte for byte what `kaart fmt` writes, and accepted by `kaart validate` in the real project.
    assert format_text(yaml, "initiatives/proefproject-werkplekcoaching-gent.yaml") == (yaml, [])
    root = project_copy(tmp_path)
    (root / "initiatives" / "proefproject-werkplekcoaching-gent.yaml").write_text(yaml, encoding="utf-8")
    result = kaart_validate(root)
    assert result.returncode == 0, result.stdout + result.stderr
    document, _ = load_text(yaml.encode("utf-8"), "x.yaml")
    assert document.data["aanbieders"] == ["vdab"]
    assert document.data["bronnen"] == [{"url": "https://www.vdab.be/werkgevers", "titel": "Werkgevers (VDAB)",
                                         "geraadpleegd": "2026-11-29"}]

    # The GitHub link opens a new file with this name and exactly this content.
    link = urlparse(page.locator("#naar-github").get_attribute("href"))
    assert link.path.endswith("/new/main")
    query = parse_qs(link.query)
    assert query["filename"] == ["initiatives/proefproject-werkplekcoaching-gent.yaml"]
    assert query["value"] == [yaml]


def test_a_file_too_long_for_a_link_opens_an_empty_new_file_to_paste_into(page, site_url):
    open_form(page, site_url + FORM)
    field(page, "Titel (verplicht)").fill("Een lange fiche")
    field(page, "Beschrijving").fill("Een lange uitleg over dit initiatief.\n\n" * 400)
    page.wait_for_timeout(400)
    link = urlparse(page.locator("#naar-github").get_attribute("href"))
    assert parse_qs(link.query) == {"filename": ["initiatives/een-lange-fiche.yaml"]}
    assert page.locator("#lang-bestand").is_visible()
    field(page, "Beschrijving").fill("Kort.")
    page.wait_for_timeout(400)
    assert "value" in parse_qs(urlparse(page.locator("#naar-github").get_attribute("href")).query)
    assert page.locator("#lang-bestand").is_hidden()


def test_a_personal_phone_or_address_is_pointed_out_as_kaart_validate_does(page, site_url):
    open_form(page, site_url + FORM)
    contact = add_item(page, "contactpunt", "Contactpunt 1")
    contact.get_by_label("Naam (verplicht)").fill("Jobclub")
    contact.get_by_label("Telefoon").fill("0475 12 34 56")
    contact.get_by_label("E-mail").fill("jobclub.gent@gmail.com")
    fill_web_source(contact, "https://www.vdab.be", "VDAB", "2026-11-29")
    page.get_by_role("button", name="Controleer en maak het bestand").click()
    text = page.locator("#fouten").inner_text()
    assert "Let op: kijk dit na" in text
    assert "Contactpunt 1 › Telefoon: '0475 12 34 56' lijkt een gsm-nummer" in text
    assert "Contactpunt 1 › E-mail: 'jobclub.gent@gmail.com' lijkt een persoonlijk e-mailadres (gmail.com)" in text
    # Warnings stand apart from what must be corrected.
    assert "lijkt een" not in text.split("Let op")[0]
    # The same words as kaart validate.
    from kaart.core.privacy import MESSAGES

    assert MESSAGES["gsm"][0].format(value="0475 12 34 56") in text


def test_mistakes_are_listed_at_the_top_and_at_each_field(page, site_url):
    open_form(page, site_url + FORM)
    field(page, "Titel (verplicht)").fill("IBO")
    field(page, "Korte naam (id) (verplicht)").fill("ibo")  # exists already
    milestone = add_item(page, "mijlpaal", "Mijlpaal 1")
    milestone.get_by_label("Datum (verplicht)", exact=True).fill("2024-02-31")
    source = add_item(page, "bron", "Bron 1")
    source.get_by_label("Een dia uit een brondeck").check()
    source.get_by_label("Deck (verplicht)").select_option("netwerk-2022")
    assert source.get_by_label("Dia (verplicht)").get_attribute("list") == "dias-netwerk-2022"
    source.get_by_label("Dia (verplicht)").fill("Een dia die niet bestaat")
    page.get_by_role("button", name="Controleer en maak het bestand").click()

    summary = page.locator("#fouten")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.id") == "fouten"
    text = summary.inner_text()
    assert "Er is al een fiche met id 'ibo'" in text
    assert "Samenvatting: Vul dit veld in." in text
    assert "Deze datum bestaat niet" in text
    assert "Bron 1 › Dia: Het deck heeft geen dia met deze titel" in text
    # Nearly right: the title it probably is.
    source.get_by_label("Dia (verplicht)").fill("Maping initiatieven")
    page.wait_for_timeout(400)
    assert "Bron 1 › Dia: Het deck heeft geen dia met deze titel; bedoel je ‘Mapping initiatieven’?" in summary.inner_text()
    # A title as the deck has it (any case) is fine.
    source.get_by_label("Dia (verplicht)").fill("mapping initiatieven")
    page.wait_for_timeout(400)
    assert "Dia:" not in summary.inner_text()
    # The list follows the page: the title field comes before the sources.
    items = summary.locator("li").all_inner_texts()
    assert items.index(next(i for i in items if i.startswith("Korte naam (id):"))) < items.index(
        next(i for i in items if i.startswith("Bronnen") or i.startswith("Mijlpaal")))
    assert "Nog niet klaar" in page.locator(".result-status").inner_text()
    # Each message also stands at its field, which says it is invalid.
    summary_field = field(page, "Samenvatting (verplicht)")
    assert summary_field.get_attribute("aria-invalid") == "true"
    described = summary_field.get_attribute("aria-describedby").split()
    assert any("Vul dit veld in." in page.locator(f"#{i}").inner_text() for i in described)
    # A link in the list takes the keyboard to the field.
    summary.get_by_role("link", name="Samenvatting: Vul dit veld in.").click()
    assert page.evaluate("document.activeElement.id") == summary_field.get_attribute("id")
    # Fixed while typing, once checked.
    summary_field.fill("Een samenvatting van minstens tien tekens.")
    page.wait_for_timeout(400)
    assert "Samenvatting" not in summary.inner_text()


def test_before_the_first_check_the_status_says_what_to_do(page, site_url):
    open_form(page, site_url + FORM)
    assert "Kies ‘Controleer en maak het bestand’" in page.locator(".result-status").inner_text()
    assert page.locator("#fouten").is_hidden()
    assert page.locator("#naar-github").get_attribute("target") == "_blank"


def test_a_milestone_takes_over_a_source_the_sheet_already_lists(page, site_url):
    open_form(page, site_url + FORM)
    source = add_item(page, "bron", "Bron 1")
    fill_web_source(source, "https://www.vdab.be/ibo", "IBO (VDAB)", "2026-11-29")
    milestone = add_item(page, "mijlpaal", "Mijlpaal 1")
    choice = milestone.get_by_label("Neem een bron van deze fiche over")
    choice.focus()
    choice.select_option(label="Bron 1: IBO (VDAB)")
    data = page.evaluate("window.kaartFicheForm.read()")
    assert data["mijlpalen"][0]["bron"] == data["bronnen"][0] == {
        "url": "https://www.vdab.be/ibo", "titel": "IBO (VDAB)", "geraadpleegd": "2026-11-29"}


def test_a_date_typed_with_quotes_is_taken_without_them(page, site_url):
    open_form(page, site_url + FORM)
    milestone = add_item(page, "mijlpaal", "Mijlpaal 1")
    milestone.get_by_label("Datum (verplicht)").fill('"2025-01"')
    assert page.evaluate("window.kaartFicheForm.read()")["mijlpalen"][0]["datum"] == "2025-01"


def test_what_was_filled_in_survives_leaving_the_page(page, site_url):
    open_form(page, site_url + FORM)
    field(page, "Titel (verplicht)").fill("Een concept dat blijft")
    page.wait_for_timeout(400)
    page.reload()
    wait_for_form(page)
    page.get_by_role("button", name="Verder met wat ik invulde").click()
    assert field(page, "Titel (verplicht)").input_value() == "Een concept dat blijft"
    page.reload()
    wait_for_form(page)
    page.get_by_role("button", name="Opnieuw beginnen").click()
    page.reload()
    wait_for_form(page)
    assert page.get_by_role("button", name="Verder met wat ik invulde").count() == 0


def test_a_long_factsheet_has_links_to_its_groups_of_fields(page, site_url):
    page.set_viewport_size({"width": 390, "height": 844})
    open_form(page, site_url + FORM + "?fiche=ibo")
    sections = page.get_by_role("navigation", name="Onderdelen van de fiche")
    assert "Bronnen" in sections.inner_text()
    sections.get_by_role("link", name="Kenmerken").click()
    assert page.evaluate("document.getElementById('deel-kenmerken').open") is True
    assert page.evaluate("document.getElementById('deel-kenmerken').contains(document.activeElement)")


def test_editing_keeps_the_id_which_is_the_file_name(page, site_url):
    open_form(page, site_url + FORM + "?fiche=ibo")
    id_field = field(page, "Korte naam (id) (verplicht)")
    assert id_field.get_attribute("readonly") is not None
    # Even when the field is changed behind the form's back, the check refuses it.
    id_field.evaluate("input => { input.readOnly = false; input.value = 'ibo-nieuw'; }")
    problems = page.evaluate("window.kaartFicheForm.problems()")
    assert [p["text"] for p in problems if p["path"] == "/id"] == [
        "Het id is de naam van het bestand en blijft 'ibo'. Wil je een andere naam, vraag het dan aan de beheerders."]


def test_edit_link_round_trips_a_factsheet_without_changing_its_data(page, site_url):
    page.goto(site_url + "/initiatief/ibo/")
    page.get_by_role("link", name="Bewerk deze fiche").click()
    wait_for_form(page)
    assert "Je bewerkt" in page.locator(".editing").inner_text()
    yaml = page.locator("#yaml-uit").input_value()
    original, _ = load_text((REPO / "initiatives" / "ibo.yaml").read_bytes(), "initiatives/ibo.yaml")
    document, problems = load_text(yaml.encode("utf-8"), "initiatives/ibo.yaml")
    assert problems == []
    assert document.data == original.data
    # Unchanged, the file is the file: byte for byte, comments and all.
    assert yaml == (REPO / "initiatives" / "ibo.yaml").read_text(encoding="utf-8")
    # One change, one changed line: a reviewer sees only that.
    field(page, "Status (verplicht)").select_option("uitdovend")
    page.wait_for_timeout(400)
    changed = page.locator("#yaml-uit").input_value()
    diff = [line for line in difflib.unified_diff(yaml.splitlines(), changed.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert diff == ["-status: actief", "+status: uitdovend"]
    # The form shows the same before the file is handed over, in words as well as colours.
    shown = page.locator(".changes li").all_inner_texts()
    assert [text.split(": ", 1)[0] for text in shown] == ["weg, regel 76", "nieuw, regel 76"]
    assert [text.split(": ", 1)[1] for text in shown] == ["status: actief", "status: uitdovend"]
    field(page, "Status (verplicht)").select_option("actief")
    # A word in one kenmerk: only that kenmerk's lines change, not the whole block of kenmerken.
    page.get_by_role("navigation", name="Onderdelen van de fiche").get_by_role("link", name="Kenmerken").click()
    goal = page.locator("#deel-kenmerken details", has=page.locator("summary", has_text="Doel")).first
    goal.get_by_label("Waarde (verplicht)").first.press("End")
    goal.get_by_label("Waarde (verplicht)").first.type(" Ook voor stages.")
    page.wait_for_timeout(400)
    changed = page.locator("#yaml-uit").input_value()
    removed = [line for line in difflib.unified_diff(yaml.splitlines(), changed.splitlines(), lineterm="", n=0)
               if line.startswith("-") and not line.startswith("---")]
    goal_lines = file_blocks(yaml)["keys"]["kenmerken"]["fields"]["doel"]["lines"]
    assert removed and all(line[1:] in goal_lines for line in removed), removed  # kenmerken › doel only
    document, _ = load_text(changed.encode("utf-8"), "initiatives/ibo.yaml")
    assert document.data["kenmerken"]["doel"]["waarde"].endswith("Ook voor stages.")
    assert {k: v for k, v in document.data.items() if k != "kenmerken"} == \
        {k: v for k, v in original.data.items() if k != "kenmerken"}
    assert format_text(changed, "initiatives/ibo.yaml") == (changed, [])
    page.get_by_role("button", name="Controleer en maak het bestand").click()
    assert page.locator("#fouten").is_hidden()
    assert page.locator("#naar-github").get_attribute("href").endswith("/edit/main/initiatives/ibo.yaml")


def shipped_sheet_files(site: Path) -> dict[str, dict]:
    """The form's copy of every shipped factsheet ({path, data, text}), by id, from its groups."""
    return {sheet_id: sheet for group in sorted((site / "bijdragen" / "fiches").glob("*.json"))
            for sheet_id, sheet in json.loads(group.read_text(encoding="utf-8")).items()}


def test_every_shipped_factsheet_survives_the_form(page, site_url, shipped_site):
    """Filled into the form and read back: the same data, no complaint, and the file `kaart fmt` writes."""
    open_form(page, site_url + FORM)
    differences = []
    sheets = shipped_sheet_files(shipped_site)
    for sheet_id, handed in sorted(sheets.items()):
        # Written from the data alone: the same data, as `kaart fmt` writes it.
        yaml, problems = page.evaluate("([data, path]) => { window.kaartFicheForm.fill(data, path); "
                                       "return [window.kaartFicheForm.yaml(), window.kaartFicheForm.problems()]; }",
                                       [handed["data"], handed["path"]])
        document, load_problems = load_text(yaml.encode("utf-8"), handed["path"])
        if problems or load_problems or document.data != handed["data"]:
            differences.append((sheet_id, problems, [p.format_text() for p in load_problems]))
        elif format_text(yaml, handed["path"]) != (yaml, []):
            differences.append((sheet_id, "kaart fmt would change it"))
        # Edited without a change: the file itself, byte for byte.
        kept = page.evaluate("(sheet) => { window.kaartFicheForm.fill(sheet.data, sheet.path, sheet); "
                             "return window.kaartFicheForm.yaml(); }", handed)
        if kept != (REPO / handed["path"]).read_text(encoding="utf-8"):
            differences.append((sheet_id, "an unchanged edit changes the file"))
    assert len(sheets) > 100
    assert differences == []


def test_the_form_finds_every_shipped_factsheet_in_its_group(page, site_url, shipped_site):
    """What "Bewerk deze fiche" loads: the group the browser computes from the id holds that sheet."""
    open_form(page, site_url + FORM)
    sheets = shipped_sheet_files(shipped_site)
    loaded = page.evaluate("(ids) => Promise.all(ids.map((id) => window.kaartFicheForm.loadSheet(id)))",
                           sorted(sheets))
    assert loaded == [sheets[sheet_id] for sheet_id in sorted(sheets)]
    assert page.evaluate("window.kaartFicheForm.loadSheet('geen-fiche-met-dit-id')") is None


@pytest.mark.parametrize("width", [390, 1366])
def test_the_form_has_no_axe_violations(page, site_url, width):
    page.set_viewport_size({"width": width, "height": 900})
    assert axe_violations(page, site_url + FORM) == []
    # Filled in for editing, with its optional groups open and its messages showing.
    open_form(page, site_url + FORM + "?fiche=ibo")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    field(page, "Samenvatting (verplicht)").fill("")
    page.get_by_role("button", name="Controleer en maak het bestand").click()
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
    assert [v["id"] for v in results.response["violations"]] == []
