"""kaart serve's path after an edit (kaart/build/quick.py, then the full build): the edited page is
shown first, and once the rebuild is done the served site is byte for byte a cache-free build of
the same files, whatever sequence of edits came before."""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

import pytest

from kaart.build import quick
from kaart.build.site import build
from tests.conftest import REPO
from tests.test_site import tree_digest

SETTINGS = REPO / "pelicanconf.py"


def serve_step(root: Path, site: Path, changed: list[Path]) -> quick.QuickResult:
    """What `kaart serve` does after files changed: the edited page first, then the whole site."""
    first = quick.edited_sheet_page(root, [str(p) for p in changed], site)
    build(root, site, SETTINGS)
    return first


def cold_build(root: Path, output: Path) -> dict[str, str]:
    os.environ["KAART_NO_CACHE"] = "1"
    try:
        assert build(root, output, SETTINGS) == []
    finally:
        del os.environ["KAART_NO_CACHE"]
    return tree_digest(output)


def sheets(root: Path) -> list[Path]:
    return sorted((root / "initiatives").glob("*.yaml"))


def edit_title(root: Path, rnd: random.Random, n: int) -> tuple[list[Path], str]:
    path = rnd.choice(sheets(root))
    text = path.read_text(encoding="utf-8")
    title = f"Gewijzigde titel {n}"
    path.write_text(re.sub(r"^titel: .*$", f"titel: {title}", text, count=1, flags=re.M), encoding="utf-8")
    return [path], title


def edit_status(root: Path, rnd: random.Random, n: int) -> tuple[list[Path], str]:
    path = rnd.choice(sheets(root))
    text = path.read_text(encoding="utf-8")
    status = rnd.choice(["actief", "uitdovend", "afgeschaft"])
    path.write_text(re.sub(r"^status: .*$", f"status: {status}", text, count=1, flags=re.M), encoding="utf-8")
    return [path], ""


def add_sheet(root: Path, rnd: random.Random, n: int) -> tuple[list[Path], str]:
    source = rnd.choice(sheets(root))
    new_id = f"nieuw-{n}"
    text = source.read_text(encoding="utf-8")
    text = re.sub(r"^id: .*$", f"id: {new_id}", text, count=1, flags=re.M)
    text = re.sub(r"^titel: .*$", f"titel: Nieuw initiatief {n}", text, count=1, flags=re.M)
    text = re.sub(r"^afkorting: .*\n", "", text, flags=re.M)
    text = re.sub(r"^relaties:\n(?:  .*\n)+", "", text, flags=re.M)
    target = root / "initiatives" / f"{new_id}.yaml"
    target.write_text(text, encoding="utf-8")
    return [target], ""


def added_sheet(root: Path, rnd: random.Random) -> Path | None:
    """One of the sheets the test added (the shipped ones stay: others point to them)."""
    candidates = [p for p in sheets(root) if p.stem.startswith("nieuw-")]
    return rnd.choice(candidates) if candidates else None


def delete_sheet(root: Path, rnd: random.Random, n: int) -> tuple[list[Path], str]:
    if (path := added_sheet(root, rnd)) is None:
        return add_sheet(root, rnd, n)
    path.unlink()
    return [path], ""


def rename_sheet(root: Path, rnd: random.Random, n: int) -> tuple[list[Path], str]:
    if (path := added_sheet(root, rnd)) is None:
        return add_sheet(root, rnd, n)
    new_id = f"hernoemd-{n}"
    target = path.with_name(f"{new_id}.yaml")
    target.write_text(re.sub(r"^id: .*$", f"id: {new_id}", path.read_text(encoding="utf-8"), count=1, flags=re.M),
                      encoding="utf-8")
    path.unlink()
    return [path, target], ""


def toggle_relation(root: Path, rnd: random.Random, n: int) -> tuple[list[Path], str]:
    """Add a 'zie ook' to another sheet, or take an added one away again: reaches the other page too."""
    path = root / "initiatives" / "weeraandeslag.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "# test-relatie\n"
    if marker in text:
        text = text.replace(marker + "  - {type: zie-ook, doel: sine}\n", "")
        text = text.replace("relaties: []  # leeg\n", "")
    elif re.search(r"^relaties:\n", text, flags=re.M):
        text = re.sub(r"^relaties:\n", "relaties:\n" + marker + "  - {type: zie-ook, doel: sine}\n", text, count=1, flags=re.M)
    else:
        text += "relaties:\n" + marker + "  - {type: zie-ook, doel: sine}\n"
    path.write_text(text, encoding="utf-8")
    return [path], ""


EDITS = [edit_title, edit_status, add_sheet, delete_sheet, rename_sheet, toggle_relation]


@pytest.mark.parametrize("seed", [1, 2])
def test_after_any_sequence_of_edits_the_served_site_equals_a_cache_free_build(site_root, tmp_path, seed):
    rnd = random.Random(seed)
    site = tmp_path / "site"
    assert build(site_root, site, SETTINGS) == []
    for n in range(6):
        edit = rnd.choice(EDITS)
        changed, title = edit(site_root, rnd, n)
        first = serve_step(site_root, site, changed)
        if title and first.url:
            assert title in (site / first.url.lstrip("/") / "index.html").read_text(encoding="utf-8")
        assert tree_digest(site) == cold_build(site_root, tmp_path / f"cold-{n}"), f"after {edit.__name__} (step {n})"


def test_an_edited_title_is_on_the_page_before_the_rebuild(site_root, tmp_path):
    site = tmp_path / "site"
    assert build(site_root, site, SETTINGS) == []
    path = site_root / "initiatives" / "imw.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("titel: Individueel maatwerk", "titel: Maatwerk op maat"),
                    encoding="utf-8")
    first = quick.edited_sheet_page(site_root, [str(path)], site)
    assert first.url == "/initiatief/imw/" and first.problems == ()
    page = (site / "initiatief" / "imw" / "index.html").read_text(encoding="utf-8")
    assert "<h1" in page and "Maatwerk op maat" in page
    # Only that file changed; no scratch folder is left beside the site.
    assert not list(site.parent.glob(".kaart-pagina-*"))


def test_an_edit_with_an_error_is_reported_at_once_and_the_page_stays(site_root, tmp_path):
    site = tmp_path / "site"
    assert build(site_root, site, SETTINGS) == []
    before = (site / "initiatief" / "imw" / "index.html").read_bytes()
    path = site_root / "initiatives" / "imw.yaml"
    path.write_text("type: initiatief\nid: imw\ntitel: [\n", encoding="utf-8")
    first = quick.edited_sheet_page(site_root, [str(path)], site)
    assert first.url is None
    assert [str(p.location) for p in first.problems] == ["initiatives/imw.yaml:4:1"]
    assert (site / "initiatief" / "imw" / "index.html").read_bytes() == before


def test_other_changes_wait_for_the_full_build(site_root, tmp_path):
    site = tmp_path / "site"
    assert build(site_root, site, SETTINGS) == []
    path = site_root / "initiatives" / "imw.yaml"
    renamed = site_root / "initiatives" / "imw2.yaml"
    renamed.write_text(path.read_text(encoding="utf-8").replace("id: imw", "id: imw2"), encoding="utf-8")
    assert quick.edited_sheet_page(site_root, [str(renamed)], site) == quick.QuickResult()  # a new id
    assert quick.edited_sheet_page(site_root, [str(path), str(renamed)], site) == quick.QuickResult()  # two files
