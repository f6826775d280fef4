"""Stage timings: measured per named stage, parts indented and not counted twice."""

from __future__ import annotations

import time

from kaart.core import timing


def test_stages_add_up_in_order_and_parts_are_not_counted_twice():
    timing.reset()
    with timing.stage("lezen"):
        time.sleep(0.01)
    with timing.stage("schrijven"), timing.stage("  deel"):
        time.sleep(0.01)
    with timing.stage("lezen"):
        time.sleep(0.01)
    stages = timing.stages()
    assert list(stages) == ["lezen", "schrijven", "  deel"]
    assert stages["lezen"] >= 0.02
    total = float(timing.report().splitlines()[-1].split()[-2])
    assert abs(total - (stages["lezen"] + stages["schrijven"])) < 0.01


def test_the_build_records_its_stages(build_site):
    problems, _ = build_site()
    assert problems == []
    stages = timing.stages()
    assert "fiches lezen en controleren" in stages
    assert "uitvoer: factsheets" in stages
    # Written beside Pagefind at low priority: said so, since the time includes waiting for the CPU.
    assert "uitvoer naast Pagefind: matrix" in stages and "uitvoer: matrix" not in stages
    assert "zoekindex (Pagefind) afwachten" in stages


def test_a_failure_inside_a_stage_that_reset_the_timings_is_not_masked():
    import pytest

    from kaart.core import timing

    with pytest.raises(ZeroDivisionError):
        with timing.stage("uitvoer: factsheets"):
            timing.reset()
            1 / 0
