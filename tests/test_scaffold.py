"""`kaart new`: a skeleton that guides the contributor and refuses what would break."""

from __future__ import annotations

import datetime as dt

import pytest

from kaart.cli import main
from kaart.content.project import read_knowledge_base
from kaart.core import registry
from kaart.content.scaffold import NewSheetError, ask_missing, write_new_sheet


def test_new_sheet_points_editors_to_the_schema_and_explains_fields(site_root):
    path = write_new_sheet(site_root, "mijn-project", titel="Mijn project", soort="begeleiding", situatie="actief", aanbieder="vdab")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/factsheet.schema.json\n")
    assert "# Voor wie het initiatief bedoeld is." in text
    assert "  - {situatie: actief, soort: begeleiding}" in text


def test_new_sheet_validates_once_its_examples_are_replaced(site_root):
    path = write_new_sheet(site_root, "mijn-project", titel="Mijn project")
    _, problems = read_knowledge_base(site_root)
    text = path.read_text(encoding="utf-8")
    summary_line = text.splitlines().index(f'samenvatting: "{registry.PLACEHOLDER_SUMMARY}"') + 1
    source = next(line for line in text.splitlines() if "geraadpleegd" in line)
    source_line = text.splitlines().index(source) + 1
    url_column, title_column = source.index('"https://"') + 1, source.index('"Titel') + 1
    assert [p.format_text() for p in problems] == [
        f"initiatives/mijn-project.yaml:{summary_line}:15: error: vervang de voorbeeldtekst "
        "(schrijf in één of twee zinnen wat dit is en voor wie)",
        f"initiatives/mijn-project.yaml:{source_line}:{url_column}: error: vervang de voorbeeldtekst (vul het volledige webadres "
        "in van de pagina die je las, bv. https://www.vdab.be/loopbaancheques)",
        f"initiatives/mijn-project.yaml:{source_line}:{title_column}: error: vervang de voorbeeldtekst "
        "(vul de titel in van de pagina die je las)",
    ], "the examples are refused, and 'https://' is not called an address that should start with https://"
    path.write_text(text.replace('{url: "https://", titel: "Titel van de pagina",', '{url: "https://www.vdab.be", titel: "VDAB",')
                    .replace(registry.PLACEHOLDER_SUMMARY, "Een project van de VDAB voor werkzoekenden."), encoding="utf-8")
    kb, problems = read_knowledge_base(site_root)
    assert problems == []
    assert kb.sheets["mijn-project"].laatst_nagekeken == dt.date.today()


def test_new_organisation_goes_into_organisations(site_root):
    path = write_new_sheet(site_root, "nieuwe-vzw", organisation=True)
    assert path.parent.name == "organisations"
    assert "type: organisatie" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("bad_id", ["Hoofdletters", "met spatie", "../x", "x/y", "-x", ""])
def test_invalid_id_is_refused(site_root, bad_id):
    with pytest.raises(NewSheetError, match="geen geldig id"):
        write_new_sheet(site_root, bad_id)


def test_existing_id_is_refused(site_root):
    with pytest.raises(NewSheetError, match="bestaat al"):
        write_new_sheet(site_root, "vdab")


def test_unknown_kind_and_provider_are_refused(site_root):
    with pytest.raises(NewSheetError, match="onbekende soort"):
        write_new_sheet(site_root, "x", soort="premie", situatie="actief")
    with pytest.raises(NewSheetError, match="onbekende organisatie 'niemand'; maak eerst organisations/niemand.yaml"):
        write_new_sheet(site_root, "x", aanbieder="niemand")


def test_a_provider_in_capitals_is_pointed_to_the_existing_organisation(site_root):
    with pytest.raises(NewSheetError, match="onbekende organisatie 'VDAB'; bedoel je 'vdab'\\?"):
        write_new_sheet(site_root, "x", aanbieder="VDAB")


def test_new_sheet_with_a_source_needs_only_its_summary(site_root):
    path = write_new_sheet(site_root, "met-bron", titel="Met bron", soort="informatie", situatie="werkgever",
                           aanbieder="vdab", bron_url="https://www.vdab.be/werkgevers", bron_titel="VDAB voor werkgevers")
    _, problems = read_knowledge_base(site_root)
    assert [p.message for p in problems] == ["vervang de voorbeeldtekst"]
    path.write_text(path.read_text(encoding="utf-8").replace(registry.PLACEHOLDER_SUMMARY, "Informatie voor werkgevers."),
                    encoding="utf-8")
    kb, problems = read_knowledge_base(site_root)
    assert problems == []
    assert kb.sheets["met-bron"].bronnen[0].url == "https://www.vdab.be/werkgevers"


def test_a_source_needs_both_address_and_title_and_a_real_address(site_root):
    with pytest.raises(NewSheetError, match="samen"):
        write_new_sheet(site_root, "x", bron_url="https://www.vdab.be")
    with pytest.raises(NewSheetError, match="geen webadres"):
        write_new_sheet(site_root, "x", bron_url="www.vdab.be", bron_titel="VDAB")


def answers(*replies: str):
    """A stand-in for input(): returns the replies in order and records the questions."""
    questions: list[str] = []
    queue = list(replies)

    def ask(question: str) -> str:
        questions.append(question)
        return queue.pop(0)

    ask.questions = questions
    return ask


def test_missing_options_are_asked_and_wrong_answers_asked_again(site_root, capsys):
    ask = answers("Mijn project", "premie", "begeleiding", "actief", "niemand", "vdab", "https://www.vdab.be", "VDAB")
    fields = ask_missing(site_root, {"titel": None, "soort": None, "situatie": None, "aanbieder": None,
                                     "bron_url": None, "bron_titel": None}, organisation=False, ask=ask)
    assert fields == {"titel": "Mijn project", "soort": "begeleiding", "situatie": "actief", "aanbieder": "vdab",
                      "bron_url": "https://www.vdab.be", "bron_titel": "VDAB"}
    assert ask.questions[0].startswith("Titel") and ask.questions[1].startswith("Soort")
    out = capsys.readouterr().out
    assert "Kies uit: subsidie, begeleiding, opleiding, informatie" in out
    assert "Er is geen organisations/niemand.yaml." in out


def test_options_given_are_not_asked_and_empty_answers_leave_fields_open(site_root):
    ask = answers("", "")
    fields = ask_missing(site_root, {"titel": "Al gegeven", "soort": None, "situatie": None, "aanbieder": "vdab",
                                     "bron_url": None, "bron_titel": None}, organisation=False, ask=ask)
    assert [q.split(" ")[0] for q in ask.questions] == ["Soort", "Bron:"]
    assert fields["titel"] == "Al gegeven" and fields["soort"] is None and fields["bron_url"] is None


def test_kaart_new_asks_at_a_terminal_and_writes_a_valid_sheet(site_root, monkeypatch, capsys):
    replies = iter(["Mijn project", "opleiding", "werkgever", "vdab", "https://www.vdab.be", "VDAB"])
    monkeypatch.setattr("builtins.input", lambda question: next(replies))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    assert main(["--root", str(site_root), "new", "mijn-project"]) == 0
    out = capsys.readouterr().out
    assert "Nieuwe fiche: initiatives/mijn-project.yaml" in out
    assert "Vervang nog de voorbeeldtekst van de samenvatting en controleer met: kaart validate" in out
    path = site_root / "initiatives" / "mijn-project.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(registry.PLACEHOLDER_SUMMARY, "Een opleiding."),
                    encoding="utf-8")
    kb, problems = read_knowledge_base(site_root)
    assert problems == []
    sheet = kb.sheets["mijn-project"]
    assert (sheet.titel, sheet.aanbieders, sheet.cellen[0].soort) == ("Mijn project", ("vdab",), "opleiding")


def test_kaart_new_without_a_terminal_asks_nothing(site_root, monkeypatch):
    def no_input(question):
        raise AssertionError("asked: " + question)

    monkeypatch.setattr("builtins.input", no_input)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["--root", str(site_root), "new", "stil", "--titel", "Stil"]) == 0
    assert (site_root / "initiatives" / "stil.yaml").exists()
