"""Stage 2: check documents against the JSON Schema and against each other.

Every problem carries the file, line and column of the value (or key) it is about, and a
plain Dutch explanation; typos in field names and enum values get a suggestion.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from typing import Any

import fastjsonschema
import jsonschema
from referencing import Registry, Resource
from jsonschema.exceptions import ValidationError, best_match

from kaart.core import registry
from kaart.core.state import on_reset, per_build
from kaart.core.load import Document
from kaart.core.problems import WARNING, Location, Problem

_TYPE_NAMES = {
    "string": "tekst", "array": "een lijst", "object": "velden (sleutel: waarde)",
    "number": "een getal", "integer": "een geheel getal", "boolean": "ja/nee (true/false)", "null": "niets",
}


@per_build
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(registry.schema())


def _python_type(value: Any) -> str:
    for name, types in (("boolean", bool), ("string", str), ("array", list), ("object", dict),
                        ("number", (int, float)), ("null", type(None))):
        if isinstance(value, types):
            return _TYPE_NAMES[name]
    return type(value).__name__


def suggest(word: str, options: Iterable[str]) -> str:
    """'bedoel je …?' with the closest option; ids and values are lower case, so 'GTB' finds 'gtb'."""
    options = list(options)
    same = [option for option in options if str(option).casefold() == str(word).casefold()]
    close = same or difflib.get_close_matches(str(word), options, n=1, cutoff=0.6)
    return f"bedoel je '{close[0]}'?" if close else ""


def _const_options(schema: dict) -> list[str] | None:
    options = schema.get("oneOf")
    if options and all("const" in option for option in options):
        return [option["const"] for option in options]
    return None


def _closest_branch_error(error: ValidationError) -> ValidationError:
    """Of the alternatives in a oneOf, explain the one whose fields the value actually uses."""
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context or ():
        branches.setdefault(int(sub.relative_schema_path[0]), []).append(sub)
    if isinstance(error.instance, dict):
        for index, subs in sorted(branches.items()):
            fields = error.validator_value[index].get("properties", {})
            if set(error.instance) <= set(fields):
                return best_match(subs)
    return best_match(error.context)


def _unknown_fields(error: ValidationError, doc: Document) -> list[Problem]:
    """One problem per field the schema does not know: a contributor fixes them all in one go."""
    path = tuple(error.absolute_path)
    allowed = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
    extra = sorted(set(error.instance) - set(allowed)) or ["?"]
    return [Problem(doc.where((*path, name), key=True), f"onbekend veld '{name}'",
                    suggest(name, allowed) or "toegelaten velden: " + ", ".join(allowed))
            for name in extra]


def _flow(value: Any) -> str:
    """A schema example as a contributor would type it in YAML: {deck: netwerk-2022, dia: …}."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_flow(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    text = str(value)
    return text if re.fullmatch(r"[A-Za-z][A-Za-z0-9 -]*", text) else json.dumps(text, ensure_ascii=False)


def _dutch_list(items: list[str], last: str = "en") -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {last} " + items[-1]


def _mixes_forms(error: ValidationError) -> bool:
    """Fields of two alternatives in one value (a source with both 'url' and 'dia')."""
    if error.validator != "oneOf" or not isinstance(error.instance, dict):
        return False
    branches = [set(branch.get("properties", {})) for branch in error.validator_value if isinstance(branch, dict)]
    keys = set(error.instance)
    return not any(keys <= branch for branch in branches) and sum(bool(keys & branch) for branch in branches) >= 2


def _mixed_forms_problem(error: ValidationError, doc: Document) -> Problem:
    forms = [_dutch_list(list(branch.get("required", branch.get("properties", {}))))
             for branch in error.validator_value]
    examples = error.schema.get("examples", []) if isinstance(error.schema, dict) else []
    hint = "kies één vorm" + (", bv. " + " of ".join(_flow(example) for example in examples) if examples else "")
    return Problem(doc.where(tuple(error.absolute_path)),
                   f"gebruik {_dutch_list(forms, 'óf')}, niet allebei", hint)


def _innermost(error: ValidationError) -> ValidationError:
    """The error `_describe` explains: alternatives (oneOf, anyOf) are followed into the branch
    the value was closest to, unless the alternatives are a list of values or carry a message."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "oneOf" and _const_options(schema) is not None:
        return error
    if error.validator == "anyOf" and "errorMessage" in schema:
        return error
    if _mixes_forms(error):
        return error
    if error.validator in ("oneOf", "anyOf") and error.context:
        return _innermost(_closest_branch_error(error))
    return error


def _describe_all(error: ValidationError, doc: Document) -> list[Problem]:
    inner = _innermost(error)
    if inner.validator == "additionalProperties":
        return _unknown_fields(inner, doc)
    return [_describe(inner, doc)]


def _describe(error: ValidationError, doc: Document) -> Problem:
    """One error as `_innermost` found it (unknown fields are `_unknown_fields`' work)."""
    path = tuple(error.absolute_path)
    kind = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return Problem(doc.where(path), f"het verplichte veld '{missing}' ontbreekt")
    if kind == "oneOf" and (options := _const_options(schema)) is not None:
        value = error.instance
        hint = suggest(value, options) or "kies uit: " + ", ".join(options)
        return Problem(doc.where(path), f"'{value}' is geen geldige waarde", hint)
    if kind == "anyOf" and "errorMessage" in schema:  # "at least one of these fields"
        return Problem(doc.where(path), schema["errorMessage"], schema.get("errorHint", ""))
    if _mixes_forms(error):
        return _mixed_forms_problem(error, doc)
    if kind == "enum":  # the type of sheet: one word that decides which fields follow
        options = [str(option) for option in error.validator_value]
        if error.instance is None and path and isinstance(path[-1], str):
            return Problem(doc.where(path), f"'{path[-1]}' is leeg", "kies uit: " + ", ".join(options))
        value = _flow(error.instance) if isinstance(error.instance, (list, dict)) else str(error.instance)
        return Problem(doc.where(path), f"'{value}' is geen geldige waarde",
                       suggest(value, options) or "kies uit: " + ", ".join(options))
    if kind == "const":
        return Problem(doc.where(path), f"verwacht '{error.validator_value}', gevonden '{error.instance}'")
    if kind == "type" and error.instance is None and path and isinstance(path[-1], str):
        examples = schema.get("examples", [])
        hint = f"vul het in, bv. {path[-1]}: {_flow(examples[0])}" if examples else "vul het in of laat het veld weg"
        return Problem(doc.where(path), f"'{path[-1]}' is leeg", hint)
    if kind == "type" and (read_as_field := _text_read_as_field(error)):
        return Problem(doc.where(path), f"'{read_as_field}' wordt door de ':' gelezen als een veld, niet als tekst",
                       f"zet het tussen aanhalingstekens: \"{read_as_field}\"")
    if kind == "type":
        expected = error.validator_value
        names = [_TYPE_NAMES.get(t, t) for t in (expected if isinstance(expected, list) else [expected])]
        return Problem(doc.where(path), f"verwacht {' of '.join(names)}, gevonden {_python_type(error.instance)}")
    if kind == "pattern":
        message = schema.get("errorMessage", f"past niet in het patroon {error.validator_value}")
        return Problem(doc.where(path), f"'{error.instance}' is ongeldig", message)
    if kind == "minLength":
        return Problem(doc.where(path), f"te kort: minstens {error.validator_value} tekens")
    if kind == "maxLength":
        return Problem(doc.where(path), f"te lang: hoogstens {error.validator_value} tekens",
                       f"nu {len(error.instance)} tekens")
    if kind == "minItems":
        return Problem(doc.where(path), f"de lijst moet minstens {error.validator_value} element(en) hebben")
    if kind == "uniqueItems":
        return Problem(doc.where(path), "de lijst bevat een element twee keer", "houd er één")
    return Problem(doc.where(path), error.message)


def _text_read_as_field(error: ValidationError) -> str | None:
    """`[werkenden: x]` or `- werkenden: x` where a text is expected: YAML made a field of it."""
    expected = error.validator_value
    if "string" not in (expected if isinstance(expected, list) else [expected]):
        return None
    if not isinstance(error.instance, dict) or len(error.instance) != 1:
        return None
    [(key, value)] = error.instance.items()
    if isinstance(value, (dict, list)):
        return None
    written = "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
    return f"{key}: {written}".rstrip()


def schema_self_problems(root: Path) -> list[Problem]:
    """The schema itself must be a valid JSON Schema 2020-12, or no factsheet can be checked."""
    rel_path = registry.SCHEMA_PATH.relative_to(root).as_posix() if registry.SCHEMA_PATH.is_relative_to(root) \
        else registry.SCHEMA_PATH.as_posix()
    error = _schema_error(registry.schema())
    if error is None:
        return []
    where = "/".join(str(part) for part in error.absolute_path) or "(wortel)"
    return [Problem(Location(rel_path), f"het schema zelf is ongeldig bij {where}: {error.message}",
                    f"herstel {rel_path}")]


_checked: list[tuple[dict, jsonschema.SchemaError | None]] = []
on_reset(_checked.clear)


def _schema_error(schema: dict) -> jsonschema.SchemaError | None:
    """Checking against the metaschema takes ~40 ms; do it once per loaded schema."""
    for known, error in _checked:
        if known is schema:
            return error
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(
        jsonschema.Draft202012Validator.META_SCHEMA).iter_errors(schema))
    found = jsonschema.SchemaError.create_from(error) if error else None
    _checked[:] = [(schema, found)]
    return found


@per_build
def _fast_check() -> Callable[[Any], Any]:
    """The factsheet schema compiled to Python code: about ten times faster than jsonschema.

    It stops at the first error and says little, so it only answers "valid?"; every document
    it rejects goes through jsonschema for the complete, located, Dutch explanation.
    """
    schema = copy.deepcopy(registry.schema())  # compiling rewrites references in place
    del schema["$schema"]
    return fastjsonschema.compile(schema)


def is_valid_factsheet(data: Any) -> bool:
    try:
        _fast_check()(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


@per_build
def validator_for(schema_name: str) -> jsonschema.Draft202012Validator:
    """The validator of one of the package's schemas, with the factsheet schema beside it for
    the definitions the others borrow (ids, dates, sources): one way to check every kind of content."""
    own = registry.load_schema(schema_name)
    factsheet = registry.schema()
    resources = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in (own, factsheet))
    return jsonschema.Draft202012Validator(own, registry=resources)


def schema_problems(doc: Document, validator: jsonschema.protocols.Validator | None = None) -> list[Problem]:
    """Schema errors in plain Dutch; another schema (e.g. comparison definitions) may be passed."""
    values = value_problems(doc)
    slides = slide_problems(doc)
    if validator is None and is_valid_factsheet(doc.data):
        return values + slides
    # An example left in place says more than the format it breaks ('https://' is no address), and
    # so does a slide cited by its number ('dia 15 heet "IBO"' rather than 'verwacht tekst').
    precise = {problem.location for problem in values if problem.message == registry.PLACEHOLDER_MESSAGE}
    precise |= {problem.location for problem in slides}
    # A wrong `type` breaks both the list of types and the branch its folder expects: the list, with
    # its choices, says it once.
    errors = [(error, _innermost(error)) for error in (validator or _validator()).iter_errors(doc.data)]
    listed = {tuple(inner.absolute_path) for _, inner in errors if inner.validator == "enum"}
    errors = [(error, inner) for error, inner in errors
              if not (inner.validator == "const" and tuple(inner.absolute_path) in listed)]
    problems = [problem for error, _ in errors for problem in _describe_all(error, doc)
                if problem.location not in precise]
    explained = {problem.location for problem in problems}  # a format error says enough
    return problems + slides + [problem for problem in values if problem.location not in explained]


def slide_problems(doc: Document) -> list[Problem]:
    """In any content: a source `{deck, dia}` must cite a slide the deck has, by its title."""
    problems = []

    def walk(value: Any, path: tuple) -> None:
        if isinstance(value, dict):
            if value.get("deck") in registry.slides() and "dia" in value:
                problem = _slide_problem(value["deck"], value["dia"], doc.where((*path, "dia")))
                problems.extend([problem] if problem else [])
            for key, item in value.items():
                walk(item, (*path, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, (*path, i))

    walk(doc.data, ())
    return problems


def _slide_problem(deck: str, dia: Any, where: Location) -> Problem | None:
    slides = registry.slides()[deck]
    if isinstance(dia, int) and not isinstance(dia, bool):
        if not 1 <= dia <= len(slides):
            return Problem(where, f"het deck {deck} heeft geen dia {dia}",
                           f"het telt dia 1 tot {len(slides)}; noem de dia met haar titel, zoals in de lijst in CONTRIBUTING.md")
        names = slides[dia - 1].names
        hint = f"dia {dia} van {deck} heet '{names[-1]}': schrijf dia: {_flow(names[-1])}" if names else \
            f"dia {dia} van {deck} heeft geen titel; noem een dia met een titel, zoals in de lijst in CONTRIBUTING.md"
        return Problem(where, "noem de dia met haar titel, niet met haar nummer", hint)
    if not isinstance(dia, str) or not dia.strip() or registry.slide_named(deck, dia):
        return None  # the schema explains a value that is no text
    titles = list(dict.fromkeys(name for slide in slides for name in slide.names))
    return Problem(where, f"het deck {deck} heeft geen dia '{dia}'",
                   suggest(dia, titles) or f"kies een titel uit de lijst van de {len(slides)} dia's in CONTRIBUTING.md")


_FULL_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def value_problems(doc: Document) -> list[Problem]:
    """In any field of any content: a date the calendar does not have (2024-02-31, 2023-02-29), or
    an example text of `kaart new` that was not replaced."""
    problems = []

    def walk(value: Any, path: tuple) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*path, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, (*path, i))
        elif isinstance(value, str) and value in registry.PLACEHOLDERS:
            problems.append(Problem(doc.where(path), registry.PLACEHOLDER_MESSAGE, registry.PLACEHOLDERS[value]))
        elif isinstance(value, str) and _FULL_DATE.fullmatch(value):
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                problems.append(Problem(doc.where(path), f"de datum '{value}' bestaat niet",
                                        "kijk dag en maand na"))

    walk(doc.data, ())
    return problems


# A line that starts with one '#': a level-1 heading (with a space after it), or, without the space,
# a '#' shown as text that was most likely meant as a heading too.
_TOP_HEADING = re.compile(r"^#(?!#)[ \t]*(\S.*)$", re.M)


def heading_problems(doc: Document) -> list[Problem]:
    """A warning for each level-1 heading in `beschrijving`: the page's own title is the only one,
    and the page shows it as plain text."""
    text = doc.data.get("beschrijving")
    if not isinstance(text, str):
        return []
    return [Problem(doc.where_in(("beschrijving",), match.group()), f"'{match.group()}' is een kop van niveau 1",
                    f"koppen in de beschrijving beginnen bij niveau 2: schrijf '## {match.group(1)}'; is het geen kop, "
                    "begin de regel dan niet met '#'", WARNING)
            for match in _TOP_HEADING.finditer(text)]


def file_problems(doc: Document) -> list[Problem]:
    """Checks that tie a document to its file: id equals file name, folder matches type."""
    problems = []
    data = doc.data
    stem = PurePosixPath(doc.rel_path).stem
    sheet_id = data.get("id")
    if isinstance(sheet_id, str) and sheet_id != stem and not sheet_id.startswith("."):
        # An id the schema refuses is no name to give the file: then only the id is to change.
        hint = f"hernoem het bestand naar {sheet_id}.yaml of pas het id aan" if _is_id(sheet_id) else \
            f"pas het id aan, bv. id: {stem}" if _is_id(stem) else "pas het id aan en geef het bestand dezelfde naam"
        problems.append(Problem(doc.where(("id",)), f"het id '{sheet_id}' verschilt van de bestandsnaam '{stem}'", hint))
    if not PurePosixPath(doc.rel_path).suffix == ".yaml":
        problems.append(Problem(Location(doc.rel_path), "een fiche eindigt op .yaml"))
    sheet_type = data.get("type")
    expected_folder = registry.FOLDERS.get(sheet_type) if isinstance(sheet_type, str) else None
    folder = PurePosixPath(doc.rel_path).parent.name
    if expected_folder and folder != expected_folder:
        problems.append(Problem(doc.where(("type",)), f"een fiche van type '{data['type']}' hoort in {expected_folder}/",
                                f"verplaats het bestand naar {expected_folder}/"))
    return problems


def _is_id(text: str) -> bool:
    return re.fullmatch(registry.schema()["$defs"]["id"]["pattern"], text) is not None


def cross_problems(docs: list[Document], all_docs: list[Document], unreadable: Iterable[str] = ()) -> list[Problem]:
    """Checks across files: unique ids, references that resolve, relations that make sense.

    Contradictions between relations (cycles, a relation stated twice) need the whole graph:
    `kaart.content.relations` checks those.

    `docs` passed the schema; `all_docs` also holds the ones that did not, so that a reference
    to a factsheet with an error of its own is not reported a second time as unknown; nor is a
    reference to an id in `unreadable`, a file that did not parse (named by its file name).
    """
    problems: list[Problem] = []
    by_id: dict[str, Document] = {}
    for doc in all_docs:
        sheet_id = doc.data.get("id")
        if not isinstance(sheet_id, str) or not isinstance(doc.data.get("type"), str):
            continue
        if sheet_id in by_id:
            problems.append(Problem(doc.where(("id",)), f"het id '{sheet_id}' bestaat al",
                                    f"ook gebruikt in {by_id[sheet_id].rel_path}"))
        else:
            by_id[sheet_id] = doc
    unreadable = set(unreadable) - set(by_id)
    for doc in docs:
        problems += _reference_problems(doc, by_id, unreadable)
    return problems


def _reference_problems(doc: Document, by_id: dict[str, Document], unreadable: set[str]) -> list[Problem]:
    problems = []
    own_id = doc.data["id"]
    for i, org_id in enumerate(doc.data.get("aanbieders", [])):
        if org_id in unreadable:
            continue
        target = by_id.get(org_id)
        if target is None:
            problems.append(Problem(doc.where(("aanbieders", i)), f"onbekende organisatie '{org_id}'",
                                    suggest(org_id, by_id) or "maak eerst een fiche in organisations/"))
        elif target.data["type"] != "organisatie":
            problems.append(Problem(doc.where(("aanbieders", i)), f"'{org_id}' is geen organisatie",
                                    "aanbieders verwijzen naar fiches in organisations/"))
    for i, relation in enumerate(doc.data.get("relaties", [])):
        target_id, kind = relation["doel"], relation["type"]
        where = doc.where(("relaties", i, "doel"))
        if target_id == own_id:
            problems.append(Problem(where, "een fiche kan geen relatie met zichzelf hebben"))
        elif target_id in unreadable:
            continue
        elif target_id not in by_id:
            problems.append(Problem(where, f"onbekende fiche '{target_id}'", suggest(target_id, by_id)))
        elif kind in registry.ORGANISATION_RELATIONS:
            if doc.data["type"] != "organisatie" or by_id[target_id].data["type"] != "initiatief":
                problems.append(Problem(doc.where(("relaties", i, "type")),
                                        f"'{kind}' gaat van een organisatie naar een initiatief"))
    return problems
