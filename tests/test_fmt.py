"""`kaart fmt`: one canonical key order and style, comments kept, values never changed."""

from __future__ import annotations

import textwrap

import pytest

from kaart.core import registry
from kaart.cli import main
from kaart.content.fmt import format_file, format_text
from kaart.core.load import factsheet_paths, load_text
from kaart.content.scaffold import write_new_sheet

from .conftest import REPO

SHUFFLED = textwrap.dedent("""\
    # yaml-language-server: $schema=../schema/factsheet.schema.json
    # Over deze fiche: nagekeken door het netwerk.
    titel: Proef   # de naam zoals partners hem kennen
    type: initiatief
    # het id is de bestandsnaam
    id: proef
    bronnen:
      # eerst de dia
      - {dia: Mapping initiatieven, deck: netwerk-2022}  # bron van de matrix
      - titel: VDAB
        # de pagina zelf
        url: https://www.vdab.be
        geraadpleegd: "2026-11-01"

    # samenvatting in gewone tekst
    samenvatting: Een korte samenvatting van de proef.
    laatst_nagekeken: 2026-11-01
    kenmerken:
      # hoe lang
      duur:
        waarde: Zes maanden.
        bron: {deck: netwerk-2022, dia: Mapping initiatieven}
      # waarvoor
      doel:
        bron: {deck: netwerk-2022, dia: Mapping initiatieven}
        waarde: Werkervaring.
    status: actief
    trefwoorden: [NO, ja, '0123']
    # einde van de fiche
""")


def formatted(text: str) -> str:
    result, problems = format_text(text, "initiatives/proef.yaml")
    assert problems == [], [p.format_text() for p in problems]
    return result


def line_before(text: str, startswith: str) -> str:
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith(startswith))
    return lines[index - 1]


def test_keys_follow_the_schema_order_at_every_level():
    text = formatted(SHUFFLED)
    top = [line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()]
    assert top == [f for f in registry.field_names("initiatief") if f in top]
    assert top[:3] == ["type", "id", "titel"]
    assert text.index("  doel:") < text.index("  duur:"), "kenmerken in schema order"
    assert "  - {deck: netwerk-2022, dia: Mapping initiatieven}  # bron van de matrix" in text
    assert "  - url: https://www.vdab.be\n    titel: VDAB" in text


def test_every_comment_is_kept_above_the_key_it_explains():
    text = formatted(SHUFFLED)
    original_comments = sorted(line.strip() for line in SHUFFLED.splitlines() if line.strip().startswith("#"))
    assert sorted(line.strip() for line in text.splitlines() if line.strip().startswith("#")) == original_comments
    assert text.startswith("# yaml-language-server: $schema=../schema/factsheet.schema.json\n"
                           "# Over deze fiche: nagekeken door het netwerk.\n")
    assert "titel: Proef   # de naam zoals partners hem kennen" in text
    assert line_before(text, "id:") == "# het id is de bestandsnaam"
    assert line_before(text, "samenvatting:") == "# samenvatting in gewone tekst"
    assert line_before(text, "  doel:") == "  # waarvoor"
    assert line_before(text, "  duur:") == "  # hoe lang"
    assert text.rstrip().endswith("# einde van de fiche")


def test_formatting_is_idempotent():
    once = formatted(SHUFFLED)
    assert formatted(once) == once


def test_values_are_unchanged_and_dates_are_quoted():
    text = formatted(SHUFFLED)
    before, _ = load_text(SHUFFLED.encode(), "initiatives/proef.yaml")
    after, _ = load_text(text.encode(), "initiatives/proef.yaml")
    assert after.data == before.data
    assert after.data["trefwoorden"] == ["NO", "ja", "0123"]
    assert 'laatst_nagekeken: "2026-11-01"' in text


def test_every_shipped_factsheet_formats_idempotently_without_changing_its_data():
    paths = factsheet_paths(REPO, tuple(registry.FOLDERS.values()))
    assert len(paths) > 50
    for path in paths:
        result = format_file(path, REPO)
        assert result.problems == (), [p.format_text() for p in result.problems]
        assert formatted(result.formatted) == result.formatted, path
        before, _ = load_text(path.read_bytes(), "x")
        after, _ = load_text(result.formatted.encode(), "x")
        assert after.data == before.data, path


def test_a_new_sheet_is_already_formatted(site_root):
    path = write_new_sheet(site_root, "nieuw", titel="Nieuw", soort="opleiding", situatie="werkgever",
                           aanbieder="vdab", bron_url="https://www.vdab.be", bron_titel="VDAB")
    assert format_file(path, site_root).changed is False


def test_unreadable_yaml_is_reported_with_its_place_and_left_alone(write_sheet, site_root):
    path = write_sheet("initiatives/kapot.yaml", "type: initiatief\nid: [kapot\n")
    result = format_file(path, site_root)
    assert result.formatted is None and not result.changed
    assert result.problems[0].format_text().startswith(
        "initiatives/kapot.yaml:2:5: error: ongeldige YAML: de lijst die hier met '[' begint, gaat niet dicht")


def test_check_lists_unformatted_files_and_exits_1_until_fmt_runs(write_sheet, site_root, capsys):
    write_sheet("initiatives/proef.yaml", SHUFFLED)
    assert main(["--root", str(site_root), "fmt", "--check"]) == 1
    out = capsys.readouterr().out
    assert "initiatives/proef.yaml: niet opgemaakt" in out
    assert (site_root / "initiatives" / "proef.yaml").read_text(encoding="utf-8") == SHUFFLED, "--check writes nothing"
    assert main(["--root", str(site_root), "fmt", str(site_root / "initiatives" / "proef.yaml")]) == 0
    assert "opgemaakt: initiatives/proef.yaml" in capsys.readouterr().out
    assert main(["--root", str(site_root), "fmt", "--check"]) == 0
    assert main(["--root", str(site_root), "validate"]) == 0


@pytest.mark.parametrize("text", [
    "type: initiatief\r\nid: proef\r\n",  # Windows line ends become \n
    "\ufefftype: initiatief\nid: proef\n",  # a byte-order mark is dropped
])
def test_line_ends_and_byte_order_marks_are_normalised(text):
    result = formatted(text)
    assert "\r" not in result and "\ufeff" not in result
    assert result.endswith("id: proef\n")


def test_trailing_spaces_that_are_a_markdown_line_break_are_kept(tmp_path):
    from kaart.content.fmt import format_text

    text = ('# yaml-language-server: $schema=../schema/factsheet.schema.json\ntype: initiatief\nid: x\ntitel: X\n'
            'samenvatting: Een korte samenvatting.\nbeschrijving: |\n  Eerste regel  \n  tweede regel\nstatus: actief\n'
            'bronnen:\n  - {deck: netwerk-2022, dia: Mapping initiatieven}\nlaatst_nagekeken: "2026-11-01"\n')
    formatted, problems = format_text(text)
    assert problems == []
    assert "  Eerste regel  \n  tweede regel\n" in formatted
