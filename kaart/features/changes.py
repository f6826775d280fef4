"""What changed since the last meeting: `/wijzigingen/` (newest first, by month, filtered by kind
of help and situation on pages of their own, so the filter is plain links that work without
JavaScript), an Atom feed of the same changes (Pelican's `feedgenerator`), and on every factsheet
its last few changes.

The changes come from the project's git history (`content/history.py`), read once per build; all
dates are those of the commits, so two builds of one history are byte-identical. Without history
(a source archive, a shallow clone) none of this is written.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import feedgenerator

from kaart.content.history import KINDS, History, SheetChange
from kaart.core import registry
from kaart.core.dutch import MONTHS, format_date
from kaart.core.model import KnowledgeBase, Sheet
from kaart.core.store import Store
from kaart.features.output import DataFile, Output, Page

URL = "wijzigingen/"
FEED = "wijzigingen/atom.xml"
FEED_ENTRIES = 100  # the newest changes; the page has them all
ON_SHEET = 5  # the last changes a factsheet shows
FACETS = ("soort", "situatie")
_FEED_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "kaart:wijzigingen")


def history_of(kb: KnowledgeBase) -> History | None:
    """The build's history when there is one to show."""
    return kb.history if kb.history is not None and kb.history.available else None


def has_feed(kb: KnowledgeBase) -> bool:
    """Whether the build writes the feed (every page's head links it then)."""
    history = history_of(kb)
    return history is not None and bool(listed(history))


@dataclass(frozen=True)
class Day:
    date: dt.date
    changes: tuple[SheetChange, ...]


@dataclass(frozen=True)
class Month:
    key: str  # 2026-11
    label: str  # november 2026
    days: tuple[Day, ...]


def by_month(changes: tuple[SheetChange, ...]) -> tuple[Month, ...]:
    """Changes (newest first) grouped by month, then by day."""
    months: dict[str, dict[dt.date, list[SheetChange]]] = {}
    for change in changes:
        months.setdefault(change.month, {}).setdefault(change.date, []).append(change)
    return tuple(Month(key, f"{MONTHS[int(key[5:]) - 1]} {key[:4]}",
                       tuple(Day(date, tuple(items)) for date, items in days.items()))
                 for key, days in months.items())


@dataclass(frozen=True)
class Selection:
    """A filter of the changes page: a kind of help and/or a situation (None: any)."""

    soort: str | None = None
    situatie: str | None = None

    @property
    def url(self) -> str:
        parts = [f"{facet}/{value}/" for facet, value in (("soort", self.soort), ("situatie", self.situatie)) if value]
        return URL + "".join(parts)

    def matches(self, change: SheetChange) -> bool:
        return ((self.soort is None or self.soort in change.soorten)
                and (self.situatie is None or self.situatie in change.situaties))

    def with_value(self, facet: str, value: str | None) -> Selection:
        return Selection(value, self.situatie) if facet == "soort" else Selection(self.soort, value)


@dataclass(frozen=True)
class Option:
    label: str
    url: str
    count: int
    current: bool


@dataclass(frozen=True)
class FilterGroup:
    legend: str
    options: tuple[Option, ...]


def _labels() -> dict[str, dict[str, str]]:
    return {"soort": registry.kinds(), "situatie": registry.situations()}


def selections(changes: tuple[SheetChange, ...]) -> list[Selection]:
    """Every filter that finds a change: all, per value of each facet, and per pair."""
    labels = _labels()
    kinds = [k for k in labels["soort"] if any(k in c.soorten for c in changes)]
    situations = [s for s in labels["situatie"] if any(s in c.situaties for c in changes)]
    found = [Selection(), *(Selection(soort=k) for k in kinds), *(Selection(situatie=s) for s in situations)]
    found += [Selection(k, s) for k in kinds for s in situations
              if any(Selection(k, s).matches(c) for c in changes)]
    return found


def filter_groups(changes: tuple[SheetChange, ...], chosen: Selection, offered: set[Selection]) -> tuple[FilterGroup, ...]:
    """Per facet the values a reader can choose, each a link to its page with its number of changes."""
    groups = []
    legends = {facet.key: facet.legend for facet in registry.FACETS}
    for facet, labels in _labels().items():
        current = getattr(chosen, facet)
        options = [Option("Alle", chosen.with_value(facet, None).url,
                          sum(chosen.with_value(facet, None).matches(c) for c in changes), current is None)]
        for value, label in labels.items():
            target = chosen.with_value(facet, value)
            if target in offered:
                options.append(Option(label, target.url, sum(target.matches(c) for c in changes), current == value))
        groups.append(FilterGroup(legends[facet], tuple(options)))
    return tuple(groups)


def listed(history: History) -> tuple[SheetChange, ...]:
    """The changes the page and the feed list one by one: not the factsheets the history began
    with (a map imported in one commit would bury every later change under thousands of them)."""
    return tuple(c for c in history.changes if not c.at_start)


@dataclass(frozen=True)
class Start:
    """Where the history begins: the day of its first commit and the factsheets it held."""

    date: dt.date
    count: int


def start_of(history: History, chosen: Selection) -> Start | None:
    first = [c for c in history.changes if c.at_start and chosen.matches(c)]
    return Start(first[0].date, len(first)) if first else None


def _changes_page(history: History, chosen: Selection, offered: set[Selection]) -> Page:
    labels = _labels()
    changes = listed(history)
    shown = tuple(c for c in changes if chosen.matches(c))
    chosen_words = [labels[facet][getattr(chosen, facet)] for facet in FACETS if getattr(chosen, facet)]
    title = "Wijzigingen" + (f": {' · '.join(chosen_words)}" if chosen_words else "")
    return Page(f"{chosen.url}index.html", "changes", {
        "page_title": title,
        "months": by_month(shown),
        "total": len(shown),
        "filters": filter_groups(changes, chosen, offered),
        "start": start_of(history, chosen),
        "filtered": bool(chosen_words),
        "kinds": KINDS,
        "feed_url": FEED,
    })


def emit(kb: KnowledgeBase, store: Store | None = None) -> Iterator[Output]:
    history = history_of(kb)
    if history is None:
        return
    offered = selections(listed(history))
    for chosen in offered:
        yield _changes_page(history, chosen, set(offered))
    if listed(history):
        yield DataFile(FEED, atom_feed(listed(history)[:FEED_ENTRIES]))


def sheet_history(kb: KnowledgeBase, store: Store | None = None) -> Callable[[Sheet], dict[str, Any]]:
    """Per factsheet its last changes (in its own context, so the render cache keys on them)."""
    history = history_of(kb)

    def provide(sheet: Sheet) -> dict[str, Any]:
        changes = history.of_sheet(sheet.id) if history is not None else ()
        if not changes:
            return {}
        # Most sheets of a large map have only the day the history began: a date, not a change
        # object, keeps their pages' fingerprints small.
        start = changes[-1].date if changes[-1].at_start else None
        changes = changes[:-1] if start else changes
        return {"sheet_changes": changes[:ON_SHEET], "sheet_changes_more": len(changes) + bool(start) - ON_SHEET,
                "sheet_on_map_since": start}

    return provide


# -- what changed since a meeting (handouts) -------------------------------------------------


@dataclass(frozen=True)
class SheetSince:
    """A factsheet of a bundle and its changes since the day asked for."""

    sheet: Sheet
    number: int  # its number in the bundle
    changes: tuple[SheetChange, ...]


@dataclass(frozen=True)
class SinceReport:
    """What changed from a day on: in a bundle's factsheets, and on the whole map."""

    day: dt.date
    sheets: tuple[SheetSince, ...]  # the bundle's sheets that changed, in bundle order
    unchanged: int  # the bundle's sheets that did not
    counts: tuple[tuple[str, int], ...]  # per kind of change on the whole map: ("nieuw", 2), ...
    added: tuple[SheetChange, ...]  # new factsheets on the map
    removed: tuple[SheetChange, ...]  # factsheets taken off the map


def since_report(kb: KnowledgeBase, day: dt.date | None, sheet_ids: tuple[str, ...]) -> SinceReport | None:
    """What changed from `day` on, or None without a day or without history."""
    history = history_of(kb)
    if day is None or history is None:
        return None
    changes = history.since(day)
    sheets = []
    for number, sheet_id in enumerate(sheet_ids, start=1):
        mine = tuple(c for c in history.of_sheet(sheet_id) if c.date >= day)
        if mine:
            sheets.append(SheetSince(kb.sheets[sheet_id], number, mine))
    counts = tuple((kind, n) for kind in KINDS if (n := sum(c.kind == kind for c in changes)))
    return SinceReport(day, tuple(sheets), len(sheet_ids) - len(sheets), counts,
                       tuple(c for c in changes if c.kind == "nieuw"), tuple(c for c in changes if c.kind == "verwijderd"))


# -- the feed ------------------------------------------------------------------------------------


def entry_title(change: SheetChange) -> str:
    if change.kind == "nieuw":
        return f"Nieuwe fiche: {change.titel}"
    if change.kind == "verwijderd":
        return f"Verwijderd: {change.titel}"
    if change.kind == "hernoemd":
        return f"{change.titel}: nieuw adres (was {change.previous_id})"
    return f"{change.titel}: {'; '.join(change.details)}"


def _entry_html(change: SheetChange) -> str:
    text = f"<p>{html.escape(KINDS[change.kind])} op {format_date(change.date)}.</p>"
    if change.details:
        text += "<ul>" + "".join(f"<li>{html.escape(detail)}</li>" for detail in change.details) + "</ul>"
    return text


def atom_feed(changes: tuple[SheetChange, ...]) -> bytes:
    """The changes as Atom. Links are relative to the feed (it lives in /wijzigingen/), so the feed
    is right wherever the site is published; ids are fixed names (URNs) for each change."""
    feed = feedgenerator.Atom1Feed(
        title="Wijzigingen op de kaart re-integratie en werkplekleren Gent",
        link="./",
        description="Nieuwe, gewijzigde en verwijderde fiches, per dag, uit de geschiedenis van de kaart.",
        language="nl",
        feed_url="atom.xml",
        feed_guid=_FEED_NAMESPACE.urn,
        author_name="kaart re-integratie en werkplekleren Gent",
    )
    for change in changes:
        moment = dt.datetime.fromisoformat(change.updated)
        feed.add_item(
            title=entry_title(change),
            link=f"../{change.url}" if change.url else f"./#{change.anchor}",
            description=_entry_html(change),
            unique_id=uuid.uuid5(_FEED_NAMESPACE, f"{change.date.isoformat()}/{change.kind}/{change.sheet_id}").urn,
            pubdate=moment,
            updateddate=moment,
            categories=[KINDS[change.kind], *(registry.kinds().get(k, k) for k in change.soorten)],
        )
    out = io.StringIO()
    feed.write(out, "utf-8")
    return out.getvalue().encode("utf-8")
