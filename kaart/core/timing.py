"""Where a build spends its time: named stages, measured with a wall clock, printed on request.

`kaart build --tijden` prints them; `scripts/bench.py` reads them to show where time goes.
Measuring is always on (it costs a clock read per stage); nothing asserts a time.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

_stages: dict[str, float] = {}
# Parts shared by every page, whichever stage writes it: listed after the stages.
EVERY_PAGE = "  alle pagina's: "


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Add the wall time of the `with` block to the stage `name` (a stage may run in parts)."""
    _stages.setdefault(name, 0.0)  # listed where it first starts: parts come after their stage
    start = time.perf_counter()
    try:
        yield
    finally:
        # .get: the block may have reset the measurements (a share of pages measures on its own);
        # a missing entry must never replace the block's own exception with a KeyError.
        _stages[name] = _stages.get(name, 0.0) + time.perf_counter() - start


def add(measured: dict[str, float]) -> None:
    """Add stages measured elsewhere (a worker process): a part then sums over all processes."""
    for name, seconds in measured.items():
        _stages[name] = _stages.get(name, 0.0) + seconds


def reset() -> None:
    _stages.clear()


def stages() -> dict[str, float]:
    """The stages measured since the last reset, in the order they first ran."""
    return dict(_stages)


def report() -> str:
    """One line per stage; indented stages are parts of the stage above them, not added to the total.

    Parts done in worker processes add up over all of them (more than the wall time of the stage)."""
    total = sum(seconds for name, seconds in _stages.items() if not name.startswith(" "))
    ordered = sorted(_stages.items(), key=lambda item: item[0].startswith(EVERY_PAGE))  # stable
    lines = [f"{name:<56}{seconds:8.2f} s" for name, seconds in ordered]
    return "\n".join(lines + [f"{'totaal gemeten':<56}{total:8.2f} s"])
