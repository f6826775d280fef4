"""Stage 3: the typed, frozen model that every later stage reads (never the YAML).

Each factsheet keeps the locations of its values, so derived views (graph, comparisons)
can still report a problem at the right line.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from functools import lru_cache
from collections.abc import Callable, Mapping
from pathlib import Path
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from kaart.core import registry
from kaart.core.dutch import format_date, format_number
from kaart.core.load import Document, PathKey
from kaart.core.problems import Location

if TYPE_CHECKING:
    from kaart.content.comparisons import Comparison
    from kaart.content.figures import FigureTopic
    from kaart.content.handouts import Handout
    from kaart.content.history import History


@lru_cache(maxsize=65536)
def sort_key(text: str) -> str:
    """Alphabetical order that ignores case and accents (Patiëntenplatform after Outplacement)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class Source:
    """A seed deck slide or a public web page (read on `consulted`, carrying `published` if it says)."""

    deck: str | None = None
    slide: str | None = None
    url: str | None = None
    title: str | None = None
    consulted: str | None = None
    published: str | None = None

    @property
    def label(self) -> str:
        if self.deck:
            return f"{registry.decks()[self.deck]}, dia \u201c{self.slide}\u201d"
        return self.title or self.url or ""

    @property
    def date_note(self) -> str:
        """The age of the source in words, shown after it on every page."""
        if self.deck:
            return f"presentatie uit {self.date}"
        read = f"geraadpleegd op {format_date(self.consulted)}"
        return f"pagina van {format_date(self.published)}, {read}" if self.published else read

    @property
    def date(self) -> str:
        """How old the fact is: the deck's year, the page's own date, else the day it was read."""
        if self.deck:
            return registry.DECK_DATES[self.deck]
        return self.published or self.consulted or ""


@dataclass(frozen=True)
class ContactPoint:
    """A general contact point of a service (never a person), with where it is stated."""

    naam: str
    bron: Source
    telefoon: str | None = None
    email: str | None = None
    url: str | None = None
    adres: str | None = None
    toelichting: str | None = None


@dataclass(frozen=True)
class Cell:
    situatie: str
    soort: str


@dataclass(frozen=True)
class Link:
    titel: str
    url: str


@dataclass(frozen=True)
class Attribute:
    """One comparison value (`kenmerken`), with the source it comes from."""

    key: str
    waarde: str
    bron: Source

    @property
    def label(self) -> str:
        return registry.ATTRIBUTE_LABELS[self.key]


@dataclass(frozen=True)
class Milestone:
    datum: str
    omschrijving: str
    bron: Source


@dataclass(frozen=True)
class Example:
    titel: str
    tekst: str
    bron: Source


@dataclass(frozen=True)
class Figure:
    omschrijving: str
    waarde: float
    bron: Source
    eenheid: str | None = None
    peildatum: str | None = None

    @property
    def display_value(self) -> str:
        return format_number(self.waarde)


@dataclass(frozen=True)
class Relation:
    """A stated relation `source --type--> target`; `origin` says where it was written."""

    type: str
    source: str
    target: str
    toelichting: str | None
    origin: Location

    @property
    def kind(self) -> registry.RelationType:
        return registry.RELATION_TYPES[self.type]


@dataclass(frozen=True, kw_only=True)
class Sheet:
    """What initiatives and organisations share."""

    id: str
    titel: str
    samenvatting: str
    bronnen: tuple[Source, ...]
    laatst_nagekeken: dt.date
    path: str
    afkorting: str | None = None
    beschrijving: str | None = None
    regio: str | None = None
    trefwoorden: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    contact: tuple[ContactPoint, ...] = ()
    cijfers: tuple[Figure, ...] = ()
    relaties: tuple[Relation, ...] = ()
    locations: Mapping[PathKey, Location] = field(default_factory=dict, compare=False, repr=False)

    type = "sheet"

    @property
    def display_title(self) -> str:
        if self.afkorting and self.afkorting.casefold() not in self.titel.casefold():
            return f"{self.titel} ({self.afkorting})"
        return self.titel

    def where(self, *path: str | int) -> Location:
        return self.locations.get(tuple(path), Location(self.path))


@dataclass(frozen=True, kw_only=True)
class Initiative(Sheet):
    status: str
    cellen: tuple[Cell, ...] = ()
    mapping_2022: bool = False  # on the 2022 slide "Mapping initiatieven", so in the home matrix
    doelgroepen: tuple[str, ...] = ()
    aanbieders: tuple[str, ...] = ()
    start: str | None = None
    einde: str | None = None
    mijlpalen: tuple[Milestone, ...] = ()
    kenmerken: tuple[Attribute, ...] = ()
    praktijk: tuple[Example, ...] = ()

    type = "initiatief"

    @property
    def url(self) -> str:
        return f"initiatief/{self.id}/"

    def attribute(self, key: str) -> Attribute | None:
        return next((a for a in self.kenmerken if a.key == key), None)


@dataclass(frozen=True, kw_only=True)
class Organisation(Sheet):
    soort_organisatie: str | None = None
    website: str | None = None

    type = "organisatie"

    @property
    def url(self) -> str:
        return f"organisatie/{self.id}/"


def _source(raw: Mapping[str, Any]) -> Source:
    return Source(deck=raw.get("deck"), slide=raw.get("dia"), url=raw.get("url"), title=raw.get("titel"),
                  consulted=raw.get("geraadpleegd"), published=raw.get("datum"))


def _contact_point(raw: Mapping[str, Any]) -> ContactPoint:
    return ContactPoint(raw["naam"], _source(raw["bron"]), raw.get("telefoon"), raw.get("email"), raw.get("url"),
                        raw.get("adres"), raw.get("toelichting"))


def _common_fields(doc: Document) -> dict[str, Any]:
    data = doc.data
    sheet_id = data["id"]
    return {
        "id": sheet_id,
        "titel": data["titel"],
        "samenvatting": " ".join(data["samenvatting"].split()),
        "bronnen": tuple(_source(b) for b in data["bronnen"]),
        "laatst_nagekeken": dt.date.fromisoformat(data["laatst_nagekeken"]),
        "path": doc.rel_path,
        "afkorting": data.get("afkorting"),
        "beschrijving": data.get("beschrijving"),
        "regio": data.get("regio"),
        "trefwoorden": tuple(data.get("trefwoorden", ())),
        "links": tuple(Link(link["titel"], link["url"]) for link in data.get("links", ())),
        "contact": tuple(_contact_point(c) for c in data.get("contact", ())),
        "cijfers": tuple(
            Figure(c["omschrijving"], c["waarde"], _source(c["bron"]), c.get("eenheid"), c.get("peildatum"))
            for c in data.get("cijfers", ())
        ),
        "relaties": tuple(
            Relation(r["type"], sheet_id, r["doel"], r.get("toelichting"), doc.where(("relaties", i)))
            for i, r in enumerate(data.get("relaties", ()))
        ),
        "locations": MappingProxyType(doc.value_marks),  # a read-only view, no copy
    }


def _initiative(doc: Document) -> Initiative:
    data = doc.data
    raw_attributes = data.get("kenmerken", {})
    return Initiative(
        **_common_fields(doc),
        status=data["status"],
        cellen=tuple(Cell(c["situatie"], c["soort"]) for c in data.get("cellen", ())),
        mapping_2022=data.get("mapping_2022", False),
        doelgroepen=tuple(data.get("doelgroepen", ())),
        aanbieders=tuple(data.get("aanbieders", ())),
        start=data.get("start"),
        einde=data.get("einde"),
        mijlpalen=tuple(
            sorted((Milestone(m["datum"], m["omschrijving"], _source(m["bron"])) for m in data.get("mijlpalen", ())),
                   key=lambda m: m.datum)
        ),
        kenmerken=tuple(
            Attribute(key, raw_attributes[key]["waarde"], _source(raw_attributes[key]["bron"]))
            for key in registry.ATTRIBUTE_LABELS
            if key in raw_attributes
        ),
        praktijk=tuple(Example(p["titel"], p["tekst"], _source(p["bron"])) for p in data.get("praktijk", ())),
    )


def _organisation(doc: Document) -> Organisation:
    return Organisation(
        **_common_fields(doc),
        soort_organisatie=doc.data.get("soort_organisatie"),
        website=doc.data.get("website"),
    )


def sheet_from_document(doc: Document) -> Initiative | Organisation:
    """Build the typed sheet of a document that passed validation."""
    return _organisation(doc) if doc.data["type"] == "organisatie" else _initiative(doc)


def _period_end(date: str) -> str:
    """The last day a partial date can mean, so "2023" counts as recent as 31 December 2023."""
    if len(date) == 4:
        return f"{date}-12-31"
    if len(date) == 7:
        return f"{date}-31"  # compared as text only; every month ends on or before its 31st
    return date


_LABEL_ORDER = [label for rt in registry.RELATION_TYPES.values() for label in (rt.label, rt.inverse_label)]


@dataclass(frozen=True)
class RelatedGroup:
    """Sheets related to one sheet in one way, as a page lists them ("vervangen door: IMW")."""

    label: str
    sheets: tuple[Sheet, ...]
    notes: tuple[str | None, ...]


T = TypeVar("T")


@dataclass(frozen=True)
class KnowledgeBase:
    """Every sheet and every relation, complete before the first page is written."""

    sheets: Mapping[str, Initiative | Organisation]
    relations: tuple[Relation, ...]
    # Relations touching each sheet (as source or target): pages ask per sheet, never scan all.
    relations_of: Mapping[str, tuple[Relation, ...]] = field(default_factory=dict, compare=False, repr=False)
    comparisons: tuple[Comparison, ...] = ()  # shipped comparison pages (content/vergelijkingen/)
    figure_topics: tuple[FigureTopic, ...] = ()  # the figures pages (content/figures.py)
    # Handout bundles (content/handouts/), resolved to sheet ids; set by content/project.read_knowledge_base.
    handouts: tuple[Handout, ...] = ()
    # What changed, from the project's git history (content/history.py); set by the build, None before.
    history: History | None = None
    # Each sheet's data exactly as its file says it (the schema form), by id: for the factsheet form
    # and the open data, which hand the facts back in the shape a contributor writes them.
    source_data: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, compare=False, repr=False)
    # Each sheet's file, by id: the factsheet form keeps the text of what an edit leaves alone.
    source_files: Mapping[str, Path] = field(default_factory=dict, compare=False, repr=False)
    # The SHA-256 of each sheet's file as read, by id (empty where unknown): a sheet is made from
    # its file alone, so this names it in page fingerprints without spelling it out.
    source_digests: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    # Values computed from this model by the features that share them (the graph, the analysed
    # texts): they live and die with the model, so every build starts from nothing.
    _derived: dict[str, Any] = field(default_factory=dict, init=False, compare=False, repr=False)

    def derived(self, name: str, compute: Callable[[], T]) -> T:
        """`compute()` once for this model; later calls with the same name get the same value."""
        if name not in self._derived:
            self._derived[name] = compute()
        return self._derived[name]

    @classmethod
    def from_sheets(cls, sheets: list[Initiative | Organisation]) -> KnowledgeBase:
        by_id = {s.id: s for s in sorted(sheets, key=lambda s: s.id)}
        relations = {(r.source, r.type, r.target): r for s in by_id.values() for r in s.relaties}
        for sheet in by_id.values():
            if isinstance(sheet, Initiative):
                for i, org_id in enumerate(sheet.aanbieders):
                    key = (org_id, "biedt-aan", sheet.id)
                    relations.setdefault(key, Relation("biedt-aan", org_id, sheet.id, None, sheet.where("aanbieders", i)))
        ordered = tuple(relations[key] for key in sorted(relations))
        touching: dict[str, list[Relation]] = {}
        for rel in ordered:
            touching.setdefault(rel.source, []).append(rel)
            if rel.target != rel.source:
                touching.setdefault(rel.target, []).append(rel)
        index = MappingProxyType({key: tuple(rels) for key, rels in touching.items()})
        return cls(sheets=MappingProxyType(by_id), relations=ordered, relations_of=index)

    # The three below are asked for per page: computed once per model, or a build of 5,000 sheets
    # would scan and sort all of them thousands of times (seconds of CPU).
    @property
    def initiatives(self) -> tuple[Initiative, ...]:
        return self.derived("initiatives", lambda: tuple(sorted(
            (s for s in self.sheets.values() if isinstance(s, Initiative)), key=lambda s: sort_key(s.titel))))

    @property
    def organisations(self) -> tuple[Organisation, ...]:
        return self.derived("organisations", lambda: tuple(sorted(
            (s for s in self.sheets.values() if isinstance(s, Organisation)), key=lambda s: sort_key(s.titel))))

    @property
    def data_date(self) -> dt.date | None:
        """The newest review date: the 'date of the data' shown in footers and on prints."""
        return self.derived("data date", lambda: max((s.laatst_nagekeken for s in self.sheets.values()), default=None))

    def contact_points(self, sheet: Sheet) -> tuple[tuple[ContactPoint, ...], tuple[Sheet, ...]]:
        """Where a reader can ask about this sheet: its own contact points, or else its providers'.

        Returns the points and, when they are borrowed, the providers they come from.
        """
        if sheet.contact or not isinstance(sheet, Initiative):
            return sheet.contact, ()
        providers = tuple(self.sheets[org_id] for org_id in sheet.aanbieders if self.sheets[org_id].contact)
        return tuple(point for org in providers for point in org.contact), providers

    def missing_fields(self, sheet: Sheet) -> tuple[str, ...]:
        """The fields of `registry.TO_COMPLETE` the sheet's page shows as "nog aan te vullen"."""
        def empty(name: str) -> bool:
            if name == "contact":
                return not self.contact_points(sheet)[0]
            return not getattr(sheet, name)
        return tuple(name for name in registry.TO_COMPLETE[sheet.type] if empty(name))

    def newest_source_date(self, sheet: Sheet) -> str:
        """The most recent date among the sheet's sources (JJJJ, JJJJ-MM or JJJJ-MM-DD)."""
        return max((s.date for s in sheet.bronnen if s.date), key=_period_end, default="")

    def is_outdated(self, sheet: Sheet, reference: dt.date | None = None) -> bool:
        """True when every source is older than `registry.OUTDATED_AFTER_YEARS` before `reference`.

        Pages measure from the date of the data (the newest review), so a build is the same on any day;
        `kaart report` measures from the day it runs.
        """
        reference = reference or self.data_date
        if reference is None:
            return False
        years = registry.OUTDATED_AFTER_YEARS
        limit = reference.replace(year=reference.year - years, day=min(reference.day, 28) if reference.month == 2
                                  else reference.day)
        return _period_end(self.newest_source_date(sheet)) < limit.isoformat()

    def facet_values(self, facet: registry.Facet, sheet: Sheet) -> tuple[str, ...]:
        """The values a sheet has for a facet (its kinds of help, its providers, its status, …)."""
        if not isinstance(sheet, Initiative):
            return (sheet.regio,) if facet.organisations_too and sheet.regio else ()
        key = facet.key
        if key == "soort":
            return tuple(dict.fromkeys(c.soort for c in sheet.cellen))
        if key == "situatie":
            return tuple(dict.fromkeys(c.situatie for c in sheet.cellen))
        if key == "doelgroep":
            return sheet.doelgroepen
        if key == "aanbieder":
            return sheet.aanbieders
        if key == "status":
            return (sheet.status,)
        if key == "regio":
            return (sheet.regio,) if sheet.regio else ()
        raise KeyError(key)

    def facet_labels(self, facet: registry.Facet) -> dict[str, str]:
        """The facet's values that some sheet has (a filter that can only give nothing is not
        offered), with their labels, in the vocabulary's order (providers by name)."""
        sheets = self.sheets.values() if facet.organisations_too else self.initiatives
        used = {value for sheet in sheets for value in self.facet_values(facet, sheet)}
        if facet.labels is None:
            return {org: self.sheets[org].display_title
                    for org in sorted(used, key=lambda org: self.sheets[org].titel.casefold())}
        return {key: label for key, label in facet.labels().items() if key in used}

    def with_facet_value(self, facet: registry.Facet, value: str) -> tuple[Initiative, ...]:
        # Grouped once per facet: an overview page per value scanned every initiative for its value.
        return self.derived(f"initiatives by {facet.key}", lambda: self._by_facet_value(facet)).get(value, ())

    def _by_facet_value(self, facet: registry.Facet) -> dict[str, tuple[Initiative, ...]]:
        groups: dict[str, list[Initiative]] = {}
        for sheet in self.initiatives:
            for value in dict.fromkeys(self.facet_values(facet, sheet)):
                groups.setdefault(value, []).append(sheet)
        return {value: tuple(sheets) for value, sheets in groups.items()}

    def in_cell(self, situatie: str, soort: str) -> tuple[Initiative, ...]:
        cell = Cell(situatie, soort)
        return tuple(s for s in self.initiatives if cell in s.cellen)

    def in_mapping_cell(self, situatie: str, soort: str) -> tuple[Initiative, ...]:
        """The cell as the 2022 slide "Mapping initiatieven" filled it (the home matrix)."""
        return tuple(s for s in self.in_cell(situatie, soort) if s.mapping_2022)

    def with_kind(self, soort: str) -> tuple[Initiative, ...]:
        return tuple(s for s in self.initiatives if any(c.soort == soort for c in s.cellen))

    def in_situation(self, situatie: str) -> tuple[Initiative, ...]:
        return tuple(s for s in self.initiatives if any(c.situatie == situatie for c in s.cellen))

    def for_target_group(self, doelgroep: str) -> tuple[Initiative, ...]:
        return tuple(s for s in self.initiatives if doelgroep in s.doelgroepen)

    def related(self, sheet_id: str) -> tuple[RelatedGroup, ...]:
        """Relations of a sheet in both directions, grouped by how a reader would say them."""
        groups: dict[str, list[tuple[Sheet, str | None]]] = {}
        for rel in self.relations_of.get(sheet_id, ()):
            if rel.source == sheet_id:
                groups.setdefault(rel.kind.label, []).append((self.sheets[rel.target], rel.toelichting))
            elif rel.target == sheet_id:
                groups.setdefault(rel.kind.inverse_label, []).append((self.sheets[rel.source], rel.toelichting))
        result = []
        for label in sorted(groups, key=_LABEL_ORDER.index):
            members = sorted(dict.fromkeys(groups[label]), key=lambda pair: sort_key(pair[0].titel))
            result.append(RelatedGroup(label, tuple(m[0] for m in members), tuple(m[1] for m in members)))
        return tuple(result)

    def offered_by(self, org_id: str) -> tuple[Sheet, ...]:
        return self._targets(org_id, "biedt-aan")

    def taking_part_in(self, org_id: str) -> tuple[Sheet, ...]:
        return self._targets(org_id, "neemt-deel-aan")

    def _targets(self, source_id: str, kind: str) -> tuple[Sheet, ...]:
        found = {r.target for r in self.relations_of.get(source_id, ()) if r.source == source_id and r.type == kind}
        return tuple(sorted((self.sheets[t] for t in found), key=lambda s: sort_key(s.titel)))
