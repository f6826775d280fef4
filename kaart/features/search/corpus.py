"""The searchable text of a factsheet, shared by the browser index (Pagefind) and Whoosh.

A derived view: it reads the model only. Both indexes get the same words, plus the word
forms of `kaart.features.search.compounds` (compound parts, plural pairs), so the site and `kaart search`
find the same factsheets.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from kaart.core import registry
from kaart.core.store import Store
from kaart.features.search.compounds import MIN_COMPOUND, Splitter, build_vocabulary, distinct_words, extra_terms_of_words, vocabulary_of
from kaart.core.model import Initiative, KnowledgeBase, Sheet


def sheet_text(sheet: Sheet) -> str:
    """The words a factsheet is about: title, abbreviation, summary, description, facts, synonyms."""
    parts = [sheet.titel, sheet.afkorting or "", sheet.samenvatting, sheet.beschrijving or "",
             " ".join(sheet.trefwoorden)]
    if isinstance(sheet, Initiative):
        parts += [a.waarde for a in sheet.kenmerken]
        parts += [f"{e.titel} {e.tekst}" for e in sheet.praktijk]
        parts += [m.omschrijving for m in sheet.mijlpalen]
    parts += [f.omschrijving for f in sheet.cijfers]
    return "\n".join(p for p in parts if p)


def label_texts() -> list[str]:
    """The labels of the facets: words of the vocabulary although no factsheet writes them."""
    return [" ".join(registry.kinds().values()), " ".join(registry.situations().values()),
            " ".join(registry.target_groups().values())]


def vocabulary_texts(kb: KnowledgeBase) -> list[str]:
    """Everything the corpus says, including the labels of the facets, in a stable order."""
    return label_texts() + [sheet_text(kb.sheets[key]) for key in sorted(kb.sheets)]


# More words changed than this and every text is split again (checking each would cost more).
MAX_CHANGED_WORDS = 50


def all_extra_terms(kb: KnowledgeBase, store: Store | None = None) -> Mapping[str, tuple[str, ...]]:
    """Compound parts and plural forms to index with each factsheet, computed once per model.

    Kept between builds: a text's terms depend only on its own words and on the vocabulary, so
    after a change only the texts whose words could be split differently are split again.
    """
    return kb.derived("extra terms", lambda: _extra_terms_with_cache(kb, store or Store.off()))


@dataclass(frozen=True)
class _TextWords:
    own: frozenset[str]  # every distinct word (compounds.distinct_words)

    def __reduce__(self) -> tuple[object, tuple[str]]:
        # Pickled in the store: the words once, as one string (a word holds no white space).
        # Sets of strings took as long to pickle as to find (0.4 s for 2,500 real texts).
        return _text_words_from, ("\n".join(self.own),)


def _text_words(text: str) -> _TextWords:
    return _TextWords(frozenset(distinct_words(text)))


def _text_words_from(joined: str) -> _TextWords:
    return _TextWords(frozenset(joined.split("\n")) if joined else frozenset())


def _extra_terms_with_cache(kb: KnowledgeBase, store: Store) -> dict[str, tuple[str, ...]]:
    labels = label_texts()
    texts = {key: sheet_text(sheet) for key, sheet in kb.sheets.items()}
    digests = {key: hashlib.sha256(text.encode("utf-8")).hexdigest() for key, text in texts.items()}
    cached = store.get_pickled("compounds", None, lambda v: isinstance(v, dict) and {"words", "vocabulary", "terms"} <= v.keys()) \
        or {"words": {}, "vocabulary": frozenset(), "terms": {}}
    text_words: dict[str, _TextWords] = {digest: cached["words"][digest] for digest in digests.values()
                                         if digest in cached["words"]}
    # Found in this process: forked workers had to send every text's words back, which cost more
    # than finding them (this step of a build of 5,000 realistic factsheets: 1.04 s with two
    # workers, 0.78 s without).
    for key, digest in sorted(digests.items(), key=lambda pair: pair[1]):
        if digest not in text_words:
            text_words[digest] = _text_words(texts[key])
    corpus_words = frozenset().union(*(w.own for w in text_words.values()))
    vocabulary = build_vocabulary(labels) | vocabulary_of(corpus_words)
    changed = vocabulary ^ cached["vocabulary"]
    if len(changed) > MAX_CHANGED_WORDS:
        reusable = {}
    else:
        # A word's split depends only on which of its substrings (or their -s/-es forms) are in the
        # vocabulary; each of those contains the first len-2 letters of the changed word. The words
        # that could split differently are found once in the corpus's distinct words, not in every
        # text (0.38 s of a one-file rebuild of 5,000 realistic factsheets, in a profile).
        cores = [word[:-2] for word in changed]
        unsettled = {word for word in corpus_words if len(word) >= MIN_COMPOUND and any(core in word for core in cores)}
        reusable = {digest: terms for digest, terms in cached["terms"].items()
                    if digest in text_words and text_words[digest].own.isdisjoint(unsettled)}
    splitter = Splitter(vocabulary)
    missing = sorted(key for key, digest in digests.items() if digest not in reusable)
    fresh = {key: extra_terms_of_words(text_words[digests[key]].own, splitter) for key in missing}
    terms = {key: fresh[key] if key in fresh else reusable[digest] for key, digest in digests.items()}
    if missing or cached["vocabulary"] != vocabulary or cached["terms"].keys() != set(digests.values()):
        store.put_pickled("compounds", {"words": text_words, "vocabulary": vocabulary,
                                          "terms": {digests[key]: terms[key] for key in sorted(terms)}})
    return terms
