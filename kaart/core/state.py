"""What kaart keeps in memory while it builds, and the one place that forgets it.

Values derived from the schemas and code (labels, compiled validators, the graph of a knowledge
base) are computed once per build. `kaart serve` builds again in the same process after an edit,
so every build starts with `reset()`: a changed schema or template is never answered from memory.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
_clearers: list[Callable[[], None]] = []


def per_build(function: F) -> F:
    """`functools.cache`, emptied by `reset()` at the start of every build."""
    cached = cache(function)
    _clearers.append(cached.cache_clear)
    return cached  # type: ignore[return-value]


def on_reset(clear: Callable[[], None]) -> None:
    """Register another memory to empty at the start of every build."""
    _clearers.append(clear)


def reset() -> None:
    for clear in _clearers:
        clear()
