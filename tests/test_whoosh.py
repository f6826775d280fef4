"""Whoosh search: Dutch stemming, compounds, ranking, facets, similar factsheets."""

from __future__ import annotations

import pytest

from kaart.content.project import read_knowledge_base
from kaart.features.search.whoosh import SearchIndex

from .conftest import REPO


@pytest.fixture(scope="module")
def kb():
    kb, problems = read_knowledge_base(REPO)
    assert problems == []
    return kb


@pytest.fixture(scope="module")
def index(kb):
    return SearchIndex.build(kb)


def ids(hits):
    return [hit.id for hit in hits]


def test_plural_query_finds_singular_text_by_stemming(index):
    assert "individueel-maatwerk" in ids(index.search("werkgevers", limit=100))


def test_stages_finds_every_internship(index):
    assert {"bvs", "wes", "os", "bis"} <= set(ids(index.search("stages", limit=8)))


def test_part_of_a_compound_finds_the_compound(index):
    # "werkervaringsstage" only exists as a compound in the WES factsheet's title.
    assert "wes" in ids(index.search("werkervaring", limit=5))


def test_abbreviation_ranks_its_factsheet_first(index):
    assert ids(index.search("IBO"))[0] in {"ibo", "ibo-t", "ibo-plus"}
    assert ids(index.search("BVS"))[0] == "bvs"


def test_loonpremie_ranks_an_imw_factsheet_first(index):
    assert ids(index.search("loonpremie"))[0] in {"loonpremie-imw", "individueel-maatwerk"}


def test_facets_restrict_results(index, kb):
    hits = index.search("stage", soort=["opleiding"], limit=100)
    assert hits
    assert all(any(c.soort == "opleiding" for c in kb.sheets[h.id].cellen) for h in hits)


def test_ranking_is_by_score_then_id(index):
    hits = index.search("premie", limit=100)
    assert [(-h.score, h.id) for h in hits] == sorted((-h.score, h.id) for h in hits)


def test_cached_index_updates_only_changed_documents(kb, tmp_path):
    cold = SearchIndex.build(kb, tmp_path)
    assert cold.updated == len(kb.sheets)
    warm = SearchIndex.build(kb, tmp_path)
    assert warm.updated == 0
    assert ids(warm.search("stage")) == ids(cold.search("stage"))


def test_cache_after_a_change_reindexes_one_document_and_finds_its_new_text(kb, tmp_path):
    import dataclasses

    from kaart.core.model import KnowledgeBase

    SearchIndex.build(kb, tmp_path)
    changed = dataclasses.replace(kb.sheets["bvs"], samenvatting="Een korte stage om een beroep te verkennen.")
    kb2 = KnowledgeBase.from_sheets([changed if s.id == "bvs" else s for s in kb.sheets.values()])
    warm = SearchIndex.build(kb2, tmp_path)
    assert warm.updated == 1
    assert set(ids(warm.search("verkennen"))) == set(ids(SearchIndex.build(kb2).search("verkennen")))

