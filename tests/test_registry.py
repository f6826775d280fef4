"""The registry and the schema describe one vocabulary."""

from __future__ import annotations

from kaart import registry


def test_relation_types_match_the_schema():
    in_schema = [o["const"] for o in registry.schema()["$defs"]["relatietype"]["oneOf"]]
    assert in_schema == list(registry.RELATION_TYPES)


def test_comparison_attributes_match_the_schema():
    assert list(registry.schema()["$defs"]["kenmerken"]["properties"]) == list(registry.ATTRIBUTE_LABELS)


def test_matrix_axes_follow_the_seed_slide():
    assert list(registry.situations()) == ["niet-actief", "actief", "werkgever"]
    assert list(registry.kinds()) == ["subsidie", "begeleiding", "opleiding", "informatie"]


def test_every_non_active_status_has_a_note():
    assert set(registry.statuses()) - {"actief"} == set(registry.STATUS_NOTES)


def test_every_schema_field_has_a_dutch_description():
    schema = registry.schema()
    for sheet_type in ("initiatief", "organisatie"):
        for name, node in schema["$defs"][sheet_type]["properties"].items():
            target = node
            if "description" not in node and "$ref" in node:
                target = schema["$defs"][node["$ref"].split("/")[-1]]
            assert target.get("description"), f"{sheet_type}.{name} has no description"
