"""`kaart fmt`: rewrite factsheets in one canonical key order and style, keeping comments.

A pull request should show only real changes, so every factsheet uses the same layout: keys in
the schema's property order (at every level), two-space indentation with list dashes indented
under their key, dates as double-quoted strings, the schema line on top, one newline at the end.
Everything else a contributor chose (flow or block style, quotes, block scalars, comments and
blank lines) is kept: ruamel.yaml round-trips it.

ruamel.yaml stores a comment with the value *before* it. Before moving keys, each key gets back
the comment lines written above it, so a comment travels with the key it explains.

Safety: the result is loaded again with kaart's own loader; if the data differs in any way, the
file is left alone and the difference is reported. Formatting never changes a value.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.emitter import RoundTripEmitter
from ruamel.yaml.error import CommentMark, MarkedYAMLError, YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.tokens import CommentToken

from kaart.core import registry
from kaart.core.load import load_text
from kaart.core.problems import Location, Problem

SCHEMA_LINE = f"# yaml-language-server: $schema=../schema/{registry.SCHEMA_PATH.name}"
_MAP_SLOT, _SEQ_SLOT = 2, 0  # where ruamel keeps the comment after a mapping value / a list item


class _Constructor(RoundTripConstructor):
    """Dates stay the text they are (YAML 1.2 core has no timestamps), quoted so editors agree."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> DoubleQuotedScalarString:
        return DoubleQuotedScalarString(node.value)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


class _Emitter(RoundTripEmitter):
    """Works around a ruamel.yaml bug (0.17-0.19): after a comment above a list's first item and an
    end-of-line comment on a flow item, the next block item lost its line breaks
    (`- titel: VDAB url: https://...`). After an end-of-line comment the line is always new."""

    def write_post_comment(self, event: Any) -> bool:
        written = super().write_post_comment(event)
        self.no_newline = False
        return written


def _yaml() -> YAML:
    yaml = YAML()  # round-trip mode; ruamel.yaml reads and writes YAML 1.2 by default
    yaml.Constructor = _Constructor
    yaml.Emitter = _Emitter
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a contributor's lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


# -- canonical order, read from the schema ------------------------------------------------------

def _resolve(node: dict) -> dict:
    defs = registry.schema()["$defs"]
    while "$ref" in node:
        node = defs[node["$ref"].split("/")[-1]] | {k: v for k, v in node.items() if k != "$ref"}
    return node


def _properties(node: dict) -> list[str]:
    """Property names of an object schema, including those of each `oneOf` branch (bron)."""
    names = list(node.get("properties", {}))
    for branch in node.get("oneOf", ()):
        names += [n for n in _resolve(branch).get("properties", {}) if n not in names]
    return names


def _child(node: dict, key: str | int) -> dict:
    if isinstance(key, int):
        return _resolve(node.get("items", {}))
    for branch in (node, *map(_resolve, node.get("oneOf", ()))):
        if key in branch.get("properties", {}):
            return _resolve(branch["properties"][key])
    return {}


def _top_schema(data: CommentedMap) -> dict:
    sheet_type = data.get("type")
    return _resolve(registry.schema()["$defs"][sheet_type]) if sheet_type in registry.FOLDERS else {}


# -- comments that belong to the key below them -------------------------------------------------

def _trailing_slots(container: Any, key: Any) -> list[tuple[Any, Any]]:
    """Places where ruamel may keep the comment lines after `container[key]`, shallow to deep."""
    slots = [(container, key)]
    value = container[key]
    if isinstance(value, (CommentedMap, CommentedSeq)) and len(value) and not value.fa.flow_style():
        last = next(reversed(value)) if isinstance(value, CommentedMap) else len(value) - 1
        slots += _trailing_slots(value, last)
    return slots


def _slot_index(container: Any) -> int:
    return _MAP_SLOT if isinstance(container, CommentedMap) else _SEQ_SLOT


def _take_lines_after(container: Any, key: Any) -> str:
    """Remove and return the full comment lines that follow `container[key]`, keeping its end-of-line comment."""
    taken = ""
    for holder, at in _trailing_slots(container, key):
        entry = holder.ca.items.get(at)
        token = entry[_slot_index(holder)] if entry else None
        if not isinstance(token, CommentToken) or "\n" not in token.value:
            continue
        own_line, _, following = token.value.partition("\n")
        token.value = own_line + "\n"
        taken += following
        if not own_line.strip():
            entry[_slot_index(holder)] = None
        if not any(entry):
            del holder.ca.items[at]  # an empty entry makes ruamel's emitter drop a line break
    return taken


def _put_lines_after(container: Any, key: Any, lines: str) -> None:
    if not lines:
        return
    holder, at = _trailing_slots(container, key)[-1]
    entry = holder.ca.items.setdefault(at, [None, None, None, None])
    index = _slot_index(holder)
    token = entry[index]
    if isinstance(token, CommentToken):
        token.value = token.value.rstrip("\n") + "\n" + lines if token.value.strip() else "\n" + lines
    else:
        entry[index] = CommentToken("\n" + lines, CommentMark(0), None)


def _owns_leading_comment(parent: Any) -> bool:
    """Only a mapping under a key owns the comment above its first key: at the top, that is the
    file's header; in a list, it is about the whole item."""
    return isinstance(parent, CommentedMap)


def _take_lines_before_first(mapping: CommentedMap, parent: Any) -> str:
    if not _owns_leading_comment(parent) or not mapping.ca.comment or not mapping.ca.comment[1]:
        return ""
    tokens = mapping.ca.comment[1]
    text = "".join(" " * (token.column or 0) + token.value for token in tokens)
    tokens.clear()  # in place: ruamel shares this list with the parent's entry for the key
    return text


def _put_lines_before_first(mapping: CommentedMap, parent: Any, at: Any, lines: str) -> None:
    """Comment lines for the key that became first: above the mapping, where ruamel keeps them."""
    if not lines:
        return
    if isinstance(parent, CommentedSeq) and at > 0:
        _put_lines_after(parent, at - 1, lines)
        return
    holder = parent if isinstance(parent, CommentedSeq) else mapping
    if holder.ca.comment is None:
        holder.ca.comment = [None, []]
    holder.ca.comment[1] = (holder.ca.comment[1] or []) + [CommentToken(lines, CommentMark(0), None)]


def _reorder(mapping: CommentedMap, order: list[str], parent: Any, at: Any) -> None:
    keys = list(mapping)
    rank = {name: i for i, name in enumerate(order)}
    wanted = sorted(keys, key=lambda k: (rank.get(k, len(rank)), keys.index(k)))
    if wanted == keys:
        return
    above = {key: _take_lines_after(mapping, before) for before, key in pairwise(keys)}
    above[keys[0]] = _take_lines_before_first(mapping, parent)
    tail = _take_lines_after(mapping, keys[-1])
    for key in wanted:
        mapping.move_to_end(key)
    for before, key in pairwise(wanted):
        _put_lines_after(mapping, before, above.get(key, ""))
    _put_lines_after(mapping, wanted[-1], tail)
    _put_lines_before_first(mapping, parent, at, above.get(wanted[0], ""))


def _canonicalise(value: Any, schema: dict, parent: Any = None, at: Any = None) -> None:
    if isinstance(value, CommentedMap):
        for key in value:
            _canonicalise(value[key], _child(schema, key), value, key)
        _reorder(value, _properties(schema), parent, at)
    elif isinstance(value, CommentedSeq):
        for i, item in enumerate(value):
            _canonicalise(item, _child(schema, i), value, i)


# -- files --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FormatResult:
    path: Path
    original: str
    formatted: str | None  # None when the file could not be formatted (see problems)
    problems: tuple[Problem, ...] = ()

    @property
    def changed(self) -> bool:
        return self.formatted is not None and self.formatted != self.original


def format_text(text: str, rel_path: str = "<tekst>") -> tuple[str | None, list[Problem]]:
    """The canonical form of a factsheet's text, or None with the reasons it cannot be formatted."""
    before, problems = load_text(text.encode("utf-8"), rel_path)
    if before is None:
        return None, problems
    try:
        data = _yaml().load(text.removeprefix("\ufeff"))
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = Location(rel_path, mark.line + 1, mark.column + 1) if mark else Location(rel_path)
        return None, [Problem(where, f"kan niet herschikken: {err.problem or err.context}")]
    except YAMLError as err:
        return None, [Problem(Location(rel_path), f"kan niet herschikken: {err}")]
    _canonicalise(data, _top_schema(data))
    out = io.StringIO()
    _yaml().dump(data, out)
    raw = out.getvalue().rstrip() + "\n"
    # Trailing spaces go, except where they are part of a value: two spaces closing a line of a
    # Markdown block are a hard line break.
    for candidate in ("\n".join(line.rstrip() for line in raw.split("\n")), raw):
        formatted = candidate if candidate.startswith("# yaml-language-server:") else SCHEMA_LINE + "\n" + candidate
        after, _ = load_text(formatted.encode("utf-8"), rel_path)
        if after is not None and after.data == before.data:
            return formatted, []
    return None, [Problem(Location(rel_path), "herschikken zou een waarde veranderen; het bestand blijft ongewijzigd",
                          "meld dit als fout in kaart fmt")]


def format_file(path: Path, root: Path) -> FormatResult:
    rel_path = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    raw = path.read_bytes()
    try:
        original = raw.decode("utf-8")
    except UnicodeDecodeError:
        return FormatResult(path, "", None, tuple(load_text(raw, rel_path)[1]))
    formatted, problems = format_text(original, rel_path)
    return FormatResult(path, original, formatted, tuple(problems))
