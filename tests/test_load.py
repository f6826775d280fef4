"""The loader: strict, safe YAML 1.2 with the place of every value."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from kaart.core.load import MAX_BYTES, load_document, load_text, resolve_plain_scalar

from .conftest import REPO


def load(tmp_path: Path, text: str | bytes, name: str = "x.yaml"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return load_document(path, tmp_path)


def only_problem(tmp_path: Path, text: str | bytes) -> str:
    doc, problems = load(tmp_path, text)
    assert doc is None
    assert len(problems) == 1, problems
    return problems[0].format_text()


def test_duplicate_key_is_reported_with_line_and_column(tmp_path):
    message = only_problem(tmp_path, "titel: a\nid: x\ntitel: b\n")
    assert message.startswith("x.yaml:3:1: error: de sleutel 'titel' staat er twee keer")
    assert "regel 1" in message


def test_nested_duplicate_key_is_reported(tmp_path):
    message = only_problem(tmp_path, "kenmerken:\n  duur: a\n  duur: b\n")
    assert message.startswith("x.yaml:3:3:")


def test_tab_is_reported_at_its_column(tmp_path):
    assert only_problem(tmp_path, "titel: a\ncellen:\n\t- x\n").startswith("x.yaml:3:1: error: een tab")


def test_non_utf8_is_reported_at_the_bad_byte(tmp_path):
    assert only_problem(tmp_path, b"titel: a\nid: caf\xe9\n").startswith("x.yaml:2:8: error: het bestand is geen geldige UTF-8")


@pytest.mark.parametrize("text", ["", "   \n", "# alleen commentaar\n"])
def test_empty_file_is_an_error(tmp_path, text):
    assert "het bestand is leeg" in only_problem(tmp_path, text)


def test_several_documents_are_an_error(tmp_path):
    assert only_problem(tmp_path, "a: 1\n---\nb: 2\n").startswith("x.yaml:3:1: error: het bestand bevat meer dan één YAML-document")


@pytest.mark.parametrize("text", ["- a\n- b\n", "gewoon tekst\n", "42\n"])
def test_document_that_is_not_a_mapping_is_an_error(tmp_path, text):
    assert "een fiche moet uit velden bestaan" in only_problem(tmp_path, text)


def test_syntax_error_names_line_and_column(tmp_path):
    message = only_problem(tmp_path, "titel: [a, b\nid: x\n")
    assert message.startswith("x.yaml:") and "ongeldige YAML" in message


def test_python_tags_never_construct_objects(tmp_path):
    message = only_problem(tmp_path, "titel: !!python/object/apply:os.system ['echo pwned']\n")
    assert message.startswith("x.yaml:1:8: error: de tag 'tag:yaml.org,2002:python/object/apply:os.system'")


def test_local_tags_are_refused(tmp_path):
    assert "is niet toegestaan" in only_problem(tmp_path, "titel: !secret x\n")


def test_aliases_are_refused_so_alias_bombs_cannot_explode(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    doc, problems = load(tmp_path, bomb)
    assert doc is None
    assert problems and all("ankers (&) en aliassen (*)" in p.message for p in problems)


def test_merge_keys_are_refused(tmp_path):
    assert "samenvoegsleutels" in only_problem(tmp_path, "a: {x: 1}\nb:\n  <<: {y: 2}\n")


def test_oversized_file_is_refused_before_parsing(tmp_path):
    message = only_problem(tmp_path, "titel: " + "a" * (MAX_BYTES + 10) + "\n")
    assert "het bestand is te groot" in message


def test_deep_nesting_is_refused(tmp_path):
    assert "te diep genest" in only_problem(tmp_path, "a: " + "[" * 40 + "]" * 40 + "\n")


def test_control_characters_are_reported(tmp_path):
    assert only_problem(tmp_path, "titel: a\x07b\n").startswith("x.yaml:1:9: error: onzichtbaar stuurteken U+0007")


@pytest.mark.parametrize(
    ("text", "value"),
    [("NO", "NO"), ("yes", "yes"), ("9:30", "9:30"), ("0123", 123), ("2023-01-01", "2023-01-01"),
     ("true", True), ("null", None), ("1.5", 1.5), ("0x1F", 31), ("~", None), ("on", "on")],
)
def test_plain_scalars_follow_yaml_1_2_core(text, value):
    assert resolve_plain_scalar(text) == value


def test_quoted_scalars_stay_strings(tmp_path):
    doc, problems = load(tmp_path, "a: 'true'\nb: \"12\"\nc: |\n  42\n")
    assert not problems
    assert doc.data == {"a": "true", "b": "12", "c": "42\n"}


def test_every_key_and_value_keeps_its_place(tmp_path):
    doc, _ = load(tmp_path, "# comment\ntitel: IBO\ncellen:\n  - {situatie: actief, soort: subsidie}\n")
    assert str(doc.where(("titel",))) == "x.yaml:2:8"
    assert str(doc.where(("titel",), key=True)) == "x.yaml:2:1"
    assert str(doc.where(("cellen", 0, "soort"))) == "x.yaml:4:31"


def test_byte_order_mark_is_accepted(tmp_path):
    doc, problems = load(tmp_path, "\ufefftitel: a\n".encode("utf-8"))
    assert not problems and doc.data == {"titel": "a"}


def test_marks_survive_the_document_cache_as_numbers():
    import pickle

    from kaart.core.load import Marks, load_text
    from kaart.core.problems import Location

    doc, problems = load_text(b"id: x\ntitel: Een titel\nrelaties:\n  - doel: y\n", "initiatives/x.yaml")
    assert problems == [] and isinstance(doc.value_marks, Marks)
    again = pickle.loads(pickle.dumps(doc))
    assert again.value_marks[("relaties", 0, "doel")] == Location("initiatives/x.yaml", 4, 11)
    assert again.key_marks[("titel",)] == Location("initiatives/x.yaml", 2, 1)
    assert ("nergens",) not in again.value_marks and len(again.value_marks) == len(doc.value_marks)


# --- files no reader takes are errors, not skipped (issue 16) ----------------------------------

def _messages(root):
    from kaart.content.project import read_knowledge_base

    kb, problems = read_knowledge_base(root)
    assert kb is None
    return [p.format_text() for p in problems]


def test_a_link_to_a_factsheet_outside_the_project_is_an_error(site_root, tmp_path):
    from .conftest import VALID_INITIATIVE
    import textwrap

    outside = tmp_path / "elders.yaml"
    outside.write_text(textwrap.dedent(VALID_INITIATIVE.format(id="elders")), encoding="utf-8")
    (site_root / "initiatives" / "elders.yaml").symlink_to(outside)
    assert _messages(site_root) == ["initiatives/elders.yaml:1:1: error: een snelkoppeling (symlink) naar een bestand "
                                    "buiten het project (zet het bestand zelf in de map: alleen wat hier staat, "
                                    "wordt nagekeken)"]
    before = outside.read_bytes()
    from kaart.cli import main

    main(["--root", str(site_root), "fmt"])
    assert outside.read_bytes() == before, "kaart fmt does not rewrite a file outside the project"


def test_a_dangling_link_and_an_upper_case_suffix_are_reported(site_root):
    (site_root / "initiatives" / "weg.yaml").symlink_to(site_root / "bestaat-niet.yaml")
    (site_root / "initiatives" / "imw.yaml").rename(site_root / "initiatives" / "imw.YAML")
    messages = _messages(site_root)
    assert "initiatives/imw.YAML:1:1: error: de bestandsnaam eindigt op '.YAML' (hernoem het bestand naar imw.yaml " \
           "(kleine letters))" in messages
    assert "initiatives/weg.yaml:1:1: error: een snelkoppeling (symlink) naar een bestand dat niet bestaat " \
           "(verwijder ze, of zet het bestand zelf in de map)" in messages


@pytest.mark.parametrize(("value", "message"), [
    ("9" * 310, "dit getal is te groot"),
    ("9" * 5000, "dit getal is te lang"),
    (str(2**63), "dit getal is te groot"),
    (".inf", "'.inf' is geen getal dat kaart kan tonen"),
    (".nan", "'.nan' is geen getal dat kaart kan tonen"),
])
def test_a_number_kaart_cannot_show_is_a_located_error(site_root, value, message):
    path = site_root / "initiatives" / "vop.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "status: uitdovend", "status: uitdovend\ncijfers:\n  - omschrijving: Groot\n    waarde: " + value
        + "\n    bron: {deck: netwerk-2022, dia: Mapping initiatieven}"), encoding="utf-8")
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "waarde:" in text)
    assert _messages(site_root) == [f"initiatives/vop.yaml:{line}:13: error: {message} (schrijf een getal van hoogstens "
                                    "15 cijfers, of zet de tekst tussen aanhalingstekens)"]


def test_a_chart_value_past_the_limit_is_a_located_error(site_root):
    (site_root / "content" / "cijfers").mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "content" / "cijfers" / "oekraiense-werkzoekenden.yaml", site_root / "content" / "cijfers" / "oekraiense-werkzoekenden.yaml")
    path = site_root / "content" / "cijfers" / "oekraiense-werkzoekenden.yaml"
    text = path.read_text(encoding="utf-8")
    first_number = re.search(r"waarden: \[(\d+)", text)
    assert first_number, "the shipped data has a row of values"
    path.write_text(text[:first_number.start(1)] + str(2**64) + text[first_number.end(1):], encoding="utf-8")
    assert any("dit getal is te groot" in m for m in _messages(site_root))


def test_a_list_past_the_limit_is_one_error_that_says_how_much_more(tmp_path):
    from kaart.core.load import MAX_NODES, load_text

    text = "t: [" + ",".join("1" for _ in range(MAX_NODES + 50)) + "]\n"  # under the size limit
    doc, problems = load_text(text.encode(), "x.yaml")
    assert doc is None
    [problem] = problems
    assert problem.message.startswith("de fiche is te diep genest of te groot (en ")
    # the root mapping and the list count too: 20,000 values, then the 52 past the limit in one message
    assert problem.message == "de fiche is te diep genest of te groot (en 51 waarden meer)"


@pytest.mark.parametrize(("text", "where", "message"), [
    ('titel: x\nsamenvatting: "open\nstatus: actief\nid: x\n', "x.yaml:2:15",
     "een aanhalingsteken gaat hier open en nergens meer dicht"),
    ("titel: x\ndoelgroepen: [a, b\nstatus: actief\n", "x.yaml:2:14", "de lijst die hier met '[' begint, gaat niet dicht"),
    # The file ends in the open bracket (libyaml then points at the end of the file).
    ("status: actief\ntitel: [\n", "x.yaml:2:8", "de lijst die hier met '[' begint, gaat niet dicht"),
    ("titel: x # [niet dit]\ndoelgroepen: ['a [b', c,\n", "x.yaml:2:14", "de lijst die hier met '[' begint, gaat niet dicht"),
    ("status: actief\ncontact: {naam: x,\n", "x.yaml:2:10", "de velden die hier met '{' beginnen, gaan niet dicht"),
    ("status: actief\nbeschrijving: |>-\n  tekst\n", "x.yaml:2:16", "hier verwachtte YAML het einde van de regel"),
    ("status: actief\n@titel: x\n", "x.yaml:2:1", "met dit teken kan geen veld of waarde beginnen"),
    ("status: actief\ncontact:  - naam: x\n", "x.yaml:2:11", "een lijstelement ('- ') kan hier niet staan"),
    ("# schema\n type: initiatief\nid: x\n", "x.yaml:2:1", "het eerste veld van de fiche springt in"),
    ("status: actief\nbeschrijving: & tekst\n", "x.yaml:2:16", "'&' en '*' hebben in YAML een eigen betekenis"),
    ("status: actief\ntrefwoorden:\n  *- doel\n", "x.yaml:3:3", "'&' en '*' hebben in YAML een eigen betekenis"),
    ("status: actief\n%titel: x\n", "x.yaml:2:1", "een regel kan niet met '%' beginnen"),
    ('status: actief\ndatum: !"2026"\n', "x.yaml:2:9", "YAML leest hier een label ('!')"),
    ("status: actief\nbron: {deck: a:, dia: b}\n", "x.yaml:2:15", "hier staat een ':' die niet op zijn plaats is"),
    ("status: actief\nbron: {,deck: a}\n", "x.yaml:2:8", "hier ontbreekt een waarde"),
    ("titel: IBO: een opleiding\n", "x.yaml:1:11", "hier staat een ':' die niet op zijn plaats is"),
    ("doelgroepen:\n  - a\n  b: 2\n", "x.yaml:3:3", "hier verwachtte de lijst een nieuw element"),
])
def test_yaml_syntax_errors_are_dutch_and_point_where_the_mistake_starts(text, where, message):
    _, problems = load_text(text.encode(), "x.yaml")
    [problem] = problems
    assert problem.format_text().startswith(f"{where}: error: ongeldige YAML: {message} (")



# --- a plain value run over several lines: a warning, the value read as YAML reads it (issue 19) ---

def test_a_list_item_indented_too_deep_is_a_warning_at_the_item(tmp_path):
    doc, problems = load(tmp_path, "titel: x\ntrefwoorden:\n  - autisme\n    - ASS\n  - IM\n")
    assert doc is not None and doc.data["trefwoorden"] == ["autisme - ASS", "IM"]
    assert [p.format_text() for p in problems] == [
        "x.yaml:3:5: warning: dit lijstitem loopt over 2 regels en wordt één waarde: 'autisme - ASS' (bedoel je "
        "een apart item? zet '- ASS' recht onder '- autisme'; is het één lange tekst, zet hem dan tussen "
        "aanhalingstekens)"]
    assert not problems[0].is_error


@pytest.mark.parametrize(("text", "where", "message", "hint"), [
    ("trefwoorden:\n  - loon\n    subsidie\n\n    premie\n", "x.yaml:2:5",
     "dit lijstitem loopt over 4 regels en wordt één waarde: 'loon subsidie premie'",
     "zijn het aparte items, begin dan elk op een eigen regel met '- ', in dezelfde kolom"),
    ("trefwoorden: [loon,\n  IM\n  premie]\n", "x.yaml:2:3", "dit lijstitem loopt over 2 regels en wordt één waarde: 'IM premie'",
     "zijn het aparte items, scheid ze dan met komma's"),
    ("doelgroepen: jongeren\n  - werkzoekenden\n", "x.yaml:1:14",
     "de waarde van 'doelgroepen' loopt over 2 regels en wordt één waarde: 'jongeren - werkzoekenden'",
     "bedoel je een lijst? zet dan ook '- jongeren' op een eigen regel onder 'doelgroepen:'"),
    ("bronnen:\n  - titel: Jaarverslag\n      - 2023\n", "x.yaml:2:12",
     "de waarde van 'titel' loopt over 2 regels en wordt één waarde: 'Jaarverslag - 2023'",
     "bedoel je een lijst? zet dan ook '- Jaarverslag' op een eigen regel onder 'titel:'"),
])
def test_every_plain_value_run_over_lines_that_looks_like_a_mistake_is_a_warning(text, where, message, hint):
    doc, problems = load_text(text.encode(), "x.yaml")
    assert doc is not None
    [problem] = problems
    assert problem.format_text() == (f"{where}: warning: {message} ({hint}; is het één lange tekst, zet hem dan "
                                     "tussen aanhalingstekens)")


@pytest.mark.parametrize("text", [
    "samenvatting: Een lange tekst die de schrijver\n  over twee regels zette.\n",  # joined, as meant
    "samenvatting: >-\n  Een lange tekst\n  - met een streepje.\n",
    "beschrijving: |\n  Lijst:\n  - een\n  - twee\n",
    "trefwoorden:\n  - \"autisme\n    - ASS\"\n  - 'loon\n    subsidie'\n",
    "trefwoorden:\n  -\n    autisme\n  - ASS\n",  # one line, below its dash
    "trefwoorden: [loon, IM,\n  premie]\n",
])
def test_block_quoted_and_one_line_values_and_wrapped_field_text_give_no_warning(text):
    doc, problems = load_text(text.encode(), "x.yaml")
    assert doc is not None and problems == []


def test_a_long_run_over_value_is_shortened_to_one_line_in_the_message():
    text = "trefwoorden:\n  - " + " ".join(["woord"] * 10) + "\n    " + " ".join(["meer"] * 10) + "\n"
    [problem] = load_text(text.encode(), "x.yaml")[1]
    assert problem.message.endswith("wordt één waarde: '" + "woord " * 9 + "woord…'")  # 60 characters
    assert "\n" not in problem.format_text()


def test_a_warning_does_not_hide_an_error_of_the_same_file(tmp_path):
    doc, problems = load(tmp_path, "a: 1\ntrefwoorden:\n  - autisme\n    - ASS\na: 2\n")
    assert doc is None
    assert [(p.severity, p.location.line) for p in sorted(problems)] == [("warning", 3), ("error", 5)]


def test_a_factsheet_with_only_a_warning_is_in_the_knowledge_base(site_root):
    from kaart.content.project import read_knowledge_base

    path = site_root / "initiatives" / "sine.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "trefwoorden:\n  - SINE\n    - sociale economie\n",
                    encoding="utf-8")
    kb, problems = read_knowledge_base(site_root)
    assert kb is not None, [p.format_text() for p in problems]
    assert [p.format_text().split(" (")[0] for p in problems] == [
        "initiatives/sine.yaml:14:5: warning: dit lijstitem loopt over 2 regels en wordt één waarde: "
        "'SINE - sociale economie'"]
    assert kb.sheets["sine"].trefwoorden == ("SINE - sociale economie",)


def test_a_warning_drops_no_comparison_figure_page_or_handout(tmp_path):
    from kaart.content.project import read_knowledge_base

    for name in ("initiatives", "organisations", "content"):
        shutil.copytree(REPO / name, tmp_path / name)
    before, problems = read_knowledge_base(tmp_path)
    assert before is not None and problems == []
    edited = []
    for folder in ("vergelijkingen", "cijfers", "handouts"):
        path = sorted((tmp_path / "content" / folder).glob("*.yaml"))[0]
        text = path.read_text(encoding="utf-8")
        field = re.search(r"^(titel|vergadering): [^\"'\n]+$", text, re.M)
        path.write_text(text[:field.end()] + "\n  - extra" + text[field.end():], encoding="utf-8")
        edited.append(f"{path.relative_to(tmp_path).as_posix()}:{text[:field.start()].count(chr(10)) + 1}")
    after, problems = read_knowledge_base(tmp_path)
    assert after is not None, [p.format_text() for p in problems]
    assert sorted(f"{p.location.path}:{p.location.line}" for p in problems) == sorted(edited)
    assert all(p.severity == "warning" and "loopt over 2 regels" in p.message for p in problems)
    assert (len(after.comparisons), len(after.figure_topics), len(after.handouts)) == \
        (len(before.comparisons), len(before.figure_topics), len(before.handouts))


# --- syntax errors a non-developer made in the walkthrough of issue 19: said where they are -------

def _syntax_message(text: str) -> str:
    doc, problems = load_text(text.encode(), "x.yaml")
    assert doc is None
    [problem] = problems
    return problem.format_text()


def test_a_missing_space_after_a_colon_is_reported_on_its_own_line():
    assert _syntax_message("titel: x\nregio:vlaanderen\nstatus: actief\n") == (
        "x.yaml:2:6: error: ongeldige YAML: na de ':' van 'regio:' ontbreekt een spatie (schrijf 'regio: vlaanderen')")


def test_a_missing_space_after_a_colon_in_a_list_item_is_reported_where_it_is():
    # YAML reads 'naam:Loket email' as one text; the ':' of 'email' is where it stops
    assert _syntax_message("contact:\n  - naam:Loket\n    email: a@vdab.be\n") == (
        "x.yaml:2:9: error: ongeldige YAML: na de ':' van 'naam:' ontbreekt een spatie (schrijf 'naam: Loket')")


def test_a_key_without_any_colon_is_reported_on_its_own_line():
    assert _syntax_message("titel: x\nregio vlaanderen\nstatus: actief\n") == (
        "x.yaml:2:1: error: ongeldige YAML: na een veldnaam ontbreekt de ':' (schrijf 'naam: waarde')")


def test_a_quote_closed_only_by_the_next_quote_is_reported_where_it_opens():
    text = 'bron:\n  titel: "Starten als loopbaancentrum: mandaat\n  geraadpleegd: "2026-11-29"\n'
    assert _syntax_message(text) == (
        "x.yaml:2:10: error: ongeldige YAML: een aanhalingsteken gaat hier open en pas op regel 3 weer dicht "
        "(sluit de tekst af met hetzelfde teken (\" of ') op de plaats waar ze eindigt)")


def test_text_after_a_closing_quote_names_the_quote_that_closes_too_early():
    assert _syntax_message("titel: 'VDAB's dienst'\nstatus: actief\n") == (
        "x.yaml:1:13: error: ongeldige YAML: de tekst sluit hier al met een aanhalingsteken, en daarna staat nog "
        "tekst (staat er een ' in de tekst zelf, schrijf het dan dubbel ('') of zet de hele tekst tussen \"…\")")


def test_curly_quotes_from_a_word_processor_are_named_and_straight_ones_asked_for():
    text = "bron:\n  titel: “Starten als loopbaancentrum: Aanvragen mandaat”\n"
    assert _syntax_message(text) == (
        "x.yaml:2:10: error: ongeldige YAML: de tekst staat tussen gekrulde aanhalingstekens (“ ”), en die kent YAML "
        "niet (vervang ze door rechte aanhalingstekens: \" of ')")


def test_a_list_item_field_one_space_short_is_asked_to_line_up_with_the_others():
    text = 'mijlpalen:\n  - datum: "2013"\n   omschrijving: Eerste cheques.\n    bron: {deck: netwerk-2022, dia: x}\n'
    assert _syntax_message(text) == (
        "x.yaml:3:4: error: ongeldige YAML: het veld 'omschrijving' springt 1 spatie te weinig in (zet het in dezelfde "
        "kolom als de andere velden van dit lijstelement, recht onder 'datum' op regel 2)")


@pytest.mark.parametrize("value", ['"2013"', "2013"])
def test_a_list_item_field_one_space_too_far_is_asked_to_line_up_with_the_others(value):
    text = f"mijlpalen:\n  - datum: {value}\n     omschrijving: Eerste cheques.\n"
    assert _syntax_message(text) == (
        "x.yaml:3:6: error: ongeldige YAML: het veld 'omschrijving' springt 1 spatie te ver in (zet het in dezelfde "
        "kolom als de andere velden van dit lijstelement, recht onder 'datum' op regel 2)")


def test_a_field_further_right_than_the_one_above_is_asked_to_line_up():
    assert _syntax_message("titel: x\n samenvatting: y\n") == (
        "x.yaml:2:2: error: ongeldige YAML: het veld 'samenvatting' springt 1 spatie te ver in (zet het in dezelfde "
        "kolom als de velden van hetzelfde niveau, recht onder 'titel' op regel 1)")


# --- mistakes of the second non-developer walkthrough (issue 19): what each line shows ---------

LAST_SOURCE = ("bronnen:\n  - {deck: netwerk-2022, dia: Mapping initiatieven}\n"
               "  - url: https://www.vdab.be/loopbaancheques/kwaliteit\n    titel: Kwaliteitsgarantie\n"
               "    geraadpleegd: \"2026-11-29\"\n")


def test_a_source_without_its_dash_is_one_error_asking_for_the_dash():
    text = (LAST_SOURCE + "    url: https://www.vdab.be/loopbaancheques\n    titel: Loopbaancheques (VDAB)\n"
            "    geraadpleegd: \"2026-11-30\"\nlaatst_nagekeken: \"2026-11-29\"\n")
    assert _syntax_message(text) == (
        "x.yaml:6:5: error: de sleutel 'url' staat twee keer in hetzelfde lijstelement, ook op regel 3 (begint hier "
        "een nieuw element van de lijst? zet '- ' voor 'url', recht onder de '- ' op regel 3; anders: houd er één)")


def test_a_repeated_key_outside_a_block_list_item_is_asked_to_be_kept_once():
    assert _syntax_message("bronnen:\n  - {url: a, titel: b, url: c}\n") == (
        "x.yaml:2:24: error: de sleutel 'url' staat er twee keer (eerder op regel 2; houd er één)")
    assert _syntax_message("bron:\n  url: a\n  url: c\n") == (
        "x.yaml:3:3: error: de sleutel 'url' staat er twee keer (eerder op regel 2; houd er één)")


def test_a_dash_on_its_own_line_is_the_one_to_line_up_with():
    assert _syntax_message("bronnen:\n  -\n    url: a\n    url: b\n") == (
        "x.yaml:4:5: error: de sleutel 'url' staat twee keer in hetzelfde lijstelement, ook op regel 3 (begint hier "
        "een nieuw element van de lijst? zet '- ' voor 'url', recht onder de '- ' op regel 2; anders: houd er één)")


def test_indentation_pasted_with_non_breaking_spaces_is_reported_on_each_line():
    text = ("titel: x\nbronnen:\n\u00a0 - url: https://www.vdab.be/loopbaancheques\n"
            "\u00a0\u00a0\u00a0 titel: Loopbaancheques (VDAB)\n  \u202f  geraadpleegd: \"2026-11-30\"\n")
    doc, problems = load_text(text.encode(), "x.yaml")
    assert doc is None
    hint = "(typ de spaties aan het begin van de regel opnieuw)"
    assert [p.format_text() for p in problems] == [
        f"x.yaml:3:1: error: deze regel begint met een onzichtbare speciale spatie (U+00A0), die YAML niet aanvaardt {hint}",
        f"x.yaml:4:1: error: deze regel begint met een onzichtbare speciale spatie (U+00A0), die YAML niet aanvaardt {hint}",
        f"x.yaml:5:3: error: deze regel begint met een onzichtbare speciale spatie (U+202F), die YAML niet aanvaardt {hint}"]


def test_a_non_breaking_space_inside_a_text_is_fine():
    doc, problems = load_text("titel: 10\u00a0jaar loopbaancheques\n".encode(), "x.yaml")
    assert problems == [] and doc.data == {"titel": "10\u00a0jaar loopbaancheques"}


NEW_SOURCE = "url: https://www.vdab.be/loopbaancheques\n{0}  titel: Loopbaancheques (VDAB)\n"


@pytest.mark.parametrize("indent", ["  ", ""])
def test_a_source_added_after_the_last_field_is_asked_to_join_the_sources(indent):
    text = LAST_SOURCE + 'laatst_nagekeken: "2026-11-29"\n' + indent + "- " + NEW_SOURCE.format(indent)
    assert _syntax_message(text) == (
        f"x.yaml:7:{len(indent) + 1}: error: ongeldige YAML: dit lijstelement staat onder 'laatst_nagekeken', en dat "
        "is geen lijst (zet het bij de andere elementen van de lijst waar het bij hoort, even ver ingesprongen: zoals "
        "de andere '- url:' onder 'bronnen:' op regel 1)")


def test_a_list_element_after_a_plain_value_is_not_read_as_more_of_that_value():
    text = LAST_SOURCE + "status: actief\n  - " + NEW_SOURCE.format("  ")
    assert _syntax_message(text) == (
        "x.yaml:7:3: error: ongeldige YAML: dit lijstelement staat onder 'status', en dat is geen lijst (zet het bij "
        "de andere elementen van de lijst waar het bij hoort, even ver ingesprongen: zoals de andere '- url:' onder "
        "'bronnen:' op regel 1)")


def test_a_list_element_without_indentation_below_its_list_is_asked_to_line_up():
    text = LAST_SOURCE + "- " + NEW_SOURCE.format("") + 'laatst_nagekeken: "2026-11-29"\n'
    assert _syntax_message(text) == (
        "x.yaml:6:1: error: ongeldige YAML: dit lijstelement springt 2 spaties te weinig in (zet de '- ' in dezelfde "
        "kolom als die van de andere elementen van 'bronnen', zoals op regel 2)")


@pytest.mark.parametrize(("text", "where", "key", "spaces"), [
    ("titel: x\nsamenvatting: Een lange zin over\nhet initiatief dat loopt\nstatus: actief\n", "3:1", "samenvatting", 2),
    ("titel: x\nsamenvatting: Een lange zin over\nhet initiatief.\n", "3:1", "samenvatting", 2),
    ("contact:\n  - naam: Loket\n    toelichting: Gratis, elke werkdag van 8 tot 19 uur.\n"
     "Ook op zaterdag in sommige kantoren.\n    email: a@vdab.be\n", "4:1", "toelichting", 6),
])
def test_text_continued_at_the_left_margin_is_asked_to_be_indented(text, where, key, spaces):
    assert _syntax_message(text) == (
        f"x.yaml:{where}: error: ongeldige YAML: hoort deze regel bij de tekst van '{key}' erboven? (spring ze dan "
        f"{spaces} spaties in, of zet de hele tekst op één regel)")


def test_continued_text_is_indented_as_asked_and_joined():
    doc, problems = load_text(b"titel: x\nsamenvatting: Een lange zin over\n  het initiatief.\n", "x.yaml")
    assert problems == [] and doc.data["samenvatting"] == "Een lange zin over het initiatief."


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=["a", "é", " ", "\n", "\r", "\t", "\x07", "\x85", "\u00a0", "\u200b", "\u2028", "#", ":"],
               max_size=40))
def test_the_quick_scan_for_odd_characters_finds_what_the_line_by_line_scan_finds(text):
    from kaart.core.load import _character_problems, _character_problems_by_line

    assert _character_problems(text, "x.yaml") == _character_problems_by_line(text, "x.yaml")


def test_random_edits_of_shipped_factsheets_give_syntax_errors_in_dutch_only():
    """A stray character, a deleted one, a line indented or repeated, a file cut off: whatever
    libyaml says, the contributor reads Dutch (a fixed seed: the same edits every run)."""
    import random
    import re

    from tests.conftest import REPO

    english = re.compile(r"\b(expected|found|while|did not|could not|mapping|scalar|unexpected|block|token|stream)\b")
    untranslated = []
    for path in [REPO / "initiatives" / "ibo.yaml", REPO / "organisations" / "vdab.yaml",
                 REPO / "content" / "vergelijkingen" / "stages.yaml"]:
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines(keepends=True)
        chance = random.Random(path.name)
        edits = [text[:cut] for cut in range(0, len(text), 151)]
        for _ in range(300):
            at, line = chance.randrange(len(text)), chance.randrange(len(lines))
            char = chance.choice("\"'[]{}:- \t#|>&*!%@`?,")
            edits += [text[:at] + char + text[at:], text[:at] + text[at + 1:],
                      "".join(lines[:line] + [chance.choice([" ", "  ", "\t"]) + lines[line]] + lines[line + 1:]),
                      "".join(lines[:line + 1] + lines[line:])]
        for edit in edits:
            _, problems = load_text(edit.encode(), path.name)
            untranslated += [p.format_text() for p in problems if english.search(p.message)]
    assert untranslated == []
