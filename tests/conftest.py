"""Shared fixtures: tiny real factsheet folders, built with the real Pelican settings."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURE_SITE = Path(__file__).resolve().parent / "fixtures" / "site"
SCHEMA_LINE = "# yaml-language-server: $schema=../schema/factsheet.schema.json\n"


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory) -> Path:
    """The site built once per test session from the repository's own factsheets."""
    from kaart.build.site import build

    output = tmp_path_factory.mktemp("site") / "build"
    problems = build(REPO, output)
    assert problems == [], [p.format_text() for p in problems]
    return output


@pytest.fixture
def site_root(tmp_path: Path) -> Path:
    """A copy of the small fixture project (4 initiatives, 1 organisation) to build or break."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE_SITE, root)
    return root


@pytest.fixture
def write_sheet(site_root: Path):
    """Write a factsheet file into the fixture project and return its path."""

    def write(rel_path: str, text: str | bytes) -> Path:
        path = site_root / rel_path
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


@pytest.fixture
def build_site(site_root: Path):
    """Build a project with the repository's pelicanconf.py, theme and pages."""
    from kaart.build.site import build

    def run(root: Path = site_root, output: Path | None = None):
        output = output or root.parent / "build"
        return build(root, output, REPO / "pelicanconf.py"), output

    return run


VALID_INITIATIVE = """\
    type: initiatief
    id: {id}
    titel: Een initiatief
    samenvatting: Een korte samenvatting van het initiatief.
    status: actief
    bronnen:
      - {{deck: netwerk-2022, dia: Mapping initiatieven}}
    laatst_nagekeken: "2026-11-01"
"""


def project_with_own_theme(site_root: Path) -> Path:
    """The fixture project with a copy of the repository's settings, pages and theme to break."""
    for name in ("content/pages", "theme"):
        shutil.copytree(REPO / name, site_root / name)
    shutil.copy(REPO / "pelicanconf.py", site_root / "pelicanconf.py")
    return site_root / "theme" / "templates"
