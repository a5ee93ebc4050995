"""Answers computed from one version of the store, reused until any write changes that version.

Briefing data changes a few times a day and is read thousands of times, so every read answer
(and the rendered pages built from it) is kept in a bounded LRU keyed by what was asked. The
cache is tied to the store version (catalog version + content version, see `Catalog`): a new
version empties it, so nothing served here is older than what `Catalog` itself would serve.
Concurrent requests for the same missing key share one computation.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

# ≈ rows held (a position or event, or 256 characters of a rendered answer: each 1–2 KB as
# Python objects): 20,000 keeps the cache within ~30 MB, inside the 150 MB a process may use.
DEFAULT_MAX_WEIGHT = 20_000


class ResultCache:
    """A version-scoped LRU of computed results, bounded by total weight (≈ rows held)."""

    def __init__(self, max_weight: int = DEFAULT_MAX_WEIGHT) -> None:
        self.max_weight = max_weight
        self._version: Hashable = None
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._weight = 0
        self._pending: dict[Hashable, asyncio.Future[Any]] = {}
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._items)

    def _switch(self, version: Hashable) -> None:
        if version != self._version:
            self._version = version
            self._items.clear()
            self._pending = {}
            self._weight = 0

    async def get_or_compute(
        self,
        version: Hashable,
        key: Hashable,
        compute: Callable[[], Awaitable[T]],
        weight: Callable[[T], int] = lambda _: 1,
    ) -> T:
        """The cached result for `key` at `version`, computing (once, shared) when missing.

        A failed computation is not cached: its exception goes to every waiter.
        """
        self._switch(version)
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
            self.hits += 1
            # Values of every type share the cache: the key decides, and this key was stored as a T.
            return found[0]  # type: ignore[no-any-return]
        pending = self._pending.get(key)
        if pending is not None:
            self.hits += 1
            try:
                return await asyncio.shield(pending)
            except asyncio.CancelledError:
                if not pending.cancelled():
                    raise  # this request itself was cancelled
                # the request computing it was cancelled: compute it here instead
        self.misses += 1
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        pending_map = self._pending
        pending_map[key] = future
        try:
            value = await compute()
        except asyncio.CancelledError:
            future.cancel()
            raise
        except Exception as exc:
            future.set_exception(exc)
            future.exception()  # mark it retrieved: the waiters get it, nobody logs it as lost
            raise
        else:
            future.set_result(value)
            if version == self._version:  # a newer version arrived meanwhile: don't keep an old answer
                self._put(key, value, max(1, weight(value)))
            return value
        finally:
            pending_map.pop(key, None)

    def _put(self, key: Hashable, value: Any, weight: int) -> None:
        if weight > self.max_weight // 4:
            return  # one huge answer would push out everything else
        self._items[key] = (value, weight)
        self._weight += weight
        while self._weight > self.max_weight and self._items:
            _, (_, w) = self._items.popitem(last=False)
            self._weight -= w
