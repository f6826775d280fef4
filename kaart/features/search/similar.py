"""'Gelijkaardige initiatieven': the factsheets a coach would call alike: words in common, weighed
by the same kind of help, the same situation and the same target groups; thin sheets are not offered.

More-like-this as Whoosh does it (the key terms of a document by tf-idf, then the documents that
score best on them), computed directly on term counts from Whoosh's Dutch analyzer. Whoosh's own
`more_like` costs 10-25 ms a query (minutes for thousands of factsheets); this costs a fraction
of a millisecond, is exact and deterministic (no index order, ties break on the id), and the
expensive part, analysing the text, is kept per text between builds.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
from whoosh.analysis import LanguageAnalyzer
from whoosh.lang import stemmer_for_language

from kaart.core import registry
from kaart.core.store import Store
from kaart.features.search.corpus import all_extra_terms, sheet_text
from kaart.core.model import KnowledgeBase
from kaart.core.workers import map_shares, worker_count

SIMILAR_LIMIT = 5
KEY_TERMS = 25
# A sheet that lacks this many of the fields a page asks for says too little to be recommended.
THIN_MISSING = 2
# A term in more than this share of the factsheets (and in more than 50) says little about any
# one of them, and its long list of factsheets would dominate the cost: it is left out.
MAX_DOCUMENT_SHARE = 0.5
MIN_COMMON = 50
_TF_TABLE = 256  # counts below this take their tf from a table

_ANALYZER = LanguageAnalyzer("nl")
# The analyzer's own parts, applied without its chain of token objects (2.3x faster; the test
# compares both on every shipped text): its tokenizer pattern, lowercasing, stop words, stemmer.
_TOKENIZER, _, _STOP_FILTER, _ = _ANALYZER.items
_STEMMER = stemmer_for_language("nl")
_STEMS: dict[str, str] = {}
_PIECE_STEMS: dict[str, tuple[str, ...]] = {}  # by piece of text between white space
# The tokenizer's pattern with its group made non-capturing, so that `findall` gives whole tokens
# (without match objects).
_TOKENS = re.compile(_TOKENIZER.expression.pattern.replace("(", "(?:"), _TOKENIZER.expression.flags)
assert _TOKENS.groups == 0 and "\\(" not in _TOKENIZER.expression.pattern, "Whoosh's tokenizer pattern changed"


def term_counts(text: str) -> Counter[str]:
    """Dutch stems without stop words, counted: what Whoosh's Dutch analyzer yields.

    A token never holds white space, so each distinct white-space-separated piece of text is
    analysed once per process and its stems are counted for every occurrence (the tokenizer's
    pattern over whole texts, and counting in Python, cost 1.2 s for 5,000 realistic texts)."""
    pieces = text.split()
    for piece in {piece for piece in pieces if piece not in _PIECE_STEMS}:
        _PIECE_STEMS[piece] = _stems_of(piece)
    return Counter(chain.from_iterable(map(_PIECE_STEMS.__getitem__, pieces)))


def _stems_of(piece: str) -> tuple[str, ...]:
    stems = []
    stops, shortest = _STOP_FILTER.stops, _STOP_FILTER.min
    for word in _TOKENS.findall(piece):
        word = word.lower()
        if len(word) >= shortest and word not in stops:
            stem = _STEMS.get(word)
            if stem is None:
                stem = _STEMS[word] = _STEMMER(word)
            stems.append(stem)
    return tuple(stems)


def analyzer_term_counts(text: str) -> Counter[str]:
    """The same through Whoosh's analyzer itself (the definition `term_counts` is tested against)."""
    return Counter(token.text for token in _ANALYZER(text))


def _all_counts(texts: Mapping[str, str], store: Store) -> dict[str, Counter[str]]:
    """Term counts per factsheet; unchanged texts come from the build cache."""
    digests = {key: hashlib.sha256(text.encode("utf-8")).hexdigest() for key, text in texts.items()}
    cached: dict[str, Counter[str]] = store.get_pickled("terms", {}, lambda v: isinstance(v, dict))
    missing = sorted(key for key in texts if digests[key] not in cached)
    fresh = {}
    for share in map_shares(lambda keys: {k: term_counts(texts[k]) for k in keys}, missing, worker_count(len(missing))):
        fresh.update(share)
    counts = {key: fresh[key] if key in fresh else cached[digests[key]] for key in sorted(texts)}
    if missing or cached.keys() != set(digests.values()):  # unchanged: no need to write it again
        store.put_pickled("terms", {digests[key]: counts[key] for key in counts})
    return counts


@dataclass(frozen=True)
class _Vectors:
    """Length-normalised tf-idf vectors of all factsheets, leaving out terms too common to tell
    factsheets apart, and the postings of each term, in flat arrays.

    Each (factsheet, term) pair is one entry, factsheets in key order and each one's terms in the
    order its counts hold them; the sums of squares add up in that order, as a loop over a
    dictionary per factsheet would (dictionaries per factsheet took 0.25 s at 5,000 factsheets and
    the postings made from them 0.2 s, on one core while the other waited)."""

    keys: list[str]
    starts: np.ndarray  # where each factsheet's pairs begin (and, last, where they end)
    terms: np.ndarray  # the term id of each pair
    weights: np.ndarray  # its weight in the factsheet's vector
    bounds: list[int]  # per term id: where its postings begin (and end) in `documents` / `values`
    documents: np.ndarray  # the postings' factsheet positions, by term, each term's in key order
    values: np.ndarray  # their weights
    shared: np.ndarray  # per term id: whether more than one factsheet has it
    alphabetical: np.ndarray  # per term id: its place in alphabetical order

    @classmethod
    def of(cls, counts: Mapping[str, Counter[str]]) -> _Vectors:
        keys = sorted(counts)
        pair_terms = list(chain.from_iterable(counts[key] for key in keys))
        term_ids = {term: n for n, term in enumerate(dict.fromkeys(pair_terms))}
        ids = np.fromiter(map(term_ids.__getitem__, pair_terms), dtype=np.int64, count=len(pair_terms))
        times = np.fromiter(chain.from_iterable(counts[key].values() for key in keys), dtype=np.int64,
                            count=len(pair_terms))
        owner = np.repeat(np.arange(len(keys)), [len(counts[key]) for key in keys])
        frequency = np.bincount(ids, minlength=len(term_ids))
        limit = max(MIN_COMMON, MAX_DOCUMENT_SHARE * len(keys))
        # Each term's idf and each small count's tf worked out once, in Python's own arithmetic;
        # the products, sums and quotients below are the same IEEE operations per pair. (0.0: a
        # term too common, whose pairs are left out next.)
        idf = np.array([math.log((len(keys) + 1) / f) if f <= limit else 0.0 for f in frequency.tolist()])
        kept = frequency[ids] <= limit
        ids, times, owner = ids[kept], times[kept], owner[kept]
        tf = np.array([1 + math.log(n) if n else 0.0 for n in range(_TF_TABLE)])[np.minimum(times, _TF_TABLE - 1)]
        if (large := times >= _TF_TABLE).any():
            tf[large] = [1 + math.log(n) for n in times[large].tolist()]
        raw = tf * idf[ids]
        norms = np.sqrt(np.bincount(owner, raw * raw, minlength=len(keys)))
        norms[norms == 0.0] = 1.0
        weights = raw / norms[owner]
        order = np.argsort(ids, kind="stable")
        bounds = np.searchsorted(ids[order], np.arange(len(term_ids) + 1))
        alphabetical = np.empty(len(term_ids), dtype=np.int64)
        alphabetical[[term_ids[term] for term in sorted(term_ids)]] = np.arange(len(term_ids))
        return cls(keys, np.concatenate(([0], np.cumsum(np.bincount(owner, minlength=len(keys))))), ids, weights,
                   bounds.tolist(), owner[order], weights[order], np.diff(bounds) > 1, alphabetical)

    def key_terms(self, position: int) -> tuple[np.ndarray, np.ndarray]:
        """A factsheet's key terms and their weights: its heaviest terms that another factsheet
        shares (a term of its own finds nothing), heaviest first, equal weights by term."""
        start, end = self.starts[position], self.starts[position + 1]
        terms, weights = self.terms[start:end], self.weights[start:end]
        shared = self.shared[terms]
        terms, weights = terms[shared], weights[shared]
        best = np.lexsort((self.alphabetical[terms], -weights))[:KEY_TERMS]
        return terms[best], weights[best]

    def scores(self, terms: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Each term's share added to the factsheets that have it, in term order, as one count."""
        spans = [(self.bounds[term], self.bounds[term + 1]) for term in terms.tolist()]
        return np.bincount(np.concatenate([self.documents[a:b] for a, b in spans]),
                           np.concatenate([weight * self.values[a:b] for weight, (a, b) in zip(weights, spans)]),
                           minlength=len(self.keys))


def similar_sheets(kb: KnowledgeBase, limit: int = SIMILAR_LIMIT, store: Store | None = None) -> dict[str, tuple[str, ...]]:
    """Up to `limit` factsheets of the same type per factsheet, most alike first, leaving out the
    ones it is already related to (the page lists those already)."""
    store = store or Store.off()
    extra = all_extra_terms(kb, store)
    texts = {key: sheet_text(sheet) + "\n" + " ".join(extra[key]) for key, sheet in kb.sheets.items()}
    vectors = _Vectors.of(_all_counts(texts, store))
    keys = vectors.keys
    position = {key: i for i, key in enumerate(keys)}
    related: dict[str, set[int]] = defaultdict(set)
    for rel in kb.relations:
        related[rel.source].add(position[rel.target])
        related[rel.target].add(position[rel.source])
    types = np.array([kb.sheets[key].type for key in keys])
    kinds, cells, groups = _profile_bits(kb, keys)
    thin = np.array([len(kb.missing_fields(kb.sheets[key])) >= THIN_MISSING for key in keys])
    # Never offered to a factsheet of a type: the other types' factsheets and the thin ones.
    left_out = {sheet_type: (types != sheet_type) | thin for sheet_type in set(types.tolist())}

    def rank(share: Sequence[str]) -> dict[str, tuple[str, ...]]:
        found = {}
        for key in share:
            i = position[key]
            terms, weights = vectors.key_terms(i)
            if not len(terms):
                found[key] = ()
                continue
            scores = vectors.scores(terms, weights)
            scores[left_out[kb.sheets[key].type]] = 0.0
            scores[[i, *related[key]]] = 0.0
            # Only the factsheets that can still be offered are weighed further.
            candidates = np.flatnonzero(scores)
            values = scores[candidates]
            if kb.sheets[key].type == "initiatief":
                # Words alone find the DVZ registration for IMW ("arbeidsmarkt", "toegang"); the same
                # kind of help for the same people is what makes two offers alternatives.
                values *= (0.2 + _overlap(kinds, i, candidates) + 0.5 * _overlap(cells, i, candidates)) \
                    * (0.2 + _overlap(groups, i, candidates))
            found[key] = tuple(keys[p] for p in _best(candidates, values, limit))
        return found

    result: dict[str, tuple[str, ...]] = {}
    for share in map_shares(rank, keys, worker_count(len(keys))):
        result.update(share)
    return {key: result[key] for key in keys}


def _profile_bits(kb: KnowledgeBase, keys: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per sheet, its kinds of help, its cells and its target groups as bit sets."""
    kind_bit = {kind: 1 << n for n, kind in enumerate(registry.kinds())}
    cell_bit = {(s, k): 1 << n for n, (s, k) in enumerate((s, k) for s in registry.situations() for k in registry.kinds())}
    group_bit = {group: 1 << n for n, group in enumerate(registry.target_groups())}
    kinds, cells, groups = [], [], []
    for key in keys:
        sheet = kb.sheets[key]
        sheet_cells = getattr(sheet, "cellen", ())
        kinds.append(sum({kind_bit[c.soort] for c in sheet_cells}))
        cells.append(sum({cell_bit[(c.situatie, c.soort)] for c in sheet_cells}))
        groups.append(sum({group_bit[g] for g in getattr(sheet, "doelgroepen", ())}))
    return tuple(np.array(bits, dtype=np.int64) for bits in (kinds, cells, groups))


def _overlap(bits: np.ndarray, i: int, others: np.ndarray) -> np.ndarray:
    """Jaccard overlap of the bit sets of the sheets at `others` with sheet i's (0 where both are empty)."""
    theirs = bits[others]
    both = _popcount(theirs & bits[i])
    either = _popcount(theirs | bits[i])
    return np.divide(both, either, out=np.zeros(len(theirs)), where=either > 0)


def _popcount(values: np.ndarray) -> np.ndarray:
    """The number of bits set in each value (numpy's own: eight table lookups a value cost 2 s of
    the similar lists at 5,000 sheets)."""
    return np.bitwise_count(values).astype(np.int64)


def _best(positions: np.ndarray, scores: np.ndarray, limit: int) -> list[int]:
    """The `limit` positions with the highest positive scores, ties broken by position (= by id).

    Scores are compared rounded to 9 decimals, so that sums that differ only in their last bits
    tie; only the few candidates that can make the list are rounded and sorted in Python.
    `positions` ascend.
    """
    keep = scores > 0
    positions, scores = positions[keep], scores[keep]
    if len(scores) > 4 * limit:
        threshold = np.partition(scores, -limit)[-limit]
        near = scores >= threshold - 1e-9
        positions, scores = positions[near], scores[near]
    ranked = sorted(zip(positions.tolist(), scores.tolist()), key=lambda pair: (-round(pair[1], 9), pair[0]))
    return [position for position, _ in ranked[:limit]]
