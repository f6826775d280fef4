"""How the site writes dates and numbers in Dutch (Belgian notation), for pages, reports, charts
and data files alike: one definition, so a number reads the same everywhere."""

from __future__ import annotations

import datetime as dt

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
