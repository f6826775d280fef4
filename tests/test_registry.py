"""The registry and the schema describe one vocabulary."""

from __future__ import annotations

import pytest

from kaart.core import registry

from .conftest import REPO


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


def _schema_nodes(node, path=()):
    """Every sub-schema of the factsheet schema, with its JSON path."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            if key not in ("examples", "const", "enum"):
                yield from _schema_nodes(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _schema_nodes(value, (*path, i))


def test_every_schema_example_is_itself_valid():
    """Editors show `examples` as suggestions; a wrong one would teach contributors a mistake."""
    import jsonschema

    schema = registry.schema()
    checked = 0
    for path, node in _schema_nodes(schema):
        for example in node.get("examples", ()):
            wrapper = {"$defs": schema["$defs"], "allOf": [{k: v for k, v in node.items() if k != "examples"}]}
            errors = list(jsonschema.Draft202012Validator(wrapper).iter_errors(example))
            assert errors == [], (path, example, errors[0].message if errors else "")
            checked += 1
    assert checked >= 20


def test_every_field_explains_itself_in_dutch_for_editors():
    schema = registry.schema()
    for sheet_type in registry.FOLDERS:
        for name, node in schema["$defs"][sheet_type]["properties"].items():
            target = schema["$defs"][node["$ref"].split("/")[-1]] if "$ref" in node else node
            assert node.get("description") or target.get("description"), f"{sheet_type}.{name}"
    for path, node in _schema_nodes(schema):
        if "markdownDescription" in node:
            assert "description" in node, f"{path}: editors without Markdown need a plain description too"


def test_the_projects_schema_copies_equal_the_packages():
    """Editors read schema/ in the project; kaart reads the schemas inside its package."""
    for name in registry.SCHEMA_NAMES:
        assert (REPO / "schema" / name).read_bytes() == (registry.SCHEMA_DIR / name).read_bytes(), (
            f"schema/{name} differs from kaart/schemas/{name}: run .venv/bin/python -m kaart.content.docs")


def test_every_deck_has_its_slides_numbered_from_one():
    slides = registry.slides()
    assert set(slides) == set(registry.decks())
    for deck, rows in slides.items():
        assert [slide.number for slide in rows] == list(range(1, len(rows) + 1)), deck
        assert all(slide.names for slide in rows if slide.title), deck
    assert (len(slides["netwerk-2022"]), len(slides["imw-werkplekleren"])) == (57, 28)


def test_a_slide_is_found_by_its_title_in_any_case_dash_or_with_its_second_line():
    assert registry.slide_named("imw-werkplekleren", "IBO+").number == 22
    assert registry.slide_named("imw-werkplekleren", "ibo").number == 20, "the first of two slides with one title"
    assert registry.slide_named("netwerk-2022", "Actiegroep re-integratie - Fase 1").number == 30
    assert registry.slide_named("netwerk-2022", "RIZIV-data GENT Begrippen").number == 20
    assert registry.slide_named("netwerk-2022", "Mapping initiatieven").number == 35
    assert registry.slide_named("netwerk-2022", "IBO") is None, "a slide of the other deck"
    assert registry.slide_named("imw-werkplekleren", "IBO+ extra") is None


def _seed_text(deck: str) -> str:
    from .test_content import DECK_FILES, SEEDS, _normalise

    return _normalise((SEEDS / DECK_FILES[deck]).read_text(encoding="utf-8"))


@pytest.mark.skipif(not (REPO.parent / "shared" / "seeds").is_dir(),
                    reason="the seed decks (../shared/seeds) are not beside this checkout")
def test_every_slide_title_stands_in_its_deck_in_this_order():
    """No title is invented: each one (and each second line) is in the deck's text, after the one before."""
    from .test_content import _normalise

    for deck, rows in registry.slides().items():
        text, at = _seed_text(deck), 0
        for slide in rows:
            for line in filter(None, (slide.title, slide.subtitle, slide.announced_as)):
                found = text.find(_normalise(line), at if line != slide.announced_as else 0)
                assert found >= 0, f"{deck} dia {slide.number}: {line!r} is not in the deck (after the slide before)"
                at = found if line == slide.title else at
