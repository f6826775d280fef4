"""The render cache only saves work: a build from a warm cache is byte-identical to a cold one."""

from __future__ import annotations

from kaart.core import store as cache
from kaart.features.output import Page
from kaart.build.render_cache import RenderCache, page_fingerprint

from .test_site import tree_digest


def test_warm_build_equals_cold_build(site_root, build_site, tmp_path, monkeypatch):
    taken = []
    get = RenderCache.get
    monkeypatch.setattr(RenderCache, "get", lambda self, *args: taken.append(page := get(self, *args)) or page)
    problems, cold = build_site(output=tmp_path / "site")
    assert problems == []
    before = tree_digest(cold)
    problems, warm = build_site(output=tmp_path / "site")  # replaces that site, taking its pages
    assert problems == []
    assert any(page is not None for page in taken), "the warm build took pages from the site it replaced"
    assert tree_digest(warm) == before
    monkeypatch.setenv("KAART_NO_CACHE", "1")
    problems, uncached = build_site(output=tmp_path / "uncached")
    assert tree_digest(uncached) == before


def test_a_page_changed_in_the_replaced_site_is_rendered_again(site_root, build_site, tmp_path):
    problems, site = build_site(output=tmp_path / "site")
    page = site / "initiatief" / "vop" / "index.html"
    good = page.read_bytes()
    page.write_bytes(good.replace(b"</h1>", b" (aangepast)</h1>"))  # someone edited the output by hand
    (site / "initiatief" / "imw" / "index.html").unlink()
    problems, site = build_site(output=tmp_path / "site")
    assert problems == []
    assert page.read_bytes() == good
    assert (site / "initiatief" / "imw" / "index.html").is_file()


def test_a_changed_factsheet_changes_its_own_page_and_its_neighbours(site_root, build_site, tmp_path):
    build_site(output=tmp_path / "a")
    path = site_root / "initiatives" / "vop.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("titel: VOP-premie", "titel: Vlaamse ondersteuningspremie"),
                    encoding="utf-8")
    problems, output = build_site(output=tmp_path / "b")
    assert problems == []
    assert "Vlaamse ondersteuningspremie" in (output / "initiatief" / "vop" / "index.html").read_text(encoding="utf-8")
    # IMW's page names VOP in its relations, the overviews list it: none may come stale from the cache.
    assert "Vlaamse ondersteuningspremie" in (output / "initiatief" / "imw" / "index.html").read_text(encoding="utf-8")
    assert "Vlaamse ondersteuningspremie" in (output / "initiatieven" / "index.html").read_text(encoding="utf-8")
    assert "Vlaamse ondersteuningspremie" in (output / "soort" / "subsidie" / "index.html").read_text(encoding="utf-8")


def test_fingerprint_changes_with_the_context_and_the_globals():
    page = Page("x/index.html", "initiative", {"a": 1})
    base = page_fingerprint(page, {"g": 1}, b"templates")
    assert page_fingerprint(page, {"g": 1}, b"templates") == base
    assert page_fingerprint(Page("x/index.html", "initiative", {"a": 2}), {"g": 1}, b"templates") != base
    assert page_fingerprint(page, {"g": 2}, b"templates") != base
    assert page_fingerprint(page, {"g": 1}, b"other templates") != base
    assert page_fingerprint(Page("y/index.html", "initiative", {"a": 1}), {"g": 1}, b"templates") != base


def test_render_cache_keeps_only_what_the_last_build_used_and_checks_the_bytes(tmp_path):
    import hashlib

    site = tmp_path / "site"
    for name, html in (("one", b"one"), ("two", b"two")):
        (site / name).mkdir(parents=True)
        (site / name / "index.html").write_bytes(html)
    store = RenderCache(tmp_path / cache.CACHE_DIR / "pages")
    store.put("k1", hashlib.sha256(b"one").digest())
    store.put("k2", hashlib.sha256(b"two").digest())
    store.save(used={"k2"})
    again = RenderCache(tmp_path / cache.CACHE_DIR / "pages", site)
    assert again.get("k1", "one/index.html") is None and again.get("k2", "two/index.html") == b"two"
    (site / "two" / "index.html").write_bytes(b"changed")
    assert again.get("k2", "two/index.html") is None, "a page whose bytes changed is not taken"
    assert RenderCache(tmp_path / cache.CACHE_DIR / "pages").get("k2", "two/index.html") is None, "no site to take from"


def test_fingerprint_sees_a_change_inside_a_nested_sheet():
    import datetime as dt

    from kaart.core.model import Organisation

    def org(title: str) -> Organisation:
        return Organisation(id="o", titel=title, samenvatting="s", bronnen=(), laatst_nagekeken=dt.date(2026, 1, 1),
                            path="organisations/o.yaml", soort_organisatie="overheid")

    def page(sheet: Organisation) -> Page:
        return Page("x/index.html", "initiative", {"providers": (sheet,), "related": [{"sheet": sheet}]})

    base = page_fingerprint(page(org("A")), {}, b"t")
    assert page_fingerprint(page(org("A")), {}, b"t") == base
    assert page_fingerprint(page(org("B")), {}, b"t") != base


def test_a_sheet_read_from_its_file_is_named_by_the_file_bytes(site_root, tmp_path):
    # The store hashed each file when it read it; a page fingerprint names a sheet of the model by
    # that digest (no repr spelled out), and any other sheet object by its repr, as before.
    import dataclasses
    import hashlib

    from kaart.build.render_cache import SheetTokens
    from kaart.content.project import read_knowledge_base

    for store in (cache.Store(site_root, "v1"), cache.Store.off()):
        kb, problems = read_knowledge_base(site_root, store)
        assert kb is not None and problems == []
        tokens = SheetTokens(kb)
        for sheet in kb.sheets.values():
            digest = hashlib.sha256((site_root / sheet.path).read_bytes()).hexdigest()
            assert tokens.encode(sheet) == f"<sheet file {sheet.path} {digest}>"
            copy = dataclasses.replace(sheet)  # equal, but not the model's object
            spelled = hashlib.sha256(repr(copy).encode("utf-8")).hexdigest()
            assert tokens.encode(copy) == f"<sheet {spelled}>"

    # A second read from the cache names the same bytes the same way; changed bytes, a new name.
    kb, _ = read_knowledge_base(site_root, cache.Store(site_root, "v1"))
    path = site_root / kb.sheets[sorted(kb.sheets)[0]].path
    before = SheetTokens(kb).encode(kb.sheets[sorted(kb.sheets)[0]])
    path.write_text(path.read_text(encoding="utf-8") + "# een opmerking\n", encoding="utf-8")
    kb, _ = read_knowledge_base(site_root, cache.Store(site_root, "v1"))
    assert SheetTokens(kb).encode(kb.sheets[sorted(kb.sheets)[0]]) != before
