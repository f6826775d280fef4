"""Figures pages: the data files in content/cijfers/ read, checked and modelled.

Each file is one page: datasets (a chart and a table each), key figures and text sections,
every number with its source. The files go through the same strict loader as factsheets, a
schema of their own (schema/cijfers.schema.json, which borrows the factsheet definitions of
`bron`, `datum` and `id`), and checks a schema cannot express: one value per series, totals
that add up, references to factsheets that exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any


from kaart.core import registry
from kaart.core.dutch import format_number
from kaart.core.load import Document, PathKey, factsheet_paths, load_document
from kaart.core.model import Figure, Source
from kaart.core.problems import Location, Problem, errors_in
from kaart.core.validate import schema_problems, suggest, validator_for

FOLDER = "content/cijfers"
SCHEMA_PATH = registry.SCHEMA_PATH.parent / "cijfers.schema.json"
# Totals in the sources are rounded to one decimal; a sum may differ by rounding only.
TOTAL_TOLERANCE = 0.051


def with_unit(value: float | None, unit: str | None) -> str:
    if value is None or not unit:
        return format_number(value)
    return f"{format_number(value)}{unit}" if unit == "%" else f"{format_number(value)} {unit}"


@dataclass(frozen=True)
class Series:
    naam: str
    eenheid: str
    in_grafiek: bool = True


@dataclass(frozen=True)
class Row:
    label: str
    waarden: tuple[float | None, ...]
    fiche: str | None = None
    groep: str | None = None


@dataclass(frozen=True)
class Group:
    naam: str
    totaal: tuple[float | None, ...] = ()


@dataclass(frozen=True)
class KeyFigure(Figure):
    """A headline number of a figures page: a factsheet figure, shown with its unit."""

    @property
    def display_value(self) -> str:
        return with_unit(self.waarde, self.eenheid)


@dataclass(frozen=True)
class Chart:
    """One dataset: rows by series, drawn as a bar chart and listed as a table."""

    id: str
    titel: str
    beschrijving: str
    eenheid: str
    bron: Source
    reeksen: tuple[Series, ...]
    rijen: tuple[Row, ...]
    weergave: str = "liggend"
    peildatum: str | None = None
    groepen: tuple[Group, ...] = ()
    totaal: tuple[float | None, ...] = ()
    toelichting: str | None = None

    @property
    def plotted(self) -> tuple[int, ...]:
        """Indices of the series drawn in the chart (the others are table-only)."""
        return tuple(i for i, series in enumerate(self.reeksen) if series.in_grafiek)

    def rows_in(self, group: Group) -> tuple[Row, ...]:
        return tuple(row for row in self.rijen if row.groep == group.naam)

    def data_sentence(self) -> str:
        """Every plotted number in words, for the SVG's <desc>: the chart says nothing the text does not."""
        parts = []
        for row in self.rijen:
            values = [f"{self.reeksen[i].naam} {with_unit(row.waarden[i], self.eenheid)}"
                      for i in self.plotted if row.waarden[i] is not None]
            if values:
                parts.append(f"{row.label}: {', '.join(values)}")
        return "; ".join(parts) + "."


@dataclass(frozen=True)
class Section:
    titel: str
    tekst: str
    bron: Source


@dataclass(frozen=True)
class FigureTopic:
    """One figures page."""

    id: str
    titel: str
    samenvatting: str
    laatst_nagekeken: dt.date
    path: str
    fiches: tuple[str, ...] = ()
    kerncijfers: tuple[KeyFigure, ...] = ()
    grafieken: tuple[Chart, ...] = ()
    secties: tuple[Section, ...] = ()

    @property
    def url(self) -> str:
        return f"cijfers/{self.id}/"

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every source the page cites, once, in the order they first appear."""
        found = [k.bron for k in self.kerncijfers] + [c.bron for c in self.grafieken] + [s.bron for s in self.secties]
        return tuple(dict.fromkeys(found))

    def charts_about(self, sheet_id: str) -> tuple[Chart, ...]:
        """Charts with a row for this factsheet (e.g. an organisation's jobs)."""
        return tuple(c for c in self.grafieken if any(row.fiche == sheet_id for row in c.rijen))

    def is_about(self, sheet_id: str) -> bool:
        return sheet_id in self.fiches or bool(self.charts_about(sheet_id))


# --- reading and checking -------------------------------------------------------------------


def _root_problems(doc: Document) -> list[Problem]:
    """The 'grafieken or secties' rule reads better said outright than as an anyOf branch."""
    if "grafieken" in doc.data or "secties" in doc.data:
        return []
    return [Problem(Location(doc.rel_path), "een cijferpagina heeft 'grafieken' of 'secties' nodig",
                    "voeg minstens één grafiek of één tekstblok toe")]


def _file_problems(doc: Document) -> list[Problem]:
    problems = []
    stem = PurePosixPath(doc.rel_path).stem
    page_id = doc.data.get("id")
    if isinstance(page_id, str) and page_id != stem:
        problems.append(Problem(doc.where(("id",)), f"het id '{page_id}' verschilt van de bestandsnaam '{stem}'",
                                f"hernoem het bestand naar {page_id}.yaml of pas het id aan"))
    if PurePosixPath(doc.rel_path).suffix != ".yaml":
        problems.append(Problem(Location(doc.rel_path), "een cijferbestand eindigt op .yaml"))
    return problems


def _chart_problems(doc: Document, index: int, chart: dict[str, Any]) -> list[Problem]:
    path = ("grafieken", index)
    problems = []
    width = len(chart["reeksen"])
    for r, row in enumerate(chart["rijen"]):
        if len(row["waarden"]) != width:
            problems.append(Problem(doc.where((*path, "rijen", r, "waarden")),
                                    f"{len(row['waarden'])} waarde(n) voor {width} reeks(en)",
                                    "geef één waarde per reeks, in de volgorde van 'reeksen'; null als de bron ze niet geeft"))
    for s, series in enumerate(chart["reeksen"]):
        if series.get("in_grafiek", True) and series.get("eenheid", chart["eenheid"]) != chart["eenheid"]:
            problems.append(Problem(doc.where((*path, "reeksen", s, "eenheid")),
                                    f"de reeks '{series['naam']}' heeft een andere eenheid dan de grafiek",
                                    "zet 'in_grafiek: false' om ze alleen in de tabel te tonen"))
    if not any(series.get("in_grafiek", True) for series in chart["reeksen"]):
        problems.append(Problem(doc.where((*path, "reeksen")), "geen enkele reeks staat in de grafiek",
                                "laat 'in_grafiek: false' weg bij minstens één reeks"))
    if problems:
        return problems
    return _group_problems(doc, path, chart) + _total_problems(doc, (*path, "totaal"), chart.get("totaal"),
                                                               chart["rijen"], width)


def _group_problems(doc: Document, path: tuple, chart: dict[str, Any]) -> list[Problem]:
    groups = chart.get("groepen")
    rows = chart["rijen"]
    if not groups:
        return [Problem(doc.where((*path, "rijen", r, "groep"), key=True), "deze grafiek heeft geen 'groepen'",
                        "voeg 'groepen' toe of laat 'groep' weg") for r, row in enumerate(rows) if "groep" in row]
    problems = []
    names = [g["naam"] for g in groups]
    for r, row in enumerate(rows):
        if row.get("groep") not in names:
            where = doc.where((*path, "rijen", r, "groep")) if "groep" in row else doc.where((*path, "rijen", r))
            problems.append(Problem(where, f"de rij '{row['label']}' hoort bij geen van de groepen",
                                    "kies uit: " + ", ".join(names)))
    for g, group in enumerate(groups):
        members = [row for row in rows if row.get("groep") == group["naam"]]
        problems += _total_problems(doc, (*path, "groepen", g, "totaal"), group.get("totaal"), members,
                                    len(chart["reeksen"]))
    return problems


def _total_problems(doc: Document, path: tuple, totals: list | None, rows: list[dict], width: int) -> list[Problem]:
    """A stated total must be the sum of its rows: catches a mistyped number before it is published."""
    if totals is None:
        return []
    if len(totals) != width:
        return [Problem(doc.where(path), f"{len(totals)} totaal/totalen voor {width} reeks(en)",
                        "geef één totaal per reeks")]
    problems = []
    for i, total in enumerate(totals):
        values = [row["waarden"][i] for row in rows]
        if total is None or any(v is None for v in values):
            continue
        found = sum(values)
        if abs(found - total) > TOTAL_TOLERANCE:
            problems.append(Problem(doc.where((*path, i)),
                                    f"het totaal {format_number(total)} klopt niet: de rijen geven samen {format_number(round(found, 6))}",
                                    "controleer de getallen tegen de bron"))
    return problems


def _content_problems(doc: Document) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    for i, chart in enumerate(doc.data.get("grafieken", ())):
        if chart["id"] in seen:
            problems.append(Problem(doc.where(("grafieken", i, "id")), f"de grafiek '{chart['id']}' staat er twee keer",
                                    f"eerder als grafiek {seen[chart['id']] + 1}; geef elke grafiek een eigen id"))
        seen.setdefault(chart["id"], i)
        problems += _chart_problems(doc, i, chart)
    return problems


def _reference_problems(doc: Document, sheet_ids: set[str]) -> list[Problem]:
    references: list[tuple[PathKey, str]] = [(("fiches", i), ref) for i, ref in enumerate(doc.data.get("fiches", ()))]
    for c, chart in enumerate(doc.data.get("grafieken", ())):
        references += [(("grafieken", c, "rijen", r, "fiche"), row["fiche"])
                       for r, row in enumerate(chart["rijen"]) if "fiche" in row]
    return [Problem(doc.where(path), f"onbekende fiche '{ref}'", suggest(ref, sheet_ids) or "kijk de id na")
            for path, ref in references if ref not in sheet_ids]


def check(doc: Document, sheet_ids: set[str]) -> list[Problem]:
    """Every problem of one data file; the semantic checks run only on schema-valid data."""
    problems = _root_problems(doc) or schema_problems(doc, validator_for("cijfers.schema.json"))
    problems += _file_problems(doc)
    if problems:
        return problems
    return _content_problems(doc) + _reference_problems(doc, sheet_ids)


# --- model ----------------------------------------------------------------------------------

def _source(raw: dict[str, Any]) -> Source:
    return Source(deck=raw.get("deck"), slide=raw.get("dia"), url=raw.get("url"), title=raw.get("titel"))


def _chart(raw: dict[str, Any]) -> Chart:
    unit = raw["eenheid"]
    return Chart(
        id=raw["id"], titel=raw["titel"], beschrijving=" ".join(raw["beschrijving"].split()), eenheid=unit,
        bron=_source(raw["bron"]), weergave=raw.get("weergave", "liggend"), peildatum=raw.get("peildatum"),
        reeksen=tuple(Series(s["naam"], s.get("eenheid", unit), s.get("in_grafiek", True)) for s in raw["reeksen"]),
        rijen=tuple(Row(r["label"], tuple(r["waarden"]), r.get("fiche"), r.get("groep")) for r in raw["rijen"]),
        groepen=tuple(Group(g["naam"], tuple(g.get("totaal", ()))) for g in raw.get("groepen", ())),
        totaal=tuple(raw.get("totaal", ())),
        toelichting=" ".join(raw["toelichting"].split()) if raw.get("toelichting") else None,
    )


def topic_from_document(doc: Document) -> FigureTopic:
    data = doc.data
    return FigureTopic(
        id=data["id"], titel=data["titel"], samenvatting=" ".join(data["samenvatting"].split()),
        laatst_nagekeken=dt.date.fromisoformat(data["laatst_nagekeken"]), path=doc.rel_path,
        fiches=tuple(data.get("fiches", ())),
        kerncijfers=tuple(KeyFigure(k["omschrijving"], k["waarde"], _source(k["bron"]), k.get("eenheid"),
                                    k.get("peildatum")) for k in data.get("kerncijfers", ())),
        grafieken=tuple(_chart(c) for c in data.get("grafieken", ())),
        secties=tuple(Section(s["titel"], s["tekst"], _source(s["bron"])) for s in data.get("secties", ())),
    )


def read_topics(root: Path, sheet_ids: Iterable[str]) -> tuple[tuple[FigureTopic, ...], list[Problem]]:
    """Every data file below content/cijfers/, checked; the topics only if all of them are valid."""
    known = set(sheet_ids)
    topics, problems = [], []
    for path in factsheet_paths(root, (FOLDER,)):
        doc, found = load_document(path, root)
        if doc is not None:
            found += check(doc, known)
            if not errors_in(found):
                topics.append(topic_from_document(doc))
        problems += found
    return tuple(sorted(topics, key=lambda t: t.id)), problems
