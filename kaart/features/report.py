"""`kaart report`: what needs care, as Markdown for a pull-request comment or an issue.

It lists what the site shows as "nog aan te vullen" (the fields in `registry.TO_COMPLETE`,
sheets without relations, organisations that offer nothing yet) and the sheets nobody checked
against their sources for more than `STALE_AFTER_MONTHS` months. Every list is sorted by file
path, so the same data gives the same report.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from kaart.core import registry
from kaart.core.model import KnowledgeBase, Organisation, Sheet
from kaart.core.dutch import format_date

STALE_AFTER_MONTHS = 12
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier; the last day of the month when that day does not exist."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    for last_day in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, min(day.day, last_day))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def stale_sheets(kb: KnowledgeBase, today: dt.date) -> list[Sheet]:
    """Sheets last checked before the same day `STALE_AFTER_MONTHS` months ago, oldest first."""
    limit = months_before(today, STALE_AFTER_MONTHS)
    stale = [s for s in kb.sheets.values() if s.laatst_nagekeken < limit]
    return sorted(stale, key=lambda s: (s.laatst_nagekeken, s.path))


def incomplete_sheets(kb: KnowledgeBase) -> list[tuple[Sheet, tuple[str, ...]]]:
    found = [(s, kb.missing_fields(s)) for s in _by_path(kb.sheets.values())]
    return [(sheet, fields) for sheet, fields in found if fields]


def unrelated_sheets(kb: KnowledgeBase) -> list[Sheet]:
    return [s for s in _by_path(kb.sheets.values()) if not kb.related(s.id)]


def outdated_sheets(kb: KnowledgeBase, today: dt.date) -> list[tuple[Sheet, str]]:
    """Sheets whose newest source is older than `registry.OUTDATED_AFTER_YEARS` on `today`, with that date."""
    found = [(s, kb.newest_source_date(s)) for s in _by_path(kb.sheets.values())]
    return [(sheet, newest) for sheet, newest in found if kb.is_outdated(sheet, today)]


def organisations_without_initiatives(kb: KnowledgeBase) -> list[Organisation]:
    return [o for o in _by_path(kb.organisations) if not kb.offered_by(o.id) and not kb.taking_part_in(o.id)]


def _by_path(sheets: Iterable[Sheet]) -> list:
    return sorted(sheets, key=lambda s: s.path)


def _escape(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _item(sheet: Sheet, detail: str = "") -> str:
    line = f"- **{_escape(sheet.display_title)}** (`{sheet.path}`)"
    return f"{line}: {detail}" if detail else line


def _section(title: str, explanation: str, items: list[str]) -> list[str]:
    lines = [f"## {title} ({len(items)})", "", explanation, ""]
    return lines + (items or ["Niets te melden."]) + [""]


def care_report(kb: KnowledgeBase, today: dt.date) -> str:
    """The whole report as Markdown."""
    stale = stale_sheets(kb, today)
    outdated = outdated_sheets(kb, today)
    incomplete = incomplete_sheets(kb)
    unrelated = unrelated_sheets(kb)
    no_offer = organisations_without_initiatives(kb)
    lines = [
        "# Wat aandacht nodig heeft",
        "",
        f"Peildatum {format_date(today)}: {len(kb.initiatives)} initiatieven en {len(kb.organisations)} organisaties.",
        "",
    ]
    lines += _section(
        f"Niet nagekeken in meer dan {STALE_AFTER_MONTHS} maanden",
        "Kijk de fiche na tegen haar bronnen en zet `laatst_nagekeken` op de datum van vandaag.",
        [_item(s, f"laatst nagekeken op {format_date(s.laatst_nagekeken)}") for s in stale])
    lines += _section(
        f"Mogelijk verouderd: alle bronnen ouder dan {registry.OUTDATED_AFTER_YEARS} jaar",
        "De site toont op deze fiches \u201cmogelijk verouderd\u201d. Zoek een recente publieke bron (met `geraadpleegd`) "
        "en kijk de feiten ertegen na.",
        [_item(s, f"recentste bron van {format_date(newest)}") for s, newest in outdated])
    lines += _section(
        "Velden die de site als \u201cnog aan te vullen\u201d toont",
        "Vul ze aan als een bron ze vermeldt; laat ze anders leeg.",
        [_item(s, ", ".join(f"`{name}`" for name in fields)) for s, fields in incomplete])
    lines += _section(
        "Fiches zonder relaties",
        "Geen enkele relatie, in geen van beide richtingen: voeg `relaties` toe (of `aanbieders` bij een initiatief).",
        [_item(s) for s in unrelated])
    lines += _section(
        "Organisaties zonder initiatieven",
        "Geen initiatief noemt deze organisatie als aanbieder, en ze heeft geen relatie `biedt-aan`.",
        [_item(o) for o in no_offer])
    return "\n".join(lines).rstrip() + "\n"
