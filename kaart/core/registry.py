"""The vocabulary of kaart in one place.

Labels come from the JSON Schema (its `oneOf`/`const`/`title` lists), so the schema stays the
single definition of the format; this module adds what a schema cannot say: the order of the
matrix, the inverse names of relations and the labels of comparison attributes.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kaart.core.state import per_build

# The schemas ship inside the package (a wheel install can build); the project's schema/ holds
# copies for editors, kept equal by tests/test_registry.py (`python -m kaart.content.docs` writes them).
SCHEMA_DIR = Path(str(resources.files("kaart") / "schemas"))
SCHEMA_PATH = SCHEMA_DIR / "factsheet.schema.json"
SCHEMA_NAMES = ("factsheet.schema.json", "vergelijking.schema.json", "cijfers.schema.json", "handout.schema.json")

# Where the factsheets of each type live, relative to the project root.
FOLDERS = {"initiatief": "initiatives", "organisatie": "organisations"}


@dataclass(frozen=True)
class RelationType:
    """A typed link between two factsheets, named both ways."""

    key: str
    label: str  # read from the source: "A vervangt B"
    inverse_label: str  # read from the target: "B wordt vervangen door A"
    symmetric: bool = False
    # A chain of this type may not return to where it started (a route, a replacement, a part).
    acyclic: bool = False


RELATION_TYPES: dict[str, RelationType] = {
    rt.key: rt
    for rt in (
        RelationType("vervangt", "vervangt", "vervangen door", acyclic=True),
        RelationType("leidt-naar", "leidt naar", "volgt op", acyclic=True),
        RelationType("variant-van", "variant van", "heeft als variant", acyclic=True),
        RelationType("onderdeel-van", "onderdeel van", "bestaat uit", acyclic=True),
        RelationType("combineerbaar-met", "combineerbaar met", "combineerbaar met", True),
        RelationType("zie-ook", "zie ook", "zie ook", True),
        RelationType("biedt-aan", "biedt aan", "aangeboden door"),
        RelationType("neemt-deel-aan", "neemt deel aan", "deelnemers"),
    )
}

# Relations that only an organisation can state, towards an initiative.
ORGANISATION_RELATIONS = frozenset({"biedt-aan", "neemt-deel-aan"})



@dataclass(frozen=True)
class Route:
    """A route page: the steps that follow `start` along "leidt naar" relations."""

    key: str
    title: str
    start: str
    intro: str
    goal: str = ""  # what the route leads to when that is not a factsheet of its own


ROUTES: tuple[Route, ...] = (
    Route("werkplekleren", "Route werkplekleren", "bvs",
          "Van oriënteren op de werkvloer naar een job: de stappen van werkplekleren bij VDAB.",
          "Een job: na een geslaagde IBO werft de werkgever de medewerker aan."),
    Route("nieuwkomers", "Route voor nieuwkomers", "registratie-dvz",
          "De stappen die een nieuwkomer (zoals de Oekraïense vluchtelingen in 2022) zet, van de registratie tot werk."),
)


@dataclass(frozen=True)
class Reform:
    """A reform page: the measure at its centre, what it replaces and where each old measure leads."""

    key: str
    title: str
    centre: str
    intro: str


REFORMS: tuple[Reform, ...] = (
    Reform("hervorming-2023", "Hervorming 2023: van VOP, LDE, MWA en SINE naar IMW en CMW", "individueel-maatwerk",
           "Individueel maatwerk verving vanaf 1 juli 2023 de VOP (in 2022 was 1 januari 2023 gepland). "
           "Wat het vervangt, wat wordt afgeschaft en welke "
           "overgangen er zijn, volgens de fiches."),
)

# When each seed deck was presented: the age of a fact taken from it. The IMW and WerkPlekLeren
# deck links to files uploaded in June and August 2023 and speaks of the 1 July 2023 switch.
DECK_DATES: dict[str, str] = {"netwerk-2022": "2022", "imw-werkplekleren": "2023"}

# A factsheet whose newest source is older than this many years carries a "mogelijk verouderd"
# notice, measured from the date of the data (the newest `laatst_nagekeken`), so a build stays
# the same on any day.
OUTDATED_AFTER_YEARS = 2

# Comparison attributes (`kenmerken`), in the order a comparison table shows them.
ATTRIBUTE_LABELS: dict[str, str] = {
    "doel": "Doel",
    "doelgroep": "Doelgroep",
    "voorwaarden": "Voorwaarden",
    "duur": "Duur",
    "kostprijs_werkgever": "Kostprijs voor de werkgever",
    "kostprijs_deelnemer": "Kostprijs voor de deelnemer",
    "inkomen_of_premie": "Inkomen of premie",
    "begeleiding": "Begeleiding",
    "organisator": "Wie organiseert",
    "aanvragen": "Hoe aanvragen",
    "vervolg": "Wat volgt erna",
}

# Fields a factsheet page shows as "nog aan te vullen" when they are empty, per sheet type;
# `kaart report` lists the same ones (tests/test_report.py checks the pages agree).
TO_COMPLETE: dict[str, tuple[str, ...]] = {
    "initiatief": ("beschrijving", "doelgroepen", "aanbieders", "regio", "contact"),
    "organisatie": ("website", "contact", "regio"),
}

# How a page names a field it still lacks ("Nog niet gekend: de doelgroepen, een contactpunt").
# What `kaart new` writes where the contributor has to: `validate` refuses it until it is replaced,
# so a skeleton is never published as it is.
PLACEHOLDER_SUMMARY = "Nog aan te vullen: zeg in één of twee zinnen wat dit is en voor wie."
PLACEHOLDER_URL = "https://"
PLACEHOLDER_TITLE = "Titel van de pagina"
PLACEHOLDERS: dict[str, str] = {
    PLACEHOLDER_SUMMARY: "schrijf in één of twee zinnen wat dit is en voor wie",
    PLACEHOLDER_URL: "vul het volledige webadres in van de pagina die je las, bv. https://www.vdab.be/loopbaancheques",
    PLACEHOLDER_TITLE: "vul de titel in van de pagina die je las",
}
PLACEHOLDER_MESSAGE = "vervang de voorbeeldtekst"

MISSING_LABELS: dict[str, str] = {
    "beschrijving": "een beschrijving",
    "doelgroepen": "de doelgroepen",
    "aanbieders": "wie het aanbiedt",
    "regio": "de regio",
    "contact": "een contactpunt",
    "website": "de website",
}

STATUS_NOTES = {
    "uitdovend": "Deze maatregel dooft uit: er is geen nieuwe instroom meer.",
    "afgeschaft": "Deze maatregel is afgeschaft.",
    "gepland": "Deze maatregel is gepland en loopt nog niet.",
    "voorgesteld": "Dit is een voorstel; er is nog niet over beslist.",
}


@per_build
def schema() -> dict:
    return load_schema("factsheet.schema.json")


@per_build
def load_schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def _labels(def_name: str, *path: str) -> dict[str, str]:
    node = schema()["$defs"][def_name]
    for key in path:
        node = node[key]
    return {option["const"]: option["title"] for option in node["oneOf"]}


@per_build
def situations() -> dict[str, str]:
    """Matrix columns, in schema order."""
    return _labels("cel", "properties", "situatie")


@per_build
def kinds() -> dict[str, str]:
    """Matrix rows, in schema order."""
    return _labels("cel", "properties", "soort")


@per_build
def statuses() -> dict[str, str]:
    return _labels("initiatief", "properties", "status")


@per_build
def target_groups() -> dict[str, str]:
    return _labels("doelgroep")


@per_build
def regions() -> dict[str, str]:
    return _labels("regio")


@per_build
def decks() -> dict[str, str]:
    return _labels("deck")


@dataclass(frozen=True)
class Slide:
    """One slide of a seed deck, as a source `{deck, dia}` cites it: by its title."""

    deck: str
    number: int  # its place in the deck's text, from 1
    title: str | None  # as on the slide; None when the slide has none
    subtitle: str | None = None  # a second title line ("RIZIV-data GENT" / "Begrippen")
    announced_as: str | None = None  # how another slide names a slide without a title

    @property
    def names(self) -> tuple[str, ...]:
        """What `dia` may say: the title, the title with its second line, or the announced name."""
        full = f"{self.title} {self.subtitle}" if self.title and self.subtitle else None
        return tuple(name for name in (self.title, full, self.announced_as) if name)


SLIDES_PATH = SCHEMA_DIR / "dias.json"


@per_build
def slides() -> dict[str, tuple[Slide, ...]]:
    """The slides of each seed deck, in order (kaart/schemas/dias.json)."""
    data = json.loads(SLIDES_PATH.read_text(encoding="utf-8"))
    return {deck: tuple(Slide(deck, row["dia"], row["titel"], row.get("ondertitel"), row.get("genoemd"))
                        for row in rows)
            for deck, rows in data.items() if not deck.startswith("$")}


def slide_key(text: str) -> str:
    """A title as a citation may vary it: any case, any dash, a closing colon, spacing."""
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", unicodedata.normalize("NFC", text))
    return " ".join(text.split()).rstrip(": ").casefold()


def slide_named(deck: str, name: str) -> Slide | None:
    """The first slide of `deck` that `name` (a `dia` value) cites, or None."""
    return _slides_by_key().get((deck, slide_key(name)))


@per_build
def _slides_by_key() -> dict[tuple[str, str], Slide]:
    """Every name of every slide, as `slide_key` spells it: each source's `dia` is looked up, not
    compared with all slides."""
    found: dict[tuple[str, str], Slide] = {}
    for deck, deck_slides in slides().items():
        for slide in deck_slides:
            for name in slide.names:
                found.setdefault((deck, slide_key(name)), slide)
    return found


@per_build
def organisation_kinds() -> dict[str, str]:
    return _labels("organisatie", "properties", "soort_organisatie")


@per_build
def field_names(sheet_type: str) -> tuple[str, ...]:
    """Top-level field names of a factsheet type, in schema order (also the canonical order)."""
    return tuple(schema()["$defs"][sheet_type]["properties"])


@dataclass(frozen=True)
class Facet:
    """A way to narrow the initiatives down, the one definition the search page, the overview pages
    and the handout covers share: its URL parameter and filter name, how a page names it, and
    where its values come from (`labels`; None for the providers, which are organisations)."""

    key: str
    legend: str
    labels: Callable[[], dict[str, str]] | None
    overview: bool = False  # has an overview page per value (/soort/x/, /situatie/x/, /doelgroep/x/)
    organisations_too: bool = False  # organisation pages carry it as well (in search)


FACETS: tuple[Facet, ...] = (
    Facet("soort", "Soort hulp", kinds, overview=True),
    Facet("situatie", "Situatie", situations, overview=True),
    Facet("doelgroep", "Doelgroep", target_groups, overview=True),
    Facet("aanbieder", "Aanbieder", None),
    Facet("status", "Status", statuses),
    Facet("regio", "Regio", regions, organisations_too=True),
)
