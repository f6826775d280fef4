"""How the site writes dates, numbers and shortened texts in Dutch (Belgian notation), for pages,
reports, charts and data files alike: one definition, so a number reads the same everywhere."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from io import StringIO

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")


def format_date(value: dt.date | str | None) -> str:
    """Dutch dates: 1 januari 2023; partial dates (2023-07, 2022) as far as they go."""
    if value is None:
        return ""
    parts = str(value).split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


def format_number(value: float | None) -> str:
    """Belgian notation: decimal comma, no trailing ,0, a dot between thousands from 10.000 on."""
    if value is None:
        return "\u2014"
    number = int(value) if float(value).is_integer() else round(float(value), 6)
    whole, _, decimals = str(abs(number)).partition(".")
    if len(whole) > 4:
        whole = f"{int(whole):,}".replace(",", ".")
    sign = "-" if number < 0 else ""
    return f"{sign}{whole},{decimals}" if decimals else f"{sign}{whole}"


# Left out before the ellipsis that ends a shortened text: "aanleert." cut short reads "aanleert…".
_CUT_END = " \t\n.,;:!?-\u2013\u2014("


def shorten(text: str, width: int) -> str:
    """The text if it has at most `width` characters, else as many of its first whole words as fit
    with an ellipsis ("…") after them; a word longer than `width` is cut. (Jinja's `truncate` adds
    three dots after a sentence's own period: "aanleert....")"""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[:width - 1]
    if text[width - 1].isalnum() and " " in cut:  # the cut falls inside a word
        cut = cut[:cut.rindex(" ")]
    return (cut.rstrip(_CUT_END) or cut) + "\u2026"


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection); OWASP adds
# the tab and the carriage return to the four formula signs.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | float | None


def spreadsheet_text(text: str) -> str:
    """A text cell a spreadsheet shows as text: one that would start a formula gets a leading '."""
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def spreadsheet_csv(rows: Iterable[Sequence[Cell]]) -> str:
    """CSV as Dutch-language spreadsheets open it: `;` between cells, numbers with a decimal comma
    (no thousands dots), text neutralised against formulas, a BOM so UTF-8 is recognised, CRLF."""
    out = StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if cell is None else spreadsheet_text(cell) if isinstance(cell, str)
                         else format_number(cell).replace(".", "") for cell in row])
    return "\ufeff" + out.getvalue()
