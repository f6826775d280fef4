"""Reading what changed from the project's git history: one day's net change per factsheet, in plain
Dutch, following renames; no history (no git, a shallow clone) is a note, never an error."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from kaart.content import history as history_module
from kaart.content.history import describe, read_history
from kaart.content.project import read_knowledge_base
from kaart.core.store import Store

NEW_SHEET = """\
type: initiatief
id: jobcoaching
titel: Jobcoaching op de werkvloer
samenvatting: Een jobcoach begeleidt een nieuwe werknemer de eerste maanden op de werkvloer.
cellen:
  - {situatie: actief, soort: begeleiding}
status: actief
bronnen:
  - {deck: netwerk-2022, dia: Mapping initiatieven}
laatst_nagekeken: "2026-03-15"
"""


def git(root: Path, *args: str, date: str = "2026-01-05T10:00:00+01:00") -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(name, None)
    result = subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org",
                             "-c", "commit.gpgsign=false", *args], cwd=root, env=env, check=True,
                            capture_output=True, text=True)
    return result.stdout


def commit(root: Path, message: str, date: str) -> None:
    git(root, "add", "-A", date=date)
    git(root, "commit", "-q", "-m", message, date=date)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def script_history(root: Path) -> None:
    """The fixture project with four commits after the first: a status change (February), a new
    and a removed factsheet (March), a renamed file (April)."""
    git(root, "init", "-q", "-b", "main")
    commit(root, "Start", "2026-01-05T10:00:00+01:00")
    edit(root / "initiatives" / "vop.yaml", "status: uitdovend", "status: afgeschaft")
    commit(root, "VOP abolished", "2026-02-10T09:30:00+01:00")
    (root / "initiatives" / "jobcoaching.yaml").write_text(NEW_SHEET, encoding="utf-8")
    (root / "initiatives" / "sine.yaml").unlink()
    commit(root, "Jobcoaching added, SINE removed", "2026-03-15T14:00:00+01:00")
    git(root, "mv", "initiatives/weeraandeslag.yaml", "initiatives/weer-aan-de-slag.yaml")
    edit(root / "initiatives" / "weer-aan-de-slag.yaml", "id: weeraandeslag", "id: weer-aan-de-slag")
    edit(root / "organisations" / "vdab.yaml", "doel: weeraandeslag", "doel: weer-aan-de-slag")
    commit(root, "Weeraandeslag renamed", "2026-04-20T11:00:00+02:00")


@pytest.fixture
def history_root(site_root: Path) -> Path:
    """The fixture project with a scripted git history."""
    script_history(site_root)
    return site_root


def read(root: Path, store: Store | None = None):
    kb, problems = read_knowledge_base(root)
    assert problems == [] and kb is not None, problems
    return kb, read_history(root, kb, store)


def test_each_scripted_change_is_read_on_its_day(history_root):
    _, history = read(history_root)
    assert history.available and history.note is None
    found = {(c.date.isoformat(), c.kind, c.sheet_id): c for c in history.changes}
    vop = found[("2026-02-10", "gewijzigd", "vop")]
    assert vop.details == ("status: uitdovend \u2192 afgeschaft",)
    assert found[("2026-03-15", "nieuw", "jobcoaching")].on_map
    removed = found[("2026-03-15", "verwijderd", "sine")]
    assert (removed.titel, removed.on_map, removed.url) == ("Sociale inschakelingseconomie", False, None)
    renamed = found[("2026-04-20", "hernoemd", "weer-aan-de-slag")]
    assert renamed.previous_id == "weeraandeslag" and renamed.details == ()
    assert found[("2026-04-20", "gewijzigd", "vdab")].details == ("relaties gewijzigd",)


def test_changes_are_newest_first_and_the_start_is_the_first_day(history_root):
    _, history = read(history_root)
    dates = [c.date for c in history.changes]
    assert dates == sorted(dates, reverse=True)
    assert dates[-1] == dt.date(2026, 1, 5)
    assert {c.kind for c in history.changes if c.date == dt.date(2026, 1, 5)} == {"nieuw"}


def test_a_sheet_keeps_its_history_through_a_rename(history_root):
    _, history = read(history_root)
    kinds = [(c.date.isoformat(), c.kind) for c in history.of_sheet("weer-aan-de-slag")]
    assert kinds == [("2026-04-20", "hernoemd"), ("2026-01-05", "nieuw")]
    assert history.of_sheet("weeraandeslag") == ()


def test_one_day_is_one_net_change_and_layout_is_no_change(history_root):
    path = history_root / "initiatives" / "imw.yaml"
    edit(path, "type: initiatief", "# a comment that changes nothing\ntype: initiatief")
    commit(history_root, "Comment only", "2026-05-02T09:00:00+02:00")
    edit(path, "status: actief", "status: uitdovend")
    commit(history_root, "IMW winding down", "2026-05-03T09:00:00+02:00")
    edit(path, "status: uitdovend", "status: afgeschaft")
    commit(history_root, "IMW abolished", "2026-05-03T16:00:00+02:00")
    _, history = read(history_root)
    imw = [c for c in history.of_sheet("imw") if c.date >= dt.date(2026, 5, 1)]
    assert [(c.date.isoformat(), c.details) for c in imw] == [("2026-05-03", ("status: actief \u2192 afgeschaft",))]
    assert imw[0].updated == "2026-05-03T16:00:00+02:00"


def test_fields_are_described_in_plain_dutch_never_as_a_diff():
    source = {"deck": "netwerk-2022", "dia": "Mapping initiatieven"}
    contact = {"naam": "Onthaal", "telefoon": "09 123 45 67", "bron": source}
    before = {"type": "initiatief", "id": "x", "titel": "Oud", "samenvatting": "Een.", "status": "actief",
              "bronnen": [source], "contact": [contact], "doelgroepen": ["werkzoekenden"],
              "kenmerken": {"duur": {"waarde": "6 maanden", "bron": source}}, "laatst_nagekeken": "2026-01-01"}
    after = {**before, "titel": "Nieuw", "samenvatting": "Twee.", "status": "afgeschaft",
             "bronnen": [source, {"url": "https://example.org/", "titel": "Pagina", "geraadpleegd": "2026-02-01"}],
             "contact": [{**contact, "telefoon": "09 765 43 21"}], "doelgroepen": ["werkzoekenden", "werknemers"],
             "kenmerken": {"duur": {"waarde": "12 maanden", "bron": source}}, "einde": "2026-12-31",
             "laatst_nagekeken": "2026-02-01"}
    texts = ["".join(p if isinstance(p, str) else p.id for p in detail) for detail in describe(before, after)]
    assert texts == [
        "titel: \u201cOud\u201d \u2192 \u201cNieuw\u201d",
        "samenvatting gewijzigd",
        "nieuwe doelgroep: Werknemers",
        "status: actief \u2192 afgeschaft",
        "einde: \u2014 \u2192 31 december 2026",
        "\u2018duur\u2019 gewijzigd",
        "contact gewijzigd",
        "nieuwe bron",
        "opnieuw nagekeken (1 februari 2026)",
    ]


def test_a_factsheet_named_in_a_change_is_called_by_its_current_title(history_root):
    path = history_root / "initiatives" / "vop.yaml"
    edit(path, "status: afgeschaft", "status: afgeschaft\nrelaties:\n  - {type: zie-ook, doel: jobcoaching}")
    commit(history_root, "Relation", "2026-05-10T09:00:00+02:00")
    _, history = read(history_root)
    assert history.of_sheet("vop")[0].details == ("nieuwe relatie: zie ook Jobcoaching op de werkvloer",)


def test_without_git_there_is_no_history_and_a_note_says_why(site_root):
    _, history = read(site_root)
    assert not history.available and history.changes == ()
    assert "geen git-repository" in history.note


def test_a_repository_without_commits_of_the_factsheets_has_no_history(site_root):
    git(site_root, "init", "-q", "-b", "main")
    _, history = read(site_root)
    assert not history.available and history.changes == ()
    (site_root / "LEESMIJ.md").write_text("Nog geen fiches bewaard.\n", encoding="utf-8")
    git(site_root, "add", "LEESMIJ.md")
    git(site_root, "commit", "-q", "-m", "Readme only")
    _, history = read(site_root)
    assert not history.available and "nog niet in de git-geschiedenis" in history.note


def test_a_shallow_clone_has_no_history_and_a_note_says_how_to_fetch_it(history_root, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{history_root}", str(clone)], check=True)
    _, history = read(clone)
    assert not history.available and history.changes == ()
    assert "ondiepe kloon" in history.note and "fetch-depth: 0" in history.note


def test_without_the_git_program_there_is_no_history(history_root, monkeypatch):
    monkeypatch.setenv("PATH", str(history_root / "nowhere"))
    _, history = read(history_root)
    assert not history.available and "git is niet geïnstalleerd" in history.note


def test_the_log_is_read_once_and_versions_come_from_the_store_the_next_time(history_root, monkeypatch):
    calls = []
    real = history_module._git

    def counting(root, args, stdin=None):
        calls.append(args[0])
        return real(root, args, stdin)

    monkeypatch.setattr(history_module, "_git", counting)
    store = Store(history_root, "test")
    _, first = read(history_root, store)
    assert calls == ["log", "cat-file"]
    calls.clear()
    _, second = read(history_root, store)
    assert calls == ["log"]
    assert second == first


def test_the_history_follows_the_project_when_it_is_a_folder_of_a_larger_repository(tmp_path, site_root):
    outer = tmp_path / "outer"
    outer.mkdir()
    shutil.move(str(site_root), outer / "kaart")
    git(outer, "init", "-q", "-b", "main")
    commit(outer, "Start", "2026-01-05T10:00:00+01:00")
    edit(outer / "kaart" / "initiatives" / "vop.yaml", "status: uitdovend", "status: afgeschaft")
    commit(outer, "VOP abolished", "2026-02-10T09:30:00+01:00")
    _, history = read(outer / "kaart")
    assert history.of_sheet("vop")[0].details == ("status: uitdovend \u2192 afgeschaft",)
