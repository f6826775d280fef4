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
from pathlib import Path

from . import timing
from .problems import Problem, ValidationFailed


def run_pelican(settings_file: Path, output: Path, overrides: dict | None = None) -> None:
    from pelican import Pelican
    from pelican.settings import read_settings

    settings = read_settings(str(settings_file), override={"OUTPUT_PATH": str(output),
                                                           "DELETE_OUTPUT_DIRECTORY": False,
                                                           **(overrides or {})})
    Pelican(settings).run()


def swap_in(new: Path, target: Path) -> None:
    """Replace `target` by `new` with two renames on one filesystem.

    The old copy (`.<name>-old-*`) is not deleted here: removing thousands of files takes
    seconds, so the next build removes it while it works (`remove_old_copies`).
    """
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
        os.rmdir(old)
        os.replace(target, old)
    os.replace(new, target)


def remove_old_copies(output: Path) -> subprocess.Popen | None:
    """Delete the copies earlier builds swapped out, in a process of its own beside this build
    (a thread would compete with the build for the interpreter lock)."""
    old_copies = sorted(str(p) for p in output.parent.glob(f".{output.name}-old-*"))
    if not old_copies:
        return None
    code = "import shutil, sys\nfor path in sys.argv[1:]: shutil.rmtree(path, ignore_errors=True)"
    return subprocess.Popen([sys.executable, "-c", code, *old_copies])


def build(root: Path, output: Path, settings_file: Path | None = None, quiet: bool = True) -> list[Problem]:
    """Build the site into `output`. Returns the problems that stopped it (empty on success).

    The factsheets are read once, by the plugin inside Pelican; bad input surfaces as
    ValidationFailed before any page is written.
    """
    root = root.resolve()
    output = output if output.is_absolute() else (root / output)
    settings_file = settings_file or root / "pelicanconf.py"
    output.parent.mkdir(parents=True, exist_ok=True)
    remover = remove_old_copies(output)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-new-", dir=output.parent))
    try:
        if quiet:
            logging.getLogger("pelican").setLevel(logging.WARNING)
        timing.reset()
        run_pelican(settings_file, staging, {"KAART_ROOT": str(root)})
        os.chmod(staging, 0o755)
        with timing.stage("nieuwe site inwisselen"):
            swap_in(staging, output)
    except ValidationFailed as failure:
        shutil.rmtree(staging, ignore_errors=True)
        return failure.problems
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        if remover is not None:
            remover.wait()
    return []
