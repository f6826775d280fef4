"""The typed model: relations both ways, sorting, locations kept."""

from __future__ import annotations

import dataclasses

import pytest

from kaart.knowledge import read_knowledge_base
from kaart.model import Figure, Initiative, sort_key


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


def test_data_date_is_the_newest_review(kb):
    assert kb.data_date.isoformat() == "2026-11-20"


def test_sorting_ignores_case_and_accents():
    assert sorted(["Vlaams Patiëntenplatform", "outplacement", "Él"], key=sort_key) == ["Él", "outplacement", "Vlaams Patiëntenplatform"]


def test_figures_use_a_decimal_comma():
    from kaart.model import Source
    assert Figure("x", 13.3, Source(url="https://a.be", title="a")).display_value == "13,3"
    assert Figure("x", 24.0, Source(url="https://a.be", title="a")).display_value == "24"
