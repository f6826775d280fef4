"""The site's own scripts, written without their comments and indentation.

The search page's first query has a byte budget (README, "Search"); the comments that explain
search.js cost more than a kilobyte of it. After Pelican copied the theme, each of kaart's own
scripts in theme/js/ loses its comment lines and leading spaces (nothing else: no renaming, so
what runs is what the source says). Vendored libraries in theme/vendor/ are left alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

SCRIPTS = Path("theme") / "js"


def compact(source: str) -> str:
    """Drop lines that are only a `//` comment, blank lines and each line's indentation."""
    lines = (line.strip() for line in source.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//")) + "\n"


def compact_scripts(site: Path) -> None:
    for path in sorted((site / SCRIPTS).glob("*.js")):
        text = path.read_text(encoding="utf-8")
        if (small := compact(text)) != text:
            path.write_text(small, encoding="utf-8")


def compact_after_build(pelican: Any) -> None:
    """Pelican's `finalized` signal: the theme's files are in place by now."""
    compact_scripts(Path(getattr(pelican, "output_path")))
