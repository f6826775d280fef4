"""The one fingerprint every cache entry is keyed on: the kaart package (its code and the schemas
inside it), the theme and the settings. Change any of them and no cached artefact is reused, so a
warm build always equals a build without caches (tests/test_fingerprint.py edits each in turn).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent.parent  # kaart/, with every subpackage and the schemas
# Libraries whose version can change what a build writes (Markdown's HTML, a chart's SVG, the index):
# every library the package imports for a build (tested), and mdurl, which markdown-it-py uses for links.
LIBRARIES = ("pelican", "jinja2", "markupsafe", "markdown", "markdown-it-py", "mdurl", "nh3", "pyyaml", "jsonschema",
             "fastjsonschema", "referencing", "networkx", "whoosh-reloaded", "pagefind", "matplotlib", "numpy",
             "segno", "cbor2", "feedgenerator")
# Imported by the package but never part of what a build writes: `kaart fmt`, `kaart handout --pdf`
# and `kaart serve`'s watcher.
NOT_IN_A_BUILD = ("ruamel.yaml", "playwright", "watchfiles")
# Settings that differ between builds without changing anything the store keeps (kaart build writes
# to a new folder; kaart serve indexes the site after its rebuild instead of during it, and says
# which files it serves already).
PER_BUILD_SETTINGS = frozenset({"OUTPUT_PATH", "KAART_PREVIOUS_OUTPUT", "KAART_SEARCH_INDEX", "KAART_SERVED_FILES"})


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and p.suffix not in (".pyc", ".pyo"))


def package_digest() -> str:
    """Every file of the kaart package, by path and content."""
    return _digest([(p.relative_to(PACKAGE).as_posix(), p) for p in _files(PACKAGE)])


def fingerprint(theme_folders: Iterable[Path] = (), settings: Mapping[str, Any] | None = None) -> str:
    """The package, the theme's files and the settings' plain values, as one hex digest."""
    named = [(f"package/{p.relative_to(PACKAGE).as_posix()}", p) for p in _files(PACKAGE)]
    for i, folder in enumerate(sorted({Path(f).resolve() for f in theme_folders})):
        if folder.is_dir():
            named += [(f"theme{i}/{p.relative_to(folder).as_posix()}", p) for p in _files(folder)]
    digest = hashlib.sha256(_digest(named).encode())
    digest.update(repr([(name, _version(name)) for name in LIBRARIES]).encode())
    if settings is not None:
        digest.update(repr(sorted(plain_settings(settings).items())).encode("utf-8"))
    return digest.hexdigest()


def plain_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Every setting that can change the output (lists and mappings too: a menu, the Jinja options),
    spelled the same way in every run."""
    return {key: _plain(value) for key, value in settings.items()
            if key.isupper() and key not in PER_BUILD_SETTINGS}


def _plain(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool, type(None))):
        return value
    if isinstance(value, Path):
        return value.as_posix()
    if isinstance(value, Mapping):
        return tuple(sorted((repr(key), _plain(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_plain(item) for item in value)
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(repr(_plain(item)) for item in value))
    if hasattr(value, "__qualname__"):  # a function, class or method: by name, not by address
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    if hasattr(value, "__name__"):  # a module
        return value.__name__
    return re.sub(r" at 0x[0-9a-fA-F]+", "", repr(value))


def _digest(named: list[tuple[str, Path]]) -> str:
    digest = hashlib.sha256()
    for name, path in sorted(named):
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return ""
