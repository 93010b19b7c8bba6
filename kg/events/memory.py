"""What lets linking hold every incident of a large store at once: one copy of each equal value.

The rows of many incidents repeat the same places, dates, name sets and containers; an `Interner`
hands each of them the first equal value it saw, so that the rows share their frozensets
instead of each holding its own. (The writer's other memory tuning, glibc's `malloc_trim` and its mmap
threshold, is kg/store.py's: it concerns every store write, not linking alone.)
"""

from __future__ import annotations

from typing import TypeVar

_T = TypeVar("_T")


class Interner(dict):
    """One copy of each equal value: `intern(value)` returns the first equal value it saw."""

    def __call__(self, value: _T) -> _T:
        return self.setdefault(value, value)


__all__ = ["Interner"]
