"""Pausing Python's cyclic garbage collector around bulk work that builds many long-lived objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic collection inside the block (reference counting still frees what it can).

    Reading and importing a large dataset allocates millions of objects that all stay alive
    until the end; each full collection walks every one of them again and frees nothing (a
    quarter of a 100,000-entry import's time). Nested blocks leave it to the outermost to
    re-enable the collector.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
