"""Dutch word forms that stemmers miss: the parts of compounds and the -s plurals of -e words.

Dutch writes compounds as one word ("loonkostensubsidie", "werkervaringsstage"), so a search
for "subsidie" or "stage" finds neither, and the Snowball stemmer that Pagefind and Whoosh use
leaves "stages" and "premies" unstemmed, so they miss "stage" and "premie". No maintained Dutch
decompounder installs here, so this module splits words with the corpus's own vocabulary: a
word is split only into parts that the factsheets also use as words of their own, joined
directly or by the linking -s-, -e- or -en-. The extra forms are indexed with the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Linking sounds between compound parts: beroep-s-inleving, loon-kosten, kind-er-opvang.
LINKS = ("", "s", "e", "en")
# Shorter parts are too often accidental ("ver", "aan"); these short words do head compounds
# (burn-out is written with a hyphen, so "burn-outcoaches" reaches the splitter as "outcoaches").
SHORT_PARTS = frozenset({"job", "ibo", "vop", "imw", "ocmw", "vdab", "out"})  # "out": burn-out(coach)
MIN_PART = 4
MIN_COMPOUND = 7
# Nouns ending like this take an -s plural the stemmer does not undo: stage(s), premie(s),
# subsidie(s), cheque(s), procedure(s), module(s).
PLURAL_S_ENDINGS = ("age", "ie", "que", "ure", "ule", "ade", "ine")
_PIECE_WORDS: dict[str, tuple[str, ...]] = {}  # by piece of text between white space


def words(text: str) -> list[str]:
    """The lower-cased words of a text; hyphens and digits separate words."""
    return [w.casefold() for w in WORD.findall(text)]


def distinct_words(text: str) -> set[str]:
    """The set of `words(text)`. A word never holds white space, so the words of each distinct
    white-space-separated piece of text are found and case-folded once per process (the pattern
    over whole texts cost 0.8 s for 5,000 realistic texts)."""
    pieces = set(text.split())
    for piece in pieces.difference(_PIECE_WORDS):  # (a dict: looked up, not copied)
        _PIECE_WORDS[piece] = tuple({w.casefold() for w in WORD.findall(piece)})
    # The union in one call: a loop adding each piece's words took half the time at 5,000 texts.
    return set().union(*map(_PIECE_WORDS.__getitem__, pieces))


def build_vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """Every word the corpus uses on its own: the only material compounds are split into."""
    return vocabulary_of(w for text in texts for w in distinct_words(text))


def vocabulary_of(distinct: Iterable[str]) -> frozenset[str]:
    """The words among these that can be compound parts."""
    return frozenset(w for w in distinct if len(w) >= MIN_PART or w in SHORT_PARTS)


class Splitter:
    """Splits compounds into parts from a fixed vocabulary; deterministic and cached."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.vocabulary = frozenset(vocabulary)
        self.split = lru_cache(maxsize=None)(self._split)
        self._forms: dict[str, tuple[str, ...]] = {}

    def _is_part(self, word: str) -> bool:
        """A known word, or the plural of one ("coaches" in "jobcoaches" when "coach" is known)."""
        if len(word) < MIN_PART and word not in SHORT_PARTS:
            return False
        return word in self.vocabulary or any(form in self.vocabulary for form in plural_forms(word))

    def _split(self, word: str) -> tuple[str, ...]:
        """The parts of `word` (at least two), or () if it is not a compound of known words.

        Prefers the split with the fewest parts, then the longest head: "loonkostensubsidie"
        gives ("loon", "kosten", "subsidie"), "werkervaringsstage" ("werkervaring", "stage").
        """
        if len(word) < MIN_COMPOUND:
            return ()
        best: tuple[str, ...] = ()
        for cut in range(len(word) - MIN_PART + 1, 2, -1):
            head = word[:cut]
            if not self._is_part(head):
                continue
            for link in LINKS:
                rest = word[cut:]
                if not rest.startswith(link):
                    continue
                tail = rest[len(link):]
                if self._is_part(tail):
                    candidate: tuple[str, ...] = (head, tail)
                else:
                    inner = self.split(tail)
                    if not inner:
                        continue
                    candidate = (head, *inner)
                if not best or len(candidate) < len(best):
                    best = candidate
        return best

    def forms(self, word: str) -> tuple[str, ...]:
        """Every form one word adds to a text's index: its parts, and the plural pair of the word
        and of each part. Kept per word: a corpus repeats its words (at 5,000 factsheets with a
        real vocabulary, working them out again for every text took 1.6 s)."""
        known = self._forms.get(word)
        if known is None:
            parts = self.parts(word)
            known = self._forms[word] = (*parts, *(plural for form in (word, *parts) for plural in plural_forms(form)))
        return known

    def all_forms(self, words: set[str] | frozenset[str]) -> Iterable[tuple[str, ...]]:
        """`forms` of each of these words: the known ones looked up without a call each (1.1
        million calls at 5,000 factsheets)."""
        for word in words.difference(self._forms):
            self.forms(word)
        return map(self._forms.__getitem__, words)

    def parts(self, word: str) -> tuple[str, ...]:
        """Every part a reader could search for: the parts, nested parts, and the leading words.

        "werkervaringsstage" gives "werk", "ervaring", "stage" and "werkervaring": a search for
        "werkervaring" should find the internship too, although the corpus never writes it alone.
        """
        found: list[str] = []
        end = 0
        for i, part in enumerate(self.split(word)):
            found.append(part)
            found.extend(self.parts(part))
            end = word.index(part, end) + len(part)
            if 0 < i < len(self.split(word)) - 1:
                found.append(word[:end])
        return tuple(dict.fromkeys(found))


def plural_forms(word: str) -> tuple[str, ...]:
    """The -s plural (or singular) that the Dutch Snowball stemmer does not join to its word.

    "stage" and "stages" stem differently ("stag" vs "stages"), as do "premie"/"premies" and
    "coach"/"coaches". Only noun endings that take this plural are paired: inflected
    adjectives end in -e too ("andere", "tweede") and have no -s plural.
    """
    if len(word) < MIN_PART:
        return ()
    if word.endswith(PLURAL_S_ENDINGS):
        return (word + "s",)
    if word.endswith("ch"):
        return (word + "es",)
    if word.endswith("ches"):
        return (word[:-2],)
    if word.endswith("s") and word[:-1].endswith(PLURAL_S_ENDINGS):
        return (word[:-1],)
    return ()


def extra_terms(text: str, splitter: Splitter) -> tuple[str, ...]:
    """Word forms to index with a text beyond its own words: compound parts and plural pairs.

    Sorted, without words the text already has, so the output is deterministic and lean.
    """
    return extra_terms_of_words(distinct_words(text), splitter)


def extra_terms_of_words(own: frozenset[str] | set[str], splitter: Splitter) -> tuple[str, ...]:
    """`extra_terms` of a text whose `distinct_words` are `own`."""
    return tuple(sorted(set().union(*splitter.all_forms(own)) - own))
