"""Problems with the input: values with a place, reported all at once like a compiler does.

An error stops `kaart validate` and `kaart build`; a warning is printed but lets both go on (valid
YAML that most likely does not say what its writer meant, such as a list item run over two lines).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """Where a value stands: a path relative to the project root, 1-based line and column."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, order=True)
class Problem:
    location: Location
    message: str
    hint: str = ""
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def format_text(self) -> str:
        text = f"{self.location}: {self.severity}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def format_github(self) -> str:
        """A GitHub Actions workflow command: shows as an annotation on the changed line. The
        message escapes %, CR and LF; a property value (the file name) also : and , (the Actions
        toolkit's escapeData and escapeProperty)."""
        text = f"{self.message} ({self.hint})" if self.hint else self.message
        loc = self.location
        return f"::{self.severity} file={_escape_property(loc.path)},line={loc.line},col={loc.col}::{_escape_data(text)}"


def errors_in(problems: Iterable[Problem]) -> list[Problem]:
    """The problems that stop a run (not the warnings)."""
    return [problem for problem in problems if problem.is_error]


def count_text(problems: Iterable[Problem]) -> str:
    """'2 fout(en)', '2 fout(en) en 1 waarschuwing(en)' or '1 waarschuwing(en)', for a summary line."""
    problems = list(problems)
    errors = len(errors_in(problems))
    counts = [f"{errors} fout(en)"] if errors else []
    if warnings := len(problems) - errors:
        counts.append(f"{warnings} waarschuwing(en)")
    return " en ".join(counts)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class ValidationFailed(Exception):
    """Raised by the Pelican plugin so that a plain `pelican` run stops on bad factsheets. It
    carries the warnings too, so that the run that stops reports them as well."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        summary = "\n".join(p.format_text() for p in self.problems)
        super().__init__(f"{count_text(self.problems)} in de fiches:\n{summary}")
