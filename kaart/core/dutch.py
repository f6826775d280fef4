"""How the site writes dates in Dutch, for pages, reports and data files alike."""

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
