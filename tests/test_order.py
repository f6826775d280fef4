"""The canonical key order (the schema's, at every level), apart from `kaart fmt` and its ruamel.yaml."""

from __future__ import annotations

import json
import subprocess
import sys

import yaml

from kaart.content.order import SCHEMA_LINE, in_schema_order
from kaart.core.load import factsheet_paths

from .conftest import REPO


def reversed_keys(value):
    """The same data with every mapping's keys in reverse order."""
    if isinstance(value, dict):
        return {key: reversed_keys(value[key]) for key in reversed(list(value))}
    if isinstance(value, list):
        return [reversed_keys(item) for item in value]
    return value


def key_paths(value, place=()):
    """Every key with its place, in the order the data holds them."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield (*place, key)
            yield from key_paths(child, (*place, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from key_paths(item, (*place, index))


def test_every_shipped_factsheet_file_holds_its_keys_in_the_order_given_back_from_any_other():
    # The shipped files are written by `kaart fmt` (CI checks them), so their order is the canonical one.
    paths = factsheet_paths(REPO, ("initiatives", "organisations"))
    assert len(paths) > 100
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        ordered = in_schema_order(reversed_keys(data))
        assert ordered == data, path.name
        assert list(key_paths(ordered)) == list(key_paths(data)), path.name


def test_unknown_keys_come_last_in_alphabetical_order_and_values_are_copied_as_they_are():
    data = {"zzz": 1, "type": "initiatief", "aaa": [{"y": 2, "x": 1}], "id": "proef"}
    ordered = in_schema_order(data)
    assert list(ordered) == ["type", "id", "aaa", "zzz"]
    assert ordered["aaa"] == [{"x": 1, "y": 2}]  # no schema below an unknown key: alphabetical
    assert data == {"zzz": 1, "type": "initiatief", "aaa": [{"y": 2, "x": 1}], "id": "proef"}  # not changed


def test_schema_line_names_the_factsheet_schema_beside_the_factsheet_folders():
    assert SCHEMA_LINE == "# yaml-language-server: $schema=../schema/factsheet.schema.json"
    assert (REPO / "initiatives" / "../schema/factsheet.schema.json").resolve().is_file()


def test_a_build_does_not_import_ruamel_yaml():
    """Only `kaart fmt` round-trips comments with ruamel.yaml (31 modules, imported on the build's
    critical path before this module was split off)."""
    code = ("import sys, json; import pelican.settings, kaart.build.plugin, kaart.build.site, kaart.cli; "
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('ruamel', '_ruamel_yaml'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert json.loads(result.stdout) == []
