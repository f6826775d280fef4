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

`kaart fmt --check` shows what formatting would change, for a contributor who cannot run it
(in GitHub's web editor): the keys to move in words ("zet `status` na `cellen`"), other changes
in words, and a unified diff, also as annotations and a Markdown job summary.
"""

from __future__ import annotations

import difflib
import io
import re
from collections import Counter
from dataclasses import dataclass, replace
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

from kaart.core.load import load_text
from kaart.core.problems import WARNING, Location, Problem
from kaart.content.order import SCHEMA_LINE, child_schema, property_names, top_schema

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
            _canonicalise(value[key], child_schema(schema, key), value, key)
        _reorder(value, property_names(schema), parent, at)
    elif isinstance(value, CommentedSeq):
        for i, item in enumerate(value):
            _canonicalise(item, child_schema(schema, i), value, i)


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
    if problems:
        # A warning marks text whose meaning is in doubt (a list item run over two lines): writing
        # it out would settle the doubt silently, so the file stays as it is until someone decides.
        return None, [replace(p, message=f"niet opgemaakt: {p.message}") for p in problems]
    try:
        data = _yaml().load(text.removeprefix("\ufeff"))
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = Location(rel_path, mark.line + 1, mark.column + 1) if mark else Location(rel_path)
        return None, [Problem(where, f"kan niet herschikken: {err.problem or err.context}")]
    except YAMLError as err:
        return None, [Problem(Location(rel_path), f"kan niet herschikken: {err}")]
    _canonicalise(data, top_schema(data))
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


# -- what would change (`kaart fmt --check`) ----------------------------------------------------

@dataclass(frozen=True)
class Move:
    """One key that formatting moves, said the way a contributor would do it by hand."""

    path: tuple  # the key's path in the data, e.g. ("kenmerken", "duur", "waarde")
    after: str | None  # the key it comes after once formatted; None: it comes first

    @property
    def sentence(self) -> str:
        *parents, key = self.path
        where = _where(tuple(parents))
        place = f"na {_code(self.after)}" if self.after is not None else "bovenaan"
        return f"{where}zet {_code(str(key))} {place}"


def _code(text: str) -> str:
    """Inline code that a backtick in the text cannot close early (keys come from contributors)."""
    run = max((len(part) for part in re.findall(r"`+", text)), default=0)
    fence = "`" * (run + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _where(path: tuple) -> str:
    """'in `kenmerken` → `duur`: ' or 'in `bronnen` (nr. 2): '; nothing at the top of the file."""
    parts: list[str] = []
    for step in path:
        if isinstance(step, int) and parts:
            parts[-1] += f" (nr. {step + 1})"
        else:
            parts.append(_code(str(step)))
    return f"in {' → '.join(parts)}: " if parts else ""


def _kept(keys: list, rank: dict) -> set:
    """The largest set of keys already in formatted order (a longest increasing subsequence):
    every other key is a move, so the sentences are as few as possible."""
    best: list[list] = []  # best[i]: the longest run in order that ends with keys[i]
    for i, key in enumerate(keys):
        runs = [best[j] for j in range(i) if rank[keys[j]] < rank[key]]
        best.append(max(runs, key=len, default=[]) + [key])
    return set(max(best, key=len, default=[]))


def key_moves(before: Any, after: Any, path: tuple = ()) -> list[Move]:
    """The keys whose place differs between two versions of the same data, at every level."""
    moves: list[Move] = []
    if isinstance(before, dict) and isinstance(after, dict):
        old, new = list(before), list(after)
        if old != new and set(old) == set(new):
            kept = _kept(old, {key: i for i, key in enumerate(new)})
            moves += [Move((*path, key), new[i - 1] if i else None) for i, key in enumerate(new) if key not in kept]
        for key in new:
            if key in before:
                moves += key_moves(before[key], after[key], (*path, key))
    elif isinstance(before, list) and isinstance(after, list):
        for i, (old_item, new_item) in enumerate(zip(before, after)):
            moves += key_moves(old_item, new_item, (*path, i))
    return moves


@dataclass(frozen=True)
class Change:
    """What formatting one file would change: the moved keys, the other changes, the diff."""

    rel_path: str
    moves: tuple[Move, ...]
    notes: tuple[str, ...]  # changes that are not a key's place, in words
    diff: str
    line: int  # where the first change is, for an annotation

    @property
    def sentences(self) -> list[str]:
        return [move.sentence for move in self.moves] + list(self.notes)

    def annotation(self) -> Problem:
        text = "; ".join(self.sentences[:5]) + ("; …" if len(self.sentences) > 5 else "")
        return Problem(Location(self.rel_path, self.line), f"niet in de vaste opmaak: {text}",
                       "dat houdt niets tegen: na het samenvoegen wordt de opmaak vanzelf gezet", WARNING)


_UNQUOTED_DATE = re.compile(r"^(\s*(?:- )?)([\w-]+): ([0-9]{4}-[0-9]{2}(?:-[0-9]{2})?)(\s*(?:#.*)?)$")


def _notes(original: str, diff: list[str]) -> list[str]:
    """The changes other than a key's place, in words: what lines the diff takes away and adds
    that moving keys does not explain."""
    removed = Counter(line[1:] for line in diff if line.startswith("-") and not line.startswith("---"))
    added = Counter(line[1:] for line in diff if line.startswith("+") and not line.startswith("+++"))
    removed, added = removed - added, added - removed  # a moved line is taken away and added as it was
    notes = []
    if SCHEMA_LINE in added:
        notes.append(f"zet de regel {_code(SCHEMA_LINE)} bovenaan")
        del added[SCHEMA_LINE]
    quoted = []
    for line in list(removed):
        match = _UNQUOTED_DATE.match(line)
        with_quotes = f'{match[1]}{match[2]}: "{match[3]}"{match[4]}' if match else None
        if with_quotes in added:
            quoted.append(f'{match[2]}: "{match[3]}"')
            del removed[line], added[with_quotes]
    if quoted:
        notes.append(f"zet datums tussen aanhalingstekens, bv. {_code(quoted[0])}")
    if "\r" in original:
        notes.append("gewone regeleinden in plaats van die van Windows")
    if not original.endswith("\n"):
        notes.append("een regeleinde na de laatste regel")
    # A flow mapping in a new order ({soort: x, situatie: y}) is the same characters, differently placed.
    reordered = Counter("".join(sorted(line)) for line in removed.elements())
    if reordered != Counter("".join(sorted(line)) for line in added.elements()):
        notes.append("inspringing, witruimte of de plaats van een opmerking "
                     "(zie het verschil; de waarden blijven gelijk)")
    return notes


def describe(result: FormatResult, rel_path: str) -> Change:
    """How `result` would change its file, in sentences and as a unified diff."""
    formatted = result.formatted or result.original
    before, _ = load_text(result.original.encode("utf-8"), rel_path)
    after, _ = load_text(formatted.encode("utf-8"), rel_path)
    moves = key_moves(before.data, after.data) if before and after else []
    diff = list(difflib.unified_diff(result.original.removeprefix("\ufeff").splitlines(), formatted.splitlines(),
                                     f"{rel_path} (nu)", f"{rel_path} (opgemaakt)", lineterm=""))
    hunk = next((line for line in diff if line.startswith("@@")), "@@ -1 ")
    first_line = max(int(re.match(r"@@ -(\d+)", hunk).group(1)), 1)
    if moves and before is not None:
        first_line = min(before.where(move.path, key=True).line for move in moves)
    return Change(rel_path, tuple(moves), tuple(_notes(result.original, diff)), "\n".join(diff) + "\n", first_line)


def summary_markdown(changes: list[Change]) -> str:
    """A GitHub job summary: for each file the sentences and the diff, and what to do about it."""
    if not changes:
        return "### Opmaak van de fiches\n\nAlle fiches staan in de vaste opmaak.\n"
    parts = ["### Opmaak van de fiches",
             f"{len(changes)} fiche(s) staan nog niet in de vaste opmaak (volgorde van de velden, inspringing). "
             "**Dat houdt je bijdrage niet tegen**: na het samenvoegen zet de kaart de opmaak vanzelf goed. "
             "Wil je het toch zelf doen, neem dan de wijziging hieronder over of voer `kaart fmt` uit."]
    for change in changes:
        fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", change.diff)), default=0))
        parts.append(f"#### {_code(change.rel_path)}")
        parts.append("\n".join(f"- {sentence}" for sentence in change.sentences))
        parts.append(f"{fence}diff\n{change.diff}{fence}")
    return "\n\n".join(parts) + "\n"
