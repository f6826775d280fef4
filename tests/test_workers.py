"""Work shared between forked processes: every item once, results in share order."""

from __future__ import annotations

import os
import time
import sys
import threading

import pytest

from kaart.core import workers


def test_shares_cover_every_item_once_in_any_number_of_workers():
    items = list(range(23))
    for count in (1, 2, 3, 5):
        shares = workers.map_shares(lambda share: [(os.getpid(), item) for item in share], items, count)
        assert len(shares) == count
        assert sorted(item for share in shares for _, item in share) == items
        assert shares[0] == [(os.getpid(), item) for item in items[0::count]]  # this process does the first
        if count > 1:
            assert {pid for share in shares[1:] for pid, _ in share} != {os.getpid()}


def test_worker_count_follows_the_environment_and_the_amount_of_work(monkeypatch):
    monkeypatch.setenv("KAART_WORKERS", "3")
    assert workers.worker_count(1) == 3
    monkeypatch.delenv("KAART_WORKERS")
    assert workers.worker_count(10) == 1  # not worth a process
    assert 1 <= workers.worker_count(100_000) <= workers.MAX_WORKERS


def test_work_ahead_runs_in_another_process_and_gives_what_compute_gives(monkeypatch):
    monkeypatch.setenv("KAART_WORKERS", "2")
    parent = os.getpid()
    value = workers.Ahead(lambda: f"{os.getpid():>10}".encode() + b"." * 100_000).result()  # more than a pipe holds
    assert len(value) == 100_010 and int(value[:10]) != parent, "made whole, in another process"
    monkeypatch.setenv("KAART_WORKERS", "1")
    assert workers.Ahead(lambda: b"here").result() == b"here", "one core: computed when asked for"


def test_work_ahead_that_fails_is_computed_again_here_and_one_never_asked_for_is_stopped(monkeypatch):
    monkeypatch.setenv("KAART_WORKERS", "2")
    parent = os.getpid()

    def only_here() -> bytes:
        if os.getpid() != parent:
            raise RuntimeError("fails in the child")
        return b"here"

    assert workers.Ahead(only_here).result() == b"here"
    forgotten = workers.Ahead(lambda: time.sleep(30) or b"x")  # still working when forgotten
    pid = forgotten._child[0]
    del forgotten
    import gc

    gc.collect()
    try:
        os.waitpid(pid, os.WNOHANG)
        raise AssertionError("the child was not reaped")
    except ChildProcessError:
        pass


def test_work_ahead_ends_its_process_as_soon_as_its_result_is_made(monkeypatch):
    # A child waiting until its result is asked for would hold its memory all that time (150 MB at
    # 5,000 factsheets, when Pagefind needs the most).
    monkeypatch.setenv("KAART_WORKERS", "2")
    ahead = workers.Ahead(lambda: b"x" * 1_000_000)  # more than a pipe holds
    pid = ahead._child[0]
    deadline = time.monotonic() + 30
    while os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None, "ended before being asked"
    assert ahead.result() == b"x" * 1_000_000


def test_shares_off_the_main_thread_are_all_made_here():
    """kaart serve finishes its search index in a thread while the main thread may be building:
    forking there could copy a lock another thread holds, so the shares are worked on in place."""
    import threading

    items, results = list(range(23)), []
    thread = threading.Thread(target=lambda: results.append(
        workers.map_shares(lambda share: [(os.getpid(), item) for item in share], items, 3)))
    thread.start()
    thread.join()
    shares = results[0]
    assert len(shares) == 3 and [item for _, item in shares[1]] == items[1::3]
    assert {pid for share in shares for pid, _ in share} == {os.getpid()}


def test_within_a_build_what_was_frozen_stays_out_of_collection_until_it_ends():
    import gc

    assert gc.get_freeze_count() == 0
    workers.map_shares(lambda share: list(share), list(range(4)), 2)
    assert gc.get_freeze_count() == 0, "outside a build a fork's freeze is undone"
    with workers.frozen_while_building():
        with workers.collection_paused():
            assert not gc.isenabled()
        assert gc.isenabled()
        workers.freeze_long_lived()
        frozen = gc.get_freeze_count()
        assert frozen > 0
        kept = [[] for _ in range(100)]
        workers.map_shares(lambda share: list(share), list(range(4)), 2)
        assert gc.get_freeze_count() >= frozen + len(kept), "the fork froze what was alive then, and it stays"
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    with workers.collection_paused():  # outside a build: nothing changes
        assert gc.isenabled()
    with workers.collection_paused(outside_builds=True):  # unless asked (kaart build's imports)
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_build_leaves_collection_as_it_found_it(build_site):
    import gc

    problems, _ = build_site()
    assert problems == [] and gc.get_freeze_count() == 0 and gc.isenabled()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a thread's own niceness is Linux's")
def test_low_priority_work_runs_in_a_thread_of_its_own_at_the_lowest_priority():
    caller = threading.get_native_id()
    before = os.getpriority(os.PRIO_PROCESS, caller)
    thread, niceness = workers.at_low_priority(
        lambda: (threading.get_native_id(), os.getpriority(os.PRIO_PROCESS, threading.get_native_id())))
    assert thread != caller and niceness == workers.LOW_PRIORITY
    assert os.getpriority(os.PRIO_PROCESS, caller) == before, "the caller keeps its priority (kaart serve's main thread)"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a thread's own niceness is Linux's")
def test_low_priority_work_hands_its_error_to_the_caller_and_shares_no_work_with_forks():
    def fails() -> None:
        raise ValueError("a template broke")

    with pytest.raises(ValueError, match="a template broke"):
        workers.at_low_priority(fails)
    items = list(range(23))
    shares = workers.at_low_priority(
        lambda: workers.map_shares(lambda share: [(os.getpid(), item) for item in share], items, 3))
    assert [item for _, item in shares[1]] == items[1::3]
    assert {pid for share in shares for pid, _ in share} == {os.getpid()}, "a fork would take the niceness along"


def test_low_priority_work_runs_here_where_threads_have_no_niceness_of_their_own(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert workers.at_low_priority(threading.get_native_id) == threading.get_native_id()
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("KAART_NO_LOW_PRIORITY", "1")
    assert workers.at_low_priority(threading.get_native_id) == threading.get_native_id()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a thread's own niceness is Linux's")
def test_an_interrupted_wait_for_low_priority_work_lets_the_work_end_first():
    """A build interrupted while the rest of its site is written removes its folder: nothing may go
    on writing into it."""
    import signal
    import time

    class Interrupted(Exception):
        pass

    def interrupt(signum, frame):
        raise Interrupted

    ended = []
    previous = signal.signal(signal.SIGUSR1, interrupt)
    try:
        threading.Timer(0.1, os.kill, (os.getpid(), signal.SIGUSR1)).start()
        with pytest.raises(Interrupted):
            workers.at_low_priority(lambda: time.sleep(1.0) or ended.append(True))
        assert ended == [True]
        # Work that would go on long (the wait for Pagefind) is told to stop first.
        stopped = threading.Event()
        threading.Timer(0.1, os.kill, (os.getpid(), signal.SIGUSR1)).start()
        started = time.monotonic()
        with pytest.raises(Interrupted):
            workers.at_low_priority(lambda: stopped.wait(30) and ended.append("stopped"), stop=stopped.set)
        assert ended == [True, "stopped"] and time.monotonic() - started < 10
    finally:
        signal.signal(signal.SIGUSR1, previous)
