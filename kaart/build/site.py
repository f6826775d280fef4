"""Stage 6: orchestration. Validate, let Pelican build into a temporary folder, then swap it in.

A failed build leaves the previous output exactly as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from kaart.build.mistakes import settings_problem, template_problem
from kaart.core import timing
from kaart.core.workers import frozen_while_building
from kaart.core.problems import Problem, ValidationFailed


def run_pelican(settings_file: Path, output: Path, overrides: dict | None = None) -> None:
    from pelican import Pelican
    from pelican.settings import read_settings

    settings = read_settings(str(settings_file), override={"OUTPUT_PATH": str(output),
                                                           "DELETE_OUTPUT_DIRECTORY": False,
                                                           **(overrides or {})})
    Pelican(settings).run()


def swap_in(new: Path, target: Path) -> Path | None:
    """Replace `target` by `new` with two renames on one filesystem; return where the old copy went.

    The old copy (`.<name>-old-*`) is deleted afterwards, in the background: removing thousands of
    files takes seconds and slows down a build writing to the same disk.
    """
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
        os.rmdir(old)
        os.replace(target, old)
    os.replace(new, target)
    return old


# Forks once more so that the deletion outlives the command without a process left to reap.
_REMOVE = """\
import os, shutil, sys
if hasattr(os, "fork") and os.fork():
    os._exit(0)
for path in sys.argv[1:]:
    shutil.rmtree(path, ignore_errors=True)
"""


def remove_in_background(folders: list[str]) -> None:
    """Delete swapped-out copies in a detached process; the build (or `kaart build`) does not wait.
    Not even for the process to start: a new interpreter takes 0.05 s before it forks the one that
    removes, which was on the build's path twice (the search index's scratch pages, the old site).
    A thread of its own waits for it, so that no finished process is left unreaped in `kaart serve`."""
    process = subprocess.Popen([sys.executable, "-c", _REMOVE, *folders], start_new_session=True,
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    threading.Thread(target=process.wait, name="kaart-opruimen", daemon=True).start()


def old_copies(output: Path) -> list[str]:
    """Copies earlier builds swapped out that are still there (their removal was cut short), and
    the half-written sites of builds that were killed (their process is gone)."""
    found = [p for p in output.parent.glob(f".{output.name}-old-*")]
    found += [p for p in output.parent.glob(f".{output.name}-new-*") if not _in_use(p)]
    return sorted(str(p) for p in found)


# In a site being built: the number of the process that builds it (removed before the swap).
BUILDER_FILE = ".kaart-bouwt"


def _in_use(staging: Path) -> bool:
    """A staging folder whose builder still runs (or that was made a moment ago, before its
    builder could write its number)."""
    try:
        pid = int((staging / BUILDER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        try:
            return time.time() - staging.stat().st_mtime < 60
        except OSError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def previous_site(settings: dict, site: Path) -> Path:
    """The site this build replaces, where its unchanged pages and search bundle can be taken from:
    `kaart build` and `kaart serve` name it (they build into a fresh folder); a plain Pelican run
    writes over its output folder, so that is where the last build is."""
    return Path(settings.get("KAART_PREVIOUS_OUTPUT") or site)


def build(root: Path, output: Path, settings_file: Path | None = None, quiet: bool = True) -> list[Problem]:
    """Build the site into `output`. Returns the problems that stopped it (empty on success).

    The factsheets are read once, by the plugin inside Pelican; bad input surfaces as
    ValidationFailed before any page is written.
    """
    output = output if output.is_absolute() else (root.resolve() / output)
    staging, problems = build_staging(root, output, settings_file, quiet)
    if staging is None:
        return problems
    with timing.stage("nieuwe site inwisselen"):
        old = swap_in(staging, output)
    if old is not None:
        remove_in_background([str(old)])
    return []


# The warnings of the build in progress, as the plugin found them (it prints them too): kaart serve
# shows them in the open tabs.
_warnings: list[Problem] = []


def report_warnings(problems: list[Problem]) -> None:
    _warnings[:] = problems


def build_staging(root: Path, output: Path, settings_file: Path | None = None, quiet: bool = True,
                  overrides: dict | None = None) -> tuple[Path | None, list[Problem]]:
    """Build the site that is to replace `output` in a new folder beside it; return that folder and
    the warnings of a build that went on, or None and the problems that stopped the build (the
    folder is gone again then)."""
    _warnings.clear()
    root = root.resolve()
    output = output if output.is_absolute() else (root / output)
    settings_file = settings_file or root / "pelicanconf.py"
    output.parent.mkdir(parents=True, exist_ok=True)
    if leftovers := old_copies(output) + stale_scratch_folders():
        remove_in_background(leftovers)
    staging = new_folder_beside(output)
    try:
        if quiet:
            logging.getLogger("pelican").setLevel(logging.WARNING)
        timing.reset()
        with frozen_while_building():
            run_pelican(settings_file, staging, {"KAART_ROOT": str(root), "KAART_PREVIOUS_OUTPUT": str(output),
                                                 **(overrides or {})})
        os.chmod(staging, 0o755)
        (staging / BUILDER_FILE).unlink()
    except ValidationFailed as failure:
        shutil.rmtree(staging, ignore_errors=True)
        return None, failure.problems
    except Exception as error:
        shutil.rmtree(staging, ignore_errors=True)
        if (problem := settings_problem(error, settings_file, root) or template_problem(error, root)) is not None:
            return None, [problem]
        raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging, list(_warnings)


def new_folder_beside(output: Path) -> Path:
    """A folder for work on the site that replaces `output`, marked with this process's number: a
    later build removes it once this process is gone (killed halfway)."""
    folder = Path(tempfile.mkdtemp(prefix=f".{output.name}-new-", dir=output.parent))
    (folder / BUILDER_FILE).write_text(str(os.getpid()), encoding="utf-8")
    return folder


# What Pagefind reads: the pages as it indexes them (a build writes these copies of its factsheet
# pages, without their late sections, kaart.features.output.LateSection, while it writes the pages
# themselves into the site), and trees of them in a fixed order (pagefind.start_indexing). In memory
# where there is room (Linux's /dev/shm): they cost next to nothing to write there.
MEMORY = Path("/dev/shm")
SCRATCH_PREFIX = "kaart-zoekinvoer-"
# Room asked of the memory folder per page, several times a factsheet page's size (15-45 KB): a
# container's small /dev/shm (64 MB by default in Docker) is passed over for the disk.
ROOM_PER_PAGE = 256 * 1024


def new_scratch_folder(output: Path, pages: int) -> Path:
    """A folder for the pages Pagefind reads, marked with this process's number (a later build removes
    it once this process is gone): in memory if it has room for this many pages, else beside `output`."""
    if _room_in(MEMORY) >= pages * ROOM_PER_PAGE:
        folder = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=MEMORY))
        (folder / BUILDER_FILE).write_text(str(os.getpid()), encoding="utf-8")
        return folder
    return new_folder_beside(output)


def _room_in(folder: Path) -> int:
    try:
        if not os.access(folder, os.W_OK):
            return 0
        stats = os.statvfs(folder)
    except (OSError, AttributeError):  # no such folder, or no statvfs (Windows)
        return 0
    return stats.f_bavail * stats.f_frsize


def stale_scratch_folders() -> list[str]:
    """Scratch folders in memory whose build was killed."""
    try:
        found = [p for p in MEMORY.glob(f"{SCRATCH_PREFIX}*") if not _in_use(p)]
    except OSError:
        return []
    return sorted(str(p) for p in found)
