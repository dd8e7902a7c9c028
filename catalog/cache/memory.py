"""The per-process list cache: a dictionary whose entries expire after their TTL (a timer on
the event loop each, as aiocache's `SimpleMemoryCache` does it).

It stores `Snapshot` objects as they are, with no serializer: a warm request then costs a
dictionary lookup, not the decoding of half a megabyte of JSON (which a `JsonSerializer`, the
usual aiocache advice, would cost on every hit). Not aiocache's class itself: its `get` (key
building, hooks, its decorators) cost ~5% of a warm hit around that lookup.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from catalog.cache.base import Failure, Wait
from catalog.clock import Clock
from catalog.snapshot import Snapshot


class MemoryListCache:
    """One process needs no lock: its `SingleFlight` already merges concurrent fetches."""

    backend = "memory"

    def __init__(self, clock: Clock) -> None:
        self._values: dict[str, object] = {}
        self._expiry: dict[str, asyncio.TimerHandle] = {}
        self._clock = clock

    def _set(self, key: str, value: object, ttl: float) -> None:
        """Keep `value` for `ttl` seconds (0: for good), replacing the key's earlier value."""
        handle = self._expiry.pop(key, None)
        if handle is not None:
            handle.cancel()
        self._values[key] = value
        if ttl:
            self._expiry[key] = asyncio.get_running_loop().call_later(ttl, self._expire, key)

    def _expire(self, key: str) -> None:
        self._values.pop(key, None)
        self._expiry.pop(key, None)

    async def get(self, key: str) -> Snapshot | None:
        value = self._values.get(key)
        return value if isinstance(value, Snapshot) else None

    async def set(self, key: str, snapshot: Snapshot, ttl: int) -> None:
        self._set(key, snapshot, ttl)

    async def failure(self, key: str) -> Failure | None:
        value = self._values.get(f"{key}:failed")
        if not isinstance(value, tuple):
            return None
        until, failure = value
        return failure if isinstance(failure, Failure) and until > self._clock() else None

    async def set_failure(self, key: str, failure: Failure, ttl: float) -> None:
        self._set(f"{key}:failed", (self._clock() + ttl, failure), ttl)

    async def acquire(self, key: str, ttl: float) -> str | None:
        return "local"

    async def release(self, key: str, token: str) -> None:
        return None

    async def locked(self, key: str) -> bool:
        return False

    @asynccontextmanager
    async def watch(self, key: str) -> AsyncIterator[Wait]:
        yield asyncio.sleep  # never waited on: `acquire` never refuses in one process

    async def ping(self) -> None:
        return None  # this process's own memory

    async def close(self) -> None:
        for handle in self._expiry.values():
            handle.cancel()
        self._values.clear()
        self._expiry.clear()
