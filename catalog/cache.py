"""The list cache: one entry per provider instance, shared by every request of a process.

Entries are kept for `stale_ttl` (days) although they are *fresh* only for the provider's TTL,
so an expired copy can still be served, marked stale, when the upstream fails.

The memory backend stores `Snapshot` objects as they are, with no serializer: a warm request
then costs a dictionary lookup, not the decoding of half a megabyte of JSON (which a
`JsonSerializer`, the usual aiocache advice, would cost on every hit).
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from typing import Protocol

from aiocache import SimpleMemoryCache

from catalog.snapshot import Snapshot
from errors import ConfigError


class ListCache(Protocol):
    """Where snapshots live between requests (memory here; Redis in production)."""

    async def get(self, key: str) -> Snapshot | None: ...

    async def set(self, key: str, snapshot: Snapshot, ttl: int) -> None: ...

    async def close(self) -> None: ...


class MemoryListCache:
    """A per-process cache on aiocache's `SimpleMemoryCache`."""

    def __init__(self) -> None:
        # no timeout: a dictionary lookup cannot hang, and aiocache's default (5 s) wraps every
        # get in `asyncio.wait_for`, a task per request on the hot path
        self._cache = SimpleMemoryCache(namespace="models", timeout=None)

    async def get(self, key: str) -> Snapshot | None:
        value = await self._cache.get(key)
        return value if isinstance(value, Snapshot) else None

    async def set(self, key: str, snapshot: Snapshot, ttl: int) -> None:
        await self._cache.set(key, snapshot, ttl=ttl)

    async def close(self) -> None:
        await self._cache.close()


def cache_key(slug: str, kind: str, base_url: str, api_key: str | None) -> str:
    """One entry per instance *and credential*: a list fetched with one tenant's key is never
    served to another's. The key enters only as a hash."""
    key_hash = hashlib.sha256(api_key.encode()).hexdigest()[:16] if api_key else "-"
    return f"{slug}:{kind}:{hashlib.sha256(base_url.encode()).hexdigest()[:12]}:{key_hash}"


class SingleFlight:
    """At most one fetch per key at a time within this process; latecomers share its result."""

    def __init__(self) -> None:
        self._running: dict[str, asyncio.Future[Snapshot]] = {}

    async def run(self, key: str, fetch: Callable[[], Awaitable[Snapshot]]) -> Snapshot:
        running = self._running.get(key)
        if running is None:
            running = asyncio.ensure_future(fetch())
            self._running[key] = running
            running.add_done_callback(lambda done: self._settle(key, done))
        # shield: one caller giving up (client disconnect) must not cancel the others' fetch
        return await asyncio.shield(running)

    def _settle(self, key: str, done: asyncio.Future[Snapshot]) -> None:
        self._running.pop(key, None)
        if not done.cancelled():
            done.exception()  # retrieved: a fetch whose callers all left must not warn


def open_list_cache(url: str) -> ListCache:
    """The cache named by `CACHE_URL`: `memory://` (default)."""
    if url.startswith("memory://"):
        return MemoryListCache()
    raise ConfigError(f"unsupported CACHE_URL scheme in {url.split('://')[0]!r}; use memory://")
