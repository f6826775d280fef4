"""'Gelijkaardige initiatieven': the factsheets whose words are most like a factsheet's own.

More-like-this as Whoosh does it (the key terms of a document by tf-idf, then the documents that
score best on them), computed directly on term counts from Whoosh's Dutch analyzer. Whoosh's own
`more_like` costs 10-25 ms a query (minutes for thousands of factsheets); this costs a fraction
of a millisecond, is exact and deterministic (no index order, ties break on the id), and the
expensive part, analysing the text, is kept per text between builds.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Mapping

from whoosh.analysis import LanguageAnalyzer

from .cache import RESULTS
from .corpus import all_extra_terms, sheet_text
from .model import KnowledgeBase
from .workers import map_shares, worker_count

SIMILAR_LIMIT = 5
KEY_TERMS = 25
# A term in more than this share of the factsheets (and in more than 50) says little about any
# one of them, and its long list of factsheets would dominate the cost: it is left out.
MAX_DOCUMENT_SHARE = 0.5
MIN_COMMON = 50

_ANALYZER = LanguageAnalyzer("nl")


def term_counts(text: str) -> Counter[str]:
    """Dutch stems without stop words, counted."""
    return Counter(token.text for token in _ANALYZER(text))


def _all_counts(texts: Mapping[str, str]) -> dict[str, Counter[str]]:
    """Term counts per factsheet; unchanged texts come from the build cache."""
    digests = {key: hashlib.sha256(text.encode("utf-8")).hexdigest() for key, text in texts.items()}
    cached: dict[str, Counter[str]] = RESULTS.get_pickled("terms", {})
    missing = sorted(key for key in texts if digests[key] not in cached)
    fresh = {}
    for share in map_shares(lambda keys: {k: term_counts(texts[k]) for k in keys}, missing, worker_count(len(missing))):
        fresh.update(share)
    counts = {key: fresh[key] if key in fresh else cached[digests[key]] for key in sorted(texts)}
    RESULTS.put_pickled("terms", {digests[key]: counts[key] for key in counts})
    return counts


def _weights(counts: dict[str, Counter[str]]) -> dict[str, dict[str, float]]:
    """Length-normalised tf-idf vectors, leaving out terms too common to tell factsheets apart."""
    documents = len(counts)
    frequency: Counter[str] = Counter()
    for terms in counts.values():
        frequency.update(terms.keys())
    limit = max(MIN_COMMON, MAX_DOCUMENT_SHARE * documents)
    weights = {}
    for key, terms in counts.items():
        vector = {t: (1 + math.log(n)) * math.log((documents + 1) / frequency[t])
                  for t, n in terms.items() if frequency[t] <= limit}
        norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        weights[key] = {t: w / norm for t, w in vector.items()}
    return weights


def similar_sheets(kb: KnowledgeBase, limit: int = SIMILAR_LIMIT) -> dict[str, tuple[str, ...]]:
    """Up to `limit` factsheets of the same type per factsheet, most alike first, leaving out the
    ones it is already related to (the page lists those already)."""
    extra = all_extra_terms(kb)
    texts = {key: sheet_text(sheet) + "\n" + " ".join(extra[key]) for key, sheet in kb.sheets.items()}
    weights = _weights(_all_counts(texts))
    postings: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for key in sorted(weights):
        for term, weight in weights[key].items():
            postings[term].append((key, weight))
    related: dict[str, set[str]] = defaultdict(set)
    for rel in kb.relations:
        related[rel.source].add(rel.target)
        related[rel.target].add(rel.source)
    result = {}
    for key in sorted(weights):
        vector = weights[key]
        # Key terms: the heaviest ones that another factsheet shares (a term of its own finds nothing).
        shared = [t for t in vector if len(postings[t]) > 1]
        key_terms = sorted(shared, key=lambda t: (-vector[t], t))[:KEY_TERMS]
        scores: dict[str, float] = defaultdict(float)
        for term in key_terms:
            for other, weight in postings[term]:
                scores[other] += vector[term] * weight
        sheet_type = kb.sheets[key].type
        candidates = [(round(score, 9), other) for other, score in scores.items()
                      if other != key and other not in related[key] and kb.sheets[other].type == sheet_type]
        result[key] = tuple(other for _, other in sorted(candidates, key=lambda p: (-p[0], p[1]))[:limit])
    return result
