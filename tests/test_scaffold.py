"""`kaart new`: a skeleton that guides the contributor and refuses what would break."""

from __future__ import annotations

import datetime as dt

import pytest

from kaart.knowledge import read_knowledge_base
from kaart.scaffold import NewSheetError, write_new_sheet


def test_new_sheet_points_editors_to_the_schema_and_explains_fields(site_root):
    path = write_new_sheet(site_root, "mijn-project", titel="Mijn project", soort="begeleiding", situatie="actief", aanbieder="vdab")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/factsheet.schema.json\n")
    assert "# Voor wie het initiatief bedoeld is." in text
    assert "  - {situatie: actief, soort: begeleiding}" in text


def test_new_sheet_validates_once_a_source_is_filled_in(site_root):
    path = write_new_sheet(site_root, "mijn-project", titel="Mijn project")
    _, problems = read_knowledge_base(site_root)
    assert [p.location.path for p in problems] == ["initiatives/mijn-project.yaml"], "only the source is missing"
    assert "bronnen" in problems[0].format_text() or "https://" in problems[0].format_text()
    path.write_text(path.read_text(encoding="utf-8").replace(
        '{url: "https://", titel: "Titel van de pagina"}', '{url: "https://www.vdab.be", titel: "VDAB"}'), encoding="utf-8")
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
    with pytest.raises(NewSheetError, match="onbekende organisatie"):
        write_new_sheet(site_root, "x", aanbieder="niemand")
