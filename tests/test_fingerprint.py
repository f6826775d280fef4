"""Caches that cannot lie: after an edit of a template, a schema label, a registry text or a module
of the package, a warm build (caches on) is byte-identical to a build without caches; also when
`kaart serve` rebuilds in its own process."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kaart.core.fingerprint import plain_settings, fingerprint, package_digest

from .conftest import FIXTURE_SITE, REPO


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A copy of the package, theme, settings and pages beside the fixture project, to edit freely."""
    for name in ("kaart", "theme", "content"):
        shutil.copytree(REPO / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pelicanconf.py", tmp_path / "pelicanconf.py")
    shutil.copytree(FIXTURE_SITE, tmp_path / "project")
    return tmp_path


def kaart(workspace: Path, *args: str, cache: bool = True) -> subprocess.CompletedProcess:
    # Run from the workspace, so `python -m` imports the copied package (the current folder comes first).
    env = {**os.environ, "PYTHONPATH": str(workspace)}
    env.pop("KAART_NO_CACHE", None)
    if not cache:
        env["KAART_NO_CACHE"] = "1"
    return subprocess.run([sys.executable, "-m", "kaart.cli", "--root", str(workspace / "project"), *args,
                           "--settings", str(workspace / "pelicanconf.py")],
                          capture_output=True, text=True, env=env, timeout=300, cwd=workspace)


def build(workspace: Path, output: str, cache: bool = True) -> dict[str, str]:
    result = kaart(workspace, "build", "--output", str(workspace / output), cache=cache)
    assert result.returncode == 0, result.stderr
    return tree(workspace / output)


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


EDITS = {
    "template": ("theme/templates/initiative.html", "In het kort</h2>", "Kort gezegd</h2>"),
    "schema label": ("kaart/schemas/factsheet.schema.json", '"title": "Netwerk Gent 2022"', '"title": "Netwerk Gent (2022)"'),
    "registry text": ("kaart/core/registry.py", '"duur": "Duur",', '"duur": "Hoe lang",'),
    "module": ("kaart/core/model.py", 'f"presentatie uit {self.date}"', 'f"presentatie van {self.date}"'),
}


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_a_warm_build_after_an_edit_equals_a_build_without_caches(workspace, edit):
    before = build(workspace, "warm")  # fills the caches
    path, old, new = EDITS[edit]
    replace_in(workspace / path, old, new)
    warm = build(workspace, "warm")  # replaces that site: unchanged pages could come from it
    assert warm != before, "the edit shows on the site"
    assert warm == build(workspace, "cold", cache=False)


def test_a_damaged_cache_file_is_computed_again(workspace):
    build(workspace, "first")
    cache = workspace / "project" / ".cache"
    damaged = 0
    for path in cache.rglob("*"):
        if path.is_file():
            path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2] + b"\0garbage")
            damaged += 1
    assert damaged >= 3
    assert build(workspace, "second") == build(workspace, "cold", cache=False)


def test_the_fingerprint_covers_package_theme_and_settings(workspace):
    theme = [workspace / "theme"]
    base = fingerprint(theme, {"SITENAME": "a", "OUTPUT_PATH": "x"})
    assert fingerprint(theme, {"SITENAME": "a", "OUTPUT_PATH": "y"}) == base, "the output folder changes nothing"
    assert fingerprint(theme, {"SITENAME": "a", "OUTPUT_PATH": "x", "KAART_SEARCH_INDEX": False}) == base, \
        "kaart serve, which indexes after its rebuild, uses the caches of kaart build"
    assert fingerprint(theme, {"SITENAME": "b", "OUTPUT_PATH": "x"}) != base
    replace_in(workspace / "theme" / "static" / "css" / "kaart.css", "--muted: #4a5360;", "--muted: #4a5361;")
    assert fingerprint(theme, {"SITENAME": "a", "OUTPUT_PATH": "x"}) != base
    assert len(package_digest()) == 64


def test_settings_of_every_shape_count_and_are_spelled_the_same_each_run(workspace):
    theme = [workspace / "theme"]
    menu = {"MENUITEMS": [("Over", "/over/")], "JINJA_FILTERS": {"upper": str.upper}, "SITENAME": "a"}
    base = fingerprint(theme, menu)
    assert fingerprint(theme, {**menu, "JINJA_FILTERS": {"upper": str.upper}}) == base
    assert fingerprint(theme, {**menu, "MENUITEMS": [("Over", "/over-ons/")]}) != base, "a list setting counts"
    assert fingerprint(theme, {**menu, "JINJA_FILTERS": {"upper": str.lower}}) != base, "a function by its name"
    assert plain_settings({"F": object(), "lower": 1}) == {"F": "<object object>"}, "no address, no lower-case keys"


def _wait_for(predicate, seconds: float = 120, what: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out: {what.read_text() if what else ''}")


@pytest.mark.parametrize("edit", ["template", "schema label"])
def test_kaart_serve_rebuilds_an_edit_as_a_build_without_caches_would(workspace, edit, tmp_path):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(workspace)}
    env.pop("KAART_NO_CACHE", None)
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([sys.executable, "-u", "-m", "kaart.cli", "--root", str(workspace / "project"), "serve",
                               "--port", str(port), "--output", str(workspace / "served"),
                               "--settings", str(workspace / "pelicanconf.py")],
                              stdout=log, stderr=subprocess.STDOUT, env=env, cwd=workspace)
    try:
        _wait_for(lambda: "Bekijk de site" in (tmp_path / "serve.log").read_text(), what=tmp_path / "serve.log")
        path, old, new = EDITS[edit]
        time.sleep(1.1)  # a new modification time, whatever the file system's resolution
        replace_in(workspace / path, old, new)
        _wait_for(lambda: "Klaar in" in (tmp_path / "serve.log").read_text(), what=tmp_path / "serve.log")
        _wait_for(lambda: "Zoekindex bijgewerkt" in (tmp_path / "serve.log").read_text().partition("Klaar in")[2],
                  what=tmp_path / "serve.log")
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/initiatief/imw/").read().decode()
        assert ("Kort gezegd" if edit == "template" else "Netwerk Gent (2022)") in page
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    assert tree(workspace / "served") == build(workspace, "cold", cache=False)


def test_every_part_of_the_package_is_in_the_fingerprint(workspace, monkeypatch):
    """The fingerprint reads the whole kaart package: its subpackages and the schemas inside it."""
    from kaart.core import fingerprint as module

    monkeypatch.setattr(module, "PACKAGE", workspace / "kaart")
    before = module.package_digest()
    for edited in ("kaart/schemas/factsheet.schema.json", "kaart/features/search/lookup.py", "kaart/build/plugin.py"):
        path = workspace / edited
        path.write_bytes(path.read_bytes() + b"\n")
        after = module.package_digest()
        assert after != before, edited
        before = after
    monkeypatch.undo()
    assert module.PACKAGE == REPO / "kaart", "the real fingerprint reads the package root"


def test_every_library_the_package_imports_is_in_the_fingerprint():
    """A library update can change what a build writes (markdown-it-py's HTML, markupsafe's escaping):
    each one the package imports counts in the fingerprint, so no cache outlives it."""
    import ast
    from importlib.metadata import packages_distributions

    from kaart.core.fingerprint import LIBRARIES, NOT_IN_A_BUILD, _version

    distributions = packages_distributions()
    imported = set()
    for path in (REPO / "kaart").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else []
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top != "kaart":
                    imported.update(distributions[top])

    def normal(name: str) -> str:
        return name.lower().replace("_", "-")

    counted = {normal(name) for name in LIBRARIES + NOT_IN_A_BUILD}
    assert "markdown-it-py" in {normal(name) for name in imported}
    assert {normal(name) for name in imported if not normal(name).endswith(".clib")} <= counted
    assert all(_version(name) != "" for name in LIBRARIES), "every listed library is installed"
