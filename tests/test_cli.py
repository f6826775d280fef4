"""The `kaart` command as a contributor and CI use it."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from kaart.build import live
from kaart.build.site import build
from kaart.cli import main
from kaart.core import store
from tests.test_site import tree_digest

from .conftest import REPO


def test_validate_is_clean_on_a_valid_project(site_root, capsys):
    assert main(["--root", str(site_root), "validate"]) == 0
    assert "OK: 4 initiatieven en 1 organisaties" in capsys.readouterr().err


def test_validate_exits_1_with_located_errors(site_root, write_sheet, capsys):
    write_sheet("initiatives/x.yaml", "type: initiatief\nid: x\ntitel: 5\n")
    assert main(["--root", str(site_root), "validate"]) == 1
    out = capsys.readouterr().out
    assert "initiatives/x.yaml:3:8: error: verwacht tekst, gevonden een getal" in out


def test_validate_github_format_writes_annotations(site_root, write_sheet, capsys):
    write_sheet("initiatives/x.yaml", "type: initiatief\nid: x\nid: y\n")
    assert main(["--root", str(site_root), "validate", "--format", "github"]) == 1
    assert capsys.readouterr().out.strip() == (
        "::error file=initiatives/x.yaml,line=3,col=1::de sleutel 'id' staat er twee keer (eerder op regel 2; houd er één)")


RUN_OVER = "trefwoorden:\n  - SINE\n    - sociale economie\n"  # the second item indented too deep
RUN_OVER_WARNING = ("initiatives/sine.yaml:14:5: warning: dit lijstitem loopt over 2 regels en wordt één waarde: "
                    "'SINE - sociale economie' (bedoel je een apart item? zet '- sociale economie' recht onder "
                    "'- SINE'; is het één lange tekst, zet hem dan tussen aanhalingstekens)")


def add_run_over_item(site_root):
    path = site_root / "initiatives" / "sine.yaml"
    path.write_text(path.read_text(encoding="utf-8") + RUN_OVER, encoding="utf-8")


def test_validate_prints_a_warning_and_still_exits_0(site_root, capsys):
    add_run_over_item(site_root)
    assert main(["--root", str(site_root), "validate"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [RUN_OVER_WARNING]
    assert "OK: 4 initiatieven en 1 organisaties, met 1 waarschuwing(en)." in err


def test_validate_github_format_writes_a_warning_annotation(site_root, capsys):
    add_run_over_item(site_root)
    assert main(["--root", str(site_root), "validate", "--format", "github"]) == 0
    assert capsys.readouterr().out.strip() == (
        "::warning file=initiatives/sine.yaml,line=14,col=5::dit lijstitem loopt over 2 regels en wordt één waarde: "
        "'SINE - sociale economie' (bedoel je een apart item? zet '- sociale economie' recht onder '- SINE'; is het "
        "één lange tekst, zet hem dan tussen aanhalingstekens)")


def test_validate_with_an_error_and_a_warning_exits_1_and_counts_both(site_root, write_sheet, capsys):
    add_run_over_item(site_root)
    write_sheet("initiatives/x.yaml", "type: initiatief\nid: x\ntitel: 5\n")
    assert main(["--root", str(site_root), "validate"]) == 1
    out, err = capsys.readouterr()
    assert RUN_OVER_WARNING in out.splitlines()
    assert "initiatives/x.yaml:3:8: error: verwacht tekst, gevonden een getal" in out
    assert re.search(r"^[1-9][0-9]* fout\(en\) en 1 waarschuwing\(en\) gevonden\.$", err, re.M)


def test_build_prints_a_warning_and_builds_the_site(site_root, capsys, tmp_path):
    add_run_over_item(site_root)
    status = main(["--root", str(site_root), "build", "--output", str(tmp_path / "out"),
                   "--settings", str(REPO / "pelicanconf.py")])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert RUN_OVER_WARNING in err.splitlines()
    assert "Site gebouwd" in out and (tmp_path / "out" / "index.html").is_file()


def test_a_build_stopped_by_an_error_shows_the_warnings_too(site_root, write_sheet, capsys, tmp_path):
    add_run_over_item(site_root)
    write_sheet("initiatives/x.yaml", "- niet een fiche\n")
    status = main(["--root", str(site_root), "build", "--output", str(tmp_path / "out"),
                   "--settings", str(REPO / "pelicanconf.py")])
    assert status == 1
    err = capsys.readouterr().err.splitlines()
    assert RUN_OVER_WARNING in err
    assert f"1 fout(en) en 1 waarschuwing(en); de vorige site in {tmp_path / 'out'}/ is niet gewijzigd." in err


def test_build_failure_exits_1_and_says_the_old_site_is_kept(site_root, write_sheet, capsys, tmp_path):
    write_sheet("initiatives/x.yaml", "- niet een fiche\n")
    status = main(["--root", str(site_root), "build", "--output", str(tmp_path / "out"),
                   "--settings", str(REPO / "pelicanconf.py")])
    assert status == 1
    err = capsys.readouterr().err
    assert "initiatives/x.yaml:1:1: error:" in err and "niet gewijzigd" in err
    assert not (tmp_path / "out").exists()


def test_new_refuses_an_existing_id(site_root, capsys):
    assert main(["--root", str(site_root), "new", "imw"]) == 1
    assert "bestaat al" in capsys.readouterr().err


def test_search_prints_ranked_results_with_file_paths(capsys):
    from .conftest import REPO

    assert main(["--root", str(REPO), "search", "stages", "--soort", "opleiding"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(" 1. initiatives/")
    assert {"initiatives/bvs.yaml", "initiatives/wes.yaml", "initiatives/os.yaml", "initiatives/bis.yaml"} <= {
        line.split()[1] for line in lines}


def test_search_without_results_exits_1(site_root, capsys):
    assert main(["--root", str(site_root), "search", "xyzzyplugh"]) == 1
    assert "Geen fiches gevonden" in capsys.readouterr().err


def test_search_keeps_its_index_and_sees_a_changed_factsheet(site_root, capsys):
    assert main(["--root", str(site_root), "search", "premie"]) == 0
    assert (site_root / ".cache" / "kaart" / "whoosh").is_dir()
    path = site_root / "initiatives" / "sine.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "samenvatting: Een maatregel", "samenvatting: Een zeldzaamwoord-maatregel"), encoding="utf-8")
    capsys.readouterr()
    assert main(["--root", str(site_root), "search", "zeldzaamwoord"]) == 0
    assert "initiatives/sine.yaml" in capsys.readouterr().out


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.2)
    raise AssertionError("timed out")


class Serving:
    """`kaart serve` as typed, in a process of its own, and what it has printed so far."""

    def __init__(self, root: Path, output: Path, settings: Path = REPO / "pelicanconf.py") -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kaart.cli", "--root", str(root), "serve", "--port", str(self.port), "--output",
             str(output), "--settings", str(settings)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self._lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [self._lines.put(line) for line in self.process.stdout], daemon=True).start()
        self.seen: list[str] = []

    def printed(self, text: str, after: str = "") -> int:
        """How many lines printed so far hold `text` (only those after the first that holds `after`)."""
        while not self._lines.empty():
            self.seen.append(self._lines.get())
        lines = self.seen
        if after:
            first = next((n for n, line in enumerate(lines) if after in line), len(lines))
            lines = lines[first + 1:]
        return sum(text in line for line in lines)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        assert self.process.wait(timeout=30) == 0


def test_serve_rebuilds_after_a_change_and_keeps_the_site_on_an_error(site_root, tmp_path):
    serving = Serving(site_root, tmp_path / "out")

    def page() -> str:
        with urllib.request.urlopen(f"{serving.url}/initiatief/imw/") as response:
            return response.read().decode("utf-8")

    sheet = site_root / "initiatives" / "imw.yaml"
    try:
        wait_for(lambda: serving.printed("Bekijk de site"))
        assert "Individueel maatwerk (IMW)" in page()
        # A new folder: the pages are served first, the search index follows.
        wait_for(lambda: serving.printed("Zoekindex bijgewerkt"))
        assert (tmp_path / "out" / "pagefind" / "pagefind.js").is_file()
        sheet.write_text(sheet.read_text(encoding="utf-8").replace("titel: Individueel maatwerk", "titel: Maatwerk voor iedereen"),
                         encoding="utf-8")
        wait_for(lambda: "Maatwerk voor iedereen" in page())
        assert serving.printed("Gewijzigd: initiatives/imw.yaml")

        sheet.write_text("type: initiatief\nid: imw\ntitel: [\n", encoding="utf-8")
        wait_for(lambda: serving.printed("initiatives/imw.yaml:3:8: error:"))
        assert serving.printed("niet gewijzigd")
        assert "Maatwerk voor iedereen" in page()  # the last good site is still served
    finally:
        serving.stop()


def test_serve_starts_with_a_broken_factsheet_and_builds_once_it_is_fixed(site_root, tmp_path):
    sheet = site_root / "initiatives" / "imw.yaml"
    good = sheet.read_text(encoding="utf-8")
    sheet.write_text("type: initiatief\nid: imw\ntitel: [\n", encoding="utf-8")
    serving = Serving(site_root, tmp_path / "out")

    def home() -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"{serving.url}/") as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    try:
        wait_for(lambda: serving.printed("Bekijk de site"))
        assert serving.printed("initiatives/imw.yaml:3:8: error:") and serving.printed("Verbeter de fout")
        status, text = home()
        assert status == 404 and "Er is nog geen site" in text and live.SCRIPT_PATH in text

        # Another serve on the same port says so before it builds anything.
        second = subprocess.run(
            [sys.executable, "-m", "kaart.cli", "--root", str(site_root), "serve", "--port", str(serving.port),
             "--output", str(tmp_path / "tweede"), "--settings", str(REPO / "pelicanconf.py")], capture_output=True,
            text=True, timeout=120)
        assert second.returncode == 2
        assert f"error: poort {serving.port} is niet vrij" in second.stderr and "Traceback" not in second.stderr
        assert not (tmp_path / "tweede").exists()

        sheet.write_text(good, encoding="utf-8")
        wait_for(lambda: serving.printed("Klaar in"))
        assert home()[0] == 200
    finally:
        serving.stop()


def test_the_command_ends_with_its_exit_code_and_everything_it_printed(site_root, write_sheet, tmp_path, monkeypatch):
    """`kaart` as typed (it ends without freeing the model object by object): output into pipes,
    which the process buffers, arrives in full, and the exit code is the command's."""
    command = [sys.executable, "-m", "kaart.cli", "--root", str(site_root), "build", "--output", str(tmp_path / "site"),
               "--settings", str(REPO / "pelicanconf.py")]
    # Two workers: the files are checked ahead, in processes forked before the build is imported.
    env = {**os.environ, "KAART_WORKERS": "2"}
    built = subprocess.run(command, capture_output=True, text=True, timeout=600, env=env)
    assert built.returncode == 0 and built.stdout.endswith(f"Site gebouwd in {tmp_path / 'site'}/\n")
    monkeypatch.setenv("KAART_NO_CACHE", "1")
    assert build(site_root, tmp_path / "plain", REPO / "pelicanconf.py") == []
    assert tree_digest(tmp_path / "site") == tree_digest(tmp_path / "plain")
    built_site = tree_digest(tmp_path / "site")
    write_sheet("initiatives/kapot.yaml", "type: initiatief\nid: kapot\ntitel: [\n")
    failed = subprocess.run(command, capture_output=True, text=True, timeout=600, env=env)
    assert failed.returncode == 1
    assert "initiatives/kapot.yaml:3:8: error:" in failed.stderr and failed.stderr.endswith("is niet gewijzigd.\n")
    assert tree_digest(tmp_path / "site") == built_site, "the previous site is left as it was"


def test_a_missing_project_folder_is_one_line_and_creates_nothing(tmp_path, capsys):
    missing = tmp_path / "bestaat-niet"
    assert main(["--root", str(missing), "validate"]) == 2
    assert main(["--root", str(missing), "build"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"error: de projectmap {missing} bestaat niet (geef met --root de map met initiatives/)"] * 2
    assert not missing.exists()


def test_a_folder_that_is_no_project_and_a_path_outside_it_are_refused(site_root, tmp_path, capsys):
    assert main(["--root", str(tmp_path), "validate"]) == 2
    assert "is geen kaart-project" in capsys.readouterr().err
    assert main(["--root", str(site_root), "validate", str(tmp_path / "elders.yaml")]) == 2
    assert "ligt buiten het project" in capsys.readouterr().err


def test_build_without_settings_or_into_an_unwritable_place_is_one_line(site_root, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KAART_WORKERS", "2")  # the files are checked ahead, and those checks dropped
    assert main(["--root", str(site_root), "build"]) == 2
    assert "de instellingen" in capsys.readouterr().err
    assert store._early is None
    # A place no folder can be made (a file where a folder should be): as a full disk or a
    # read-only folder, an OSError, also for root, which may write into read-only folders.
    blocked = tmp_path / "een-bestand"
    blocked.write_text("geen map")
    status = main(["--root", str(site_root), "build", "--output", str(blocked / "site"),
                   "--settings", str(REPO / "pelicanconf.py")])
    assert status == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"error: kan de site niet schrijven naar {blocked / 'site'}/")


def test_the_build_modules_are_imported_without_garbage_collection_running():
    # In a fresh interpreter: the thousand modules a build imports set off collections that find
    # nothing to free; `kaart build` imports them with automatic collection paused, then resumes it
    # (a collection right after the imports is fine: only those during an import are counted).
    probe = """
import gc, sys
import kaart.cli as cli
import kaart.core.store  # as in `kaart build`, whose checks start before these imports
collections = []  # those that started while a module was being imported

def importing():
    frame = sys._getframe()
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False

gc.callbacks.append(lambda phase, info: collections.append(info["generation"]) if phase == "start" and importing() else None)
{how}
print(len(collections), gc.isenabled(), "kaart.build.plugin" in sys.modules, "pelican" in sys.modules)
"""

    def run(how: str) -> list[str]:
        return subprocess.run([sys.executable, "-c", probe.format(how=how)], capture_output=True, text=True,
                              check=True).stdout.split()

    paused = run("cli._import_build_modules()")
    assert paused == ["0", "True", "True", "True"]
    plain = run("import kaart.build.plugin, pelican.settings")
    assert int(plain[0]) > 10 and plain[1:] == ["True", "True", "True"], "the control must collect"
