"""The factsheets as tables for spreadsheets (/data/initiatieven.csv, /data/organisaties.csv) and in
their own form (/data/kaart.json).

The columns are defined once, here; the /data/ page lists them with their meaning, so the page
cannot describe a column the file does not have.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kaart.content.order import in_schema_order
from kaart.core import registry
from kaart.core.dutch import spreadsheet_csv
from kaart.core.model import Initiative, KnowledgeBase, Organisation
from kaart.features.opendata.site import Site

# Several values in one cell (two target groups, three providers) are separated by this.
SEPARATOR = " | "
SCHEMA_NAME = registry.SCHEMA_PATH.name

Value = str | Sequence[str] | None


@dataclass(frozen=True)
class Row:
    kb: KnowledgeBase
    sheet: Any  # the Initiative or Organisation of this row
    site: Site


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str  # in Dutch, for the /data/ page: a capital, no full stop
    value: Callable[[Row], Value]
    values: Callable[[], dict[str, str]] | None = None  # the column's vocabulary, shown on /data/

    def cell(self, row: Row) -> str | None:
        value = self.value(row)
        if value is None or isinstance(value, str):
            return value
        return SEPARATOR.join(value) or None


def _contact(field: str) -> Callable[[Row], list[str]]:
    return lambda row: [getattr(point, field) for point in row.sheet.contact if getattr(point, field)]


def _distinct(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


HEAD = (
    Column("id", "De sleutel van de fiche (ook de naam van haar bestand); andere fiches verwijzen ermee",
           lambda row: row.sheet.id),
    Column("titel", "De naam", lambda row: row.sheet.titel),
    Column("afkorting", "De gangbare afkorting, als die er is", lambda row: row.sheet.afkorting),
    Column("samenvatting", "Wat het is en voor wie, in een of twee zinnen", lambda row: row.sheet.samenvatting),
)

TAIL = (
    Column("regio", "Het werkingsgebied", lambda row: row.sheet.regio, registry.regions),
    Column("contactpunten", "De namen van de algemene contactpunten (nooit een persoon)", _contact("naam")),
    Column("telefoon", "Hun telefoonnummers", _contact("telefoon")),
    Column("email", "Hun e-mailadressen", _contact("email")),
    Column("contactpagina", "Hun contactpagina's", _contact("url")),
    Column("adres", "Hun adressen", _contact("adres")),
    Column("links", "Webpagina's met meer uitleg", lambda row: [link.url for link in row.sheet.links]),
    Column("trefwoorden", "Andere woorden en afkortingen waaronder men het zoekt", lambda row: row.sheet.trefwoorden),
    Column("bronnen", "Waar de feiten vandaan komen: het webadres van een pagina, of de presentatie en de dia",
           lambda row: [source.url or source.label for source in row.sheet.bronnen]),
    Column("laatst_nagekeken", "De dag (JJJJ-MM-DD) waarop de fiche het laatst werd nagekeken",
           lambda row: row.sheet.laatst_nagekeken.isoformat()),
    Column("pagina", "Het adres van de fiche op deze kaart", lambda row: row.site.page(row.sheet)),
)

INITIATIVE_COLUMNS = (
    *HEAD,
    Column("status", "Hoe het ervoor staat", lambda row: row.sheet.status, registry.statuses),
    Column("start", "Sinds wanneer (JJJJ, JJJJ-MM of JJJJ-MM-DD)", lambda row: row.sheet.start),
    Column("einde", "Tot wanneer (JJJJ, JJJJ-MM of JJJJ-MM-DD)", lambda row: row.sheet.einde),
    Column("soorten", "De soorten hulp", lambda row: _distinct(cell.soort for cell in row.sheet.cellen),
           registry.kinds),
    Column("situaties", "Voor wie in welke situatie",
           lambda row: _distinct(cell.situatie for cell in row.sheet.cellen), registry.situations),
    Column("cellen", "De vakjes van de matrix, elk als situatie/soort",
           lambda row: [f"{cell.situatie}/{cell.soort}" for cell in row.sheet.cellen]),
    Column("mapping_2022", "Of het op de mapping initiatieven van 2022 stond: ja of nee",
           lambda row: "ja" if row.sheet.mapping_2022 else "nee"),
    Column("doelgroepen", "De doelgroepen", lambda row: row.sheet.doelgroepen, registry.target_groups),
    Column("aanbieders", "Wie het aanbiedt: de id's van organisaties.csv", lambda row: row.sheet.aanbieders),
    Column("aanbieders_namen", "De namen van die aanbieders",
           lambda row: [row.kb.sheets[org_id].display_title for org_id in row.sheet.aanbieders]),
    *TAIL,
)

ORGANISATION_COLUMNS = (
    *HEAD,
    Column("soort_organisatie", "Wat voor organisatie het is", lambda row: row.sheet.soort_organisatie,
           registry.organisation_kinds),
    Column("website", "De eigen website", lambda row: row.sheet.website),
    Column("biedt_aan", "De initiatieven die ze aanbiedt: de id's van initiatieven.csv",
           lambda row: [offered.id for offered in row.kb.offered_by(row.sheet.id)]),
    *TAIL,
)


def sheets_of(kb: KnowledgeBase, kind: type) -> list[Any]:
    """The initiatives or the organisations, by id."""
    return [sheet for sheet in kb.sheets.values() if isinstance(sheet, kind)]


@dataclass(frozen=True)
class Table:
    name: str  # what its rows are: "initiatieven", "organisaties"
    kind: type  # Initiative or Organisation: one row per factsheet of this type
    columns: tuple[Column, ...]

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    def sheets(self, kb: KnowledgeBase) -> list[Any]:
        return sheets_of(kb, self.kind)

    def csv(self, kb: KnowledgeBase, site: Site) -> str:
        rows = [Row(kb, sheet, site) for sheet in self.sheets(kb)]
        return spreadsheet_csv([[column.name for column in self.columns],
                                *([column.cell(row) for column in self.columns] for row in rows)])


TABLES = (Table("initiatieven", Initiative, INITIATIVE_COLUMNS), Table("organisaties", Organisation, ORGANISATION_COLUMNS))


def factsheets_json(kb: KnowledgeBase) -> bytes:
    """Every factsheet as its file states it (the schema's form, keys in the schema's order), by id."""

    def forms(kind: type) -> list[dict[str, Any]]:
        return [in_schema_order(kb.source_data[sheet.id]) for sheet in sheets_of(kb, kind)]

    document = {
        "schema": SCHEMA_NAME,  # beside this file: /data/factsheet.schema.json, one entry of the lists below
        "gegevens_van": kb.data_date.isoformat() if kb.data_date else None,
        "initiatieven": forms(Initiative),
        "organisaties": forms(Organisation),
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
