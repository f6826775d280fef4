"""The benchmark script runs end to end at a small size (a smoke test; no time is asserted)."""

from __future__ import annotations

import subprocess
import sys

from .conftest import REPO


def test_benchmark_prints_its_figures_at_a_small_size():
    # Also kaart against plain Pelican + stock Pagefind, and titles saved in a running `kaart serve`.
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "bench.py"), "20", "--rounds", "2"],
                            capture_output=True, text=True, timeout=300, cwd=REPO)
    assert result.returncode == 0, result.stderr
    for line in ("== 20 factsheets", "full build (s)", "ratio kaart/plain", "peak memory (MB)", "one-file rebuild (s)",
                 "stock Pagefind alone (s)", "ratio kaart/(Pelican+Pagefind)", "median of 5 edits",
                 "Cold builds in turn, 2 rounds", "round 2:", "median ratio, cache off",
                 "edit to served page (s)", "edit to 'Klaar' (s)", "edit to search index (s)"):
        assert line in result.stdout, result.stdout


def test_history_benchmark_prints_what_the_history_adds_at_a_small_size():
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "bench.py"), "20", "--history", "15"],
                            capture_output=True, text=True, timeout=300, cwd=REPO)
    assert result.returncode == 0, result.stderr
    for line in ("== 20 factsheets, 15 commits", "full build, cold (s)", "rebuild, warm (s)", "geschiedenis lezen"):
        assert line in result.stdout, result.stdout


def test_benchmark_rounds_run_on_factsheets_with_realistic_text():
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "bench.py"), "20", "--realistic", "--only-rounds",
                             "--rounds", "1"], capture_output=True, text=True, timeout=300, cwd=REPO)
    assert result.returncode == 0, result.stderr
    for line in ("== 20 factsheets (realistic text) ==", "round 1:", "median ratio, cache off"):
        assert line in result.stdout, result.stdout
