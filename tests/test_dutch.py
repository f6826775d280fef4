"""CSV for Dutch-language spreadsheets (kaart.core.dutch.spreadsheet_csv), shared by the figures
pages and the open data."""

from __future__ import annotations

import csv
import io

import pytest

from kaart.core.dutch import shorten, spreadsheet_csv, spreadsheet_text


def read_back(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))


def test_semicolons_decimal_commas_a_bom_and_crlf():
    text = spreadsheet_csv([["Rij", "Waarde"], ["Eerste", 12345.5], ["Tweede", None]])
    assert text == "\ufeffRij;Waarde\r\nEerste;12345,5\r\nTweede;\r\n"


@pytest.mark.parametrize("dangerous", ["=HYPERLINK(\"https://evil.example\")", "+32 9 210 10 10", "-2+3",
                                       "@SUM(A1:A9)", "\tcmd", "\rcmd"])
def test_text_that_a_spreadsheet_would_run_as_a_formula_is_neutralised(dangerous):
    assert spreadsheet_text(dangerous) == "'" + dangerous
    assert read_back(spreadsheet_csv([[dangerous]])) == [["'" + dangerous]]


def test_ordinary_text_and_negative_numbers_are_left_as_they_are():
    assert read_back(spreadsheet_csv([["Re-integratie", -2.5, "a=b", 'zegt "ja"; of nee']])) == [
        ["Re-integratie", "-2,5", "a=b", 'zegt "ja"; of nee']]


def test_a_short_text_is_left_whole_and_a_long_one_ends_in_an_ellipsis_after_whole_words():
    assert shorten("Een korte samenvatting.", 140) == "Een korte samenvatting."
    text = "Een werkgever die een werkzoekende op de werkvloer aanleert. Daarna volgt een contract."
    assert shorten(text, 60) == "Een werkgever die een werkzoekende op de werkvloer aanleert…"
    assert len(shorten(text, 60)) <= 60
    assert shorten(text, 64) == "Een werkgever die een werkzoekende op de werkvloer aanleert…", "no period before the ellipsis"
    assert shorten("Loonpremie,  werkplekleren en begeleiding", 26) == "Loonpremie, werkplekleren…"
    assert shorten("Loonpremie,  werkplekleren en begeleiding", 25) == "Loonpremie…"


def test_a_single_word_longer_than_the_width_is_cut_inside():
    assert shorten("Werkervaringsstageovereenkomst", 10) == "Werkervar…"
