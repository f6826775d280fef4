"""The build's store between runs, in `.cache/kaart/`: checked documents, and derived results.

Every entry is keyed on the fingerprint of the kaart package (its code and schemas, for
documents) or of package, theme and settings (for everything a build derives), plus the entry's
own inputs: any change misses the cache. A damaged or unreadable entry is dropped and computed
again, never fatal. The cache only saves work; the output is the same without it (KAART_NO_CACHE=1).
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

from . import load, validate
from .fingerprint import package_digest
from .load import Document
from .problems import Problem
from .workers import map_shares, worker_count

CACHE_DIR = Path(".cache") / "kaart"
Entry = tuple[Document | None, list[Problem]]


def check_document(path: Path, root: Path) -> Entry:
    """Load one file and run the checks that need only that file."""
    doc, problems = load.load_document(path, root)
    if doc is not None:
        problems = problems + validate.schema_problems(doc) + validate.file_problems(doc)
    return doc, problems


# The cache is kept in shards, so a one-file change rewrites a small file, not all of it.
SHARDS = 64


def _shard(key: str) -> int:
    return zlib.crc32(key.encode("utf-8")) % SHARDS


class DocumentCache:
    def __init__(self, root: Path, enabled: bool = True):
        self.folder = root / CACHE_DIR / "documents"
        self.enabled = enabled and not os.environ.get("KAART_NO_CACHE")
        self.version = package_digest() if self.enabled else ""
        self.entries: dict[str, tuple[str, Entry]] = {}
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
        files not in the cache are checked on every core."""
        entries: dict[int, Entry] = {}
        misses: list[int] = []
        digests: dict[int, str] = {}
        for i, path in enumerate(paths):
            if not self.enabled:
                misses.append(i)
                continue
            digests[i] = hashlib.sha256(path.read_bytes()).hexdigest()
            cached = self.entries.get(self._key(path, root))
            if cached and cached[0] == digests[i]:
                doc, problems = cached[1]
                if doc is not None:
                    doc.path = path
                entries[i] = (doc, problems)
            else:
                misses.append(i)
        def check_share(share: list[int]) -> list[tuple[int, Entry]]:
            return [(i, check_document(paths[i], root)) for i in share]

        for share in map_shares(check_share, misses, worker_count(len(misses))):
            for i, entry in share:
                entries[i] = entry
                if self.enabled:
                    key = self._key(paths[i], root)
                    self.entries[key] = (digests[i], entry)
                    self.dirty.add(_shard(key))
        return [entries[i] for i in range(len(paths))]

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
        shards: dict[int, dict[str, tuple[str, Entry]]] = {shard: {} for shard in self.dirty}
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


class ResultCache:
    """Derived results that are costly and depend on few inputs (e.g. the map layout), kept between
    builds under the build's fingerprint and a digest of exactly those inputs; the result is the
    same with or without it. Each file carries a checksum of its content: a damaged one is computed
    again."""

    def __init__(self) -> None:
        self.directory: Path | None = None
        self.fingerprint = ""

    def configure(self, root: Path | None, fingerprint: str = "") -> None:
        enabled = root is not None and not os.environ.get("KAART_NO_CACHE")
        self.directory = root / CACHE_DIR / "results" if enabled else None
        self.fingerprint = fingerprint

    def get_or_compute(self, namespace: str, key: bytes, compute: Callable[[], bytes]) -> bytes:
        if self.directory is None:
            return compute()
        folder = self.directory / namespace
        path = folder / f"{hashlib.sha256(self.fingerprint.encode() + key).hexdigest()}.bin"
        try:
            stored = path.read_bytes()
            if hashlib.sha256(stored[32:]).digest() == stored[:32]:
                return stored[32:]
        except OSError:
            pass
        value = compute()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for old in folder.glob("*.bin"):  # one entry per namespace: the cache never grows
                old.unlink()
            with tempfile.NamedTemporaryFile(dir=folder, delete=False) as handle:
                handle.write(hashlib.sha256(value).digest() + value)
            os.replace(handle.name, path)
        except OSError:
            pass
        return value

    def get_pickled(self, namespace: str, default: Any, check: Callable[[Any], bool] = lambda _: True) -> Any:
        """A value kept whole between builds (e.g. analysed texts by digest), or `default` when it is
        missing, damaged, of another fingerprint or fails `check`."""
        if self.directory is None:
            return default
        path = self.directory / namespace / "value.pickle"
        try:
            fingerprint, value = pickle.loads(path.read_bytes())
            return value if fingerprint == self.fingerprint and check(value) else default
        except Exception:  # missing or damaged: start from the default
            return default

    def put_pickled(self, namespace: str, value: Any) -> None:
        if self.directory is None:
            return
        folder = self.directory / namespace
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=folder, delete=False) as handle:
                pickle.dump((self.fingerprint, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(handle.name, folder / "value.pickle")
        except OSError:
            pass


RESULTS = ResultCache()
