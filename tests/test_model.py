"""The typed model: relations both ways, sorting, locations kept."""

from __future__ import annotations

import dataclasses

import pytest

from kaart.content.project import read_knowledge_base
from kaart.core.model import Figure, Initiative, sort_key


@pytest.fixture
def kb(site_root):
    kb, problems = read_knowledge_base(site_root)
    assert problems == []
    return kb


def test_sheets_are_frozen(kb):
    with pytest.raises(dataclasses.FrozenInstanceError):
        kb.sheets["imw"].titel = "x"


def test_relation_is_stated_once_and_read_both_ways(kb):
    assert [(g.label, [s.id for s in g.sheets]) for g in kb.related("vop")] == [("vervangen door", ["imw"])]
    imw = {g.label: [s.id for s in g.sheets] for g in kb.related("imw")}
    assert imw == {"vervangt": ["vop"], "zie ook": ["sine"], "aangeboden door": ["vdab"]}


def test_symmetric_relation_uses_the_same_words_both_ways(kb):
    assert [g.label for g in kb.related("sine")] == ["zie ook"]


def test_providers_become_offer_relations(kb):
    assert [s.id for s in kb.offered_by("vdab")] == ["imw"]
    assert [s.id for s in kb.taking_part_in("vdab")] == ["weeraandeslag"]


def test_values_keep_their_source_location(kb):
    imw = kb.sheets["imw"]
    assert isinstance(imw, Initiative)
    assert str(imw.where("titel")) == "initiatives/imw.yaml:4:8"
    assert str(imw.relaties[0].origin) == "initiatives/imw.yaml:27:5"


def test_a_value_derived_from_the_model_is_computed_once_and_not_carried_to_another_model(kb):
    calls = []
    first = kb.derived("probe", lambda: calls.append(1) or object())
    assert kb.derived("probe", lambda: calls.append(1) or object()) is first
    assert calls == [1]
    other = dataclasses.replace(kb, handouts=())
    assert other.derived("probe", lambda: "fresh") == "fresh", "a new model starts with nothing derived"


def test_data_date_is_the_newest_review(kb):
    assert kb.data_date.isoformat() == "2026-11-20"


def test_sorting_ignores_case_and_accents():
    assert sorted(["Vlaams Patiëntenplatform", "outplacement", "Él"], key=sort_key) == ["Él", "outplacement", "Vlaams Patiëntenplatform"]


def test_figures_use_a_decimal_comma():
    from kaart.core.model import Source
    assert Figure("x", 13.3, Source(url="https://a.be", title="a")).display_value == "13,3"
    assert Figure("x", 24.0, Source(url="https://a.be", title="a")).display_value == "24"


WEB_SOURCE = '{url: "https://www.vdab.be/x", titel: "X", geraadpleegd: "%s"%s}'


def _with_sources(write_sheet, site_root, *sources: str):
    from .conftest import VALID_INITIATIVE

    text = VALID_INITIATIVE.format(id="x").replace(
        "      - {deck: netwerk-2022, dia: Mapping initiatieven}\n",
        "".join(f"      - {source}\n" for source in sources))
    write_sheet("initiatives/x.yaml", text)
    kb, problems = read_knowledge_base(site_root)
    assert problems == [], [p.format_text() for p in problems]
    return kb


def test_a_sheet_whose_sources_are_all_older_than_two_years_is_outdated(site_root, write_sheet):
    # The data date is the newest review in the project: 2026-11-20 (imw.yaml).
    kb = _with_sources(write_sheet, site_root, "{deck: netwerk-2022, dia: Mapping initiatieven}",
                       WEB_SOURCE % ("2026-01-05", ', datum: "2024-10"'))
    assert kb.newest_source_date(kb.sheets["x"]) == "2024-10", "the page's own date, not the day it was read"
    assert kb.is_outdated(kb.sheets["x"])


def test_a_page_read_recently_without_a_date_of_its_own_is_recent(site_root, write_sheet):
    kb = _with_sources(write_sheet, site_root, "{deck: netwerk-2022, dia: Mapping initiatieven}",
                       WEB_SOURCE % ("2026-11-01", ""))
    assert kb.newest_source_date(kb.sheets["x"]) == "2026-11-01"
    assert not kb.is_outdated(kb.sheets["x"])


def test_a_partial_date_counts_until_the_end_of_its_period(site_root, write_sheet):
    kb = _with_sources(write_sheet, site_root, WEB_SOURCE % ("2026-11-01", ', datum: "2024"'))
    assert not kb.is_outdated(kb.sheets["x"]), "2024 may mean 31 December 2024, within two years of 20 November 2026"
    kb = _with_sources(write_sheet, site_root, WEB_SOURCE % ("2026-11-01", ', datum: "2024-10-31"'))
    assert kb.is_outdated(kb.sheets["x"])
    kb = _with_sources(write_sheet, site_root, "{deck: netwerk-2022, dia: Mapping initiatieven}")
    assert kb.newest_source_date(kb.sheets["x"]) == "2022" and kb.is_outdated(kb.sheets["x"])


def test_an_initiative_without_contact_points_borrows_its_providers(site_root, write_sheet):
    contact = ('contact:\n  - naam: VDAB-klantendienst\n    telefoon: "0800 30 700"\n'
               '    bron: {deck: netwerk-2022, dia: Doorverwijzing naar VDAB}\n')
    vdab = site_root / "organisations" / "vdab.yaml"
    vdab.write_text(vdab.read_text(encoding="utf-8").replace("relaties:\n", contact + "relaties:\n"), encoding="utf-8")
    kb, problems = read_knowledge_base(site_root)
    assert problems == []
    points, providers = kb.contact_points(kb.sheets["imw"])
    assert [p.telefoon for p in points] == ["0800 30 700"] and [o.id for o in providers] == ["vdab"]
    assert "contact" not in kb.missing_fields(kb.sheets["imw"])
    assert "contact" in kb.missing_fields(kb.sheets["sine"]), "no provider, no contact point"
    assert kb.contact_points(kb.sheets["vdab"]) == (points, ())


def test_factsheet_figures_and_charts_write_numbers_the_same_way():
    """One Belgian notation (kaart.core.dutch.format_number), not two that disagree."""
    from kaart.core.dutch import format_number
    from kaart.core.model import Source

    for value in (12345, 0.1 + 0.2, 13.3, 1077.8, 24.0, -4500.25):
        assert Figure("x", value, Source(url="https://a.be", title="a")).display_value == format_number(value)
    assert format_number(12345) == "12.345" and format_number(0.1 + 0.2) == "0,3"
