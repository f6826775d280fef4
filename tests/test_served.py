"""kaart serve's path after an edit (kaart/build/served.py): the edited page first, then only the
files that changed written into the served site, then the search index in the background. Once that
is done the served site is byte for byte a cache-free build of the same files, whatever sequence of
edits came before."""

from __future__ import annotations

import os
import random
import re
import time
from pathlib import Path

import pytest

from kaart.features import contribute
from kaart.build import pagefind, quick
from kaart.build.served import ServedSite, apply, file_digests
from kaart.build.render_cache import SERVED_FILES_SETTING, kept_files
from kaart.build.site import build, build_staging
from tests.conftest import REPO
from tests.test_site import tree_digest

SETTINGS = REPO / "pelicanconf.py"


def wait_until(condition, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def folders(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_dir()}


def serve_step(served: ServedSite, changed: list[Path]) -> quick.QuickResult:
    """What `kaart serve` does after files changed: the edited page first, then the site brought up
    to date file by file, then the search index in the background (waited for here)."""
    first = quick.edited_sheet_page(served.root, [str(p) for p in changed], served.output)
    if first.url:
        served.written([first.url.lstrip("/") + "index.html"])
    quick.forget()
    assert served.rebuild().problems == []
    assert served.wait_for_index(120)
    return first


def cold_build(root: Path, output: Path, settings: Path = SETTINGS) -> dict[str, str]:
    os.environ["KAART_NO_CACHE"] = "1"
    try:
        assert build(root, output, settings) == []
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


def settings_with_parts(tmp_path: Path, per_part: int) -> Path:
    """The repository's settings with the search index split into parts of `per_part` pages."""
    path = tmp_path / "pelicanconf_delen.py"
    path.write_text(f"__file__ = {str(SETTINGS)!r}\n"
                    "exec(compile(open(__file__, encoding='utf-8').read(), __file__, 'exec'))\n"
                    "PATH, THEME = os.path.join(_HERE, PATH), os.path.join(_HERE, THEME)\n"
                    f"KAART_SEARCH_PART_PAGES = {per_part}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("seed,per_part", [(1, None), (2, None), (3, 2)])
def test_after_any_sequence_of_edits_the_served_site_equals_a_cache_free_build(site_root, tmp_path, seed, per_part):
    # per_part 2: the fixture project's five or so pages make a search index in parts.
    settings = settings_with_parts(tmp_path, per_part) if per_part else SETTINGS
    rnd = random.Random(seed)
    site = tmp_path / "site"
    assert build(site_root, site, settings) == []
    assert bool(list((site / "pagefind").glob("deel-*"))) == bool(per_part)
    served = ServedSite(site_root, site, settings)
    for n in range(6):
        edit = rnd.choice(EDITS)
        changed, title = edit(site_root, rnd, n)
        first = serve_step(served, changed)
        if title and first.url:
            assert title in (site / first.url.lstrip("/") / "index.html").read_text(encoding="utf-8")
        cold = tmp_path / f"cold-{n}"
        assert tree_digest(site) == cold_build(site_root, cold, settings), f"after {edit.__name__} (step {n})"
        assert folders(site) == folders(cold), f"after {edit.__name__} (step {n}): no folder left behind"




def test_only_files_with_other_bytes_are_moved_over_and_what_is_no_longer_made_goes(tmp_path):
    site, staging = tmp_path / "site", tmp_path / "staging"
    for folder, files in ((site, {"index.html": "a", "initiatief/oud/index.html": "b", "x.json": "c"}),
                          (staging, {"index.html": "a", "initiatief/nieuw/index.html": "d", "x.json": "c2"})):
        for rel_path, text in files.items():
            (folder / rel_path).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel_path).write_text(text, encoding="utf-8")
    (site / "pagefind").mkdir()
    (site / "pagefind" / "pagefind.js").write_text("index", encoding="utf-8")
    unchanged = (site / "index.html").stat().st_ino
    known = file_digests(site)
    assert "pagefind/pagefind.js" not in known, "the search bundle follows on its own"
    assert apply(staging, site, known) == ["initiatief/nieuw/index.html", "initiatief/oud/index.html", "x.json"]
    assert (site / "index.html").stat().st_ino == unchanged, "an equal file is not written again"
    assert (site / "x.json").read_text(encoding="utf-8") == "c2"
    assert not (site / "initiatief" / "oud").exists(), "the folder of a page no longer made goes too"
    assert (site / "pagefind" / "pagefind.js").exists()
    assert known == file_digests(site)


def test_a_failed_rebuild_leaves_the_served_site_as_it_was(site_root, tmp_path):
    site = tmp_path / "site"
    assert build(site_root, site, SETTINGS) == []
    served, before = ServedSite(site_root, site, SETTINGS), tree_digest(site)
    (site_root / "initiatives" / "imw.yaml").write_text("type: initiatief\nid: imw\ntitel: [\n", encoding="utf-8")
    update = served.rebuild()
    assert [str(p.location) for p in update.problems] == ["initiatives/imw.yaml:3:8"] and update.changed == []
    assert tree_digest(site) == before
    assert not list(tmp_path.glob(".site-new-*")), "no half-built folder is left beside the site"


def test_a_template_mistake_in_serve_is_reported_at_its_line_and_the_site_stays(site_root, tmp_path):
    from tests.conftest import project_with_own_theme

    templates = project_with_own_theme(site_root)
    settings, site = site_root / "pelicanconf.py", tmp_path / "site"
    assert build(site_root, site, settings) == []
    served, before = ServedSite(site_root, site, settings), tree_digest(site)
    page = templates / "organisation.html"
    page.write_text(page.read_text(encoding="utf-8").replace("{% block content %}", "{% block content %}\n{% if %}", 1),
                    encoding="utf-8")
    update = served.rebuild()
    line = page.read_text(encoding="utf-8").splitlines().index("{% if %}") + 1
    assert [(str(p.location), p.message) for p in update.problems] == [
        (f"theme/templates/organisation.html:{line}:1", "fout in een sjabloon: hier ontbreekt een naam of waarde (gevonden: het einde van de tag)")]
    assert update.changed == [] and tree_digest(site) == before


def test_a_rebuild_that_goes_on_hands_its_warnings_to_serve(site_root, tmp_path):
    site = tmp_path / "site"
    assert build(site_root, site, SETTINGS) == []
    served = ServedSite(site_root, site, SETTINGS)
    sheet = site_root / "initiatives" / "imw.yaml"
    sheet.write_text(sheet.read_text(encoding="utf-8") + "trefwoorden:\n  - autisme\n    - ASS\n", encoding="utf-8")
    update = served.rebuild()
    assert update.problems == [] and "initiatief/imw/index.html" in update.changed
    line = len(sheet.read_text(encoding="utf-8").splitlines()) - 1
    assert [w.format_text().partition(" (")[0] for w in update.warnings] == [
        f"initiatives/imw.yaml:{line}:5: warning: dit lijstitem loopt over 2 regels en wordt één waarde: 'autisme - ASS'"]
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("    - ASS\n", "  - ASS\n"), encoding="utf-8")
    assert served.rebuild().warnings == []
    served.stop_indexing()


def test_a_rebuild_reports_the_pages_it_changed_and_the_index_follows(site_root, tmp_path):
    site = tmp_path / "site"
    assert build(site_root, site, SETTINGS) == []
    indexed = []
    served = ServedSite(site_root, site, SETTINGS, when_indexed=lambda: indexed.append(1))
    assert served.rebuild().changed == [] and served.index is None, "nothing changed: no page, no indexing"
    bundle = tree_digest(site / "pagefind")
    path = site_root / "initiatives" / "imw.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("titel: Individueel maatwerk", "titel: Maatwerk op maat"),
                    encoding="utf-8")
    update = served.rebuild()
    assert "/initiatief/imw/" in update.pages and "/" + "initiatieven/" in update.pages
    assert all(not page.startswith("/pagefind") for page in update.pages)
    assert served.index is not None and served.wait_for_index(120)
    assert indexed == [1], "told once the new bundle is in place (kaart serve reloads the search tabs)"
    assert tree_digest(site / "pagefind") != bundle
    assert (site / "pagefind" / pagefind.INPUT_DIGEST_FILE).read_text(encoding="utf-8") == pagefind.input_digest(site)
    wait_until(lambda: not list(tmp_path.glob(".site-new-*")), "the index's work folder is removed")


def test_a_rebuild_during_indexing_stops_it_and_the_last_index_wins(site_root, tmp_path):
    site = tmp_path / "site"
    assert build(site_root, site, SETTINGS) == []
    served = ServedSite(site_root, site, SETTINGS)
    path = site_root / "initiatives" / "imw.yaml"
    for title in ("Eerste titel", "Tweede titel"):
        path.write_text(re.sub(r"^titel: .*$", f"titel: {title}", path.read_text(encoding="utf-8"), count=1,
                               flags=re.M), encoding="utf-8")
        assert served.rebuild().problems == []  # the second stops the first one's Pagefind
    assert served.wait_for_index(120)
    assert tree_digest(site) == cold_build(site_root, tmp_path / "cold")


def test_pages_equal_to_their_served_copy_are_not_written_again_and_the_sitemap_still_lists_them(
        site_root, tmp_path, monkeypatch):
    monkeypatch.setenv("KAART_PUBLIC_URL", "https://example.org/kaart/")
    site = tmp_path / "site"
    assert build(site_root, site, SETTINGS) == []
    served = ServedSite(site_root, site, SETTINGS)
    pages = sorted(site.glob("*/*/index.html"))
    inodes = {page.relative_to(site).as_posix(): page.stat().st_ino for page in pages}
    path = site_root / "initiatives" / "imw.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("titel: Individueel maatwerk", "titel: Maatwerk op maat"),
                    encoding="utf-8")
    update = served.rebuild()
    assert "initiatief/imw/index.html" in update.changed
    kept = sorted(page for page in inodes if page not in update.changed)
    assert "initiatief/weeraandeslag/index.html" in kept, "a page that does not show the title is left alone"
    assert all((site / page).stat().st_ino == inodes[page] for page in kept), "left in place"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert all(f"https://example.org/kaart/{page.removesuffix('index.html')}<" in sitemap for page in kept)
    assert ".json<" not in sitemap, "a data file is no page"
    groups = int(re.search(r'data-groups="(\d+)"', (site / "bijdragen/nieuw/index.html").read_text("utf-8")).group(1))
    assert [p for p in update.changed if p.startswith("bijdragen/fiches/")] == \
        [contribute.sheet_group_path(contribute.sheet_group("imw", groups))], "of the form's data, the edited sheet's group"
    assert not (site / ".kaart-behouden").exists()
    assert served.wait_for_index(120)
    assert tree_digest(site) == cold_build(site_root, tmp_path / "cold")


def serve_settings(served: dict[str, bytes]) -> dict:
    return {SERVED_FILES_SETTING: served, "KAART_SEARCH_INDEX": False}


def test_a_serve_build_does_not_write_a_cached_page_equal_to_its_served_copy(site_root, tmp_path):
    site = tmp_path / "site"
    assert build(site_root, site, SETTINGS) == []
    served = file_digests(site)
    staging, problems = build_staging(site_root, site, SETTINGS, overrides=serve_settings(served))
    assert problems == [] and staging is not None
    kept = kept_files(staging)
    assert "initiatief/imw/index.html" in kept and not (staging / "initiatief" / "imw" / "index.html").exists()
    assert any(p.startswith("bijdragen/fiches/") for p in kept), "data files too"
    assert all(not (staging / page).exists() and page in served for page in kept)
    changed = {**served, "initiatief/imw/index.html": b"other"}
    staging, _ = build_staging(site_root, site, SETTINGS, overrides=serve_settings(changed))
    assert "initiatief/imw/index.html" not in kept_files(staging), "a served copy that differs is written anew"
    assert (staging / "initiatief" / "imw" / "index.html").read_bytes() == (site / "initiatief" / "imw" / "index.html").read_bytes()


@pytest.mark.parametrize("meanwhile", ["kaart build into the same folder", "folder removed"])
def test_a_folder_replaced_or_removed_behind_serves_back_is_read_again(site_root, tmp_path, meanwhile):
    site = tmp_path / "site"
    assert build(site_root, site, SETTINGS) == []
    served = ServedSite(site_root, site, SETTINGS)
    path = site_root / "initiatives" / "imw.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("titel: Individueel maatwerk", "titel: Maatwerk op maat"),
                    encoding="utf-8")
    if meanwhile == "folder removed":
        import shutil

        shutil.rmtree(site)
    else:
        (site_root / "initiatives" / "sine.yaml").write_text(
            (site_root / "initiatives" / "sine.yaml").read_text(encoding="utf-8") + "# opmerking\n", encoding="utf-8")
        assert build(site_root, site, SETTINGS) == []
        (site / "initiatief" / "vop" / "index.html").write_text("stuk", encoding="utf-8")  # not what serve knew
    assert served.rebuild().problems == [] and served.wait_for_index(120)
    assert tree_digest(site) == cold_build(site_root, tmp_path / "cold")


def test_after_theme_edits_and_failed_builds_between_the_served_site_equals_a_cache_free_build(site_root, tmp_path):
    """Templates, stylesheets and the settings are edited too, and a save can break a build: the
    served site stays as it was through the failure and equals a full build after the next good one."""
    from tests.conftest import project_with_own_theme

    templates = project_with_own_theme(site_root)
    settings, site = site_root / "pelicanconf.py", tmp_path / "site"
    assert build(site_root, site, settings) == []
    served = ServedSite(site_root, site, settings)
    sheet = site_root / "initiatives" / "imw.yaml"
    stylesheet = site_root / "theme" / "static" / "css" / "kaart.css"
    page = templates / "initiative.html"

    def append(path: Path, text: str) -> Path:
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
        return path

    def replace(path: Path, old: str, new: str) -> Path:
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return path

    good_sheet, good_page = sheet.read_text(encoding="utf-8"), page.read_text(encoding="utf-8")
    steps = [
        ("a template's text", lambda: replace(page, "{% block content %}", "{% block content %}<p>Proef</p>"), True),
        ("a stylesheet", lambda: append(stylesheet, "\nbody { margin: 1px; }\n"), True),
        ("the settings", lambda: append(settings, "\nKAART_REPO_URL = 'https://example.org/kaart'\n"), True),
        ("a factsheet broken", lambda: sheet.write_text("type: initiatief\nid: imw\ntitel: [\n", encoding="utf-8"), False),
        ("the factsheet fixed", lambda: sheet.write_text(good_sheet.replace("titel: Individueel maatwerk",
                                                                            "titel: Maatwerk hersteld"), encoding="utf-8"), True),
        ("a template broken", lambda: replace(page, "<p>Proef</p>", "{{ geen( }}"), False),
        ("the template as it was", lambda: page.write_text(good_page, encoding="utf-8"), True),
    ]
    for n, (what, edit, builds) in enumerate(steps):
        before = tree_digest(site)
        edit()
        update = served.rebuild()
        assert served.wait_for_index(120)
        if not builds:
            assert update.problems and update.changed == [], what
            assert tree_digest(site) == before, f"{what}: the served site stays as it was"
            continue
        assert update.problems == [], what
        assert tree_digest(site) == cold_build(site_root, tmp_path / f"cold-{n}", settings), f"after {what}"
