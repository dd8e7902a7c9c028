"""The per-process list cache: a dictionary whose entries expire on the event loop's timer.

It stores `Snapshot` objects as they are, with no serializer: a warm request then costs a
dictionary lookup, not the decoding of half a megabyte of JSON. It is what aiocache's
`SimpleMemoryCache` was here (an entry dropped `ttl` seconds after it was set, by
`loop.call_later`), without aiocache: importing aiocache imports redis-py, and with it
OpenTelemetry's SDK, in every process, whatever `CACHE_URL` says (about 55 ms of each CLI
command's start); `catalog.cache.redis` imports them when the URL is `redis://`.
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
        self._entries: dict[str, object] = {}
        self._expiries: dict[str, asyncio.TimerHandle] = {}
        self._clock = clock

    async def get(self, key: str) -> Snapshot | None:
        value = self._entries.get(key)
        return value if isinstance(value, Snapshot) else None

    async def set(self, key: str, snapshot: Snapshot, ttl: int) -> None:
        self._keep(key, snapshot, ttl)

    def _keep(self, key: str, value: object, ttl: float) -> None:
        """`value` under `key` for `ttl` seconds of the loop's time (none: until replaced)."""
        expiry = self._expiries.pop(key, None)
        if expiry is not None:
            expiry.cancel()
        self._entries[key] = value
        if ttl:
            loop = asyncio.get_running_loop()
            self._expiries[key] = loop.call_later(ttl, self._drop, key)

    def _drop(self, key: str) -> None:
        self._entries.pop(key, None)
        self._expiries.pop(key, None)

    async def failure(self, key: str) -> Failure | None:
        value = self._entries.get(f"{key}:failed")
        if not isinstance(value, tuple):
            return None
        until, failure = value
        return failure if isinstance(failure, Failure) and until > self._clock() else None

    async def set_failure(self, key: str, failure: Failure, ttl: float) -> None:
        self._keep(f"{key}:failed", (self._clock() + ttl, failure), ttl)

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
        return None  # nothing held open; the entries stay usable, as aiocache's did
