"""Handout bundles: YAML files in content/handouts/ that pick factsheets to print for a meeting.

A bundle passes the same stages as a factsheet: the strict loader (line/col marks), its own
JSON Schema (schema/handout.schema.json, which borrows the vocabulary of the factsheet
schema), then checks against the factsheets (ids exist, the filter finds something). The
result is a frozen `Handout` with the resolved list of sheet ids, in print order.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from kaart.core import registry
from kaart.core.load import Document, factsheet_paths, load_document
from kaart.core.model import Initiative, Organisation, sort_key
from kaart.core.problems import Location, Problem, errors_in
from kaart.core.validate import schema_problems, suggest, validator_for

FOLDER = "content/handouts"
SCHEMA_PATH = registry.SCHEMA_PATH.parent / "handout.schema.json"
FILTER_KEYS = ("soort", "situatie", "doelgroep", "status", "aanbieder")

Sheet = Initiative | Organisation


@dataclass(frozen=True)
class Handout:
    """One bundle, ready to print: its sheets in order, and where it was defined."""

    slug: str
    titel: str
    vergadering: str
    datum: dt.date | None
    sheet_ids: tuple[str, ...]
    path: str
    inleiding: str | None = None
    # The cover is followed by what changed from this day on (the last meeting), when set.
    sinds: dt.date | None = None
    # The filter as written, for the cover: ((facet, (value, ...)), ...), facets in FILTER_KEYS order.
    filter: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def url(self) -> str:
        return f"handouts/{self.slug}/"


def handout_paths(root: Path) -> list[Path]:
    return factsheet_paths(root, (FOLDER,))


def _as_tuple(value: str | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def matches(sheet: Sheet, wanted: Mapping[str, tuple[str, ...]]) -> bool:
    """Every facet of the filter holds (AND); within a facet, any listed value will do (OR)."""
    if not isinstance(sheet, Initiative):
        return False
    values = {
        "soort": {c.soort for c in sheet.cellen},
        "situatie": {c.situatie for c in sheet.cellen},
        "doelgroep": set(sheet.doelgroepen),
        "status": {sheet.status},
        "aanbieder": set(sheet.aanbieders),
    }
    return all(values[facet] & set(options) for facet, options in wanted.items())


def _schema_problems(doc: Document) -> list[Problem]:
    problems = []
    for problem in schema_problems(doc, validator_for("handout.schema.json")):
        if problem.location == doc.where(()) and "'fiches'" in problem.message:
            problem = Problem(problem.location, "de bundel kiest geen fiches",
                              "geef een lijst 'fiches', een 'filter' of beide")
        problems.append(problem)
    stem = PurePosixPath(doc.rel_path).stem
    if PurePosixPath(doc.rel_path).suffix != ".yaml":
        problems.append(Problem(Location(doc.rel_path), "een handout eindigt op .yaml"))
    if not _valid_slug(stem):
        problems.append(Problem(Location(doc.rel_path), f"de bestandsnaam '{stem}' is geen geldige naam voor een adres",
                                "gebruik kleine letters, cijfers en koppeltekens, bv. actiegroep-december.yaml"))
    return problems


def _valid_slug(text: str) -> bool:
    return re.fullmatch(registry.schema()["$defs"]["id"]["pattern"], text) is not None


def _strings(value: Any) -> list[tuple[int | None, str]]:
    """(index, text) of a value written as one string or as a list; other shapes give nothing."""
    if isinstance(value, str):
        return [(None, value)]
    if isinstance(value, list):
        return [(i, item) for i, item in enumerate(value) if isinstance(item, str)]
    return []


def _reference_problems(doc: Document, sheets: Mapping[str, Sheet], known_ids: set[str]) -> list[Problem]:
    """Ids that name no factsheet; a factsheet with errors of its own is known, not reported twice."""
    problems = []
    for i, sheet_id in _strings(doc.data.get("fiches")):
        if sheet_id not in known_ids:
            problems.append(Problem(doc.where(("fiches", i)), f"onbekende fiche '{sheet_id}'",
                                    suggest(sheet_id, known_ids) or "zie initiatives/ en organisations/"))
    organisations = {key for key, sheet in sheets.items() if isinstance(sheet, Organisation)}
    written = doc.data.get("filter")
    for i, org_id in _strings(written.get("aanbieder") if isinstance(written, dict) else None):
        where = doc.where(("filter", "aanbieder") if i is None else ("filter", "aanbieder", i))
        if org_id not in known_ids:
            problems.append(Problem(where, f"onbekende organisatie '{org_id}'",
                                    suggest(org_id, organisations) or "zie organisations/"))
        elif org_id in sheets and org_id not in organisations:
            problems.append(Problem(where, f"'{org_id}' is geen organisatie",
                                    "aanbieder verwijst naar een fiche in organisations/"))
    return problems


def _handout(doc: Document, ordered: Iterable[Sheet]) -> tuple[Handout | None, list[Problem]]:
    """The bundle of a document without problems; the filter must find at least one initiative."""
    data = doc.data
    wanted = {facet: _as_tuple(data["filter"][facet]) for facet in FILTER_KEYS if facet in data.get("filter", {})}
    chosen = list(data.get("fiches", ()))
    if wanted:
        found = [sheet.id for sheet in ordered if matches(sheet, wanted)]
        if not found:
            return None, [Problem(doc.where(("filter",)), "de filter vindt geen enkel initiatief",
                                  "maak de voorwaarden ruimer of kies de fiches met 'fiches'")]
        chosen += [sheet_id for sheet_id in found if sheet_id not in chosen]
    handout = Handout(
        slug=PurePosixPath(doc.rel_path).stem, titel=data["titel"], vergadering=data["vergadering"],
        datum=dt.date.fromisoformat(data["datum"]) if "datum" in data else None, sheet_ids=tuple(chosen), path=doc.rel_path,
        inleiding=_one_line(data.get("inleiding")), filter=tuple(wanted.items()),
        sinds=dt.date.fromisoformat(data["sinds"]) if "sinds" in data else None,
    )
    return handout, []


def _one_line(text: str | None) -> str | None:
    return " ".join(text.split()) if text else None


def read_handouts(root: Path, sheets: Iterable[Sheet], known_ids: Iterable[str]) -> tuple[tuple[Handout, ...], list[Problem]]:
    """Load and check every bundle. `sheets` are the valid factsheets; `known_ids` every id seen."""
    by_id = {sheet.id: sheet for sheet in sheets}
    ordered = sorted(by_id.values(), key=lambda s: sort_key(s.titel))
    known = set(known_ids)
    handouts: list[Handout] = []
    problems: list[Problem] = []
    for path in handout_paths(root):
        doc, found = load_document(path, root)
        if doc is not None:
            found += _schema_problems(doc) + _reference_problems(doc, by_id, known)
        if doc is not None and not errors_in(found) and set(doc.data.get("fiches", ())) <= set(by_id):
            handout, more = _handout(doc, ordered)
            handouts += [handout] if handout else []
            found += more
        problems += found
    return tuple(handouts), problems
