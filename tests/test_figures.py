"""Figures data files (content/cijfers/): every problem at its file:line:col, and the shipped data true to the seeds."""

from __future__ import annotations

import re
import textwrap

import pytest

from kaart.content.figures import FOLDER, read_topics
from kaart.core.dutch import format_number
from kaart.content.project import read_knowledge_base

from .conftest import REPO
from .test_content import DECK_FILES, SEEDS, _normalise

SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/cijfers.schema.json\n"
SHEETS = {"imw", "vop", "sine", "vdab"}

VALID = SCHEMA_LINE + """\
id: proef
titel: Proefcijfers
samenvatting: Een pagina met cijfers om mee te testen.
fiches: [imw]
grafieken:
  - id: banen
    titel: Banen per organisatie
    beschrijving: De meeste banen zijn bij de eerste organisatie.
    eenheid: VTE
    peildatum: "2020-01"
    bron: {deck: netwerk-2022, dia: "Sociale Economie Gent: situering (cijfers jan 2020)"}
    reeksen:
      - naam: Toegekend
      - naam: Ingevuld
    rijen:
      - label: Eerste
        fiche: vdab
        waarden: [210.1, 185]
      - label: Tweede
        waarden: [10, null]
    totaal: [220.1, null]
laatst_nagekeken: "2026-11-23"
"""


def check(site_root, text: str, name: str = "proef") -> list[str]:
    path = site_root / FOLDER / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    _, problems = read_topics(site_root, SHEETS)
    return [p.format_text() for p in sorted(problems)]


def test_a_valid_data_file_becomes_a_topic(site_root):
    assert check(site_root, VALID) == []
    topics, _ = read_topics(site_root, SHEETS)
    (topic,) = topics
    chart = topic.grafieken[0]
    assert (topic.url, chart.rijen[1].waarden, chart.reeksen[1].eenheid) == ("cijfers/proef/", (10, None), "VTE")
    assert topic.is_about("imw") and topic.is_about("vdab") and not topic.is_about("sine")
    assert topic.charts_about("vdab") == (chart,)


def test_unknown_field_is_reported_at_its_key_with_a_suggestion(site_root):
    text = VALID.replace("    eenheid: VTE\n", "    eenhied: VTE\n")
    assert check(site_root, text) == [
        "content/cijfers/proef.yaml:7:5: error: het verplichte veld 'eenheid' ontbreekt",
        "content/cijfers/proef.yaml:10:5: error: onbekend veld 'eenhied' (bedoel je 'eenheid'?)",
    ]


def test_text_where_a_number_belongs_is_reported_at_the_value(site_root):
    text = VALID.replace("waarden: [210.1, 185]", "waarden: [210.1, '185']")
    assert check(site_root, text) == [
        "content/cijfers/proef.yaml:19:26: error: verwacht een getal of niets, gevonden tekst"]


def test_a_decimal_comma_in_yaml_is_caught(site_root):
    text = VALID.replace("waarden: [210.1, 185]", "waarden: [210,1, 185]")
    assert check(site_root, text) == [
        ("content/cijfers/proef.yaml:19:18: error: 3 waarde(n) voor 2 reeks(en) "
        "(geef één waarde per reeks, in de volgorde van 'reeksen'; null als de bron ze niet geeft)")]


def test_a_total_that_does_not_add_up_points_at_the_total(site_root):
    text = VALID.replace("totaal: [220.1, null]", "totaal: [221.1, null]")
    assert check(site_root, text) == [
        ("content/cijfers/proef.yaml:22:14: error: het totaal 221,1 klopt niet: de rijen geven samen 220,1 "
        "(controleer de getallen tegen de bron)")]


def test_a_reference_to_an_unknown_factsheet_is_reported_with_a_suggestion(site_root):
    text = VALID.replace("fiche: vdab", "fiche: vdb").replace("fiches: [imw]", "fiches: [imw, vpo]")
    assert check(site_root, text) == [
        "content/cijfers/proef.yaml:5:15: error: onbekende fiche 'vpo' (bedoel je 'vop'?)",
        "content/cijfers/proef.yaml:18:16: error: onbekende fiche 'vdb' (bedoel je 'vdab'?)",
    ]


def test_a_row_outside_the_groups_is_reported(site_root):
    text = VALID.replace("    totaal: [220.1, null]\n", "    groepen:\n      - naam: A\n      - naam: B\n")
    text = text.replace("      - label: Eerste\n", "      - label: Eerste\n        groep: A\n")
    text = text.replace("      - label: Tweede\n", "      - label: Tweede\n        groep: C\n")
    assert check(site_root, text) == [
        "content/cijfers/proef.yaml:22:16: error: de rij 'Tweede' hoort bij geen van de groepen (kies uit: A, B)"]


def test_a_table_only_series_must_say_so_when_its_unit_differs(site_root):
    text = VALID.replace("      - naam: Ingevuld\n", "      - naam: Ingevuld\n        eenheid: personen\n")
    assert check(site_root, text) == [
        ("content/cijfers/proef.yaml:16:18: error: de reeks 'Ingevuld' heeft een andere eenheid dan de grafiek "
        "(zet 'in_grafiek: false' om ze alleen in de tabel te tonen)")]
    assert check(site_root, text.replace("eenheid: personen\n", "eenheid: personen\n        in_grafiek: false\n")) == []


def test_duplicate_chart_ids_and_a_file_name_mismatch_are_reported(site_root):
    text = VALID.replace("id: proef", "id: ander")
    chart = text[text.index("  - id: banen"):text.index("laatst_nagekeken")]
    text = text.replace("laatst_nagekeken", chart + "laatst_nagekeken")
    assert check(site_root, text) == [
        ("content/cijfers/proef.yaml:2:5: error: het id 'ander' verschilt van de bestandsnaam 'proef' "
        "(hernoem het bestand naar ander.yaml of pas het id aan)")]
    assert check(site_root, text.replace("id: ander", "id: proef")) == [
        ("content/cijfers/proef.yaml:23:9: error: de grafiek 'banen' staat er twee keer "
        "(eerder als grafiek 1; geef elke grafiek een eigen id)")]


def test_a_page_without_charts_or_sections_is_reported(site_root):
    text = VALID[:VALID.index("grafieken:")] + 'laatst_nagekeken: "2026-11-23"\n'
    assert check(site_root, text) == [
        ("content/cijfers/proef.yaml:1:1: error: een cijferpagina heeft 'grafieken' of 'secties' nodig "
        "(voeg minstens één grafiek of één tekstblok toe)")]


def test_loader_errors_keep_their_place(site_root):
    text = VALID.replace("titel: Proefcijfers\n", "titel: Proefcijfers\ntitel: Dubbel\n")
    assert check(site_root, text) == [
        "content/cijfers/proef.yaml:4:1: error: de sleutel 'titel' staat er twee keer (eerder op regel 3; houd er één)"]


def test_a_bad_data_file_fails_the_knowledge_base(site_root):
    check(site_root, VALID.replace("waarden: [10, null]", "waarden: [10]"))
    kb, problems = read_knowledge_base(site_root)
    assert kb is None
    assert [p.format_text() for p in problems] == [
        ("content/cijfers/proef.yaml:21:18: error: 1 waarde(n) voor 2 reeks(en) "
        "(geef één waarde per reeks, in de volgorde van 'reeksen'; null als de bron ze niet geeft)")]


@pytest.mark.parametrize(("value", "shown"), [
    (210.1, "210,1"), (185, "185"), (185.0, "185"), (4842, "4842"), (12345.5, "12.345,5"), (0, "0"),
    (None, "\u2014"), (-3.25, "-3,25"),
])
def test_numbers_use_the_belgian_notation(value, shown):
    assert format_number(value) == shown


# --- the shipped data --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def shipped():
    kb, problems = read_knowledge_base(REPO)
    assert problems == [], [p.format_text() for p in problems]
    return kb.figure_topics


def test_the_issue_s_figures_pages_are_shipped(shipped):
    charts = {(t.id, c.id) for t in shipped for c in t.grafieken}
    assert {("sociale-economie-gent", "toegekend-ingevuld"), ("sociale-economie-gent", "wachtrij"),
            ("sociale-economie-gent", "banen-per-organisatie"),
            ("oekraiense-werkzoekenden", "inschrijvingen-per-maand")} <= charts
    riziv = next(t for t in shipped if t.id == "riziv-gent")
    assert riziv.grafieken == () and {s.titel for s in riziv.secties} >= {"Conclusies", "Begrippen", "Ontbrekende cijfers"}


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed decks (../shared/seeds) are not beside this checkout")
def test_every_shipped_number_and_slide_comes_from_the_seeds(shipped):
    """A typo in a number (1077,9 for 1077,8) or a slide title fails here, before anyone reads it."""
    decks = {deck: _normalise((SEEDS / name).read_text(encoding="utf-8")) for deck, name in DECK_FILES.items()}
    missing = []
    for topic in shipped:
        items = [(k.bron, [k.waarde]) for k in topic.kerncijfers]
        items += [(c.bron, [v for row in c.rijen for v in row.waarden] + list(c.totaal)
                   + [v for g in c.groepen for v in g.totaal]) for c in topic.grafieken]
        items += [(s.bron, []) for s in topic.secties]
        for source, values in items:
            deck = decks[source.deck]
            if _normalise(source.slide.rstrip(":")) not in deck:
                missing.append(f"{topic.path}: slide {source.slide!r}")
            for value in values:
                if value is not None and not re.search(rf"(?<![\d,]){re.escape(format_number(value))}(?![\d,])", deck):
                    missing.append(f"{topic.path}: {format_number(value)}")
    assert missing == []


def test_a_slide_the_deck_does_not_have_is_reported_in_a_figures_file(site_root):
    text = VALID.replace('dia: "Sociale Economie Gent: situering (cijfers jan 2020)"', "dia: 99")
    assert check(site_root, text) == [
        "content/cijfers/proef.yaml:12:37: error: het deck netwerk-2022 heeft geen dia 99 (het telt dia 1 tot 57; "
        "noem de dia met haar titel, zoals in de lijst in CONTRIBUTING.md)"]
