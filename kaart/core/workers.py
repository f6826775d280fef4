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
import tempfile
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any, TypeVar

Result = TypeVar("Result")

# Below this many items a worker costs more to start than it saves.
MIN_ITEMS_PER_WORKER = 250
MAX_WORKERS = 4

_job: tuple[Callable[[Sequence[Any]], Any], Sequence[Any], int] | None = None
_building = False  # inside `frozen_while_building`


@contextmanager
def frozen_while_building() -> Iterator[None]:
    """For one build: what `freeze_long_lived` and the forks of `map_shares` put out of garbage
    collection stays out until the build ends. A full collection walks every object it tracks, and
    a build holds millions (the model, the pages' contexts): at 5,000 factsheets sixteen of them
    took 1.6 s of the build's own process. Objects that are garbage only through a cycle among
    them wait for the end of the build; everything else is freed as usual."""
    global _building
    _building = True
    try:
        yield
    finally:
        _building = False
        gc.unfreeze()


@contextmanager
def collection_paused(outside_builds: bool = False) -> Iterator[None]:
    """Inside a build (or anywhere, with `outside_builds`), while objects are made that live as long
    as the process: the model being read, or the modules a build imports. The collections their
    growth sets off walk ever more objects and find next to nothing (five, 0.4 s, while reading
    5,000 factsheets; two hundred, 0.05 s, while importing). Collection is as it was afterwards."""
    if not (_building or outside_builds) or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def freeze_long_lived() -> None:
    """Inside a build: put everything alive now (e.g. the model just read) out of collection."""
    if _building:
        gc.freeze()


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
    if threading.current_thread() is not threading.main_thread():
        # Off the main thread (kaart serve finishes its search index in one while it rebuilds in the
        # main thread): no fork, which could copy a lock another thread holds and clash over `_job`.
        return [work(items[index::workers]) for index in range(workers)]
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
        if not _building:
            gc.unfreeze()


def _run_share(index: int) -> Any:
    assert _job is not None, "workers are forked after the job is set"
    work, items, workers = _job
    return work(items[index::workers])


LOW_PRIORITY = 19  # the highest niceness: the thread runs when the cores have nothing else to do


def at_low_priority(work: Callable[[], Result], stop: Callable[[], None] | None = None) -> Result:
    """Run `work` in a thread of its own at the lowest priority while this thread waits for it.

    On Linux a thread's niceness is its own, so the calling thread (kaart serve's main thread, for
    one) keeps its priority; a process's niceness could never be lowered again without privileges.
    `map_shares` within `work` makes every share in that thread (it never forks off the main
    thread), which suits: forked workers would take the niceness along. Elsewhere, `work` simply
    runs here. If the wait is interrupted (Ctrl-C), `stop` is called to make `work` end soon, and
    `work` ends before the interruption is passed on: nothing goes on writing into a folder the
    caller is about to remove."""
    if not sys.platform.startswith("linux") or os.environ.get("KAART_NO_LOW_PRIORITY"):
        return work()
    outcome: list[Any] = []
    finished = threading.Event()  # waited on rather than the thread: an interrupted join marks it ended

    def run() -> None:
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), LOW_PRIORITY)
            outcome.append((True, work()))
        except BaseException as error:  # handed to the waiting thread
            outcome.append((False, error))
        finally:
            finished.set()

    threading.Thread(target=run, name="kaart-low-priority", daemon=True).start()
    try:
        finished.wait()
    except BaseException:  # a second interruption does not wait
        if stop is not None:
            stop()
        finished.wait()
        raise
    done, value = outcome[0]
    if not done:
        raise value
    return value


def can_fork() -> bool:
    """Whether work can go to a forked process that runs beside this one (Linux, two cores or more)."""
    if os.environ.get("KAART_WORKERS"):
        return int(os.environ["KAART_WORKERS"]) > 1
    if not sys.platform.startswith("linux") or "fork" not in multiprocessing.get_all_start_methods():
        return False
    return len(os.sched_getaffinity(0)) > 1 if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1) > 1


class Ahead:
    """A result computed in a forked process while this one goes on with other work; where that is
    not possible, or the process fails, it is computed here when first asked for. Either way
    `result()` returns exactly what `compute()` returns."""

    def __init__(self, compute: Callable[[], bytes]) -> None:
        self._compute = compute
        self._child: tuple[int, IO[bytes]] | None = None  # process id, the file it writes its result to
        if not can_fork():
            return
        # A file, not a pipe: into a full pipe the child would wait, holding its memory (150 MB at
        # 5,000 factsheets, beside Pagefind's peak), until the result is asked for.
        output = tempfile.TemporaryFile()  # noqa: SIM115 (closed by result() or the finalizer)
        pid = os.fork()
        if pid == 0:  # the child: compute, hand the bytes over, leave without running any cleanup
            code = 1
            try:
                gc.disable()  # a collection would touch (and so copy) every object of the parent
                data = compute()
                with open(output.fileno(), "wb", closefd=False) as out:
                    out.write(data)
                code = 0
            finally:
                os._exit(code)
        self._child = (pid, output)
        # Never asked for (the build failed first): the child is stopped and reaped with this object.
        self._finalizer = weakref.finalize(self, _stop_child, pid, output)

    def result(self) -> bytes:
        if self._child is None:
            return self._compute()
        pid, output = self._child
        self._child = None
        self._finalizer.detach()
        with output:
            _, status = os.waitpid(pid, 0)
            output.seek(0)
            data = output.read()
        return data if os.waitstatus_to_exitcode(status) == 0 else self._compute()


def _stop_child(pid: int, output: IO[bytes]) -> None:
    try:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
    output.close()
