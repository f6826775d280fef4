"""The comparisons emitter: pages for every definition and the compare-any JSON."""

from __future__ import annotations

import json

from kaart.core import registry
from kaart.content.comparisons import row_state
from kaart.features.output import DataFile, Page
from kaart.features.compare.pages import DATA_PATH, compare_json, emit
from kaart.content.project import read_knowledge_base

from .conftest import REPO


def shipped_kb():
    kb, problems = read_knowledge_base(REPO)
    assert problems == []
    return kb


def test_emits_a_page_per_comparison_the_index_and_the_data():
    kb = shipped_kb()
    outputs = list(emit(kb))
    pages = [o.save_as for o in outputs if isinstance(o, Page)]
    assert pages == [f"vergelijken/{c.id}/index.html" for c in kb.comparisons] + ["vergelijken/index.html",
                                                                               "vergelijk/index.html"]
    assert [o.save_as for o in outputs if isinstance(o, DataFile)] == [DATA_PATH]


def test_data_holds_every_initiative_with_its_attributes_and_sources():
    kb = shipped_kb()
    data = json.loads(compare_json(kb))
    assert data["max"] == 4
    assert [a["key"] for a in data["kenmerken"]] == list(registry.ATTRIBUTE_LABELS)
    by_id = {sheet["id"]: sheet for sheet in data["fiches"]}
    assert set(by_id) == {s.id for s in kb.initiatives}
    assert [s["id"] for s in data["fiches"]] == sorted(by_id), "sorted, so the file is stable"
    ibo = kb.sheets["ibo"]
    for attribute in ibo.kenmerken:
        value = by_id["ibo"]["kenmerken"][attribute.key]
        assert value["waarde"] == attribute.waarde
        assert data["bronnen"][value["bron"]]["label"] == attribute.bron.label
    assert data["afkortingen"]["imw"] == "individueel-maatwerk"
    assert by_id["vop"]["status"] == "uitdovend" and by_id["vop"]["pad"] == "initiatives/vop.yaml"


def test_browser_equality_groups_agree_with_the_shipped_pages():
    """compare.js calls two values equal when their group numbers match; the pages use row_state."""
    kb = shipped_kb()
    data = json.loads(compare_json(kb))
    by_id = {sheet["id"]: sheet for sheet in data["fiches"]}
    for comparison in kb.comparisons:
        for row in comparison.table().rows:
            groups = [by_id[sid]["kenmerken"].get(row.key) for sid in comparison.ids]
            known = [g["gelijk"] for g in groups if g]
            browser_state = ("verschilt" if len(set(known)) > 1
                             else "gelijk" if len(known) == len(groups) >= 2 else "onvolledig")
            assert browser_state == row.state == row_state(
                [g["waarde"] if g else None for g in groups]), (comparison.id, row.key)


def test_data_is_byte_identical_across_runs():
    assert compare_json(shipped_kb()) == compare_json(shipped_kb())
