"""The per-process list cache, on aiocache's `SimpleMemoryCache`.

It stores `Snapshot` objects as they are, with no serializer: a warm request then costs a
dictionary lookup, not the decoding of half a megabyte of JSON (which a `JsonSerializer`, the
usual aiocache advice, would cost on every hit).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiocache import SimpleMemoryCache

from catalog.cache.base import Failure, Wait
from catalog.clock import Clock
from catalog.snapshot import Snapshot


class MemoryListCache:
    """One process needs no lock: its `SingleFlight` already merges concurrent fetches."""

    backend = "memory"

    def __init__(self, clock: Clock) -> None:
        # no timeout: a dictionary lookup cannot hang, and aiocache's default (5 s) wraps every
        # get in `asyncio.wait_for`, a task per request on the hot path
        self._cache = SimpleMemoryCache(namespace="models", timeout=None)
        self._clock = clock

    async def get(self, key: str) -> Snapshot | None:
        value = await self._cache.get(key)
        return value if isinstance(value, Snapshot) else None

    async def set(self, key: str, snapshot: Snapshot, ttl: int) -> None:
        await self._cache.set(key, snapshot, ttl=ttl)

    async def failure(self, key: str) -> Failure | None:
        value = await self._cache.get(f"{key}:failed")
        if not isinstance(value, tuple):
            return None
        until, failure = value
        return failure if isinstance(failure, Failure) and until > self._clock() else None

    async def set_failure(self, key: str, failure: Failure, ttl: float) -> None:
        await self._cache.set(f"{key}:failed", (self._clock() + ttl, failure), ttl=ttl)

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
        await self._cache.close()
