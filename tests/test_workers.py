"""Work shared between forked processes: every item once, results in share order."""

from __future__ import annotations

import os

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
