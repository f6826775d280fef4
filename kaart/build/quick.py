"""`kaart serve` shows an edited factsheet's own page first, before the full rebuild.

After each build the plugin leaves here what a factsheet page needs: the generator (its template
environment and settings), the knowledge base and the function that makes a sheet's page with
everything the other features prepared. When one factsheet file changes, its page is made again
from the new file and that prepared data, and swapped into the served site: the contributor sees
the edit at once. The rebuild runs right after (kaart/build/served.py brings every other changed
file into the served site); until it has, what depends on other pages (similar sheets, the drawing
of the neighbourhood, lists of related sheets) may still be as before the edit. A file with an
error is reported at once instead.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kaart.core import registry
from kaart.core.model import Initiative, KnowledgeBase, Sheet, sheet_from_document
from kaart.core.problems import Problem, errors_in
from kaart.core.store import check_document
from kaart.features.output import Page


@dataclass(frozen=True)
class LastBuild:
    generator: Any  # the plugin's KaartGenerator of the last successful build
    kb: KnowledgeBase
    make_sheet_page: Callable[[Sheet], Page]
    write_page: Callable[[Page, Path], None]  # renders a page into a folder as the build does


_last: LastBuild | None = None


def remember(build: LastBuild) -> None:
    global _last
    _last = build


def forget() -> None:
    global _last
    _last = None


@dataclass(frozen=True)
class QuickResult:
    url: str | None = None  # the address of the page shown again, e.g. /initiatief/ibo/
    problems: tuple[Problem, ...] = ()


def edited_sheet_page(root: Path, changed: list[str], site: Path) -> QuickResult:
    """Show the one edited factsheet's page again, or say what is wrong with the file. Nothing
    happens (an empty result) for any other change: the full build deals with it."""
    last = _last
    if last is None or len(changed) != 1:
        return QuickResult()
    path = Path(changed[0])
    if not path.is_file() or path.suffix != ".yaml" or path.parent.name not in registry.FOLDERS.values() \
            or path.parent.parent.resolve() != root.resolve():
        return QuickResult()
    doc, problems = check_document(path, root)
    if errors_in(problems):
        return QuickResult(problems=tuple(sorted(problems)))
    rel_path = path.relative_to(root).as_posix()
    old = next((s for s in last.kb.sheets.values() if s.path == rel_path), None)
    if doc is None or old is None or doc.data.get("id") != old.id:
        return QuickResult()  # a new or renamed sheet: its links elsewhere need the full build
    sheet = sheet_from_document(doc)
    if not _references_resolve(sheet, last.kb):
        return QuickResult()  # the full build reports it, with its place
    page = last.make_sheet_page(sheet)
    _swap_in_page(page, site, last.write_page)
    return QuickResult(url="/" + page.url)


def _references_resolve(sheet: Sheet, kb: KnowledgeBase) -> bool:
    organisations = {s.id for s in kb.organisations}
    if isinstance(sheet, Initiative) and not set(sheet.aanbieders) <= organisations:
        return False
    return all(rel.target in kb.sheets and rel.target != sheet.id for rel in sheet.relaties)


def _swap_in_page(page: Page, site: Path, write_page: Callable[[Page, Path], None]) -> None:
    """Render into a folder beside the site, then replace the served file in one rename: a browser
    never reads half a page."""
    with tempfile.TemporaryDirectory(prefix=".kaart-pagina-", dir=site.parent) as scratch:
        write_page(page, Path(scratch))
        target = site / page.save_as
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(Path(scratch) / page.save_as, target)
