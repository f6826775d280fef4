"""Similar factsheets: deterministic, same type, never the ones already related, cached analysis."""

from __future__ import annotations

import dataclasses

import pytest

from kaart import cache, similar
from kaart.knowledge import read_knowledge_base
from kaart.model import KnowledgeBase
from kaart.similar import similar_sheets, term_counts

from .conftest import REPO


@pytest.fixture(scope="module")
def kb():
    kb, problems = read_knowledge_base(REPO)
    assert problems == []
    return kb


def test_dutch_analysis_stems_and_drops_stop_words():
    counts = term_counts("De werkgevers en een werkgever vragen premies aan")
    assert counts["werkgever"] == 2 and "de" not in counts and "een" not in counts


def test_similar_is_deterministic_and_leaves_out_related_sheets(kb):
    first = similar_sheets(kb)
    assert first == similar_sheets(kb)
    for sheet_id, others in first.items():
        assert len(others) <= 5 and sheet_id not in others
        assert all(kb.sheets[other].type == kb.sheets[sheet_id].type for other in others)
    related_to_bvs = {r.target for r in kb.relations if r.source == "bvs"} | {r.source for r in kb.relations if r.target == "bvs"}
    assert related_to_bvs and not related_to_bvs & set(first["bvs"])


def test_similar_finds_what_shares_the_distinctive_words(kb):
    assert "loonpremie-imw" in similar_sheets(kb)["vop"]
    assert {"os", "bis"} <= set(similar_sheets(kb)["wes"])


def test_only_changed_texts_are_analysed_again(kb, tmp_path, monkeypatch):
    monkeypatch.setattr(cache.RESULTS, "directory", tmp_path)
    cold = similar_sheets(kb)
    calls = []
    original = similar.term_counts
    monkeypatch.setattr(similar, "term_counts", lambda text: calls.append(text) or original(text))
    assert similar_sheets(kb) == cold and calls == []
    changed = dataclasses.replace(kb.sheets["bvs"], samenvatting="Een korte stage om een beroep te verkennen.")
    kb2 = KnowledgeBase.from_sheets([changed if s.id == "bvs" else s for s in kb.sheets.values()])
    warm = similar_sheets(kb2)
    assert len(calls) == 1 and "verkennen" in calls[0]
    monkeypatch.setattr(cache.RESULTS, "directory", None)
    assert warm == similar_sheets(kb2), "the cache never changes the result"
