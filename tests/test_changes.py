"""What changed, on the site: /wijzigingen/ (by month, filtered by kind of help and situation), the
Atom feed linked from every page, a factsheet's own "Wijzigingen"; builds without history stay clean."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import feedparser
import pytest

from .test_history import commit, edit, script_history
from .test_site import tree_digest


@pytest.fixture
def history_site(site_root, build_site) -> Path:
    script_history(site_root)
    problems, output = build_site()
    assert problems == []
    return output


def text_of(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    main = html[html.index("<main"): html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).replace("&lt;", "<").replace("&gt;", ">")


def test_every_scripted_change_is_on_the_changes_page_newest_month_first(history_site):
    text = text_of(history_site / "wijzigingen" / "index.html")
    assert "Gewijzigd VOP-premie status: uitdovend \u2192 afgeschaft" in text
    assert "Nieuw Jobcoaching op de werkvloer" in text
    assert "Verwijderd Sociale inschakelingseconomie (SINE)" not in text  # no longer on the map: its own title
    assert "Verwijderd Sociale inschakelingseconomie" in text
    assert "Hernoemd Weeraandeslag.be (was weeraandeslag)" in text
    months = re.findall(r"(April|Maart|Februari|Januari) 2026", text)
    assert months == ["April", "Maart", "Februari"]
    # The sheets of the first commit are not listed one by one: the history begins with them.
    assert text.endswith("De geschiedenis begint op 5 januari 2026 : toen stonden er 5 fiches op de kaart. ")


def test_changes_link_to_sheets_on_the_map_and_not_to_removed_ones(history_site):
    html = (history_site / "wijzigingen" / "index.html").read_text(encoding="utf-8")
    assert 'href="../initiatief/jobcoaching/"' in html
    assert 'href="../initiatief/weer-aan-de-slag/"' in html
    assert "initiatief/sine/" not in html
    assert not (history_site / "initiatief" / "sine").exists()


def test_the_filter_is_plain_links_to_pages_of_their_own(history_site):
    subsidie = text_of(history_site / "wijzigingen" / "soort" / "subsidie" / "index.html")
    assert "VOP-premie" in subsidie and "Jobcoaching" not in subsidie and "Weeraandeslag" not in subsidie
    pair = history_site / "wijzigingen" / "soort" / "begeleiding" / "situatie" / "actief" / "index.html"
    assert "Jobcoaching op de werkvloer" in text_of(pair) and "VOP-premie" not in text_of(pair)
    html = (history_site / "wijzigingen" / "soort" / "subsidie" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="[./]*/?wijzigingen/soort/subsidie/" aria-current="page">Subsidie', html)
    # A combination nothing matches is not offered (no link to a page that is not there).
    assert not (history_site / "wijzigingen" / "soort" / "subsidie" / "situatie" / "niet-actief").exists()
    assert "wijzigingen/soort/subsidie/situatie/niet-actief/" not in html
    for href in re.findall(r'href="([^"#]+)"', html):
        if not href.startswith(("http", "mailto:")) and href.endswith("/"):
            target = (history_site / "wijzigingen" / "soort" / "subsidie" / href / "index.html").resolve()
            assert target.is_file(), href


def test_the_feed_is_valid_atom_with_every_change_and_is_linked_from_every_page(history_site):
    raw = (history_site / "wijzigingen" / "atom.xml").read_bytes()
    feed = feedparser.parse(raw)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    titles = [entry.title for entry in feed.entries]
    assert "VOP-premie: status: uitdovend \u2192 afgeschaft" in titles
    assert "Nieuwe fiche: Jobcoaching op de werkvloer" in titles
    assert "Verwijderd: Sociale inschakelingseconomie" in titles
    assert "Weeraandeslag.be: nieuw adres (was weeraandeslag)" in titles
    assert feed.feed.updated == "2026-04-20T11:00:00+02:00"  # the newest commit, not the build
    assert len({entry.id for entry in feed.entries}) == len(feed.entries)
    for page in ("index.html", "initiatief/vop/index.html", "wijzigingen/index.html"):
        head = (history_site / page).read_text(encoding="utf-8").split("</head>")[0]
        link = re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]* href="([^"]+)"', head)
        assert link, page
        assert (history_site / Path(page).parent / link[1]).resolve() == (history_site / "wijzigingen" / "atom.xml")


def test_a_factsheet_shows_its_own_last_changes(history_site):
    vop = text_of(history_site / "initiatief" / "vop" / "index.html")
    assert "Wijzigingen 10 februari 2026 : status: uitdovend \u2192 afgeschaft." in vop
    assert "5 januari 2026 : op de kaart gezet." in vop
    renamed = text_of(history_site / "initiatief" / "weer-aan-de-slag" / "index.html")
    assert "20 april 2026 : nieuw adres (was weeraandeslag)." in renamed
    imw = (history_site / "initiatief" / "imw" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../wijzigingen/#begin"' in imw  # on the map since the first commit
    assert 'href="../../wijzigingen/#w-2026-02-10-gewijzigd-vop"' in (history_site / "initiatief" / "vop" / "index.html").read_text(encoding="utf-8")
    changes_page = (history_site / "wijzigingen" / "index.html").read_text(encoding="utf-8")
    assert 'id="w-2026-02-10-gewijzigd-vop"' in changes_page and 'id="begin"' in changes_page


def test_a_cached_factsheet_page_is_never_stale_after_a_new_commit(site_root, build_site, tmp_path):
    script_history(site_root)
    build_site(output=tmp_path / "site")
    edit(site_root / "initiatives" / "imw.yaml", "status: actief", "status: uitdovend")
    commit(site_root, "IMW winding down", "2026-05-04T09:00:00+02:00")
    problems, warm = build_site(output=tmp_path / "site")  # unchanged pages come from the site it replaces
    assert problems == []
    assert "status: actief \u2192 uitdovend" in text_of(warm / "initiatief" / "imw" / "index.html")
    assert "status: actief \u2192 uitdovend" in text_of(warm / "wijzigingen" / "index.html")
    assert "status: actief \u2192 uitdovend" in text_of(warm / "wijzigingen" / "soort" / "subsidie" / "index.html")
    # A commit that changes nothing on the sheets: the history is the same, so is every page.
    before = tree_digest(warm)
    git_only = site_root / "README.md"
    git_only.write_text("Lees mij.\n", encoding="utf-8")
    commit(site_root, "Readme", "2026-05-05T09:00:00+02:00")
    problems, again = build_site(output=tmp_path / "site")
    assert tree_digest(again) == before


def test_builds_with_history_are_byte_identical_warm_or_cold(site_root, build_site, tmp_path, monkeypatch):
    script_history(site_root)
    _, cold = build_site(output=tmp_path / "site")
    cold_digest = tree_digest(cold)
    _, warm = build_site(output=tmp_path / "site")  # its pages from the site it replaces
    monkeypatch.setenv("KAART_NO_CACHE", "1")
    _, uncached = build_site(output=tmp_path / "uncached")
    assert tree_digest(warm) == cold_digest == tree_digest(uncached)


def test_the_same_project_without_git_builds_cleanly_with_one_note(site_root, build_site, capsys):
    script_history(site_root)
    shutil.rmtree(site_root / ".git")
    problems, output = build_site()
    assert problems == []
    notes = [line for line in capsys.readouterr().err.splitlines() if "wijzigingen" in line]
    assert notes == ["let op: geen wijzigingen getoond: het project is geen git-repository (bv. een bronarchief)."]
    assert not (output / "wijzigingen").exists()
    vop = (output / "initiatief" / "vop" / "index.html").read_text(encoding="utf-8")
    assert "application/atom+xml" not in vop and 'id="wijzigingen"' not in vop


def test_the_pages_workflow_checks_out_the_whole_history():
    import yaml

    from .conftest import REPO

    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    build = workflow["jobs"]["build"]
    checkout = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    assert any("kaart build" in s.get("run", "") for s in build["steps"])


def test_a_factsheet_shows_five_changes_and_counts_the_older_ones(site_root, build_site):
    script_history(site_root)
    path = site_root / "initiatives" / "imw.yaml"
    for day in range(1, 7):
        edit(path, 'laatst_nagekeken: "', f'laatst_nagekeken: "2026-06-0{day}"\n# ')
        commit(site_root, f"Review {day}", f"2026-06-0{day}T09:00:00+02:00")
    problems, output = build_site()
    assert problems == []
    imw = text_of(output / "initiatief" / "imw" / "index.html")
    assert imw.count("opnieuw nagekeken") == 5 and "6 juni 2026" in imw and "2 juni 2026" in imw
    assert "1 juni 2026" not in imw and "op de kaart gezet" not in imw
    assert "(deze fiche heeft er nog 2 oudere)" in imw
