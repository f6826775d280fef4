"""Validation: one bad fixture per failure type, each with its exact file:line:col."""

from __future__ import annotations

import re
import shutil

import pytest

from kaart.content.project import read_knowledge_base

from .conftest import SCHEMA_LINE, VALID_INITIATIVE


def messages(root) -> list[str]:
    kb, problems = read_knowledge_base(root)
    assert kb is None or not problems
    return [p.format_text() for p in problems]


def test_fixture_project_is_valid(site_root):
    kb, problems = read_knowledge_base(site_root)
    assert problems == []
    assert sorted(kb.sheets) == ["imw", "sine", "vdab", "vop", "weeraandeslag"]


def test_unknown_field_suggests_the_intended_name(site_root, write_sheet):
    write_sheet("initiatives/x.yaml", SCHEMA_LINE + VALID_INITIATIVE.format(id="x") + "    samenvating: typo\n")
    assert messages(site_root) == [
        "initiatives/x.yaml:10:5: error: onbekend veld 'samenvating' (bedoel je 'samenvatting'?)"
    ]


def test_every_unknown_field_is_reported_not_only_the_first(site_root, write_sheet):
    write_sheet("initiatives/x.yaml", VALID_INITIATIVE.format(id="x") + "    samenvating: typo\n    stauts: x\n")
    assert messages(site_root) == [
        "initiatives/x.yaml:9:1: error: onbekend veld 'samenvating' (bedoel je 'samenvatting'?)",
        "initiatives/x.yaml:10:1: error: onbekend veld 'stauts' (bedoel je 'status'?)",
    ]


def test_a_date_the_calendar_does_not_have_is_an_error(site_root, write_sheet):
    text = VALID_INITIATIVE.format(id="x").replace('"2026-11-01"', '"2024-02-31"') + '    start: "2023-02-29"\n'
    write_sheet("initiatives/x.yaml", text)
    assert messages(site_root) == [
        "initiatives/x.yaml:8:19: error: de datum '2024-02-31' bestaat niet (kijk dag en maand na)",
        "initiatives/x.yaml:9:8: error: de datum '2023-02-29' bestaat niet (kijk dag en maand na)",
    ]
    write_sheet("initiatives/x.yaml", VALID_INITIATIVE.format(id="x").replace('"2026-11-01"', '"2024-02-29"'))
    assert messages(site_root) == [], "a leap day is a date"


def test_a_source_with_fields_of_both_forms_is_explained_by_example(site_root, write_sheet):
    text = VALID_INITIATIVE.format(id="x").replace(
        "{deck: netwerk-2022, dia: Mapping initiatieven}",
        '{url: "https://www.vdab.be", dia: Mapping initiatieven, titel: VDAB, geraadpleegd: "2026-11-01"}')
    write_sheet("initiatives/x.yaml", text)
    assert messages(site_root) == [
        "initiatives/x.yaml:7:5: error: gebruik deck en dia óf url, titel en geraadpleegd, niet allebei (kies één vorm, "
        'bv. {deck: netwerk-2022, dia: Mapping initiatieven} of {url: "https://www.vdab.be/loopbaancheques", '
        'titel: "Loopbaancheques (VDAB)", geraadpleegd: "2026-11-29"})'
    ]


def test_an_empty_field_says_it_is_empty_and_shows_an_example(site_root, write_sheet):
    text = VALID_INITIATIVE.format(id="x").replace("      - {deck: netwerk-2022, dia: Mapping initiatieven}\n", "")
    write_sheet("initiatives/x.yaml", text)
    [message] = messages(site_root)
    assert message.startswith("initiatives/x.yaml:6:9: error: 'bronnen' is leeg (vul het in")
    assert "verwacht een lijst, gevonden niets" not in message


def test_missing_required_field_is_reported(site_root, write_sheet):
    text = VALID_INITIATIVE.format(id="x").replace("    status: actief\n", "")
    write_sheet("initiatives/x.yaml", text)
    assert messages(site_root) == ["initiatives/x.yaml:1:1: error: het verplichte veld 'status' ontbreekt"]


def test_unknown_cell_value_suggests_a_known_one(site_root, write_sheet):
    write_sheet("initiatives/x.yaml", VALID_INITIATIVE.format(id="x") + "    cellen:\n      - {situatie: werkgevers, soort: subsidie}\n")
    assert messages(site_root) == [
        "initiatives/x.yaml:10:16: error: 'werkgevers' is geen geldige waarde (bedoel je 'werkgever'?)"
    ]


def test_wrong_type_is_reported_at_the_value(site_root, write_sheet):
    write_sheet("initiatives/x.yaml", VALID_INITIATIVE.format(id="x") + "    doelgroepen: werkgevers\n")
    assert messages(site_root) == ["initiatives/x.yaml:9:14: error: verwacht een lijst, gevonden tekst"]


def test_unquoted_date_in_wrong_format_is_explained(site_root, write_sheet):
    text = VALID_INITIATIVE.format(id="x").replace('"2026-11-01"', "1/11/2026")
    write_sheet("initiatives/x.yaml", text)
    [message] = messages(site_root)
    assert message.startswith("initiatives/x.yaml:8:19: error: '1/11/2026' is ongeldig (Schrijf de datum als JJJJ-MM-DD")


def test_id_must_match_file_name(site_root, write_sheet):
    write_sheet("initiatives/x.yaml", VALID_INITIATIVE.format(id="y"))
    assert messages(site_root) == [
        "initiatives/x.yaml:2:5: error: het id 'y' verschilt van de bestandsnaam 'x' (hernoem het bestand naar y.yaml of pas het id aan)"
    ]


def test_id_must_be_a_plain_slug(site_root, write_sheet):
    write_sheet("initiatives/x.yaml", VALID_INITIATIVE.format(id="../X"))
    found = messages(site_root)
    assert found[0].startswith("initiatives/x.yaml:2:5: error: '../X' is ongeldig (Een id bestaat uit kleine letters")


def test_duplicate_ids_across_folders_are_reported(site_root, write_sheet):
    write_sheet("organisations/imw.yaml", """\
        type: organisatie
        id: imw
        titel: Dubbel
        samenvatting: Een organisatie met hetzelfde id.
        bronnen: [{deck: netwerk-2022, dia: Actiegroep re-integratie}]
        laatst_nagekeken: "2026-11-01"
    """)
    found = messages(site_root)
    assert any(m.endswith("het id 'imw' bestaat al (ook gebruikt in initiatives/imw.yaml)") and m.startswith("organisations/imw.yaml:2:5")
               for m in found), found


def test_sheet_in_the_wrong_folder_is_reported(site_root, write_sheet):
    write_sheet("organisations/x.yaml", VALID_INITIATIVE.format(id="x"))
    assert messages(site_root) == [
        "organisations/x.yaml:1:7: error: een fiche van type 'initiatief' hoort in initiatives/ (verplaats het bestand naar initiatives/)"
    ]


def test_dangling_relation_target_is_reported_with_a_suggestion(site_root, write_sheet):
    write_sheet("initiatives/x.yaml", VALID_INITIATIVE.format(id="x") + "    relaties:\n      - {type: zie-ook, doel: imv}\n")
    assert messages(site_root) == ["initiatives/x.yaml:10:27: error: onbekende fiche 'imv' (bedoel je 'imw'?)"]


def test_unknown_provider_is_reported(site_root, write_sheet):
    write_sheet("initiatives/x.yaml", VALID_INITIATIVE.format(id="x") + "    aanbieders: [vdab, riziv]\n")
    assert messages(site_root) == ["initiatives/x.yaml:9:20: error: onbekende organisatie 'riziv' (maak eerst een fiche in organisations/)"]


def test_provider_must_be_an_organisation(site_root, write_sheet):
    write_sheet("initiatives/x.yaml", VALID_INITIATIVE.format(id="x") + "    aanbieders: [vop]\n")
    assert messages(site_root) == ["initiatives/x.yaml:9:14: error: 'vop' is geen organisatie (aanbieders verwijzen naar fiches in organisations/)"]


def test_relation_to_itself_is_reported(site_root, write_sheet):
    write_sheet("initiatives/x.yaml", VALID_INITIATIVE.format(id="x") + "    relaties:\n      - {type: zie-ook, doel: x}\n")
    assert messages(site_root) == ["initiatives/x.yaml:10:27: error: een fiche kan geen relatie met zichzelf hebben"]


def test_unknown_relation_type_is_reported(site_root, write_sheet):
    write_sheet("initiatives/x.yaml", VALID_INITIATIVE.format(id="x") + "    relaties:\n      - {type: vervangd, doel: imw}\n")
    assert messages(site_root) == ["initiatives/x.yaml:10:12: error: 'vervangd' is geen geldige waarde (bedoel je 'vervangt'?)"]


def test_mutual_replacement_is_a_contradiction(site_root, write_sheet):
    write_sheet("initiatives/x.yaml", VALID_INITIATIVE.format(id="x") + "    relaties:\n      - {type: vervangt, doel: imw}\n")
    (site_root / "initiatives/imw.yaml").write_text(
        (site_root / "initiatives/imw.yaml").read_text().replace("doel: vop", "doel: x"))
    found = messages(site_root)
    assert "initiatives/x.yaml:10:5: error: tegenspraak: 'x' en 'imw' vervangen elkaar (houd één richting)" in found


def test_organisation_relation_from_an_initiative_is_reported(site_root, write_sheet):
    write_sheet("initiatives/x.yaml", VALID_INITIATIVE.format(id="x") + "    relaties:\n      - {type: biedt-aan, doel: imw}\n")
    assert messages(site_root) == ["initiatives/x.yaml:10:12: error: 'biedt-aan' gaat van een organisatie naar een initiatief"]


def test_source_must_name_a_known_deck_or_a_page(site_root, write_sheet):
    text = VALID_INITIATIVE.format(id="x").replace("{deck: netwerk-2022, dia: Mapping initiatieven}", "{deck: andere, dia: x}")
    write_sheet("initiatives/x.yaml", text)
    [message] = messages(site_root)
    assert message.startswith("initiatives/x.yaml:7:12: error: 'andere' is geen geldige waarde (kies uit: netwerk-2022, imw-werkplekleren)")


def test_all_errors_in_all_files_are_reported_in_one_run_sorted(site_root, write_sheet):
    write_sheet("initiatives/a.yaml", VALID_INITIATIVE.format(id="a") + "    foo: 1\n")
    write_sheet("initiatives/b.yaml", "a: 1\na: 2\n")
    write_sheet("organisations/c.yaml", "- lijst\n")
    found = messages(site_root)
    assert [m.split(":")[0] for m in found] == ["initiatives/a.yaml", "initiatives/b.yaml", "organisations/c.yaml"]


def test_a_reference_to_a_broken_sheet_is_not_reported_twice(site_root, write_sheet):
    write_sheet("initiatives/x.yaml", VALID_INITIATIVE.format(id="x") + "    foo: 1\n")
    write_sheet("initiatives/y.yaml", VALID_INITIATIVE.format(id="y") + "    relaties:\n      - {type: zie-ook, doel: x}\n")
    assert messages(site_root) == ["initiatives/x.yaml:9:1: error: onbekend veld 'foo' (toegelaten velden: type, id, titel, afkorting, samenvatting, beschrijving, cellen, mapping_2022, doelgroepen, aanbieders, regio, status, start, einde, mijlpalen, kenmerken, praktijk, cijfers, trefwoorden, links, contact, relaties, bronnen, laatst_nagekeken)"]


def test_a_broken_schema_is_reported_before_any_factsheet(site_root, monkeypatch):
    from kaart.core import registry
    from kaart.content.project import read_knowledge_base

    broken = dict(registry.schema(), properties={"type": {"type": "geen-type"}})
    monkeypatch.setattr(registry, "schema", lambda: broken)
    kb, problems = read_knowledge_base(site_root)
    assert kb is None and len(problems) == 1
    assert "het schema zelf is ongeldig bij properties/type/type" in problems[0].message


def test_fast_schema_check_agrees_with_jsonschema_on_every_known_document(site_root):
    """The compiled fast path may only skip the full check where jsonschema finds nothing too."""
    import json

    from kaart.core.load import load_document
    from kaart.core.validate import _validator, is_valid_factsheet

    from .conftest import REPO

    paths = [*REPO.glob("initiatives/*.yaml"), *REPO.glob("organisations/*.yaml"), *site_root.rglob("*.yaml")]
    documents = [load_document(p, p.parent)[0].data for p in paths]
    base = json.loads(json.dumps(documents[0]))
    mutations = [
        {"samenvating": "x"}, {"status": "foo"}, {"titel": 5}, {"titel": "x"}, {"id": "Hoofd"}, {"type": "organisatie"},
        {"cellen": [{"situatie": "x", "soort": "subsidie"}]}, {"cellen": [{"situatie": "actief"}]},
        {"bronnen": []}, {"bronnen": [{"deck": "netwerk-2022"}]}, {"bronnen": [{"url": "ftp://x", "titel": "x"}]},
        {"laatst_nagekeken": "2026-13-01"}, {"start": "2023-1"}, {"doelgroepen": ["werkgevers", "werkgevers"]},
        {"kenmerken": {"duur": {"waarde": "x"}}}, {"relaties": [{"type": "vervangt"}]}, {"cijfers": [{"omschrijving": "x", "waarde": "1", "bron": {"deck": "netwerk-2022", "dia": "x"}}]},
        {"links": [{"titel": "x", "url": "https://a.be", "extra": 1}]}, {"trefwoorden": [""]},
    ]
    for mutation in mutations:
        documents.append({**base, **mutation})
    for data in documents:
        assert is_valid_factsheet(data) == (not list(_validator().iter_errors(data))), data


def _sheet_with(extra: str, source: str = "{deck: netwerk-2022, dia: Mapping initiatieven}") -> str:
    return VALID_INITIATIVE.format(id="x").replace("{{deck: netwerk-2022, dia: Mapping initiatieven}}".format(), source) + extra


def test_a_web_source_must_say_when_it_was_read(site_root, write_sheet):
    write_sheet("initiatives/x.yaml", _sheet_with("", '{url: "https://www.vdab.be", titel: VDAB}'))
    assert messages(site_root) == ["initiatives/x.yaml:7:5: error: het verplichte veld 'geraadpleegd' ontbreekt"]


def test_a_web_source_day_must_be_a_full_date(site_root, write_sheet):
    write_sheet("initiatives/x.yaml", _sheet_with("", '{url: "https://www.vdab.be", titel: VDAB, geraadpleegd: "2026-11"}'))
    [message] = messages(site_root)
    assert message.startswith("initiatives/x.yaml:7:61: error: ") and "'2026-11' is ongeldig" in message


def test_a_contact_point_needs_a_way_to_reach_it(site_root, write_sheet):
    write_sheet("initiatives/x.yaml", _sheet_with(
        "    contact:\n      - naam: Loket\n        bron: {deck: netwerk-2022, dia: Mapping initiatieven}\n"))
    assert messages(site_root) == [
        "initiatives/x.yaml:10:5: error: dit contactpunt zegt niet hoe je het bereikt "
        "(geef minstens één van: telefoon, email, url, adres)"]


def test_a_contact_phone_number_is_checked(site_root, write_sheet):
    write_sheet("initiatives/x.yaml", _sheet_with(
        "    contact:\n      - naam: Loket\n        telefoon: bel ons\n"
        "        bron: {deck: netwerk-2022, dia: Mapping initiatieven}\n"))
    [message] = messages(site_root)
    assert message.startswith("initiatives/x.yaml:11:15: error: 'bel ons' is ongeldig")


def test_github_annotations_escape_the_file_name_as_a_property():
    from kaart.core.problems import Location, Problem

    problem = Problem(Location("initiatives/a,b:c%.yaml", 3, 5), "regel 1\nregel 2: 100%", "hint")
    assert problem.format_github() == ("::error file=initiatives/a%2Cb%3Ac%25.yaml,line=3,col=5::"
                                       "regel 1%0Aregel 2: 100%25 (hint)")


# -- a source cites a slide the deck has --------------------------------------------------------

def test_a_slide_title_the_deck_does_not_have_is_reported_with_the_closest_title(site_root, write_sheet):
    write_sheet("initiatives/x.yaml", _sheet_with("", "{deck: imw-werkplekleren, dia: Opleiding op de werkvloer}"))
    assert messages(site_root) == ["initiatives/x.yaml:7:36: error: het deck imw-werkplekleren heeft geen dia "
                                   "'Opleiding op de werkvloer' (bedoel je 'Opleiding op een Werkvloer'?)"]


def test_a_slide_of_the_other_deck_is_reported_with_where_to_find_the_list(site_root, write_sheet):
    write_sheet("initiatives/x.yaml", _sheet_with("", "{deck: netwerk-2022, dia: Hoe werkt de kaart}"))
    assert messages(site_root) == ["initiatives/x.yaml:7:31: error: het deck netwerk-2022 heeft geen dia "
                                   "'Hoe werkt de kaart' (kies een titel uit de lijst van de 57 dia's in CONTRIBUTING.md)"]


def test_a_slide_number_the_deck_does_not_have_names_the_decks_range(site_root, write_sheet):
    write_sheet("initiatives/x.yaml", _sheet_with("", "{deck: imw-werkplekleren, dia: 40}"))
    assert messages(site_root) == ["initiatives/x.yaml:7:36: error: het deck imw-werkplekleren heeft geen dia 40 "
                                   "(het telt dia 1 tot 28; noem de dia met haar titel, zoals in de lijst in "
                                   "CONTRIBUTING.md)"]


def test_a_slide_number_the_deck_has_is_answered_with_its_title(site_root, write_sheet):
    write_sheet("initiatives/x.yaml", _sheet_with("", "{deck: imw-werkplekleren, dia: 22}"))
    assert messages(site_root) == ["initiatives/x.yaml:7:36: error: noem de dia met haar titel, niet met haar nummer "
                                   "(dia 22 van imw-werkplekleren heet 'IBO+': schrijf dia: \"IBO+\")"]


def test_a_title_may_vary_in_case_dash_closing_colon_and_second_line(site_root, write_sheet):
    sources = ('[{deck: netwerk-2022, dia: "actiegroep re-integratie - fase 1"}, '
               '{deck: netwerk-2022, dia: "IM als vervanger LDE/MWA – welke organisaties zijn geïmpacteerd"}, '
               '{deck: netwerk-2022, dia: RIZIV-data GENT Begrippen}, '
               '{deck: netwerk-2022, dia: Mapping initiatieven}]')
    write_sheet("initiatives/x.yaml", VALID_INITIATIVE.format(id="x").replace(
        "bronnen:\n      - {{deck: netwerk-2022, dia: Mapping initiatieven}}".format(), f"bronnen: {sources}"))
    assert messages(site_root) == []


def test_slides_are_checked_in_every_kind_of_content(site_root, write_sheet):
    write_sheet("initiatives/x.yaml", _sheet_with(
        "    kenmerken:\n      duur: {waarde: Zes maanden., bron: {deck: imw-werkplekleren, dia: IBO++}}\n"))
    assert messages(site_root) == ["initiatives/x.yaml:10:69: error: het deck imw-werkplekleren heeft geen dia 'IBO++' "
                                   "(bedoel je 'IBO+'?)"]


def test_every_shipped_source_cites_a_slide_its_deck_has():
    from kaart.core import registry
    from kaart.core.load import load_document

    from .conftest import REPO

    cited = []

    def walk(value):
        if isinstance(value, dict):
            if "deck" in value and "dia" in value:
                cited.append((value["deck"], value["dia"]))
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in sorted([*REPO.glob("initiatives/*.yaml"), *REPO.glob("organisations/*.yaml"),
                        *REPO.glob("content/**/*.yaml")]):
        walk(load_document(path, REPO)[0].data)
    assert len(cited) > 400
    assert [source for source in cited if registry.slide_named(*source) is None] == []


# --- messages after the non-developer walkthrough of issue 19 ------------------------------------

def test_a_text_with_a_colon_in_a_one_line_list_is_asked_to_be_quoted(site_root, write_sheet):
    write_sheet("initiatives/x.yaml", VALID_INITIATIVE.format(id="x") + "    trefwoorden: [loopbaancheque, werkenden: x]\n")
    assert messages(site_root) == [
        "initiatives/x.yaml:9:31: error: 'werkenden: x' wordt door de ':' gelezen als een veld, niet als tekst "
        "(zet het tussen aanhalingstekens: \"werkenden: x\")"]


def test_references_to_a_factsheet_that_did_not_parse_are_not_reported_again(site_root):
    # imw's relation to vop and its provider vdab point at files that do not parse
    (site_root / "initiatives" / "vop.yaml").write_text("titel: x\nregio:vlaanderen\nstatus: actief\n", encoding="utf-8")
    (site_root / "organisations" / "vdab.yaml").write_text("titel: 'open\n", encoding="utf-8")
    assert [m.split(": ongeldige YAML")[0] for m in messages(site_root)] == [
        "initiatives/vop.yaml:2:6: error", "organisations/vdab.yaml:1:8: error"]


def test_comparisons_figures_and_handouts_do_not_report_a_factsheet_that_did_not_parse(tmp_path):
    from kaart.content.project import read_knowledge_base

    from .conftest import REPO

    for name in ("initiatives", "organisations", "content"):
        shutil.copytree(REPO / name, tmp_path / name)
    referring = [path.relative_to(tmp_path).as_posix() for path in sorted((tmp_path / "content").rglob("*.yaml"))
                 if re.search(r"\bindividueel-maatwerk\b", path.read_text(encoding="utf-8"))]
    assert {name.split("/")[1] for name in referring} == {"cijfers", "handouts", "vergelijkingen"}
    path = tmp_path / "initiatives" / "individueel-maatwerk.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: actief", "status:actief", 1), encoding="utf-8")
    kb, problems = read_knowledge_base(tmp_path)
    assert kb is None
    assert [p.location.path for p in problems] == ["initiatives/individueel-maatwerk.yaml"], \
        [p.format_text() for p in problems]
    assert problems[0].message == "ongeldige YAML: na de ':' van 'status:' ontbreekt een spatie"


def test_an_id_the_schema_refuses_is_not_suggested_as_a_file_name(site_root, write_sheet):
    write_sheet("initiatives/jobclub-test.yaml", VALID_INITIATIVE.format(id="Jobclub-Test"))
    found = messages(site_root)
    assert len(found) == 2 and found[0].startswith("initiatives/jobclub-test.yaml:2:5: error: 'Jobclub-Test' is ongeldig")
    assert found[1] == ("initiatives/jobclub-test.yaml:2:5: error: het id 'Jobclub-Test' verschilt van de bestandsnaam "
                        "'jobclub-test' (pas het id aan, bv. id: jobclub-test)")


def _warnings(root) -> list[str]:
    kb, problems = read_knowledge_base(root)
    assert kb is not None, [p.format_text() for p in problems]
    return [p.format_text() for p in problems]


def test_a_level_one_heading_in_the_description_is_a_warning_on_its_line(site_root, write_sheet):
    write_sheet("initiatives/x.yaml", VALID_INITIATIVE.format(id="x")
                + "    beschrijving: |\n      ## Voor wie?\n      Werkzoekenden.\n\n      # Hoe aanvragen?\n"
                + "      #werkplekvrij is een trefwoord.\n      Zoek op\n        #werkplekvrij in een lijst.\n")
    assert _warnings(site_root) == [
        "initiatives/x.yaml:13:3: warning: '# Hoe aanvragen?' is een kop van niveau 1 (koppen in de beschrijving "
        "beginnen bij niveau 2: schrijf '## Hoe aanvragen?'; is het geen kop, begin de regel dan niet met '#')",
        "initiatives/x.yaml:14:3: warning: '#werkplekvrij is een trefwoord.' is een kop van niveau 1 (koppen in de "
        "beschrijving beginnen bij niveau 2: schrijf '## werkplekvrij is een trefwoord.'; is het geen kop, begin de "
        "regel dan niet met '#')"]


@pytest.mark.parametrize("written, message", [
    ("initiatie", "'initiatie' is geen geldige waarde (bedoel je 'initiatief'?)"),
    ("[initiatief]", "'[initiatief]' is geen geldige waarde (bedoel je 'initiatief'?)"),
    ("12", "'12' is geen geldige waarde (kies uit: initiatief, organisatie)"),
    ("", "'type' is leeg (kies uit: initiatief, organisatie)"),
])
def test_a_wrong_type_of_sheet_is_said_in_dutch_with_the_choices(site_root, write_sheet, written, message):
    write_sheet("initiatives/x.yaml", VALID_INITIATIVE.format(id="x").replace("type: initiatief", f"type: {written}".rstrip()))
    assert messages(site_root) == [f"initiatives/x.yaml:1:{6 if not written else 7}: error: {message}"]
