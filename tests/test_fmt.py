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


def test_a_file_with_a_doubtful_list_item_is_left_alone_with_the_warning(write_sheet, site_root, capsys):
    """Formatting would write '- autisme - ASS' on one line and erase what the warning points at."""
    text = SHUFFLED.replace("trefwoorden: [NO, ja, '0123']", "trefwoorden:\n  - autisme\n    - ASS")
    path = write_sheet("initiatives/proef.yaml", text)
    result = format_file(path, site_root)
    assert result.formatted is None and not result.changed
    assert [p.format_text() for p in result.problems] == [
        "initiatives/proef.yaml:29:5: warning: niet opgemaakt: dit lijstitem loopt over 2 regels en wordt één waarde: "
        "'autisme - ASS' (bedoel je een apart item? zet '- ASS' recht onder '- autisme'; is het één lange tekst, "
        "zet hem dan tussen aanhalingstekens)"]
    assert main(["--root", str(site_root), "fmt"]) == 0  # a warning does not fail the run (as in validate)
    assert path.read_text(encoding="utf-8") == text
    assert "niet opgemaakt: dit lijstitem loopt over 2 regels" in capsys.readouterr().err


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


# -- `kaart fmt --check` says what would change --------------------------------------------------

OUT_OF_ORDER = textwrap.dedent("""\
    # yaml-language-server: $schema=../schema/factsheet.schema.json
    type: initiatief
    id: proef
    titel: Proef
    samenvatting: Een korte samenvatting van de proef.
    cellen:
      - {soort: begeleiding, situatie: actief}
    kenmerken:
      duur:
        bron: {deck: netwerk-2022, dia: Mapping initiatieven}
        waarde: Zes maanden.
    bronnen:
      - {deck: netwerk-2022, dia: Mapping initiatieven}
    status: actief
    laatst_nagekeken: "2026-11-01"
""")

OUT_OF_ORDER_DIFF = textwrap.dedent("""\
    --- initiatives/proef.yaml (nu)
    +++ initiatives/proef.yaml (opgemaakt)
    @@ -4,12 +4,12 @@
     titel: Proef
     samenvatting: Een korte samenvatting van de proef.
     cellen:
    -  - {soort: begeleiding, situatie: actief}
    +  - {situatie: actief, soort: begeleiding}
    +status: actief
     kenmerken:
       duur:
    +    waarde: Zes maanden.
         bron: {deck: netwerk-2022, dia: Mapping initiatieven}
    -    waarde: Zes maanden.
     bronnen:
       - {deck: netwerk-2022, dia: Mapping initiatieven}
    -status: actief
     laatst_nagekeken: "2026-11-01"
""")

# Valid and in schema order, but without the schema line, a date without quotes and a list not
# indented under its key.
OTHER_STYLE = textwrap.dedent("""\
    type: initiatief
    id: stijl
    titel: Stijl
    samenvatting: Een korte samenvatting van de stijl.
    status: actief
    bronnen:
    - {deck: netwerk-2022, dia: Mapping initiatieven}
    laatst_nagekeken: 2026-11-01
""")


def check(site_root, capsys, *options):
    code = main(["--root", str(site_root), "fmt", "--check", *options])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_check_says_which_key_to_move_where_at_every_level_and_shows_the_diff(write_sheet, site_root, capsys):
    write_sheet("initiatives/proef.yaml", OUT_OF_ORDER)
    code, out, err = check(site_root, capsys)
    assert code == 1
    assert out == ("initiatives/proef.yaml: niet opgemaakt\n"
                   "  - zet `status` na `cellen`\n"
                   "  - in `cellen` (nr. 1): zet `situatie` bovenaan\n"
                   "  - in `kenmerken` → `duur`: zet `waarde` bovenaan\n"
                   + OUT_OF_ORDER_DIFF + "\n")
    assert "1 fiche(s) niet opgemaakt: neem de wijziging hierboven over of voer 'kaart fmt' uit." in err
    assert (site_root / "initiatives" / "proef.yaml").read_text(encoding="utf-8") == OUT_OF_ORDER


def test_check_names_differences_other_than_the_order(write_sheet, site_root, capsys):
    write_sheet("initiatives/stijl.yaml", OTHER_STYLE)
    code, out, _ = check(site_root, capsys)
    assert code == 1
    assert out.splitlines()[:4] == [
        "initiatives/stijl.yaml: niet opgemaakt",
        "  - zet de regel `# yaml-language-server: $schema=../schema/factsheet.schema.json` bovenaan",
        '  - zet datums tussen aanhalingstekens, bv. `laatst_nagekeken: "2026-11-01"`',
        "  - inspringing, witruimte of de plaats van een opmerking (zie het verschil; de waarden blijven gelijk)",
    ]
    assert ("\n@@ -1,8 +1,9 @@\n+# yaml-language-server: $schema=../schema/factsheet.schema.json\n"
            " type: initiatief\n") in out
    assert "\n-- {deck: netwerk-2022, dia: Mapping initiatieven}\n-laatst_nagekeken: 2026-11-01\n" \
           "+  - {deck: netwerk-2022, dia: Mapping initiatieven}\n+laatst_nagekeken: \"2026-11-01\"\n" in out


def test_check_writes_a_job_summary_and_warning_annotations_for_github(write_sheet, site_root, capsys, tmp_path):
    write_sheet("initiatives/proef.yaml", OUT_OF_ORDER)
    write_sheet("initiatives/stijl.yaml", OTHER_STYLE)
    summary = tmp_path / "summary.md"
    summary.write_text("# Eerder in deze job\n", encoding="utf-8")
    code, out, _ = check(site_root, capsys, "--format", "github", "--summary", str(summary))
    assert code == 1, "the check still says 'not formatted'; the workflow decides not to block on it"
    annotations = [line for line in out.splitlines() if line.startswith("::")]
    assert annotations == [
        "::warning file=initiatives/proef.yaml,line=7,col=1::niet in de vaste opmaak: zet `status` na `cellen`; "
        "in `cellen` (nr. 1): zet `situatie` bovenaan; in `kenmerken` → `duur`: zet `waarde` bovenaan "
        "(dat houdt niets tegen: na het samenvoegen wordt de opmaak vanzelf gezet)",
        "::warning file=initiatives/stijl.yaml,line=1,col=1::niet in de vaste opmaak: zet de regel "
        "`# yaml-language-server: $schema=../schema/factsheet.schema.json` bovenaan; zet datums tussen "
        'aanhalingstekens, bv. `laatst_nagekeken: "2026-11-01"`; inspringing, witruimte of de plaats van een '
        "opmerking (zie het verschil; de waarden blijven gelijk) "
        "(dat houdt niets tegen: na het samenvoegen wordt de opmaak vanzelf gezet)",
    ]
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# Eerder in deze job\n### Opmaak van de fiches\n\n2 fiche(s) staan nog niet"), \
        "appended, as $GITHUB_STEP_SUMMARY expects"
    assert "**Dat houdt je bijdrage niet tegen**" in text
    assert ("#### `initiatives/proef.yaml`\n\n- zet `status` na `cellen`\n- in `cellen` (nr. 1): zet `situatie` "
            "bovenaan\n- in `kenmerken` → `duur`: zet `waarde` bovenaan\n\n```diff\n" + OUT_OF_ORDER_DIFF + "```\n"
            ) in text
    assert "#### `initiatives/stijl.yaml`" in text


def test_a_formatted_project_gives_an_empty_report_and_code_0(site_root, capsys, tmp_path):
    summary = tmp_path / "summary.md"
    code, out, _ = check(site_root, capsys, "--summary", str(summary))
    assert (code, out) == (0, "")
    assert summary.read_text(encoding="utf-8") == "### Opmaak van de fiches\n\nAlle fiches staan in de vaste opmaak.\n"


def test_the_fewest_moves_are_named_and_each_says_where_the_key_goes():
    from kaart.content.fmt import key_moves

    before = {"titel": 1, "type": 2, "id": 3, "bronnen": 4, "samenvatting": 5, "status": 6}
    after = {"type": 2, "id": 3, "titel": 1, "samenvatting": 5, "status": 6, "bronnen": 4}
    assert [move.sentence for move in key_moves(before, after)] == ["zet `titel` na `id`", "zet `bronnen` na `status`"]
    assert [move.sentence for move in key_moves({"b": 1, "a": 2}, {"a": 2, "b": 1})] == ["zet `a` bovenaan"]
    nested = key_moves({"bronnen": [{"x": 1}, {"titel": "T", "url": "u"}]},
                       {"bronnen": [{"x": 1}, {"url": "u", "titel": "T"}]})
    assert [move.sentence for move in nested] == ["in `bronnen` (nr. 2): zet `url` bovenaan"]


def test_a_key_with_backticks_cannot_break_out_of_its_code_span():
    from kaart.content.fmt import key_moves

    [move] = key_moves({"b": 1, "a`<b>": 2}, {"a`<b>": 2, "b": 1})
    assert move.sentence == "zet ``a`<b>`` bovenaan"


def test_a_path_that_does_not_exist_is_a_one_line_usage_error(site_root, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["--root", str(site_root), "fmt", "--check", "initiatives/bestaat-niet.yaml"]) == 2
    assert capsys.readouterr().err == (f"error: initiatives/bestaat-niet.yaml bestaat niet, niet in de huidige map en "
                                       f"niet in het project {site_root}\n")
    missing = tmp_path / "elders.yaml"
    assert main(["--root", str(site_root), "fmt", str(missing)]) == 2
    assert capsys.readouterr().err == f"error: {missing} bestaat niet\n"


def test_with_root_a_relative_path_is_found_in_the_project(write_sheet, site_root, tmp_path, monkeypatch, capsys):
    write_sheet("initiatives/proef.yaml", SHUFFLED)
    monkeypatch.chdir(tmp_path)  # elsewhere, as `kaart --root ../kaart fmt --check initiatives/proef.yaml`
    assert main(["--root", str(site_root), "fmt", "--check", "initiatives/proef.yaml"]) == 1
    assert "initiatives/proef.yaml: niet opgemaakt" in capsys.readouterr().out
    assert main(["--root", str(site_root), "fmt", "initiatives"]) == 0
    assert "opgemaakt: initiatives/proef.yaml" in capsys.readouterr().out
    assert main(["--root", str(site_root), "fmt", "--check", "initiatives/proef.yaml"]) == 0
