"""Similar factsheets: deterministic, same type, never the ones already related, cached analysis."""

from __future__ import annotations

import dataclasses

import pytest
import yaml

from kaart.core import store as cache
from kaart.features.search import similar
from kaart.content.project import read_knowledge_base
from kaart.core.model import KnowledgeBase
from kaart.features.search.corpus import sheet_text
from kaart.features.search.similar import analyzer_term_counts, similar_sheets, term_counts

from .conftest import REPO


@pytest.fixture(scope="module")
def kb():
    kb, problems = read_knowledge_base(REPO)
    assert problems == []
    return kb


def test_dutch_analysis_stems_and_drops_stop_words():
    counts = term_counts("De werkgevers en een werkgever vragen premies aan")
    assert counts["werkgever"] == 2 and "de" not in counts and "een" not in counts


def test_term_counts_are_exactly_what_the_whoosh_analyzer_yields():
    # term_counts applies the analyzer's parts directly; same terms, counts and order of first use.
    import random
    import sys

    sys.path.insert(0, str(REPO / "scripts"))
    from synthetic import _zipf_paragraphs

    texts = [path.read_text(encoding="utf-8") for folder in ("initiatives", "organisations")
             for path in sorted((REPO / folder).glob("*.yaml"))]
    rng = random.Random(7)
    texts += [_zipf_paragraphs(rng, 300) for _ in range(50)]
    texts.append("Ünïcödé WERKGEVER's e-mail 3.5 re-integratie a.b.c. ** x*y Œuvre ĳs İstanbul straße ǅ _ 1")
    # Pieces between white space are analysed once per process: every kind of white space, and the
    # same piece beside other words, must give what the analyzer gives on the whole text.
    texts.append("werk\u00a0premie\twerk\x1cpremie\u2003werk.premie\r\nwerk,premie werk\x85werk premies")
    texts.append("premie werk.premie werk")
    for text in texts:
        assert list(term_counts(text).items()) == list(analyzer_term_counts(text).items())


def test_similar_is_deterministic_and_leaves_out_related_sheets(kb):
    first = similar_sheets(kb)
    assert first == similar_sheets(kb)
    for sheet_id, others in first.items():
        assert len(others) <= 5 and sheet_id not in others
        assert all(kb.sheets[other].type == kb.sheets[sheet_id].type for other in others)
    related_to_bvs = {r.target for r in kb.relations if r.source == "bvs"} | {r.source for r in kb.relations if r.target == "bvs"}
    assert related_to_bvs and not related_to_bvs & set(first["bvs"])


def test_similar_finds_what_shares_the_distinctive_words(kb):
    assert "begeleidingspremie-imw" in similar_sheets(kb)["vop"]
    assert {"os", "bis"} <= set(similar_sheets(kb)["wes"])


def test_similar_weighs_the_kind_of_help_and_the_people_it_is_for(kb):
    """Issue 15: IMW listed the DVZ registration and VDAB's newcomer mediation, BVS the VOP premium."""
    similar = similar_sheets(kb)
    assert not {"registratie-dvz", "vdab-bemiddeling-nieuwkomers"} & set(similar["individueel-maatwerk"])
    assert "vop" not in similar["bvs"]
    assert {"os", "bis", "wes"} & set(similar["ibo"])


def test_thin_sheets_are_not_offered_as_similar(kb):
    thin = {s.id for s in kb.sheets.values() if len(kb.missing_fields(s)) >= similar.THIN_MISSING}
    assert thin, "the shipped content has a few honest stubs"
    assert not thin & {other for found in similar_sheets(kb).values() for other in found}


def test_only_changed_texts_are_analysed_again(kb, tmp_path, monkeypatch):
    store = cache.Store(tmp_path, "fingerprint")
    cold = similar_sheets(kb, store=store)
    calls = []
    original = similar.term_counts
    monkeypatch.setattr(similar, "term_counts", lambda text: calls.append(text) or original(text))
    assert similar_sheets(kb, store=store) == cold and calls == []
    changed = dataclasses.replace(kb.sheets["bvs"], samenvatting="Een korte stage om een beroep te verkennen.")
    kb2 = KnowledgeBase.from_sheets([changed if s.id == "bvs" else s for s in kb.sheets.values()])
    warm = similar_sheets(kb2, store=store)
    assert len(calls) == 1 and "verkennen" in calls[0]
    assert warm == similar_sheets(kb2), "the store never changes the result"


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def kinds(sheet) -> set[str]:
    return {cell.soort for cell in getattr(sheet, "cellen", ())}


def reference_similar(kb: KnowledgeBase, limit: int = 5) -> dict[str, tuple[str, ...]]:
    """The plain-Python definition of the ranking (Whoosh's analyzer, dictionaries, full sort)."""
    import math
    from collections import Counter, defaultdict

    from kaart.features.search.corpus import all_extra_terms, sheet_text

    extra = all_extra_terms(kb)
    texts = {key: sheet_text(sheet) + "\n" + " ".join(extra[key]) for key, sheet in kb.sheets.items()}
    counts = {key: similar.analyzer_term_counts(text) for key, text in texts.items()}
    frequency = Counter(term for terms in counts.values() for term in terms)
    too_common = max(similar.MIN_COMMON, similar.MAX_DOCUMENT_SHARE * len(counts))
    weights = {}
    for key, terms in counts.items():
        vector = {t: (1 + math.log(n)) * math.log((len(counts) + 1) / frequency[t])
                  for t, n in terms.items() if frequency[t] <= too_common}
        norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        weights[key] = {t: w / norm for t, w in vector.items()}
    postings = defaultdict(list)
    for key in sorted(weights):
        for term, weight in weights[key].items():
            postings[term].append((key, weight))
    related = defaultdict(set)
    for rel in kb.relations:
        related[rel.source].add(rel.target)
        related[rel.target].add(rel.source)
    result = {}
    for key in sorted(weights):
        vector = weights[key]
        shared = [t for t in vector if len(postings[t]) > 1]
        scores = defaultdict(float)
        for term in sorted(shared, key=lambda t: (-vector[t], t))[:similar.KEY_TERMS]:
            for other, weight in postings[term]:
                scores[other] += vector[term] * weight
        sheet = kb.sheets[key]
        if sheet.type == "initiatief":
            for other in scores:
                scores[other] *= ((0.2 + jaccard(kinds(sheet), kinds(kb.sheets[other]))
                                   + 0.5 * jaccard(set(sheet.cellen), set(getattr(kb.sheets[other], "cellen", ()))))
                                  * (0.2 + jaccard(set(sheet.doelgroepen),
                                                   set(getattr(kb.sheets[other], "doelgroepen", ())))))
        candidates = [(round(score, 9), other) for other, score in scores.items()
                      if other != key and other not in related[key] and kb.sheets[other].type == sheet.type
                      and len(kb.missing_fields(kb.sheets[other])) < similar.THIN_MISSING and score > 0]
        result[key] = tuple(other for _, other in sorted(candidates, key=lambda p: (-p[0], p[1]))[:limit])
    return result


def test_the_fast_ranking_equals_the_plain_definition(kb, tmp_path, monkeypatch):
    import sys

    sys.path.insert(0, str(REPO / "scripts"))
    from synthetic import write_realistic_project

    assert similar_sheets(kb) == reference_similar(kb)
    # A corpus where common words reach most factsheets: long postings, many near-ties.
    write_realistic_project(tmp_path, 300)
    synthetic, problems = read_knowledge_base(tmp_path)
    assert problems == []
    expected = reference_similar(synthetic)
    assert similar_sheets(synthetic) == expected
    monkeypatch.setenv("KAART_WORKERS", "2")  # the ranking shared between two processes
    assert similar_sheets(synthetic) == expected


def test_a_word_written_hundreds_of_times_weighs_as_the_plain_definition_says(tmp_path):
    """Counts of 256 and more take their tf from the logarithm itself, not from the table."""
    import sys

    sys.path.insert(0, str(REPO / "scripts"))
    from synthetic import write_realistic_project

    write_realistic_project(tmp_path, 60)
    path = sorted((tmp_path / "initiatives").glob("*.yaml"))[3]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["beschrijving"] += "\n\n" + " ".join(["loonpremie"] * 300) + "\n"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    kb, problems = read_knowledge_base(tmp_path)
    assert problems == []
    assert max(similar.term_counts(sheet_text(kb.sheets[path.stem])).values()) == 300
    assert similar_sheets(kb) == reference_similar(kb)
