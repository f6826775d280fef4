"""The search page's lookups: exact names and the corpus's words, written into the Pagefind bundle."""

from __future__ import annotations

import json
from pathlib import Path

from kaart.features.search.lookup import LOOKUP_DIR, _read_fragment, lookup_key, ranked_names, shard


def test_keys_ignore_case_accents_and_punctuation_but_keep_plus():
    assert lookup_key("IBO-T") == "ibo t"
    assert lookup_key("IBO+") == "ibo+"
    assert lookup_key("  Oekraïne ") == "oekraine"
    assert lookup_key("Terug-naar-werkcoördinatoren") == "terug naar werkcoordinatoren"
    assert shard("ibo t", 3) == "ibo" and shard("", 3) == "_"


def test_names_are_the_title_without_and_within_its_brackets_and_the_id():
    # Rank 0: the page's own title (with or without brackets); 1: the brackets and the address.
    assert ranked_names("Begeleidingspremie (individueel maatwerk)", "/initiatief/begeleidingspremie-imw/") == [
        ("Begeleidingspremie (individueel maatwerk)", 0), ("Begeleidingspremie", 0), ("individueel maatwerk", 1),
        ("begeleidingspremie imw", 1)]
    assert ranked_names("Individuele beroepsopleiding (IBO)", "/initiatief/ibo/") == [
        ("Individuele beroepsopleiding (IBO)", 0), ("Individuele beroepsopleiding", 0), ("IBO", 1), ("ibo", 1)]


def _page_id(site, url):
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        if _read_fragment(path)["url"] == url:
            return path.name.removesuffix(".pf_fragment")
    raise AssertionError(url)


def test_the_bundle_maps_names_to_their_pages(shipped_site):
    names = json.loads((shipped_site / "pagefind" / LOOKUP_DIR / "namen" / "ibo.json").read_text(encoding="utf-8"))
    assert names["ibo"] == [_page_id(shipped_site, "/initiatief/ibo/")]
    assert names["ibo+"] == [_page_id(shipped_site, "/initiatief/ibo-plus/")]
    assert names["ibot"] == names["ibo t"] == [_page_id(shipped_site, "/initiatief/ibo-t/")]
    art = json.loads((shipped_site / "pagefind" / LOOKUP_DIR / "namen" / "art.json").read_text(encoding="utf-8"))
    assert art["artikel 60"] == [_page_id(shipped_site, "/initiatief/artikel-60/")], "the id is a name too"


def test_a_name_shared_by_pages_lists_the_page_it_is_the_title_of_first(shipped_site):
    # "OCMW Gent" is an organisation's title and the bracket of the art. 60 factsheet; "individueel
    # maatwerk" is IMW's title without its abbreviation and the bracket of four other factsheets.
    ocm = json.loads((shipped_site / "pagefind" / LOOKUP_DIR / "namen" / "ocm.json").read_text(encoding="utf-8"))
    assert len(ocm["ocmw gent"]) > 1 and ocm["ocmw gent"][0] == _page_id(shipped_site, "/organisatie/ocmw-gent/")
    ind = json.loads((shipped_site / "pagefind" / LOOKUP_DIR / "namen" / "ind.json").read_text(encoding="utf-8"))
    imw = ind["individueel maatwerk"]
    assert len(imw) > 1 and imw[0] == _page_id(shipped_site, "/initiatief/individueel-maatwerk/")
    assert imw[1:] == sorted(imw[1:]), "the others by page id, as before"


def test_the_bundle_counts_the_indexed_words_most_frequent_first(shipped_site):
    words = json.loads((shipped_site / "pagefind" / LOOKUP_DIR / "woorden" / "lo.json").read_text(encoding="utf-8"))
    counts = dict(words)
    assert counts["loonpremie"] > counts.get("loonpremies", 0) > 0
    assert [c for _, c in words] == sorted((c for _, c in words), reverse=True)
    oek = dict(json.loads((shipped_site / "pagefind" / LOOKUP_DIR / "woorden" / "oe.json").read_text(encoding="utf-8")))
    assert "oekraïne" in oek, "the form the factsheets write, accents and all"
    assert all(len(lookup_key(word)) >= 5 for word in counts)


def test_the_lookups_are_the_same_read_on_one_core_or_in_shares(shipped_site, tmp_path, monkeypatch):
    from kaart.features.search.lookup import write_lookups

    written = {}
    for workers in ("1", "3"):
        bundle = tmp_path / workers
        (bundle / "fragment").mkdir(parents=True)
        for path in (shipped_site / "pagefind" / "fragment").glob("*.pf_fragment"):
            (bundle / "fragment" / path.name).write_bytes(path.read_bytes())
        monkeypatch.setenv("KAART_WORKERS", workers)
        write_lookups(bundle)
        written[workers] = {p.relative_to(bundle).as_posix(): p.read_bytes()
                            for p in sorted((bundle / LOOKUP_DIR).rglob("*.json"))}
    assert written["1"] and written["1"] == written["3"]
    assert written["1"] == {p.relative_to(shipped_site / "pagefind").as_posix(): p.read_bytes()
                            for p in sorted((shipped_site / "pagefind" / LOOKUP_DIR).rglob("*.json"))
                            if p.name != "delen.json"}  # the parts' list, written beside the lookups


def test_the_words_are_counted_as_a_search_through_each_whole_text_finds_them(shipped_site, tmp_path):
    # Counted per white-space token and split afterwards: the same words, the same counts, as the
    # plain definition (every run of letters and digits in each fragment's text).
    import gzip
    import re
    from collections import Counter

    from kaart.features.search.lookup import _read_share

    tricky = "Art. 60§7, re-integratie_traject; Oekraïne\u00a0(IBO-T) 2026-11-30 l'emploi «werk»werk werk\n\tWERK"
    extra = tmp_path / "extra.pf_fragment"
    extra.write_bytes(gzip.compress(b"pagefind_dcd" + json.dumps({"url": "/x/", "content": tricky}).encode()))
    paths = [*sorted((shipped_site / "pagefind" / "fragment").glob("*.pf_fragment")), extra]
    expected: Counter[str] = Counter()
    for path in paths:
        expected.update(word.casefold() for word in re.findall(r"[^\W_]+", _read_fragment(path).get("content", "")))
    assert _read_share([(path, "id") for path in paths])[1] == expected
    assert _read_share([(extra, "id")])[1]["werk"] == 4


def test_fragments_still_being_written_are_left_for_later(shipped_site, tmp_path):
    # Read while Pagefind writes: a fragment not written yet, empty or cut off is skipped (and read
    # later); what is written in the end is what reading the finished bundle gives.
    from kaart.features.search.lookup import Lookups, bundle_fragments, write_lookups

    source = shipped_site / "pagefind" / "fragment"
    (tmp_path / "fragment").mkdir()
    complete = {path.name: path.read_bytes() for path in sorted(source.glob("*.pf_fragment"))}
    names = list(complete)
    for name in names[3:]:
        (tmp_path / "fragment" / name).write_bytes(complete[name])
    (tmp_path / "fragment" / names[0]).write_bytes(b"")
    (tmp_path / "fragment" / names[1]).write_bytes(complete[names[1]][:len(complete[names[1]]) // 2])
    fragments = bundle_fragments(tmp_path) + [(str(tmp_path / "fragment" / names[2]), names[2].removesuffix(".pf_fragment"))]
    lookups = Lookups()
    lookups.read_ready(fragments, most=5)
    assert len(lookups.done) == 5, "no more at a time than asked"
    lookups.read_ready(fragments, most=len(fragments))
    assert {Path(path).name for path in lookups.done} == set(names[3:])
    for name in names[:3]:
        (tmp_path / "fragment" / name).write_bytes(complete[name])
    lookups.read_ready(bundle_fragments(tmp_path)[:2], most=len(names))  # one more read early, one left
    lookups.read_rest(bundle_fragments(tmp_path))
    assert len(lookups.done) == len(names)
    lookups.write(tmp_path / "during")
    write_lookups(tmp_path)
    during = {p.relative_to(tmp_path / "during").as_posix(): p.read_bytes() for p in (tmp_path / "during").rglob("*.json")}
    after = {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in (tmp_path / LOOKUP_DIR).rglob("*.json")}
    assert during and during == after
