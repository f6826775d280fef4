"""The store: unchanged files are not checked again, changed ones always are; results are kept
under one fingerprint; nothing damaged is ever fatal."""

from __future__ import annotations

from kaart.content.project import read_knowledge_base as read_without_store
from kaart.core import store as cache
from kaart.core.store import Store


def read_knowledge_base(root, fingerprint: str = "fingerprint"):
    return read_without_store(root, Store(root, fingerprint))


def count_checks(monkeypatch) -> list[str]:
    calls: list[str] = []
    original = cache.check_file

    def counting(path, root):
        calls.append(path.name)
        return original(path, root)

    monkeypatch.setattr(cache, "check_file", counting)
    return calls


def test_unchanged_files_come_from_the_cache(site_root, monkeypatch):
    first, _ = read_knowledge_base(site_root)
    calls = count_checks(monkeypatch)
    second, problems = read_knowledge_base(site_root)
    assert problems == [] and calls == []
    assert second == first


def test_a_changed_file_is_checked_again_and_its_error_reported(site_root, monkeypatch):
    read_knowledge_base(site_root)
    calls = count_checks(monkeypatch)
    path = site_root / "initiatives" / "vop.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "onbekend: 1\n", encoding="utf-8")
    kb, problems = read_knowledge_base(site_root)
    assert calls == ["vop.yaml"]
    assert kb is None and [p.location.path for p in problems] == ["initiatives/vop.yaml"]


def test_cached_errors_are_reported_again(site_root, write_sheet):
    write_sheet("initiatives/x.yaml", "a: 1\na: 2\n")
    _, first = read_knowledge_base(site_root)
    _, second = read_knowledge_base(site_root)
    assert first == second and first


def test_a_deleted_file_disappears_from_the_model(site_root):
    read_knowledge_base(site_root)
    (site_root / "initiatives" / "sine.yaml").unlink()
    (site_root / "initiatives" / "imw.yaml").write_text(
        (site_root / "initiatives" / "imw.yaml").read_text(encoding="utf-8").replace(
            "relaties:\n  - {type: vervangt, doel: vop, toelichting: lopende premies omgezet}\n", ""), encoding="utf-8")
    kb, problems = read_knowledge_base(site_root)
    assert problems == [] and "sine" not in kb.sheets


def test_a_damaged_cache_is_ignored(site_root):
    read_knowledge_base(site_root)
    for shard in (site_root / cache.CACHE_DIR / "documents").glob("*.pickle"):
        shard.write_bytes(b"not a pickle")
    kb, problems = read_knowledge_base(site_root)
    assert problems == [] and "imw" in kb.sheets


def test_a_damaged_entry_is_checked_again(site_root, monkeypatch):
    """Entries are kept pickled one by one: one that no longer unpickles is that file's miss."""
    import pickle

    read_knowledge_base(site_root)
    shard = site_root / cache.CACHE_DIR / "documents" / f"{cache._shard('initiatives/vop.yaml'):02x}.pickle"
    version, entries = pickle.loads(shard.read_bytes())
    entries["initiatives/vop.yaml"] = (entries["initiatives/vop.yaml"][0], b"not a pickle")
    shard.write_bytes(pickle.dumps((version, entries)))
    calls = count_checks(monkeypatch)
    kb, problems = read_knowledge_base(site_root)
    assert calls == ["vop.yaml"] and problems == [] and "vop" in kb.sheets


def test_another_fingerprint_misses_the_cache(site_root, monkeypatch):
    read_knowledge_base(site_root)
    calls = count_checks(monkeypatch)
    read_knowledge_base(site_root, "another fingerprint")
    assert sorted(calls) == ["imw.yaml", "sine.yaml", "vdab.yaml", "vop.yaml", "weeraandeslag.yaml"]


def test_result_cache_computes_once_and_keys_on_its_inputs(tmp_path):
    results = Store(tmp_path, "fingerprint")
    calls = []

    def compute(value: bytes):
        return lambda: calls.append(value) or value

    assert results.get_or_compute("x", b"key-1", compute(b"one")) == b"one"
    assert results.get_or_compute("x", b"key-1", compute(b"other")) == b"one"
    assert results.get_or_compute("x", b"key-2", compute(b"two")) == b"two"
    assert calls == [b"one", b"two"]
    assert len(list((tmp_path / cache.CACHE_DIR / "results" / "x").glob("*.bin"))) == 1, "one entry per namespace"


def test_layout_from_the_cache_equals_a_fresh_layout(site_root, build_site, tmp_path):
    problems, first = build_site(output=tmp_path / "a")
    assert problems == [] and list((site_root / cache.CACHE_DIR / "results" / "layout").glob("*.bin"))
    problems, second = build_site(output=tmp_path / "b")
    assert (first / "graaf" / "graaf.json").read_bytes() == (second / "graaf" / "graaf.json").read_bytes()


def test_a_changed_file_rewrites_one_shard_of_the_cache(site_root):
    read_knowledge_base(site_root)
    folder = site_root / cache.CACHE_DIR / "documents"
    before = {p.name: p.read_bytes() for p in folder.glob("*.pickle")}
    assert len(before) > 1
    path = site_root / "initiatives" / "vop.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# een opmerking\n", encoding="utf-8")
    read_knowledge_base(site_root)
    after = {p.name: p.read_bytes() for p in folder.glob("*.pickle")}
    assert after.keys() == before.keys()
    assert [name for name in after if after[name] != before[name]] == [f"{cache._shard('initiatives/vop.yaml'):02x}.pickle"]


def test_a_damaged_result_file_is_computed_again(tmp_path):
    results = Store(tmp_path, "fingerprint")
    assert results.get_or_compute("layout", b"key", lambda: b"first") == b"first"
    [stored] = (tmp_path / cache.CACHE_DIR / "results" / "layout").glob("*.bin")
    stored.write_bytes(stored.read_bytes()[:-2])
    assert results.get_or_compute("layout", b"key", lambda: b"second") == b"second"
    assert results.get_or_compute("layout", b"key", lambda: b"third") == b"second", "kept again"


def test_result_entries_belong_to_one_fingerprint(tmp_path):
    results = Store(tmp_path, "one")
    results.get_or_compute("layout", b"key", lambda: b"one")
    results.put_pickled("terms", {"a": 1})
    results = Store(tmp_path, "two")
    assert results.get_or_compute("layout", b"key", lambda: b"two") == b"two"
    assert results.get_pickled("terms", "default") == "default"


def test_without_a_store_nothing_is_kept(site_root):
    read_without_store(site_root)
    assert not (site_root / cache.CACHE_DIR).exists()
    assert Store.off().get_or_compute("x", b"k", lambda: b"v") == b"v"


def test_files_checked_ahead_are_taken_when_nothing_is_cached(site_root, monkeypatch):
    """`kaart build` forks the checks before importing the rest: the build then checks nothing itself."""
    monkeypatch.setenv("KAART_WORKERS", "3")  # the fixture's five files in three forked shares
    expected = read_without_store(site_root)
    cache.check_ahead(site_root)
    calls = count_checks(monkeypatch)  # patched after the fork: counts only what this process checks
    kb, problems = read_knowledge_base(site_root)
    assert calls == [] and (kb, problems) == expected
    assert cache._early is None
    # Kept in the cache as the workers sent them: the next read checks nothing either.
    assert read_knowledge_base(site_root) == expected and calls == []


def test_checks_ahead_of_other_files_are_dropped(site_root, write_sheet, monkeypatch):
    monkeypatch.setenv("KAART_WORKERS", "2")
    cache.check_ahead(site_root)
    write_sheet("initiatives/nieuw.yaml", "type: initiatief\nid: nieuw\ntitel: [\n")  # listed after the fork
    monkeypatch.setenv("KAART_WORKERS", "1")  # the files are then checked here, where they are counted
    calls = count_checks(monkeypatch)
    kb, problems = read_knowledge_base(site_root)
    assert sorted(calls) == ["imw.yaml", "nieuw.yaml", "sine.yaml", "vdab.yaml", "vop.yaml", "weeraandeslag.yaml"]
    assert kb is None and [p.location.path for p in problems] == ["initiatives/nieuw.yaml"]


def test_nothing_is_checked_ahead_when_the_cache_has_documents(site_root, monkeypatch):
    monkeypatch.setenv("KAART_WORKERS", "2")
    read_knowledge_base(site_root)
    cache.check_ahead(site_root)
    assert cache._early is None
    monkeypatch.setenv("KAART_NO_CACHE", "1")  # nothing to take from: checked ahead after all
    cache.check_ahead(site_root)
    assert cache._early is not None
    assert read_knowledge_base(site_root)[1] == [] and cache._early is None
