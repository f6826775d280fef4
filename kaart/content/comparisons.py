"""Comparison pages: definitions in content/vergelijkingen/*.yaml, checked, then modelled.

A definition names initiatives (the columns) and comparison attributes (the rows); the values
live in the factsheets' `kenmerken`, each with its source, so a comparison never states a fact
of its own. Definitions are read with the strict factsheet loader and checked against their
own small schema and against the factsheets, every problem with its file:line:col.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING


from kaart.core import registry
from kaart.core.load import Document, factsheet_paths, load_document
from kaart.core.problems import Location, Problem, errors_in
from kaart.core.validate import schema_problems, suggest, validator_for

if TYPE_CHECKING:
    from kaart.core.model import Attribute, Initiative, KnowledgeBase, Source

FOLDER = "content/vergelijkingen"
SCHEMA_PATH = registry.SCHEMA_PATH.with_name("vergelijking.schema.json")
DEFAULT_ORDER = 100
MAX_PICK = 4  # compare-any: how many factsheets a reader can put side by side

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# How a row's values relate; the page shows the label as text, never by colour alone.
ROW_STATES = {
    "verschilt": "verschilt",
    "gelijk": "gelijk",
    "onvolledig": "onvolledig",
}


@dataclass(frozen=True)
class Comparison:
    """A shipped comparison: initiatives side by side on the chosen attributes."""

    id: str
    titel: str
    inleiding: str
    columns: tuple[Initiative, ...]
    rows: tuple[str, ...]
    path: str
    volgorde: int = DEFAULT_ORDER

    @property
    def url(self) -> str:
        return f"vergelijken/{self.id}/"

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(sheet.id for sheet in self.columns)

    def table(self) -> ComparisonTable:
        return comparison_table(self.columns, self.rows)


@dataclass(frozen=True)
class ComparisonCell:
    sheet: Initiative
    attribute: Attribute | None  # None: the factsheet does not say ("niet gekend")
    source_number: int | None  # footnote number of the attribute's source


@dataclass(frozen=True)
class ComparisonRow:
    key: str
    label: str
    state: str  # a key of ROW_STATES
    cells: tuple[ComparisonCell, ...]


@dataclass(frozen=True)
class ComparisonTable:
    columns: tuple[Initiative, ...]
    rows: tuple[ComparisonRow, ...]
    sources: tuple[Source, ...]  # footnotes, numbered from 1 in order of first use


def normalised(value: str) -> str:
    """Two values are the same when they differ only in case, spacing or a final full stop."""
    return " ".join(value.split()).casefold().rstrip(". ")


def row_state(values: Sequence[str | None]) -> str:
    """'verschilt' if two known values differ, 'gelijk' if all are known and equal, else 'onvolledig'."""
    known = [normalised(v) for v in values if v is not None]
    if len(set(known)) > 1:
        return "verschilt"
    if len(known) == len(values) >= 2:
        return "gelijk"
    return "onvolledig"


def comparison_table(columns: Sequence[Initiative], rows: Iterable[str]) -> ComparisonTable:
    """The table a comparison page shows, with its sources numbered as footnotes."""
    numbers: dict[Source, int] = {}
    table_rows = []
    for key in rows:
        cells = []
        for sheet in columns:
            attribute = sheet.attribute(key)
            number = numbers.setdefault(attribute.bron, len(numbers) + 1) if attribute else None
            cells.append(ComparisonCell(sheet, attribute, number))
        state = row_state([c.attribute.waarde if c.attribute else None for c in cells])
        table_rows.append(ComparisonRow(key, registry.ATTRIBUTE_LABELS[key], state, tuple(cells)))
    return ComparisonTable(tuple(columns), tuple(table_rows), tuple(numbers))


def short_name(afkorting: str) -> str:
    """The URL form of an abbreviation: 'IBO+' -> 'ibo-plus', 'IMW' -> 'imw'."""
    text = afkorting.casefold().replace("+", "-plus")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def short_names(sheets: Iterable[tuple[str, str | None]]) -> dict[str, str]:
    """Abbreviations that name exactly one initiative, so `?ids=imw,ibo` works in a shared link."""
    sheets = list(sheets)
    ids = {sheet_id for sheet_id, _ in sheets}
    found: dict[str, set[str]] = {}
    for sheet_id, afkorting in sheets:
        if afkorting and (name := short_name(afkorting)) and name not in ids:
            found.setdefault(name, set()).add(sheet_id)
    return {name: next(iter(targets)) for name, targets in sorted(found.items()) if len(targets) == 1}


# --- reading and checking definitions -------------------------------------------------------


def definition_paths(root: Path) -> list[Path]:
    return factsheet_paths(root, (FOLDER,))


def _file_problems(doc: Document) -> list[Problem]:
    name = PurePosixPath(doc.rel_path)
    if name.suffix != ".yaml":
        return [Problem(Location(doc.rel_path), "een vergelijking eindigt op .yaml")]
    if not _ID.match(name.stem):
        return [Problem(Location(doc.rel_path), f"de bestandsnaam '{name.name}' wordt het adres van de pagina",
                        "gebruik kleine letters, cijfers en koppeltekens, bv. ibo-en-stages.yaml")]
    return []


def _reference_problems(doc: Document, sheet_docs: Mapping[str, Document], unreadable: set[str]) -> list[Problem]:
    problems = []
    initiatives = {i: d for i, d in sheet_docs.items() if d.data.get("type") == "initiatief"}
    aliases = short_names((i, d.data.get("afkorting") if isinstance(d.data.get("afkorting"), str) else None)
                          for i, d in initiatives.items())
    for i, sheet_id in enumerate(doc.data["fiches"]):
        where = doc.where(("fiches", i))
        if sheet_id in initiatives or sheet_id in unreadable:
            continue
        if sheet_id in sheet_docs:
            problems.append(Problem(where, f"'{sheet_id}' is geen initiatief",
                                    "een vergelijking zet initiatieven naast elkaar, geen organisaties"))
        elif sheet_id in aliases:
            problems.append(Problem(where, f"onbekende fiche '{sheet_id}'", f"bedoel je '{aliases[sheet_id]}'?"))
        else:
            problems.append(Problem(where, f"onbekende fiche '{sheet_id}'",
                                    suggest(sheet_id, initiatives) or "gebruik het id van een fiche in initiatives/"))
    for i, key in enumerate(doc.data.get("kenmerken", ())):
        if key not in registry.ATTRIBUTE_LABELS:
            problems.append(Problem(doc.where(("kenmerken", i)), f"onbekend kenmerk '{key}'",
                                    suggest(key, registry.ATTRIBUTE_LABELS)
                                    or "kies uit: " + ", ".join(registry.ATTRIBUTE_LABELS)))
    return problems


def check_definitions(root: Path, sheet_docs: Iterable[Document],
                      unreadable: Iterable[str] = ()) -> tuple[list[Document], list[Problem]]:
    """Read and check every definition. `sheet_docs` are all factsheets that could be read,
    valid or not, and `unreadable` the ids (file names) of those that could not, so that a
    reference to a factsheet with an error of its own is not reported a second time as unknown."""
    by_id = {d.data["id"]: d for d in sheet_docs if isinstance(d.data.get("id"), str)}
    valid: list[Document] = []
    problems: list[Problem] = []
    for path in definition_paths(root):
        doc, found = load_document(path, root)
        if doc is None:
            problems += found
            continue
        found += schema_problems(doc, validator_for("vergelijking.schema.json")) + _file_problems(doc)
        if not errors_in(found):
            found += _reference_problems(doc, by_id, set(unreadable) - set(by_id))
        problems += found
        if not errors_in(found):
            valid.append(doc)
    return valid, problems


def comparisons_from_documents(docs: Iterable[Document], kb: KnowledgeBase) -> tuple[Comparison, ...]:
    """Checked definitions as model objects, in the order the index page lists them."""
    from kaart.core.model import sort_key

    comparisons = [
        Comparison(
            id=PurePosixPath(doc.rel_path).stem,
            titel=doc.data["titel"],
            inleiding=doc.data["inleiding"],
            columns=tuple(kb.sheets[sheet_id] for sheet_id in doc.data["fiches"]),  # type: ignore[misc]
            rows=tuple(doc.data.get("kenmerken") or registry.ATTRIBUTE_LABELS),
            path=doc.rel_path,
            volgorde=doc.data.get("volgorde", DEFAULT_ORDER),
        )
        for doc in docs
    ]
    return tuple(sorted(comparisons, key=lambda c: (c.volgorde, sort_key(c.titel), c.id)))
