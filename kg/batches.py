"""Runs of consecutive items: how ingestion, validation and push bound the work (and memory) of one step."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """`items` in lists of `size` (the last may be shorter), read lazily: a stream stays a stream.

    :raises ValueError: `size` is not a positive number.
    """
    if size < 1:
        raise ValueError(f"Batch size {size!r} is not a positive number.")
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


__all__ = ["batches"]
