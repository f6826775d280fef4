"""kaart's own scripts ship without comments and indentation, and still run the same."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from kaart.build.assets import compact

from .conftest import REPO


def test_only_comment_lines_blank_lines_and_indentation_go():
    source = '// a comment\nconst a = "http://x"; // keeps its tail\n\n  if (a) {\n    run();\n  }\n'
    assert compact(source) == 'const a = "http://x"; // keeps its tail\nif (a) {\nrun();\n}\n'


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js checks the syntax; the browser tests run the scripts")
def test_every_own_script_is_still_valid_javascript(tmp_path):
    for path in sorted((REPO / "theme" / "static" / "js").glob("*.js")):
        small = tmp_path / path.name
        small.write_text(compact(path.read_text(encoding="utf-8")), encoding="utf-8")
        module = "--input-type=module" if "export " in small.read_text() or "import(" in small.read_text() else None
        command = ["node", "--check", str(small)] if module is None else ["node", "--input-type=module", "--check"]
        result = subprocess.run(command, input=small.read_text() if module else None, capture_output=True, text=True)
        assert result.returncode == 0, (path.name, result.stderr)


def test_the_built_site_serves_the_compact_scripts(shipped_site):
    built = (shipped_site / "theme" / "js" / "search.js").read_text(encoding="utf-8")
    assert built == compact((REPO / "theme" / "static" / "js" / "search.js").read_text(encoding="utf-8"))
    assert (shipped_site / "theme" / "vendor").is_dir()
