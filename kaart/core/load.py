"""Stage 1: YAML files to plain data with the line and column of every key and value.

libyaml (through PyYAML's CSafeLoader) composes the node tree, which is fast and keeps marks;
we then build the values ourselves with YAML 1.2 core rules, so that `NO`, `9:30` and `0123`
mean what editors and the JSON Schema tooling think they mean. Nothing here constructs
objects from tags, and aliases are refused, so a factsheet cannot run code or explode.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kaart.core.dutch import shorten
from kaart.core.problems import WARNING, Location, Problem

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Loader = yaml.SafeLoader

MAX_BYTES = 200_000
MAX_DEPTH = 12
MAX_NODES = 20_000

PathKey = tuple[str | int, ...]

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_TRUE = re.compile(r"^(?:true|True|TRUE)$")
_FALSE = re.compile(r"^(?:false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_SPECIAL_FLOAT = {".inf": float("inf"), "+.inf": float("inf"), "-.inf": float("-inf"), ".nan": float("nan")}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
# Spaces that look like spaces but are not YAML's: pasted from Word, a web page or an e-mail
# (non-breaking, narrow, zero-width ...). At the start of a line they hide the indentation.
_ODD_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u202f\u205f\u3000\ufeff"
_INDENT = re.compile("[ " + _ODD_SPACES + "]*")
# How much of a contributor's text an error message quotes (dutch.shorten).
MESSAGE_QUOTE = 40
_STANDARD_TAG = re.compile(r"^tag:yaml\.org,2002:(?:str|int|float|bool|null|map|seq|timestamp|merge|value)$")


class Marks(Mapping[PathKey, Location]):
    """Where each value (or key) of one file stands, kept as (line, column) pairs.

    A Location object is made only when one is asked for: a factsheet has hundreds of marks, and
    thousands of small objects per file made the document cache slow to load and to save.
    """

    __slots__ = ("_at", "path")

    def __init__(self, path: str, at: dict[PathKey, tuple[int, int]] | None = None) -> None:
        self.path = path
        self._at = at if at is not None else {}

    def __getitem__(self, key: PathKey) -> Location:
        line, col = self._at[key]
        return Location(self.path, line, col)

    def __contains__(self, key: object) -> bool:
        return key in self._at

    def __iter__(self) -> Iterator[PathKey]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)

    def set(self, key: PathKey, mark: Any) -> None:
        """Record a PyYAML mark (0-based) as a 1-based line and column."""
        self._at[key] = (mark.line + 1, mark.column + 1)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Marks, (self.path, self._at))


@dataclass
class Document:
    """One factsheet file as data, with a mark for each value and each mapping key."""

    path: Path
    rel_path: str
    data: dict[str, Any]
    value_marks: Mapping[PathKey, Location] = field(default_factory=dict)
    key_marks: Mapping[PathKey, Location] = field(default_factory=dict)
    # The SHA-256 of the bytes this was read from, where the store read them (else empty): what a
    # page fingerprint names the sheet by (kaart.build.render_cache.SheetTokens).
    digest: str = field(default="", compare=False)

    def where(self, path: PathKey, key: bool = False) -> Location:
        """The closest known location of a value (or of its key), walking up if needed."""
        marks = self.key_marks if key else self.value_marks
        probe = tuple(path)
        while probe:
            if probe in marks:
                return marks[probe]
            probe = probe[:-1]
        return self.value_marks.get((), Location(self.rel_path))

    def where_in(self, path: PathKey, part: str) -> Location:
        """Where `part` of the text at `path` stands in the file (a line of a long description),
        found in the file from the value's start on; the value's own location if it is not there."""
        start = self.where(path)
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return start
        for number in range(start.line - 1, len(lines)):
            column = lines[number].find(part, start.col - 1 if number == start.line - 1 else 0)
            if column >= 0:
                return Location(self.rel_path, number + 1, column + 1)
        return start


# Figures, cells and counts stay far below this; past it a float loses digits and a chart overflows.
MAX_NUMBER = 10**15
NUMBER_HINT = "schrijf een getal van hoogstens 15 cijfers, of zet de tekst tussen aanhalingstekens"


def resolve_plain_scalar(text: str) -> Any:
    """YAML 1.2 core schema resolution of an unquoted scalar."""
    if _NULL.match(text):
        return None
    if _TRUE.match(text):
        return True
    if _FALSE.match(text):
        return False
    if _INT.match(text):
        return int(text)
    if _OCT.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    return _SPECIAL_FLOAT.get(text.lower(), text)


class _Builder:
    """Turns a composed node tree into Python values, recording marks and problems."""

    def __init__(self, rel_path: str, text: str):
        self.rel_path = rel_path
        self.lines = text.splitlines()  # the line breaks libyaml counts (other breaks are refused)
        self.problems: list[Problem] = []
        # Values that are well-formed YAML but unusable (a number too big): the document is still
        # read, so references to it are not reported as well, but it is not built.
        self.value_problems: list[Problem] = []
        # Well-formed values that most likely do not say what was meant: reported, nothing stops.
        self.warnings: list[Problem] = []
        self.value_marks = Marks(rel_path)
        self.key_marks = Marks(rel_path)
        self._seen: set[int] = set()
        self._count = 0
        self._overflow: Any = None
        self._overflow_count = 0

    def finish(self) -> None:
        """Report an overflow once, with how much more there was."""
        if self._overflow is not None:
            more = self._overflow_count - 1
            self.problem(self._overflow, "de fiche is te diep genest of te groot"
                         + (f" (en {more} waarde{'' if more == 1 else 'n'} meer)" if more else ""),
                         f"maximaal {MAX_DEPTH} niveaus en {MAX_NODES} waarden")

    def at(self, mark: Any) -> Location:
        return Location(self.rel_path, mark.line + 1, mark.column + 1)

    def problem(self, mark: Any, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.at(mark), message, hint))

    def build(self, node: yaml.Node, path: PathKey, depth: int, in_flow: bool = False) -> Any:
        self._count += 1
        if id(node) in self._seen:
            self.problem(node.start_mark, "ankers (&) en aliassen (*) zijn niet toegestaan",
                         "schrijf de waarde gewoon opnieuw uit")
            return None
        self._seen.add(id(node))
        if depth > MAX_DEPTH or self._count > MAX_NODES:
            # One problem for the whole overflow (5,000 list items are one mistake, not 5,000).
            if self._overflow is None:
                self._overflow = node.start_mark
            self._overflow_count += 1
            return None
        self.value_marks.set(path, node.start_mark)
        if not _STANDARD_TAG.match(node.tag):
            self.problem(node.start_mark, f"de tag '{node.tag}' is niet toegestaan",
                         "laat tags (zoals !!python/...) weg")
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1, node.flow_style) for i, item in enumerate(node.value)]
        if path and not node.style and node.end_mark.line > node.start_mark.line:
            self._wrapped(node, path[-1], in_flow)
        if not node.style:  # plain scalar (libyaml says '', PyYAML None): resolve like YAML 1.2
            return self._number_checked(node)
        return node.value

    def _wrapped(self, node: yaml.ScalarNode, key: str | int, in_flow: bool) -> None:
        """An unquoted value run over several lines, which YAML joins into one. In a list item that
        is almost always a mistake (`- autisme` then `    - ASS` gives 'autisme - ASS'), and so is a
        field whose next line starts with '- ' (a list meant). A field's long text wrapped over
        lines is fine: joined is what its writer meant."""
        first, last = node.start_mark.line, node.end_mark.line
        dash = next((line for line in (text.strip() for text in self.lines[first + 1:last + 1])
                     if line == "-" or line.startswith("- ")), None)
        if isinstance(key, str) and dash is None:
            return
        start = shorten(self.lines[first][node.start_mark.column:].strip(), MESSAGE_QUOTE)
        item = "dit lijstitem" if isinstance(key, int) else f"de waarde van '{key}'"
        message = f"{item} loopt over {last - first + 1} regels en wordt één waarde: '{shorten(node.value, 60)}'"
        quote = "is het één lange tekst, zet hem dan tussen aanhalingstekens"
        if isinstance(key, str):
            hint = f"bedoel je een lijst? zet dan ook '- {start}' op een eigen regel onder '{key}:'; {quote}"
        elif in_flow:
            hint = f"zijn het aparte items, scheid ze dan met komma's; {quote}"
        elif dash is not None:
            hint = f"bedoel je een apart item? zet '{shorten(dash, MESSAGE_QUOTE)}' recht onder '- {start}'; {quote}"
        else:
            hint = f"zijn het aparte items, begin dan elk op een eigen regel met '- ', in dezelfde kolom; {quote}"
        self.warnings.append(Problem(self.at(node.start_mark), message, hint, WARNING))

    def _number_checked(self, node: yaml.ScalarNode) -> Any:
        """A plain scalar's value; a number kaart cannot show (too long, infinite, not a number) is a
        located problem here, not a traceback somewhere in the build."""
        try:
            value = resolve_plain_scalar(node.value)
        except ValueError:  # an integer of thousands of digits: Python refuses to read it
            self.value_problems.append(Problem(self.at(node.start_mark), "dit getal is te lang", NUMBER_HINT))
            return 0  # a number, so the schema check adds nothing; the sheet is not built anyway
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= MAX_NUMBER:
            self.value_problems.append(Problem(self.at(node.start_mark), "dit getal is te groot", NUMBER_HINT))
        elif isinstance(value, float) and not math.isfinite(value):
            self.value_problems.append(Problem(self.at(node.start_mark),
                                               f"'{node.value}' is geen getal dat kaart kan tonen", NUMBER_HINT))
        return value

    def _mapping(self, node: yaml.MappingNode, path: PathKey, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        # A block list item's first repeated key most likely starts the next item (its '- ' forgotten):
        # the keys after it repeat too, and are that one mistake.
        in_item = bool(path) and isinstance(path[-1], int) and not node.flow_style
        repeated = False
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node.start_mark, "een sleutel moet gewone tekst zijn")
                continue
            key = key_node.value
            if key == "<<":
                self.problem(key_node.start_mark, "samenvoegsleutels (<<) zijn niet toegestaan")
                continue
            if key in result:
                if not repeated:
                    self._repeated_key(node, key_node, path, in_item)
                repeated = in_item
                continue
            self.key_marks.set((*path, key), key_node.start_mark)
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result

    def _repeated_key(self, node: yaml.MappingNode, key_node: yaml.ScalarNode, path: PathKey, in_item: bool) -> None:
        key = key_node.value
        first = self.key_marks[(*path, key)]
        if not in_item:
            self.problem(key_node.start_mark, f"de sleutel '{key}' staat er twee keer", f"eerder op regel {first.line}; houd er één")
            return
        start = node.start_mark  # the item's first key; its dash is on that line, or on the line above
        dash = next((number + 1 for number in (start.line, start.line - 1)
                     if 0 <= number < len(self.lines) and re.match(r" *-(?:\s|$)", self.lines[number])), first.line)
        self.problem(key_node.start_mark, f"de sleutel '{key}' staat twee keer in hetzelfde lijstelement, ook op "
                     f"regel {first.line}", f"begint hier een nieuw element van de lijst? zet '- ' voor '{key}', recht "
                     f"onder de '- ' op regel {dash}; anders: houd er één")


def _decode(raw: bytes, rel_path: str) -> tuple[str | None, list[Problem]]:
    if len(raw) > MAX_BYTES:
        return None, [Problem(Location(rel_path), f"het bestand is te groot ({len(raw)} bytes)",
                              f"een fiche mag hoogstens {MAX_BYTES} bytes zijn")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        col = err.start - (before.rfind(b"\n") + 1) + 1
        return None, [Problem(Location(rel_path, line, col), "het bestand is geen geldige UTF-8",
                              "bewaar het bestand als UTF-8")]
    text = text.removeprefix("\ufeff")
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        return None, [Problem(Location(rel_path), "het bestand is leeg", "vul de velden in of verwijder het bestand")]
    return text, _character_problems(text, rel_path)


def _character_problems(text: str, rel_path: str) -> list[Problem]:
    # Nearly every file has none of these characters: three scans of the whole text find that
    # (a third of the time of the scans line by line, which remain to locate each one).
    if "\t" not in text and not any(space in text for space in _ODD_SPACES) and not _CONTROL.search(text):
        return []
    return _character_problems_by_line(text, rel_path)


def _character_problems_by_line(text: str, rel_path: str) -> list[Problem]:
    problems = []
    for line_no, line in enumerate(text.split("\n"), start=1):
        if "\t" in line:
            problems.append(Problem(Location(rel_path, line_no, line.index("\t") + 1),
                                    "een tab is niet toegestaan", "gebruik spaties om in te springen"))
        odd = next((col for col, char in enumerate(_INDENT.match(line).group()) if char != " "), None)
        if odd is not None:
            problems.append(Problem(Location(rel_path, line_no, odd + 1),
                                    f"deze regel begint met een onzichtbare speciale spatie (U+{ord(line[odd]):04X}), "
                                    "die YAML niet aanvaardt",
                                    "typ de spaties aan het begin van de regel opnieuw"))
        bad = _CONTROL.search(line.rstrip("\r"))
        if bad:
            problems.append(Problem(Location(rel_path, line_no, bad.start() + 1),
                                    f"onzichtbaar stuurteken U+{ord(bad.group()):04X} in de tekst",
                                    "verwijder het teken"))
    return problems


def _alias_problems(text: str, rel_path: str) -> list[Problem]:
    """Point at each alias (*name) itself; composing alone would only show the anchor."""
    if "*" not in text:
        return []
    problems = []
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                problems.append(Problem(Location(rel_path, mark.line + 1, mark.column + 1),
                                        "ankers (&) en aliassen (*) zijn niet toegestaan",
                                        "schrijf de waarde gewoon opnieuw uit"))
    except yaml.YAMLError:
        return []  # the syntax error is reported, with its place, when composing
    return problems


_REMOVE_OR_QUOTE = "haal het teken weg, of zet de tekst die ermee begint tussen aanhalingstekens"

# PyYAML's syntax errors in plain Dutch: (words in its context, words in its problem) -> message, hint.
# A quote or bracket left open is reported where it opened, not where the file ran out; a key that
# runs on without its ':' where it starts.
_SYNTAX = [
    ("quoted scalar", "", "een aanhalingsteken gaat hier open en nergens meer dicht",
     "sluit de tekst af met hetzelfde teken (\" of ')"),
    ("flow sequence", "", "de lijst die hier met '[' begint, gaat niet dicht",
     "sluit ze af met ']' en scheid de elementen met komma's"),
    ("flow mapping", "", "de velden die hier met '{' beginnen, gaan niet dicht",
     "sluit ze af met '}' en scheid de velden met komma's"),
    ("simple key", "", "na een veldnaam ontbreekt de ':'", "schrijf 'naam: waarde'"),
    ("", "mapping values are not allowed", "hier staat een ':' die niet op zijn plaats is",
     "staat de ':' in een tekst, zet die tekst dan tussen aanhalingstekens; anders: velden van hetzelfde niveau "
     "beginnen in dezelfde kolom"),
    ("", "expected '-' indicator", "hier verwachtte de lijst een nieuw element",
     "elk element van een lijst begint met '- ', in dezelfde kolom als de andere"),
    ("", "expected key", "hier verwachtte de fiche een nieuw veld (naam: waarde)",
     "kijk de inspringing na, en of een aanhalingsteken eerder op de regel gesloten is"),
    ("", "expected comment or line break", "hier verwachtte YAML het einde van de regel",
     "na '|' of '>' begint de tekst pas op de volgende regel; staat er een '|', '>' of '#' in een tekst, zet die tekst "
     "dan tussen aanhalingstekens"),
    ("", "cannot start any token", "met dit teken kan geen veld of waarde beginnen",
     _REMOVE_OR_QUOTE),
    ("", "block sequence entries are not allowed", "een lijstelement ('- ') kan hier niet staan",
     "zet elk element op een eigen regel onder de veldnaam, verder ingesprongen: 'contact:' en daaronder "
     "'  - naam: …'"),
    ("", "expected alphabetic or numeric character", "'&' en '*' hebben in YAML een eigen betekenis",
     _REMOVE_OR_QUOTE),
    ("", "undefined alias", "'&' en '*' hebben in YAML een eigen betekenis",
     _REMOVE_OR_QUOTE),
    ("directive", "", "een regel kan niet met '%' beginnen",
     _REMOVE_OR_QUOTE),
    ("", "expected whitespace or line break", "YAML leest hier een label ('!')",
     "haal de '!' weg, of zet de tekst die ermee begint tussen aanhalingstekens"),
    ("", "found unexpected ':'", "hier staat een ':' die niet op zijn plaats is",
     "staat de ':' in een tekst, zet die tekst dan tussen aanhalingstekens"),
    ("", "expected node content", "hier ontbreekt een waarde",
     "staat er een komma te veel, of een '-' of ':' zonder waarde erna?"),
]

# (line, column) 0-based, message, hint: a syntax error explained by what the text shows.
_Explained = tuple[tuple[int, int], str, str]

# Word and Outlook turn " into “ ”: YAML reads those as ordinary characters, not as quotes.
_CURLY = "“”„‟‘’‚‛«»"
_CURLY_AT_VALUE = re.compile(r"(?:^|[:,\[{-])[ ]*([" + _CURLY + "])")
# `regio:vlaanderen`: a key and its value with no space after the colon (a URL's `https:` is no key).
_KEY_WITHOUT_SPACE = re.compile(r"([^\s:#'\"\[\]{},]+):(?!//)(\S.*)")
_KEY = re.compile(r"([^\s:#'\"\[\]{},-][^:#]*):(?:\s|$)")
_ITEM = re.compile(r"( *)-\s+")


def _syntax_problem(err: yaml.MarkedYAMLError, text: str, rel_path: str) -> Problem:
    context, problem = err.context or "", err.problem or ""
    # The file's first field indented and the next not: YAML reads a second document there.
    if "expected <document start>" in problem and (first := _first_field_line(text)) is not None \
            and text.splitlines()[first][:1] in (" ", "\t"):
        return Problem(Location(rel_path, first + 1, 1), "ongeldige YAML: het eerste veld van de fiche springt in",
                       "de velden van het hoogste niveau beginnen helemaal links: haal de spaties ervoor weg")
    # A '[' or '{' the file ends in: libyaml points at the end of the file, the mistake is the bracket.
    if "flow node" in context and err.problem_mark is not None and (opened := _open_bracket(text, err.problem_mark)):
        (line, column), bracket = opened
        _, _, message, hint = next(entry for entry in _SYNTAX
                                   if entry[0] == ("flow sequence" if bracket == "[" else "flow mapping"))
        return Problem(Location(rel_path, line + 1, column + 1), f"ongeldige YAML: {message}", hint)
    for in_context, in_problem, message, hint in _SYNTAX:
        if (in_context and in_context in context) or (in_problem and in_problem in problem):
            opened = bool(in_context) and err.context_mark is not None
            mark = err.context_mark if opened else err.problem_mark or err.context_mark
            break
    else:
        mark = err.problem_mark or err.context_mark
        message, hint = problem or context or "onleesbare tekst", "controleer inspringing, dubbele punten en aanhalingstekens"
    where = Location(rel_path, mark.line + 1, mark.column + 1) if mark else Location(rel_path)
    if err.problem_mark is not None and "quoted scalar" not in context and "flow " not in context:
        if explained := _explain(err, text.splitlines()):
            (line, col), message, hint = explained
            where = Location(rel_path, line + 1, col + 1)
    return Problem(where, f"ongeldige YAML: {message}", hint)


def _first_field_line(text: str) -> int | None:
    """The 0-based number of the file's first line that is neither empty nor a comment."""
    return next((n for n, line in enumerate(text.splitlines()) if line.strip() and not line.lstrip().startswith("#")),
                None)


def _open_bracket(text: str, at: Any) -> tuple[tuple[int, int], str] | None:
    """The first '[' or '{' before `at` that is still open there (0-based line and column), outside
    quoted text and comments."""
    stack: list[tuple[tuple[int, int], str]] = []
    for number, line in enumerate(text.splitlines()[:at.line + 1]):
        quote = ""
        for column, char in enumerate(line):
            if quote:
                quote = "" if char == quote else quote
            elif char in "\"'":
                quote = char
            elif char == "#" and (column == 0 or line[column - 1] in " \t"):
                break
            elif char in "[{":
                stack.append(((number, column), char))
            elif char in "]}" and stack:
                stack.pop()
    return stack[0] if stack else None


def _explain(err: yaml.MarkedYAMLError, lines: list[str]) -> _Explained | None:
    """What the text around a syntax error shows its writer meant: curly quotes from a word
    processor, a quote closed too late or too early, a key without a space after its colon, a
    field of a list item in the wrong column."""
    at = err.problem_mark
    line = lines[at.line] if at.line < len(lines) else ""
    if match := _CURLY_AT_VALUE.search(line[:at.column]):
        found = " ".join(dict.fromkeys(char for char in line if char in _CURLY))
        return ((at.line, match.start(1)), f"de tekst staat tussen gekrulde aanhalingstekens ({found}), en die kent "
                "YAML niet", "vervang ze door rechte aanhalingstekens: \" of '")
    quoted, plain = _scalars_before(err, "\n".join(lines))
    return (_quote_closed_elsewhere(quoted, at) or _key_without_space(err, plain, lines)
            or _text_run_on(err, lines) or _item_out_of_place(err, plain, lines) or _field_out_of_line(err, plain, lines))


def _scalars_before(err: yaml.MarkedYAMLError, text: str) -> tuple[list[Any], list[Any]]:
    """The quoted and the plain scalars read before the error (scanning stops where it is)."""
    tokens: list[Any] = []
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if isinstance(token, yaml.ScalarToken):
                tokens.append(token)
    except yaml.YAMLError:
        pass
    at = (err.problem_mark.line, err.problem_mark.column)
    tokens = [token for token in tokens if (token.end_mark.line, token.end_mark.column) <= at]
    return [t for t in tokens if t.style in ('"', "'")], [t for t in tokens if not t.style]


def _quote_closed_elsewhere(quoted: list[Any], at: Any) -> _Explained | None:
    """A quoted text that ends on the error's line: opened on an earlier line, it is a quote
    left open that the next quote closed; opened on this line, text follows its closing quote."""
    ending = [token for token in quoted if token.end_mark.line == at.line]
    if not ending:
        return None
    token = ending[-1]
    start, end = token.start_mark, token.end_mark
    if start.line < end.line:
        return ((start.line, start.column), f"een aanhalingsteken gaat hier open en pas op regel {end.line + 1} "
                "weer dicht", "sluit de tekst af met hetzelfde teken (\" of ') op de plaats waar ze eindigt")
    if end.column != at.column:
        return None
    hint = ("staat er een \" in de tekst zelf, schrijf het dan als \\\" of zet de hele tekst tussen '…'"
            if token.style == '"' else "staat er een ' in de tekst zelf, schrijf het dan dubbel ('') of zet de hele "
            "tekst tussen \"…\"")
    return ((end.line, end.column - 1), "de tekst sluit hier al met een aanhalingsteken, en daarna staat nog tekst", hint)


def _key_without_space(err: yaml.MarkedYAMLError, plain: list[Any], lines: list[str]) -> _Explained | None:
    """`regio:vlaanderen` is one word to YAML: the error comes a line later, the mistake is here."""
    if "simple key" in (err.context or "") and err.context_mark is not None:
        start = err.context_mark
    elif running := [token for token in plain if token.start_mark.line < token.end_mark.line == err.problem_mark.line]:
        start = running[-1].start_mark
    else:
        return None
    match = _KEY_WITHOUT_SPACE.match(lines[start.line], start.column)
    if not match:
        return None
    key, rest = match.groups()
    return ((start.line, match.end(1)), f"na de ':' van '{key}:' ontbreekt een spatie",
            f"schrijf '{key}: {shorten(rest, MESSAGE_QUOTE)}'")


def _text_run_on(err: yaml.MarkedYAMLError, lines: list[str]) -> _Explained | None:
    """`samenvatting: Een lange zin` and its next words on a line of their own at the left: YAML
    wants a field there, but the line reads as text (several words, a capital, a full stop)."""
    if "simple key" not in (err.context or "") or err.context_mark is None:
        return None
    start = err.context_mark
    words = lines[start.line].split()
    if not words or not (len(words) > 2 or words[0][0].isupper() or words[-1][-1] in ".,;!?)"):
        return None
    above = _line_above(lines, start.line)
    field = _field_at(lines[above]) if above is not None else None
    if field is None or start.column > field[0]:
        return None
    value = lines[above][field[0] + len(field[1]) + 1:].strip()
    if not value or value[0] in "\"'|>[{&*!#":
        return None
    return ((start.line, start.column), f"hoort deze regel bij de tekst van '{field[1]}' erboven?",
            f"spring ze dan {field[0] + 2} spaties in, of zet de hele tekst op één regel")


def _item_out_of_place(err: yaml.MarkedYAMLError, plain: list[Any], lines: list[str]) -> _Explained | None:
    """A list element (`- url: …`) added below a field that holds no list (after `laatst_nagekeken`
    at the end of the file), or left of the list it belongs to: YAML expects a field there, or reads
    it as more of the value above."""
    at, problem = err.problem_mark, err.problem or ""
    item = _ITEM.match(lines[at.line]) if at.line < len(lines) else None
    if item is None:
        return None
    column = len(item.group(1))
    field = _field_at(lines[at.line])
    if "expected key" in problem:
        if column != at.column:
            return None
    elif "mapping values" in problem:
        if field is None or field[0] + len(field[1]) != at.column \
                or not any(t.start_mark.line < t.end_mark.line == at.line for t in plain):
            return None
    else:
        return None
    owner = next((n for n in range(at.line - 1, -1, -1) if lines[n].strip() and not lines[n].lstrip().startswith("#")
                  and len(lines[n]) - len(lines[n].lstrip(" ")) <= column), None)
    named = _field_at(lines[owner]) if owner is not None else None
    if named is None:
        return None
    value = lines[owner][named[0] + len(named[1]) + 1:].strip()
    first = _line_below(lines, owner)
    elements = _ITEM.match(lines[first]) if not value and first is not None else None
    if elements is not None and first != at.line:
        shift = len(elements.group(1)) - column
        spaces = f"{abs(shift)} spatie{'' if abs(shift) == 1 else 's'}"
        return ((at.line, column), f"dit lijstelement springt {spaces} te {'weinig' if shift > 0 else 'ver'} in",
                f"zet de '- ' in dezelfde kolom als die van de andere elementen van '{named[1]}', zoals op regel {first + 1}")
    if value.startswith(("[", "|", ">")):
        return None
    hint = "zet het bij de andere elementen van de lijst waar het bij hoort, even ver ingesprongen"
    if field is not None and (example := _list_with_item(lines, field[1], at.line)):
        hint += f": zoals de andere '- {field[1]}:' onder '{example[1]}:' op regel {example[0] + 1}"
    return ((at.line, column), f"dit lijstelement staat onder '{named[1]}', en dat is geen lijst", hint)


def _list_with_item(lines: list[str], name: str, skip: int) -> tuple[int, str] | None:
    """The line (0-based) and field of another list whose element starts with the field `name`:
    the nearest before line `skip`, else the first after it."""
    others = [n for n in range(len(lines)) if n != skip and _ITEM.match(lines[n])
              and (_field_at(lines[n]) or (0, ""))[1] == name]
    other = max((n for n in others if n < skip), default=min(others, default=None))
    if other is None:
        return None
    dash = len(_ITEM.match(lines[other]).group(1))
    parent = next((n for n in range(other - 1, -1, -1) if lines[n].strip() and not lines[n].lstrip().startswith("#")
                   and len(lines[n]) - len(lines[n].lstrip(" ")) < dash), None)
    field = _field_at(lines[parent]) if parent is not None else None
    return (parent, field[1]) if field else None


def _line_above(lines: list[str], number: int) -> int | None:
    """The nearest line above `number` with something on it other than a comment."""
    return next((n for n in range(number - 1, -1, -1) if lines[n].strip() and not lines[n].lstrip().startswith("#")), None)


def _line_below(lines: list[str], number: int) -> int | None:
    """The nearest line below `number` with something on it other than a comment."""
    return next((n for n in range(number + 1, len(lines)) if lines[n].strip() and not lines[n].lstrip().startswith("#")),
                None)


def _field_out_of_line(err: yaml.MarkedYAMLError, plain: list[Any], lines: list[str]) -> _Explained | None:
    """A field left or right of the fields it belongs with (`- datum: …` then `   omschrijving: …`):
    YAML reads it as the start of something else, or as more of the value above, and stops at it."""
    at, opened, problem = err.problem_mark, err.context_mark, err.problem or ""
    field = _field_at(lines[at.line]) if at.line < len(lines) else None
    if field is None:
        return None
    if "expected '-' indicator" in problem and opened is not None and field[0] == at.column > opened.column:
        # the item above whose field this is: the nearest line with the list's dash
        above = next((n for n in range(at.line - 1, opened.line - 1, -1)
                      if (item := _ITEM.match(lines[n])) and len(item.group(1)) == opened.column), None)
    elif "expected key" in problem and opened is not None and field[0] == at.column \
            and (item := _ITEM.match(lines[opened.line])) and item.end() == opened.column:
        above = opened.line  # the fields of a list item, and this one further right
    elif "mapping values" in problem and field[0] + len(field[1]) == at.column \
            and (running := [t for t in plain if t.start_mark.line < t.end_mark.line == at.line]):
        above = running[-1].start_mark.line  # read as more of the value on that line
    else:
        return None
    other = _field_at(lines[above]) if above is not None else None
    if other is None or other[0] == field[0]:
        return None
    shift = other[0] - field[0]
    spaces = f"{abs(shift)} spatie{'' if abs(shift) == 1 else 's'}"
    where = "de andere velden van dit lijstelement" if _ITEM.match(lines[above]) else "de velden van hetzelfde niveau"
    return ((at.line, field[0]), f"het veld '{field[1]}' springt {spaces} te {'weinig' if shift > 0 else 'ver'} in",
            f"zet het in dezelfde kolom als {where}, recht onder '{other[1]}' op regel {above + 1}")


def _field_at(line: str) -> tuple[int, str] | None:
    """The column (0-based) and name of the field a line starts with, after a list dash if any."""
    start = _ITEM.match(line) or re.match(r" *", line)
    found = _KEY.match(line, start.end())
    return (found.start(), found.group(1)) if found else None


def _compose(text: str, rel_path: str) -> tuple[yaml.Node | None, list[Problem]]:
    if problems := _alias_problems(text, rel_path):
        return None, problems
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as err:
        return None, [_syntax_problem(err, text, rel_path)]
    except yaml.YAMLError as err:
        return None, [Problem(Location(rel_path), f"ongeldige YAML: {err}")]
    nodes = [node for node in nodes if node is not None]
    if not nodes:
        return None, [Problem(Location(rel_path), "het bestand is leeg")]
    if len(nodes) > 1:
        mark = nodes[1].start_mark
        return None, [Problem(Location(rel_path, mark.line + 1, mark.column + 1),
                              "het bestand bevat meer dan één YAML-document", "één fiche per bestand; verwijder '---'")]
    if not isinstance(nodes[0], yaml.MappingNode):
        mark = nodes[0].start_mark
        return None, [Problem(Location(rel_path, mark.line + 1, mark.column + 1),
                              "een fiche moet uit velden bestaan (sleutel: waarde)", "begin met bv. 'type: initiatief'")]
    return nodes[0], []


def load_document(path: Path, root: Path) -> tuple[Document | None, list[Problem]]:
    """Read one factsheet file. Returns the document (None when it cannot be read) and its problems:
    the errors, and warnings that do not stop it (`Problem.is_error`)."""
    rel_path = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    return load_text(path.read_bytes(), rel_path, path)


def load_text(raw: bytes, rel_path: str, path: Path | None = None) -> tuple[Document | None, list[Problem]]:
    """Read the bytes of a factsheet (from a file, or from `kaart fmt` before it writes one); see
    `load_document`."""
    text, problems = _decode(raw, rel_path)
    if text is None or problems:
        return None, problems
    node, problems = _compose(text, rel_path)
    if node is None:
        return None, problems
    builder = _Builder(rel_path, text)
    data = builder.build(node, (), 0)
    builder.finish()
    if builder.problems:
        return None, builder.problems + builder.warnings
    document = Document(path or Path(rel_path), rel_path, data, builder.value_marks, builder.key_marks)
    return document, builder.value_problems + builder.warnings


YAML_SUFFIXES = (".yaml", ".yml")


def content_files(root: Path, folders: Iterator[str] | tuple[str, ...]) -> tuple[list[Path], list[Problem]]:
    """The YAML files of the given folders, sorted, and the problems of those kaart will not read:
    a name ending in .YAML (editors and git treat it as another file), a link (symlink) to nothing
    or to a file outside the project (it would publish a file nobody reviews here)."""
    found: list[Path] = []
    problems: list[Problem] = []
    project = root.resolve()
    for folder in folders:
        try:  # os.scandir, not Path objects: a build lists thousands of files several times
            entries = sorted(os.scandir(root / folder), key=lambda entry: entry.name)
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            suffix = os.path.splitext(entry.name)[1]
            if entry.name.startswith(".") or suffix.lower() not in YAML_SUFFIXES:
                continue
            path, where = Path(entry.path), Location(f"{folder}/{entry.name}")
            if suffix not in YAML_SUFFIXES:
                problems.append(Problem(where, f"de bestandsnaam eindigt op '{suffix}'",
                                        f"hernoem het bestand naar {path.stem}.yaml (kleine letters)"))
            elif entry.is_symlink() and not path.exists():
                problems.append(Problem(where, "een snelkoppeling (symlink) naar een bestand dat niet bestaat",
                                        "verwijder ze, of zet het bestand zelf in de map"))
            elif entry.is_symlink() and not path.resolve().is_relative_to(project):
                problems.append(Problem(where, "een snelkoppeling (symlink) naar een bestand buiten het project",
                                        "zet het bestand zelf in de map: alleen wat hier staat, wordt nagekeken"))
            elif entry.is_file():
                found.append(path)
    return found, problems


def factsheet_paths(root: Path, folders: Iterator[str] | tuple[str, ...]) -> list[Path]:
    """All factsheet files kaart reads below the given folders (see `content_files`), sorted."""
    return content_files(root, folders)[0]
