"""The one store kaart keeps between runs, in `.cache/kaart/`: checked documents, derived results
(the map layout, charts, analysed texts) and rendered pages (`kaart.build.render_cache`).

A `Store` is made once per run and passed to whatever reads or writes it; there is no global one.
Every entry is keyed on the store's fingerprint (the kaart package with its schemas, the theme
and the settings: `kaart.core.fingerprint`) plus the entry's own inputs: any change misses. A
damaged or unreadable entry is dropped and computed again, never fatal. The store only saves
work; the output is the same without it (`Store.off()`, or KAART_NO_CACHE=1).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kaart.core import load, privacy, registry, validate
from kaart.core.load import Document
from kaart.core.problems import Problem
from kaart.core.workers import Ahead, can_fork, map_shares, worker_count

CACHE_DIR = Path(".cache") / "kaart"
Entry = tuple[Document | None, list[Problem]]


def check_document(path: Path, root: Path) -> Entry:
    """Load one file and run the checks that need only that file."""
    return _check_bytes(path.read_bytes(), path, root)


def _check_bytes(raw: bytes, path: Path, root: Path) -> Entry:
    rel_path = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    doc, problems = load.load_text(raw, rel_path, path)
    if doc is not None:
        problems = problems + validate.schema_problems(doc) + validate.file_problems(doc) \
            + validate.heading_problems(doc) + privacy.privacy_problems(doc)
    return doc, problems


def check_file(path: Path, root: Path) -> tuple[str, Entry]:
    """A file's SHA-256 and its checked document, from one read of its bytes."""
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    doc, problems = _check_bytes(raw, path, root)
    if doc is not None:
        doc.digest = digest
    return digest, (doc, problems)


def _checked_pickled(paths: list[Path], root: Path) -> list[tuple[str, bytes]]:
    """Each file's SHA-256 and its checked document, pickled as the document cache keeps it."""
    return [(digest, pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
            for digest, entry in (check_file(path, root) for path in paths)]


class _EarlyCheck:
    """Every factsheet file checked in forked processes from the moment `kaart build` starts."""

    def __init__(self, root: Path, paths: list[Path], workers: int) -> None:
        self.root, self.paths = root, paths
        self.shares = [Ahead(lambda share=paths[k::workers]: pickle.dumps(_checked_pickled(share, root)))
                       for k in range(workers)]

    def results(self) -> list[tuple[str, bytes]]:
        """In the order of `paths`."""
        shares = [pickle.loads(share.result()) for share in self.shares]
        return [shares[i % len(shares)][i // len(shares)] for i in range(len(self.paths))]


_early: _EarlyCheck | None = None


def check_ahead(root: Path) -> None:
    """Start checking every factsheet file on every core now, when nothing is cached (a fresh
    checkout, a CI run, KAART_NO_CACHE): the processes fork before the rest of the build is
    imported, so the checks run while this process imports Pelican, the templates' code and the
    features (half a second that left the other cores idle). `DocumentCache.check_all` takes the
    results when it is asked for exactly these files; otherwise they are dropped."""
    global _early
    folder = root / CACHE_DIR / "documents"
    if not can_fork() or (not os.environ.get("KAART_NO_CACHE") and any(folder.glob("*.pickle"))):
        return
    paths = load.factsheet_paths(root, tuple(registry.FOLDERS.values()))
    if (workers := worker_count(len(paths))) > 1:
        _early = _EarlyCheck(root, paths, workers)


def _take_early(paths: list[Path], root: Path) -> _EarlyCheck | None:
    global _early
    early, _early = _early, None
    return early if early is not None and early.root == root and early.paths == paths else None


def drop_checks_ahead() -> None:
    """Stop checks started by `check_ahead` that no build took (it failed before reading)."""
    _take_early([], Path())


# The cache is kept in shards, so a one-file change rewrites a small file, not all of it.
SHARDS = 64


def _shard(key: str) -> int:
    return zlib.crc32(key.encode("utf-8")) % SHARDS


class DocumentCache:
    """Checked documents by file content, in shards; made by `Store.documents()`. Each entry is
    kept pickled as the worker that checked it sent it: saving writes those bytes as they are, and
    an entry is unpickled only when its file is read."""

    def __init__(self, folder: Path | None, version: str):
        self.folder = folder if folder is not None else Path()
        self.enabled = folder is not None
        self.version = version
        self.entries: dict[str, tuple[str, bytes]] = {}  # by file: its SHA-256 and its pickled Entry
        self.dirty: set[int] = set()  # shards to write
        if self.enabled and self.folder.is_dir():
            for path in sorted(self.folder.glob("*.pickle")):
                try:
                    version, entries = pickle.loads(path.read_bytes())
                    if version == self.version:
                        self.entries.update(dict(entries))
                except Exception:  # a damaged or foreign shard is simply rebuilt
                    continue

    def check_all(self, paths: list[Path], root: Path) -> list[Entry]:
        """Each file's document and problems, from the cache when its bytes are unchanged; the
        files not in the cache are checked on every core (or were, from the start: `check_ahead`)."""
        early = _take_early(paths, root)
        if early is not None and not self.entries:
            return [self._keep(path, root, digest, pickled) for path, (digest, pickled) in zip(paths, early.results())]
        entries: dict[int, Entry] = {}
        misses: list[int] = []
        for i, path in enumerate(paths):
            if not self.entries:
                misses.append(i)  # nothing to find: each file is read once, where it is checked
                continue
            cached = self.entries.get(self._key(path, root))
            if cached and cached[0] == hashlib.sha256(path.read_bytes()).hexdigest() \
                    and (entry := _unpickled(cached[1])) is not None:
                if entry[0] is not None:
                    entry[0].path = path
                entries[i] = entry
            else:
                misses.append(i)
        for share in map_shares(lambda share: list(zip(share, _checked_pickled([paths[i] for i in share], root))),
                                misses, worker_count(len(misses))):
            for i, (digest, pickled) in share:
                entries[i] = self._keep(paths[i], root, digest, pickled)
        return [entries[i] for i in range(len(paths))]

    def _keep(self, path: Path, root: Path, digest: str, pickled: bytes) -> Entry:
        """A file just checked: its entry, kept under the digest of the bytes checked (the file may
        have changed since it was hashed to look it up)."""
        if self.enabled:
            key = self._key(path, root)
            self.entries[key] = (digest, pickled)
            self.dirty.add(_shard(key))
        return pickle.loads(pickled)

    @staticmethod
    def _key(path: Path, root: Path) -> str:
        return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()

    def save(self, keep: set[str]) -> None:
        """Write the changed shards atomically, dropping files that no longer exist."""
        if not self.enabled:
            return
        for key in set(self.entries) - keep:
            del self.entries[key]
            self.dirty.add(_shard(key))
        if not self.dirty:
            return
        shards: dict[int, dict[str, tuple[str, bytes]]] = {shard: {} for shard in self.dirty}
        for key, entry in self.entries.items():
            if (shard := _shard(key)) in shards:
                shards[shard][key] = entry
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for shard, entries in sorted(shards.items()):
                with tempfile.NamedTemporaryFile(dir=self.folder, delete=False) as handle:
                    pickle.dump((self.version, entries), handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(handle.name, self.folder / f"{shard:02x}.pickle")
        except OSError:
            pass  # a read-only checkout still builds, just without the cache


def _unpickled(pickled: bytes) -> Entry | None:
    try:
        return pickle.loads(pickled)
    except Exception:  # a damaged entry is checked again
        return None


class Store:
    """Everything kept between runs, under one fingerprint. `Store.off()` keeps nothing."""

    def __init__(self, root: Path | None, fingerprint: str) -> None:
        enabled = root is not None and not os.environ.get("KAART_NO_CACHE")
        self.folder = root / CACHE_DIR if enabled and root is not None else None
        self.fingerprint = fingerprint

    @classmethod
    def off(cls) -> Store:
        return cls(None, "")

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def documents(self) -> DocumentCache:
        return DocumentCache(self.folder / "documents" if self.folder else None, self.fingerprint)

    @property
    def pages(self) -> Path | None:
        """Where rendered pages are kept (kaart.build.render_cache)."""
        return self.folder / "pages" if self.folder else None

    def _results(self, namespace: str) -> Path | None:
        return self.folder / "results" / namespace if self.folder else None

    def _result_file(self, folder: Path, key: bytes) -> Path:
        return folder / f"{hashlib.sha256(self.fingerprint.encode() + key).hexdigest()}.bin"

    def get(self, namespace: str, key: bytes) -> bytes | None:
        """What `get_or_compute` keeps for `key`, or None when it has nothing (or a damaged file)."""
        folder = self._results(namespace)
        if folder is None:
            return None
        try:
            stored = self._result_file(folder, key).read_bytes()
        except OSError:
            return None
        return stored[32:] if hashlib.sha256(stored[32:]).digest() == stored[:32] else None

    def get_or_compute(self, namespace: str, key: bytes, compute: Callable[[], bytes]) -> bytes:
        """A costly result that depends on few inputs (e.g. the map layout), by a digest of exactly
        those inputs. Each file carries a checksum of its content: a damaged one is computed again."""
        folder = self._results(namespace)
        if folder is None:
            return compute()
        if (stored := self.get(namespace, key)) is not None:
            return stored
        path = self._result_file(folder, key)
        value = compute()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for old in folder.glob("*.bin"):  # one entry per namespace: the store never grows
                old.unlink()
            with tempfile.NamedTemporaryFile(dir=folder, delete=False) as handle:
                handle.write(hashlib.sha256(value).digest() + value)
            os.replace(handle.name, path)
        except OSError:
            pass
        return value

    def get_pickled(self, namespace: str, default: Any, check: Callable[[Any], bool] = lambda _: True) -> Any:
        """A value kept whole between runs (e.g. analysed texts by digest), or `default` when it is
        missing, damaged, of another fingerprint or fails `check`."""
        folder = self._results(namespace)
        if folder is None:
            return default
        try:
            fingerprint, value = pickle.loads((folder / "value.pickle").read_bytes())
            return value if fingerprint == self.fingerprint and check(value) else default
        except Exception:  # missing or damaged: start from the default
            return default

    def put_pickled(self, namespace: str, value: Any) -> None:
        folder = self._results(namespace)
        if folder is None:
            return
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=folder, delete=False) as handle:
                pickle.dump((self.fingerprint, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(handle.name, folder / "value.pickle")
        except OSError:
            pass
