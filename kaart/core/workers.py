"""Share work between processes: the factsheet pages of a large site are made on every core.

Workers are forked, so they start with everything the build has prepared (the knowledge base,
the Jinja environment, the caches) without pickling it; only each worker's small result comes
back. Forking is only safe where the system libraries allow it: on Linux. Elsewhere (macOS,
whose frameworks are not fork-safe, and Windows), or when the work is small, it runs here.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Result = TypeVar("Result")

# Below this many items a worker costs more to start than it saves.
MIN_ITEMS_PER_WORKER = 250
MAX_WORKERS = 4

_job: tuple[Callable[[Sequence[Any]], Any], Sequence[Any], int] | None = None


def worker_count(items: int) -> int:
    """From KAART_WORKERS if set, else one per available core, as far as the work is worth it."""
    wanted = os.environ.get("KAART_WORKERS")
    if wanted:
        return max(1, int(wanted))
    if not sys.platform.startswith("linux") or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, MAX_WORKERS, items // MIN_ITEMS_PER_WORKER))


def map_shares(work: Callable[[Sequence[Any]], Result], items: Sequence[Any], workers: int) -> list[Result]:
    """Split `items` into `workers` interleaved shares and return `work(share)` for each, in order.

    This process works on the first share while forked workers do the others.
    """
    global _job
    if workers <= 1:
        return [work(items)]
    _job = (work, items, workers)
    # Objects that exist before the fork are left out of garbage collection while the workers run:
    # a collection in a worker would write to every one of them and so copy the parent's memory
    # page by page.
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers - 1) as pool:
            others = pool.map_async(_run_share, range(1, workers))
            first = work(items[0::workers])
            return [first, *others.get()]
    finally:
        _job = None
        gc.unfreeze()


def _run_share(index: int) -> Any:
    assert _job is not None, "workers are forked after the job is set"
    work, items, workers = _job
    return work(items[index::workers])
