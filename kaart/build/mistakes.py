"""A build stopped by a mistake outside the factsheets, said like a factsheet's: the file, the line
and column, what is wrong. Templates (theme/templates/*.html) and the settings file are edited by
people who keep a site's look and setup, not its code; a traceback through Pelican and Jinja tells
them neither where nor what. `build/site.py` turns such an error into one of these problems; any
other error is a bug in kaart and keeps its traceback.
"""

from __future__ import annotations

import os
import re
import traceback
from pathlib import Path

from kaart.core.problems import Location, Problem


# Jinja's most common messages in Dutch (a regular expression, the Dutch with its groups, each
# quoted or put in words by _say); anything else stays as Jinja says it.
_JINJA_DUTCH = [
    (r"Encountered unknown tag '(\w+)'\. Jinja was looking for the following tags: (.+?)\. The innermost block "
     r"that needs to be closed is '(\w+)'\.", "hier staat {{% {0} %}}, maar eerst moet {{% {2} %}} dicht (met {1})"),
    (r"Encountered unknown tag '(\w+)'\..*", "onbekende of losse tag {{% {0} %}}: staat er een te veel, of ontbreekt "
     "het begin?"),
    (r"Unexpected end of template\. Jinja was looking for the following tags: (.+?)\. The innermost block that needs "
     r"to be closed is '(\w+)'\.", "het sjabloon eindigt terwijl {{% {1} %}} nog open is (sluit het met {0})"),
    (r"unexpected end of template, expected '(.+)'\.", "het sjabloon eindigt voor {0}"),
    (r"unexpected '(.+)', expected '(.+)'", "hier staat {0} waar {1} hoort"),
    (r"expected token '(.+)', got '(.+)'", "hier staat {1} waar {0} hoort"),
    (r"Expected an expression, got '(.+)'", "hier ontbreekt een naam of waarde (gevonden: {0})"),
    (r"No filter named '(.+)'\.", "er is geen filter {0}"),
    (r"No test named '(.+)'\.", "er is geen test {0}"),
    (r"unexpected char '(.+)' at \d+", "het teken {0} hoort niet in een tag"),
    (r"block '(.+)' defined twice", "het blok {0} staat er twee keer"),
    (r"tag name expected", "na {{% ontbreekt de naam van de tag"),
    (r"'(\w+)' is undefined", "{0} bestaat hier niet (een sjabloon kent alleen wat de pagina meegeeft)"),
    (r"'(\w+) object' has no attribute '(\w+)'", "{0} heeft geen {1}"),
]
# Jinja's names for what it expected or found, and Python's for a value's kind.
_WORDS = {"name": "een naam", "end of statement block": "het einde van de tag",
          "end of print statement": "het einde van de uitdrukking", "str": "een tekst", "int": "een getal",
          "float": "een getal", "list": "een lijst", "tuple": "een lijst", "dict": "een verzameling velden",
          "NoneType": "een lege waarde", "bool": "ja/nee"}


def _say(group: str) -> str:
    if group in _WORDS:
        return _WORDS[group]
    if group.startswith("'"):  # already a list: 'elif' or 'else' or 'endif'
        return group.replace("' or '", "' of '")
    return f"'{group}'"


def _in_dutch(message: str) -> str:
    for pattern, dutch in _JINJA_DUTCH:
        if found := re.fullmatch(pattern, message, re.S):
            said = dutch.format(*(_say(group) for group in found.groups()))
            return said.replace("{% '", "{% ").replace("' %}", " %}")  # a tag's name needs no quotes
    return message


# Pelican's words for a template it cannot find: "unable to load initiative[.html] from ['…/templates']".
_MISSING_TEMPLATE = re.compile(r"unable to load (?P<name>[\w-]+)\[[^\]]*\] from \['(?P<folder>[^']+)'")
# A frame of a worker's traceback, which multiprocessing hands on as text.
_TRACEBACK_FRAME = re.compile(r'^  File "(?P<file>[^"]+)", line (?P<line>\d+)', re.M)


def _shown(path: Path, root: Path) -> str:
    """A file as a problem names it: from the project's root when it lies within."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def template_problem(error: Exception, root: Path) -> Problem | None:
    """A mistake in a theme template, as a problem at its file and line (Jinja knows no column):
    a syntax error from its own record; an error while rendering (an undefined name, a missing
    include, a wrong operation) at the innermost template line of its traceback, also when a
    worker process raised it. None for anything else: a bug in kaart keeps its traceback."""
    import jinja2
    from pelican.generators import PelicanTemplateNotFound

    if isinstance(error, PelicanTemplateNotFound) and (missing := _MISSING_TEMPLATE.search(str(error))):
        # A page's own template deleted or renamed: where the theme would have it.
        expected = Path(missing["folder"]).resolve() / f"{missing['name']}.html"
        return Problem(Location(_shown(expected, root)), f"fout in een sjabloon: sjabloon niet gevonden: {missing['name']}.html",
                       hint="de site heeft dit sjabloon nodig; zet het terug, of haal het uit de repository")
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename and error.lineno:
        file, line = error.filename, error.lineno
    else:
        frames = [(frame.filename, frame.lineno or 1) for frame in traceback.extract_tb(error.__traceback__)]
        if remote := getattr(error.__cause__, "tb", None):  # multiprocessing.pool.RemoteTraceback
            frames += [(found["file"], int(found["line"])) for found in _TRACEBACK_FRAME.finditer(str(remote))]
        in_templates = [frame for frame in frames if _is_template(frame[0])]
        # The template's own doing: a Jinja error, or the error arose on a template's line itself.
        if not in_templates or not (isinstance(error, jinja2.TemplateError) or _is_template(frames[-1][0])):
            return None
        file, line = in_templates[-1]
    message = _in_dutch(error.message) if isinstance(error, jinja2.TemplateError) and error.message else str(error)
    if isinstance(error, jinja2.TemplateNotFound):
        message = f"sjabloon niet gevonden: {message}"
    kind = "" if isinstance(error, jinja2.TemplateError) else f"{type(error).__name__}: "
    return Problem(Location(_shown(Path(file).resolve(), root), line, 1), f"fout in een sjabloon: {kind}{message}",
                   hint="Jinja noemt geen kolom: kijk de hele regel na")


def settings_problem(error: Exception, settings_file: Path, root: Path) -> Problem | None:
    """A mistake in the settings file (Python that does not run, a theme that is not there), as a
    problem at its place in that file; None for anything else."""
    settings_file = settings_file.resolve()
    shown = _shown(settings_file, root)
    if isinstance(error, SyntaxError) and error.filename and Path(error.filename).resolve() == settings_file:
        return Problem(Location(shown, error.lineno or 1, error.offset or 1),
                       f"de instellingen zijn geen geldige Python: {error.msg}")
    if str(error).startswith("Could not find the theme"):  # Pelican's own check of THEME
        line, col = _assignment_place(settings_file, "THEME")
        theme = str(error).removeprefix("Could not find the theme ")
        return Problem(Location(shown, line, col), f"het thema {theme!r} bestaat niet",
                       hint="THEME is een map met templates/ en static/, bv. \"theme\"")
    if str(error).startswith("You need to specify a path containing the content"):  # Pelican's check of PATH
        line, col = _assignment_place(settings_file, "PATH")
        return Problem(Location(shown, line, col), "de map met de pagina's (PATH) bestaat niet",
                       hint="PATH is de map met pages/, bv. \"content\", gezien vanaf het instellingenbestand")
    frames = traceback.extract_tb(error.__traceback__)
    in_settings = [frame for frame in frames if Path(frame.filename).resolve() == settings_file]
    if not in_settings:
        # Pelican's other checks of the settings: the file as a whole, in Pelican's words.
        if isinstance(error, ValueError) and any(frame.filename.endswith("pelican/settings.py") for frame in frames):
            return Problem(Location(shown), f"Pelican aanvaardt de instellingen niet: {error}")
        return None
    frame = in_settings[-1]
    return Problem(Location(shown, frame.lineno or 1, (getattr(frame, "colno", None) or 0) + 1),
                   f"de instellingen lopen vast: {type(error).__name__}: {error}")


def _assignment_place(settings_file: Path, name: str) -> tuple[int, int]:
    """The line and column of the value in the last `NAME = …`, the one that counts (1, 1 if the
    file does not assign it)."""
    try:
        text = settings_file.read_text(encoding="utf-8")
    except OSError:
        return 1, 1
    assignments = list(re.finditer(rf"^{name}\s*=\s*", text, re.M))
    if not assignments:
        return 1, 1
    last = assignments[-1]
    return text.count("\n", 0, last.start()) + 1, last.end() - last.start() + 1


def _is_template(file: str) -> bool:
    """Jinja gives a template's lines frames of their own, named after the template file."""
    return not file.endswith(".py") and not file.startswith("<") and os.path.isfile(file)
