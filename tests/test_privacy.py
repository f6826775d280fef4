"""Privacy warnings: the map lists general contact points of organisations, never a person's."""

from __future__ import annotations

import pytest

from kaart.content.project import read_knowledge_base

from .conftest import REPO, VALID_INITIATIVE

MAP_LISTS = "de kaart toont alleen algemene contactpunten van organisaties, geen personen"


def warnings(root) -> list[str]:
    kb, problems = read_knowledge_base(root)
    assert kb is not None, [p.format_text() for p in problems]  # a warning stops nothing
    assert all(p.severity == "warning" for p in problems)
    return [p.format_text() for p in problems]


def _contact(telefoon: str = "", email: str = "") -> str:
    lines = ["    contact:\n      - naam: Loket\n"]
    lines += [f'        telefoon: "{telefoon}"\n'] if telefoon else []
    lines += [f"        email: {email}\n"] if email else []
    return "".join(lines) + "        bron: {deck: netwerk-2022, dia: Mapping initiatieven}\n"


@pytest.mark.parametrize("number", ["0470 12 34 56", "0470/12.34.56", "0470123456", "+32 470 12 34 56",
                                    "0032 (0)470 12 34 56", "+32470123456"])
def test_a_belgian_mobile_number_in_a_contact_point_is_a_warning(site_root, write_sheet, number):
    write_sheet("initiatives/x.yaml", VALID_INITIATIVE.format(id="x") + _contact(telefoon=number))
    assert warnings(site_root) == [
        f"initiatives/x.yaml:11:16: warning: '{number}' lijkt een gsm-nummer ({MAP_LISTS}: geef het algemene nummer "
        "van de dienst, of laat het weg)"]


def test_a_mobile_number_in_a_description_is_a_warning_on_its_own_line(site_root, write_sheet):
    write_sheet("initiatives/x.yaml", VALID_INITIATIVE.format(id="x")
                + "    beschrijving: |\n      ## Aanvragen\n      Bel Jan op 0498 76 54 32 of mail.\n")
    assert warnings(site_root) == [
        f"initiatives/x.yaml:11:14: warning: '0498 76 54 32' lijkt een gsm-nummer ({MAP_LISTS}: geef het algemene "
        "nummer van de dienst, of laat het weg)"]


@pytest.mark.parametrize("number", ["09 266 87 00", "04 223 45 67", "0800 30 700", "078 15 00 15", "+32 9 266 87 00"])
def test_a_landline_or_free_number_is_no_warning(site_root, write_sheet, number):
    write_sheet("initiatives/x.yaml", VALID_INITIATIVE.format(id="x") + _contact(telefoon=number))
    assert warnings(site_root) == []


def test_an_enterprise_number_and_a_date_are_no_phone_numbers(site_root, write_sheet):
    write_sheet("initiatives/x.yaml", VALID_INITIATIVE.format(id="x")
                + "    beschrijving: Ondernemingsnummer 0456.789.012, sinds 2024-04-01, 4.567.890 euro.\n")
    assert warnings(site_root) == []


@pytest.mark.parametrize(("email", "domain"), [("jan.peeters@gmail.com", "gmail.com"),
                                                ("an.devos@telenet.be", "telenet.be"),
                                                ("loket.x@hotmail.be", "hotmail.be"),
                                                ("x@skynet.be", "skynet.be"), ("X@Outlook.com", "outlook.com"),
                                                ("y@yahoo.fr", "yahoo.fr"), ("z@proximus.be", "proximus.be")])
def test_a_free_mail_address_is_a_warning_even_as_a_contact_point(site_root, write_sheet, email, domain):
    write_sheet("initiatives/x.yaml", VALID_INITIATIVE.format(id="x") + _contact(email=email))
    assert warnings(site_root) == [
        f"initiatives/x.yaml:11:12: warning: '{email}' lijkt een persoonlijk e-mailadres ({domain}) ({MAP_LISTS}: "
        "geef een algemeen adres van de organisatie (zoals info@…), of laat het weg)"]


def test_an_organisation_address_is_fine_as_a_contact_point_but_not_in_running_text(site_root, write_sheet):
    write_sheet("initiatives/x.yaml", VALID_INITIATIVE.format(id="x").replace(
        "Een korte samenvatting van het initiatief.", "Vragen? Mail naar wpl@vdab.be.")
        + _contact(email="wpl@vdab.be"))
    assert warnings(site_root) == [
        f"initiatives/x.yaml:4:33: warning: een e-mailadres buiten contact: 'wpl@vdab.be' ({MAP_LISTS}: zet een "
        "algemeen adres van de organisatie onder contact (email: …) en haal het hier weg)"]


def test_the_shipped_factsheets_give_no_privacy_warning():
    from kaart.core.load import load_document
    from kaart.core.privacy import privacy_problems
    from kaart.core.validate import heading_problems

    paths = sorted([*REPO.glob("initiatives/*.yaml"), *REPO.glob("organisations/*.yaml")])
    assert len(paths) > 50
    found = []
    for path in paths:
        doc, _ = load_document(path, REPO)
        found += privacy_problems(doc) + heading_problems(doc)
    assert [p.format_text() for p in found] == []
