"""The searchable text and its extra word forms; the build cache never changes the result."""

from __future__ import annotations

import dataclasses

from kaart.features.search import corpus
from kaart.core.store import Store
from kaart.features.search.compounds import Splitter, build_vocabulary, extra_terms
from kaart.content.project import read_knowledge_base
from kaart.core.model import KnowledgeBase

from .conftest import REPO


def uncached_terms(kb: KnowledgeBase) -> dict[str, tuple[str, ...]]:
    splitter = Splitter(build_vocabulary(corpus.vocabulary_texts(kb)))
    return {key: extra_terms(corpus.sheet_text(sheet), splitter) for key, sheet in kb.sheets.items()}


def with_summary(kb: KnowledgeBase, sheet_id: str, summary: str) -> KnowledgeBase:
    sheets = [dataclasses.replace(s, samenvatting=summary) if s.id == sheet_id else s for s in kb.sheets.values()]
    return KnowledgeBase.from_sheets(sheets)


def test_cached_terms_equal_fresh_ones_after_the_vocabulary_changes(tmp_path):
    kb, problems = read_knowledge_base(REPO)
    assert problems == []
    store = Store(tmp_path, "fingerprint")
    assert corpus.all_extra_terms(kb, store) == uncached_terms(kb)
    # "inleving" and "component" on their own make other factsheets' compounds split anew
    # ("beroepsinlevingsstage", "begeleidingscomponent"); a removed word undoes that again.
    before = corpus.all_extra_terms(kb, store)
    steps = ["Over inleving en component.", "Alleen component.", kb.sheets["vop"].samenvatting]
    seen_other_change = False
    for summary in steps:
        kb = with_summary(kb, "vop", summary)
        terms = corpus.all_extra_terms(kb, store)
        assert terms == uncached_terms(kb)
        seen_other_change |= any(terms[k] != before[k] for k in terms if k != "vop")
        before = terms
    assert seen_other_change, "the steps must change another factsheet's terms to test anything"


def test_extra_terms_hold_compound_parts_not_own_words():
    kb, _ = read_knowledge_base(REPO)
    terms = corpus.all_extra_terms(kb)
    text_words = set(corpus.sheet_text(kb.sheets["vop"]).casefold().split())
    assert terms["vop"] and not set(terms["vop"]) & text_words


def test_terms_from_words_kept_by_an_earlier_process_equal_the_terms_of_each_text(tmp_path):
    kb, _ = read_knowledge_base(REPO)
    assert corpus.all_extra_terms(kb, Store(tmp_path, "fingerprint")) == uncached_terms(kb)
    kb = with_summary(kb, "vop", "Over inleving en component.")  # words read back, a changed vocabulary
    assert corpus.all_extra_terms(kb, Store(tmp_path, "fingerprint")) == uncached_terms(kb)


def test_analysed_words_travel_as_one_string_and_come_back_equal():
    # What the store keeps: each text's words once; the vocabulary is derived again on reading.
    import pickle

    kb, _ = read_knowledge_base(REPO)
    for text in ["", "IBO-T", *corpus.vocabulary_texts(kb)]:
        words = corpus._text_words(text)
        sent = pickle.dumps(words, protocol=pickle.HIGHEST_PROTOCOL)
        assert pickle.loads(sent) == words
        assert "\n".join(words.own).encode("utf-8") in sent, "the words as one string"
