"""What features hand the build: the late section of a page, emptied and filled in."""

from __future__ import annotations

import pytest

from kaart.features.output import LATE_BEGIN, LATE_END, fill_late_section, without_late_section

WHOLE = b"<main><p>tekst</p>" + LATE_BEGIN + b"<section>gelijkaardig</section>\n" + LATE_END + b"<p>slot</p></main>"
EMPTY = b"<main><p>tekst</p>" + LATE_BEGIN + LATE_END + b"<p>slot</p></main>"


def test_a_page_without_its_late_section_is_the_page_written_before_it():
    assert without_late_section(WHOLE) == EMPTY
    assert without_late_section(EMPTY) == EMPTY
    assert fill_late_section(EMPTY, b"<section>gelijkaardig</section>\n") == WHOLE


def test_every_late_section_is_emptied_and_a_page_without_one_is_left_as_it_is():
    twice = WHOLE.replace(b"<p>slot</p>", b"<p>slot</p>" + LATE_BEGIN + b"meer" + LATE_END)
    assert without_late_section(twice) == EMPTY.replace(b"<p>slot</p>", b"<p>slot</p>" + LATE_BEGIN + LATE_END)
    assert without_late_section(b"<p>geen</p>") == b"<p>geen</p>"
    assert without_late_section(LATE_BEGIN + b"open") == LATE_BEGIN + b"open", "a section never closed is left"


def test_a_section_is_filled_only_into_one_empty_place():
    with pytest.raises(ValueError):
        fill_late_section(WHOLE, b"x")  # not emptied
    with pytest.raises(ValueError):
        fill_late_section(EMPTY + EMPTY, b"x")
