"""Problems with the input: values with a place, reported all at once like a compiler does."""

from __future__ import annotations

from dataclasses import dataclass


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

    def format_text(self) -> str:
        text = f"{self.location}: error: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def format_github(self) -> str:
        """A GitHub Actions workflow command: shows as an annotation on the changed line. The
        message escapes %, CR and LF; a property value (the file name) also : and , (the Actions
        toolkit's escapeData and escapeProperty)."""
        text = f"{self.message} ({self.hint})" if self.hint else self.message
        loc = self.location
        return f"::error file={_escape_property(loc.path)},line={loc.line},col={loc.col}::{_escape_data(text)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class ValidationFailed(Exception):
    """Raised by the Pelican plugin so that a plain `pelican` run stops on bad factsheets."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        summary = "\n".join(p.format_text() for p in self.problems)
        super().__init__(f"{len(self.problems)} fout(en) in de fiches:\n{summary}")
