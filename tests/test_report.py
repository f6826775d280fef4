"""`kaart report`: the Markdown list of what needs care, in a fixed order."""

from __future__ import annotations

import datetime as dt
import re

from kaart.cli import main
from kaart.content.project import read_knowledge_base
from kaart.features.report import care_report, months_before, organisations_without_initiatives, stale_sheets

from .conftest import VALID_INITIATIVE

TODAY = dt.date(2026, 11, 23)


def test_a_sheet_not_reviewed_for_over_twelve_months_is_stale(site_root, write_sheet):
    write_sheet("initiatives/oud.yaml", VALID_INITIATIVE.format(id="oud").replace("2026-11-01", "2025-11-22"))
    write_sheet("initiatives/net.yaml", VALID_INITIATIVE.format(id="net").replace("2026-11-01", "2025-11-23"))
    kb, problems = read_knowledge_base(site_root)
    assert problems == []
    assert [s.id for s in stale_sheets(kb, TODAY)] == ["oud"], "exactly twelve months is not yet stale"
    report = care_report(kb, TODAY)
    stale_part = report.split("## ")[1]
    assert stale_part.startswith("Niet nagekeken in meer dan 12 maanden (1)")
    assert "- **Een initiatief** (`initiatives/oud.yaml`): laatst nagekeken op 22 november 2025" in stale_part


def test_stale_sheets_are_listed_oldest_first(site_root, write_sheet):
    write_sheet("initiatives/a.yaml", VALID_INITIATIVE.format(id="a").replace("2026-11-01", "2024-05-01"))
    write_sheet("initiatives/b.yaml", VALID_INITIATIVE.format(id="b").replace("2026-11-01", "2023-05-01"))
    kb, _ = read_knowledge_base(site_root)
    assert [s.id for s in stale_sheets(kb, TODAY)] == ["b", "a"]


def test_twelve_months_back_from_a_day_that_does_not_exist_is_the_month_end():
    assert months_before(dt.date(2024, 2, 29), 12) == dt.date(2023, 2, 28)
    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)


def test_empty_fields_relations_and_organisations_without_initiatives_are_listed(site_root, write_sheet):
    write_sheet("initiatives/los.yaml", VALID_INITIATIVE.format(id="los"))
    write_sheet("organisations/nieuw.yaml", """\
        type: organisatie
        id: nieuw
        titel: Nieuwe vzw
        samenvatting: Een organisatie zonder aanbod.
        bronnen:
          - {deck: netwerk-2022, dia: Mapping initiatieven}
        laatst_nagekeken: "2026-11-01"
    """)
    kb, _ = read_knowledge_base(site_root)
    report = care_report(kb, TODAY)
    assert "- **Een initiatief** (`initiatives/los.yaml`): `beschrijving`, `doelgroepen`, `aanbieders`, `regio`, `contact`" in report
    assert "- **Nieuwe vzw** (`organisations/nieuw.yaml`): `website`, `contact`, `regio`" in report
    unrelated = report.split("## Fiches zonder relaties")[1].split("## ")[0]
    assert "`initiatives/los.yaml`" in unrelated and "`organisations/nieuw.yaml`" in unrelated
    assert [o.id for o in organisations_without_initiatives(kb)] == ["nieuw"]


def test_the_report_is_deterministic_and_sorted_by_path(site_root):
    kb, _ = read_knowledge_base(site_root)
    first = care_report(kb, TODAY)
    assert first == care_report(read_knowledge_base(site_root)[0], TODAY)
    paths = re.findall(r"`((?:initiatives|organisations)/[^`]+)`", first.split("## Velden")[1].split("## ")[0])
    assert paths == sorted(paths) and paths


def test_titles_cannot_break_the_markdown(site_root, write_sheet):
    write_sheet("initiatives/raar.yaml", VALID_INITIATIVE.format(id="raar").replace(
        "titel: Een initiatief", 'titel: "[klik](https://x) *vet* <b>"'))
    kb, _ = read_knowledge_base(site_root)
    assert r"**\[klik\](https://x) \*vet\* \<b\>**" in care_report(kb, TODAY)


def test_pages_show_nog_aan_te_vullen_exactly_where_the_report_says(build_site, site_root, write_sheet):
    """One definition: every 'nog aan te vullen' on a page is an entry of the report, and back."""
    write_sheet("initiatives/los.yaml", VALID_INITIATIVE.format(id="los"))
    (problems, output) = build_site()
    assert problems == []
    kb, _ = read_knowledge_base(site_root)
    offerless = {o.id for o in organisations_without_initiatives(kb)}
    for sheet in kb.sheets.values():
        expected = len(kb.missing_fields(sheet)) + (not kb.related(sheet.id)) + (sheet.id in offerless)
        html = (output / sheet.url / "index.html").read_text(encoding="utf-8")
        assert html.count('class="todo"') == expected, sheet.id


def test_report_command_prints_markdown_for_a_given_day(site_root, capsys):
    assert main(["--root", str(site_root), "report", "--today", "2030-01-01"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Wat aandacht nodig heeft\n\nPeildatum 1 januari 2030")
    assert "## Niet nagekeken in meer dan 12 maanden (5)" in out


def test_report_command_refuses_invalid_factsheets(site_root, write_sheet, capsys):
    write_sheet("initiatives/x.yaml", "type: initiatief\nid: x\n")
    assert main(["--root", str(site_root), "report"]) == 1
    assert "initiatives/x.yaml" in capsys.readouterr().err


def test_sheets_whose_sources_are_all_older_than_two_years_are_listed(site_root, write_sheet):
    recent = '{url: "https://www.vdab.be", titel: VDAB, geraadpleegd: "2026-10-01"}'
    write_sheet("initiatives/nieuw.yaml", VALID_INITIATIVE.format(id="nieuw").replace(
        "{deck: netwerk-2022, dia: Mapping initiatieven}", recent))
    kb, problems = read_knowledge_base(site_root)
    assert problems == []
    outdated = report_part(care_report(kb, TODAY), "Mogelijk verouderd")
    assert "`initiatives/imw.yaml`): recentste bron van 2022" in outdated
    assert "nieuw.yaml" not in outdated
    assert "nieuw.yaml" in report_part(care_report(kb, dt.date(2028, 11, 2)), "Mogelijk verouderd"), "two years on"


def report_part(report: str, title: str) -> str:
    return report.split(f"## {title}")[1].split("\n## ")[0]
