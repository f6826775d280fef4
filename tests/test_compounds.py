"""The Dutch word forms indexed with each page: compound parts and -s plural pairs."""

from __future__ import annotations

from kaart.features.search.compounds import Splitter, build_vocabulary, distinct_words, extra_terms, plural_forms, words

CORPUS = ["loon kosten subsidie premie werk ervaring stage beroep inleving coach job opleiding"]


def splitter() -> Splitter:
    return Splitter(build_vocabulary(CORPUS))


def test_compound_splits_into_known_words():
    assert splitter().split("loonpremie") == ("loon", "premie")
    assert splitter().split("loonkostensubsidie") == ("loon", "kosten", "subsidie")


def test_linking_s_between_parts_is_recognised():
    assert splitter().split("werkervaringsstage") == ("werk", "ervaring", "stage")
    assert splitter().split("opleidingsstage") == ("opleiding", "stage")


def test_leading_words_of_a_compound_are_parts_too():
    parts = splitter().parts("werkervaringsstage")
    assert "werkervaring" in parts and "stage" in parts


def test_plural_tail_is_split_when_its_singular_is_known():
    assert splitter().split("jobcoaches") == ("job", "coaches")


def test_words_made_of_unknown_parts_stay_whole():
    assert splitter().split("samenvatting") == ()
    assert splitter().split("werkgevers") == ()
    assert splitter().split("stage") == ()


def test_plural_pairs_for_nouns_the_stemmer_keeps_apart():
    assert plural_forms("stage") == ("stages",)
    assert plural_forms("stages") == ("stage",)
    assert plural_forms("premies") == ("premie",)
    assert plural_forms("coach") == ("coaches",)
    assert plural_forms("andere") == ()


def test_extra_terms_are_sorted_and_leave_out_words_the_text_has():
    terms = extra_terms("De loonkostensubsidie en een stage", splitter())
    assert terms == tuple(sorted(terms))
    assert {"subsidie", "loon", "kosten", "stages"} <= set(terms)
    assert "stage" not in terms


def test_distinct_words_are_the_set_of_the_words():
    # Case-folded per distinct spelling instead of per occurrence: the same set, also where folding
    # changes a word's length (ß, the dotted capital I, ligatures) or its last letter (final sigma).
    for text in ("Werk werk WERK werkervaringsstage", "straße STRASSE İstanbul ﬁets ΟΔΟΣ οδος",
                 "re-integratie 3de e-mail A.B.C. ĳs Ĳs _x_ ǅ",
                 # pieces between every kind of white space, found once per process, then reused
                 "werk\u00a0premie\twerk\x1cpremie\u2003job-coach\r\njob-coach,werk werk\x85Werk"):
        assert distinct_words(text) == set(words(text))
