"""The canonical order of a factsheet's keys: the schema's property order, at every level.

`kaart fmt` writes factsheets in this order; outputs that must not depend on how a file happens to
be laid out (open data) copy the data in it. Kept apart from `kaart fmt` because that needs
ruamel.yaml (31 modules) to round-trip comments, which a build never does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kaart.core import registry, state

# The first line of every factsheet: editors that speak the YAML language server check it against the schema.
SCHEMA_LINE = f"# yaml-language-server: $schema=../schema/{registry.SCHEMA_PATH.name}"


def resolve_ref(node: dict) -> dict:
    """A schema node with its `$ref` (to the factsheet schema's `$defs`) followed."""
    defs = registry.schema()["$defs"]
    while "$ref" in node:
        node = defs[node["$ref"].split("/")[-1]] | {k: v for k, v in node.items() if k != "$ref"}
    return node


def property_names(node: dict) -> list[str]:
    """Property names of an object schema, including those of each `oneOf` branch (bron)."""
    names = list(node.get("properties", {}))
    for branch in node.get("oneOf", ()):
        names += [n for n in resolve_ref(branch).get("properties", {}) if n not in names]
    return names


def child_schema(node: dict, key: str | int) -> dict:
    """The schema of `node`'s property `key`, or of its items when `key` is a list index."""
    if isinstance(key, int):
        return resolve_ref(node.get("items", {}))
    for branch in (node, *map(resolve_ref, node.get("oneOf", ()))):
        if key in branch.get("properties", {}):
            return resolve_ref(branch["properties"][key])
    return {}


def top_schema(data: Mapping[str, Any]) -> dict:
    """The schema of a factsheet of the type `data` says it is ({} for an unknown type)."""
    sheet_type = data.get("type")
    return resolve_ref(registry.schema()["$defs"][sheet_type]) if sheet_type in registry.FOLDERS else {}


def in_schema_order(data: Mapping[str, Any]) -> dict[str, Any]:
    """A plain copy of a factsheet's data with its keys in the order `kaart fmt` writes them (the
    schema's, at every level), for outputs that must not depend on how a file happens to be laid out."""
    return _ordered(data, top_schema(data), (data.get("type"),), _shapes())


@state.per_build
def _shapes() -> dict[tuple, tuple[dict[str, int], dict[Any, dict]]]:
    """Per place in a factsheet (its keys from the top, `[]` for a list item): the rank of each
    property and the schema of each child. A place's schema follows from the place alone, so
    ordering thousands of factsheets resolves each place once (it was half a second at 5,000)."""
    return {}


def _ordered(value: Any, schema: dict, place: tuple, shapes: dict) -> Any:
    if not isinstance(value, (Mapping, list)):
        return value
    shape = shapes.get(place)
    if shape is None:
        shape = shapes[place] = ({name: i for i, name in enumerate(property_names(schema))}, {})
    rank, children = shape
    if isinstance(value, list):
        child = children.get("[]")
        if child is None:
            child = children["[]"] = child_schema(schema, 0)
        below = place + ("[]",)
        return [_ordered(item, child, below, shapes) for item in value]
    ordered = {}
    for key in sorted(value, key=lambda key: (rank.get(key, len(rank)), key)):
        child = children.get(key)
        if child is None:
            child = children[key] = child_schema(schema, key)
        ordered[key] = _ordered(value[key], child, place + (key,), shapes)
    return ordered
