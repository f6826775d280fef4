"""The factsheet form's page and data (kaart/features/contribute.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from kaart.content.fmt import SCHEMA_LINE
from kaart.content.project import read_knowledge_base
from kaart.core import registry
from kaart.core.load import load_text
from kaart.features import contribute
from kaart.features.output import DataFile, Page

REPO = Path(__file__).resolve().parent.parent


def _outputs():
    kb, problems = read_knowledge_base(REPO)
    assert problems == []
    return kb, list(contribute.emit(kb))


def test_the_form_gets_the_schema_itself_in_its_own_key_order():
    kb, outputs = _outputs()
    config_file = next(o for o in outputs if isinstance(o, DataFile) and o.save_as == contribute.CONFIG_PATH)
    config = json.loads(config_file.content)
    assert config["schema"] == registry.schema()
    # Key order is the file's key order in the YAML the browser writes: it must survive the JSON.
    initiative = config["schema"]["$defs"]["initiatief"]["properties"]
    assert list(initiative) == list(registry.schema()["$defs"]["initiatief"]["properties"])
    assert config["schemaLine"] == SCHEMA_LINE
    assert config["folders"] == registry.FOLDERS


def test_the_form_offers_every_organisation_as_provider_and_every_sheet_as_relation_target():
    kb, outputs = _outputs()
    config = json.loads(next(o for o in outputs if getattr(o, "save_as", "") == contribute.CONFIG_PATH).content)
    assert {i for i, _ in config["organisations"]} == {o.id for o in kb.organisations}
    assert {i for i, _ in config["sheets"]} == set(kb.sheets)


def _handed(outputs) -> dict[int, dict]:
    """The form's copy of the factsheets, by group: {group: {id: sheet file}}."""
    groups = {}
    for output in outputs:
        if isinstance(output, DataFile) and (match := re.fullmatch(r"bijdragen/fiches/(\d+)\.json", output.save_as)):
            groups[int(match.group(1))] = json.loads(output.content)
    return groups


def test_each_factsheet_is_in_the_one_group_the_form_looks_in():
    kb, outputs = _outputs()
    form = next(o for o in outputs if isinstance(o, Page) and o.template == "contribute_form")
    groups = form.context["sheet_groups"]
    handed = _handed(outputs)
    assert groups & (groups - 1) == 0 and max(handed) < groups
    assert sorted(i for members in handed.values() for i in members) == sorted(kb.sheets)
    assert all(contribute.sheet_group(i, groups) == group for group, members in handed.items() for i in members)
    # About GROUP_BYTES a group: far fewer files than sheets, and a group stays a small download.
    sizes = [len(o.content) for o in outputs if isinstance(o, DataFile) and o.save_as.startswith("bijdragen/fiches/")]
    assert len(sizes) < len(kb.sheets) / 2 and sum(sizes) / len(sizes) < 2 * contribute.GROUP_BYTES


def test_groups_double_with_the_sheets_size_and_an_id_keeps_its_group():
    assert [contribute.group_count(n) for n in (0, 1, contribute.GROUP_BYTES, contribute.GROUP_BYTES + 1,
                                                 5 * contribute.GROUP_BYTES)] == [1, 1, 1, 2, 8]
    # FNV-1a, 32 bits (the published test vectors), as fiche-form.js computes it.
    assert contribute.sheet_group("a", 2 ** 32) == 0xE40C292C
    assert contribute.sheet_group("foobar", 2 ** 32) == 0xBF9CF968
    assert contribute.sheet_group("ibo", 8) == contribute.sheet_group("ibo", 16) % 8


def test_each_factsheet_is_handed_to_the_form_as_its_file_states_it():
    kb, outputs = _outputs()
    handed_sheets = {i: sheet for members in _handed(outputs).values() for i, sheet in members.items()}
    for sheet in kb.sheets.values():
        handed = handed_sheets[sheet.id]
        document, problems = load_text((REPO / sheet.path).read_bytes(), sheet.path)
        assert problems == []
        assert handed["path"] == sheet.path and handed["data"] == document.data
        # The file's own lines, cut at its fields: put back together they are the file.
        text = handed["text"]
        lines = text["head"] + [line for block in text["keys"].values() for line in block["comments"] + block["lines"]]
        assert "\n".join(lines) + "\n" == (REPO / sheet.path).read_text(encoding="utf-8")
        assert list(text["keys"]) == list(document.data)


def test_a_comment_above_a_field_travels_with_it_and_the_header_stays_on_top():
    text = ("# yaml-language-server: $schema=../schema/factsheet.schema.json\n# over deze fiche\ntype: initiatief\n"
            "id: x\n# de naam\ntitel: X\nbeschrijving: |\n  ## Kop\n\n  tekst\n# slot\n")
    blocks = contribute.file_blocks(text)
    assert blocks["head"] == ["# yaml-language-server: $schema=../schema/factsheet.schema.json", "# over deze fiche"]
    assert blocks["keys"]["titel"] == {"comments": ["# de naam"], "lines": ["titel: X"]}
    assert blocks["keys"]["beschrijving"] == {"comments": [], "lines": ["beschrijving: |", "  ## Kop", "", "  tekst", "# slot"]}


def test_one_form_page():
    _, outputs = _outputs()
    pages = [o for o in outputs if isinstance(o, Page)]
    assert [p.save_as for p in pages] == [f"{contribute.FORM_URL}index.html"]


def test_every_factsheet_page_opens_the_form_with_its_data(shipped_site):
    kb, _ = read_knowledge_base(REPO)
    for sheet in list(kb.initiatives)[:5] + list(kb.organisations)[:3]:
        folder = "initiatief" if sheet.type == "initiatief" else "organisatie"
        html = (shipped_site / folder / sheet.id / "index.html").read_text(encoding="utf-8")
        assert f'/bijdragen/nieuw/?fiche={sheet.id}">Bewerk deze fiche</a>' in html
        # The file on GitHub stays one click away for those who prefer the web editor.
        assert f"/edit/main/{sheet.path}" in html


def test_the_form_page_works_offline_with_a_vendored_validator(shipped_site):
    html = (shipped_site / "bijdragen" / "nieuw" / "index.html").read_text(encoding="utf-8")
    for script in ("theme/vendor/ajv/ajv2020.min.js", "theme/js/fiche-yaml.js", "theme/js/fiche-form.js"):
        assert script in html
        assert (shipped_site / script).is_file()
    assert "<noscript>" in html
    # Nothing is loaded from elsewhere: every script and style comes with the site.
    loaded = re.findall(r'<(?:script|link)[^>]*?(?:src|href)="([^"]+)"', html)
    assert loaded and not [url for url in loaded if url.startswith(("http:", "https:", "//"))]


def test_a_block_is_also_cut_into_its_fields_or_items():
    text = ("type: initiatief\nbronnen:\n  - {deck: netwerk-2022, dia: Mapping initiatieven}\n  # de pagina\n"
            "  - url: https://www.vdab.be\n    titel: VDAB\nkenmerken:\n  duur:\n    waarde: Kort.\n"
            "    bron: {deck: netwerk-2022, dia: Mapping initiatieven}\n")
    keys = contribute.file_blocks(text)["keys"]
    assert keys["bronnen"]["items"] == [
        {"comments": [], "lines": ["  - {deck: netwerk-2022, dia: Mapping initiatieven}"]},
        {"comments": ["  # de pagina"], "lines": ["  - url: https://www.vdab.be", "    titel: VDAB"]}]
    assert keys["kenmerken"]["fields"] == {"duur": {"comments": [], "lines": [
        "  duur:", "    waarde: Kort.", "    bron: {deck: netwerk-2022, dia: Mapping initiatieven}"]}}
