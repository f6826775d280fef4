"""Handout bundles: read with the strict loader, checked against their schema and the factsheets."""

from __future__ import annotations

import datetime as dt
import json

from kaart.cli import main
from kaart.content.handouts import SCHEMA_PATH
from kaart.content.project import read_knowledge_base

from .conftest import REPO

BUNDLE = "content/handouts/{}.yaml"


def problems_text(root) -> list[str]:
    return [p.format_text() for p in read_knowledge_base(root)[1]]


def test_bundle_lists_chosen_sheets_first_then_filter_matches_alphabetically(site_root, write_sheet):
    write_sheet(BUNDLE.format("december"), """\
        titel: Subsidies
        vergadering: Actiegroep re-integratie
        datum: "2026-12-10"
        inleiding: >-
          Een korte
          inleiding.
        fiches: [weeraandeslag, vop]
        filter:
          soort: subsidie
        """)
    kb, problems = read_knowledge_base(site_root)
    assert problems == []
    (handout,) = kb.handouts
    assert handout.slug == "december" and handout.url == "handouts/december/"
    assert handout.datum == dt.date(2026, 12, 10)
    assert handout.inleiding == "Een korte inleiding."
    assert handout.sheet_ids == ("weeraandeslag", "vop", "imw")
    assert handout.filter == (("soort", ("subsidie",)),)


def test_filter_facets_combine_with_and_and_listed_values_with_or(site_root, write_sheet):
    write_sheet(BUNDLE.format("x"), """\
        titel: Werkgevers
        vergadering: Beleidsgroep
        datum: "2026-12-10"
        filter:
          situatie: werkgever
          soort: [subsidie, begeleiding]
        """)
    kb, _ = read_knowledge_base(site_root)
    assert kb.handouts[0].sheet_ids == ("imw",)


def test_unknown_factsheet_id_is_reported_with_line_column_and_suggestion(site_root, write_sheet):
    write_sheet(BUNDLE.format("x"), """\
        titel: Test
        vergadering: Beleidsgroep
        datum: "2026-12-10"
        fiches:
          - vop
          - weeraandeslg
        """)
    assert problems_text(site_root) == [
        "content/handouts/x.yaml:6:5: error: onbekende fiche 'weeraandeslg' (bedoel je 'weeraandeslag'?)"]


def test_unknown_filter_values_are_reported_where_they_stand(site_root, write_sheet):
    write_sheet(BUNDLE.format("x"), """\
        titel: Test
        vergadering: Beleidsgroep
        datum: "2026-12-10"
        filter:
          soort: opleidng
          doelgroep: [werkgevers, werkgever]
          aanbieder: vdabb
          kleur: rood
        """)
    assert problems_text(site_root) == [
        "content/handouts/x.yaml:5:10: error: 'opleidng' is geen geldige waarde (bedoel je 'opleiding'?)",
        "content/handouts/x.yaml:6:27: error: 'werkgever' is geen geldige waarde (bedoel je 'werkgevers'?)",
        "content/handouts/x.yaml:7:14: error: onbekende organisatie 'vdabb' (bedoel je 'vdab'?)",
        "content/handouts/x.yaml:8:3: error: onbekend veld 'kleur' (toegelaten velden: soort, situatie, doelgroep, status, aanbieder)",
    ]


def test_aanbieder_in_a_filter_must_be_an_organisation(site_root, write_sheet):
    write_sheet(BUNDLE.format("x"), 'titel: Test\nvergadering: X-groep\ndatum: "2026-12-10"\nfilter: {aanbieder: [vdab, vop]}\n')
    assert problems_text(site_root) == [
        "content/handouts/x.yaml:4:28: error: 'vop' is geen organisatie (aanbieder verwijst naar een fiche in organisations/)"]


def test_a_filter_that_finds_nothing_is_an_error(site_root, write_sheet):
    write_sheet(BUNDLE.format("x"), 'titel: Test\nvergadering: X-groep\ndatum: "2026-12-10"\nfilter:\n  status: gepland\n')
    assert problems_text(site_root) == [
        "content/handouts/x.yaml:5:3: error: de filter vindt geen enkel initiatief "
        "(maak de voorwaarden ruimer of kies de fiches met 'fiches')"]


def test_a_bundle_must_choose_sheets(site_root, write_sheet):
    write_sheet(BUNDLE.format("x"), 'titel: Test\nvergadering: X-groep\ndatum: "2026-12-10"\n')
    assert problems_text(site_root) == [
        "content/handouts/x.yaml:1:1: error: de bundel kiest geen fiches (geef een lijst 'fiches', een 'filter' of beide)"]


def test_dates_must_exist_and_be_written_as_iso(site_root, write_sheet):
    write_sheet(BUNDLE.format("x"), 'titel: Test\nvergadering: X-groep\ndatum: "2026-02-30"\nfiches: [vop]\n')
    write_sheet(BUNDLE.format("y"), 'titel: Test\nvergadering: X-groep\ndatum: 10/12/2026\nfiches: [vop]\n')
    assert problems_text(site_root) == [
        "content/handouts/x.yaml:3:8: error: de datum '2026-02-30' bestaat niet (kijk dag en maand na)",
        "content/handouts/y.yaml:3:8: error: '10/12/2026' is ongeldig (Schrijf de datum als JJJJ-MM-DD, "
        "tussen aanhalingstekens (bv. \"2026-12-08\").)",
    ]


def test_yaml_errors_in_a_bundle_keep_their_place(site_root, write_sheet):
    write_sheet(BUNDLE.format("x"), 'titel: Test\ntitel: Nog eens\n')
    write_sheet(BUNDLE.format("Hoofdletters"), 'titel: Test\nvergadering: X-groep\ndatum: "2026-12-10"\nfiches: [vop]\n')
    assert problems_text(site_root) == [
        "content/handouts/Hoofdletters.yaml:1:1: error: de bestandsnaam 'Hoofdletters' is geen geldige naam voor "
        "een adres (gebruik kleine letters, cijfers en koppeltekens, bv. actiegroep-december.yaml)",
        "content/handouts/x.yaml:2:1: error: de sleutel 'titel' staat er twee keer (eerder op regel 1; houd er één)",
    ]


def test_a_bad_bundle_fails_validate_and_the_build(site_root, write_sheet, build_site, capsys):
    write_sheet(BUNDLE.format("x"), 'titel: Test\nvergadering: X-groep\ndatum: "2026-12-10"\nfiches: [vopp]\n')
    assert main(["--root", str(site_root), "validate"]) == 1
    assert "content/handouts/x.yaml:4:10: error: onbekende fiche 'vopp' (bedoel je 'vop'?)" in capsys.readouterr().out
    problems, output = build_site()
    assert [p.format_text() for p in problems] == [
        "content/handouts/x.yaml:4:10: error: onbekende fiche 'vopp' (bedoel je 'vop'?)"]
    assert not output.exists()


def test_shipped_bundles_are_valid_and_keep_their_order():
    kb, problems = read_knowledge_base(REPO)
    assert problems == []
    bundles = {h.slug: h for h in kb.handouts}
    assert bundles["werkplekleren"].sheet_ids == (
        "werkplekleren", "ibo", "ibo-t", "ibo-plus", "bvs", "wes", "os", "bis", "individueel-maatwerk")
    reintegration = bundles["actiegroep-re-integratie"].sheet_ids
    assert reintegration[0] == "actiegroep-re-integratie"
    assert all(kb.sheets[i].cellen for i in reintegration[1:]), "the rest are initiatives of the matrix"


def test_schema_describes_every_field_in_dutch():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    fields = {**schema["properties"], **schema["properties"]["filter"]["properties"]}
    assert all(node.get("description") for node in fields.values())
    assert "vergadering" in schema["description"]


def test_a_bundle_without_a_meeting_date_is_valid(site_root, write_sheet):
    write_sheet(BUNDLE.format("x"), "titel: Test\nvergadering: X-groep\nfiches: [vop]\n")
    kb, problems = read_knowledge_base(site_root)
    assert problems == []
    assert [h.datum for h in kb.handouts] == [None]


def test_sinds_is_read_as_a_date_and_a_date_the_calendar_lacks_is_refused(site_root, write_sheet):
    write_sheet(BUNDLE.format("x"), 'titel: Test\nvergadering: X-groep\nsinds: "2026-10-13"\nfiches: [vop]\n')
    kb, problems = read_knowledge_base(site_root)
    assert problems == [] and [h.sinds for h in kb.handouts] == [dt.date(2026, 10, 13)]
    write_sheet(BUNDLE.format("x"), 'titel: Test\nvergadering: X-groep\nsinds: "2026-02-30"\nfiches: [vop]\n')
    assert problems_text(site_root) == [
        "content/handouts/x.yaml:3:8: error: de datum '2026-02-30' bestaat niet (kijk dag en maand na)"]
