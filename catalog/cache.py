"""The list cache: one entry per provider instance and credential, shared by every request of
a process (memory) or of every worker of a deployment (Redis).

Entries are kept for `stale_ttl` (days) although they are *fresh* only for the provider's TTL,
so an expired copy can still be served, marked stale, when the upstream fails. Besides the
lists, a cache keeps two small things per entry: a recent-failure note (so a dead upstream is
not asked again by every request) and, in Redis, the lock that lets one worker of many fetch.

The memory backend stores `Snapshot` objects as they are, with no serializer: a warm request
then costs a dictionary lookup, not the decoding of half a megabyte of JSON (which a
`JsonSerializer`, the usual aiocache advice, would cost on every hit). The Redis backend
keeps that property with a pointer: see `RedisListCache`.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar
from urllib.parse import urlsplit

import orjson
from aiocache import RedisCache, SimpleMemoryCache
from aiocache.serializers import NullSerializer
from redis.exceptions import RedisError

from catalog.codec import FORMAT, CodecError, decode_snapshot, encode_snapshot
from catalog.snapshot import Snapshot
from errors import ConfigError

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Failure:
    """A recent upstream failure: what went wrong (without the provider prefix) and, for an
    HTTP error, its status."""

    detail: str
    status: int | None = None


class ListCache(Protocol):
    """Where snapshots live between requests (memory here; Redis in production)."""

    async def get(self, key: str) -> Snapshot | None: ...

    async def set(self, key: str, snapshot: Snapshot, ttl: int) -> None: ...

    async def failure(self, key: str) -> Failure | None: ...

    async def set_failure(self, key: str, failure: Failure, ttl: float) -> None: ...

    async def acquire(self, key: str, ttl: float) -> str | None:
        """A token when this process may fetch `key` now; None while another one does."""

    async def release(self, key: str, token: str) -> None: ...

    async def locked(self, key: str) -> bool: ...

    backend: str
    """`memory` or `redis`, as a health report names it."""

    async def ping(self) -> None:
        """Return when the backend answers; raise when it does not (see `catalog.health`)."""

    async def close(self) -> None: ...


class MemoryListCache:
    """A per-process cache on aiocache's `SimpleMemoryCache`. One process needs no lock: its
    `SingleFlight` already merges concurrent fetches."""

    backend = "memory"

    def __init__(self) -> None:
        # no timeout: a dictionary lookup cannot hang, and aiocache's default (5 s) wraps every
        # get in `asyncio.wait_for`, a task per request on the hot path
        self._cache = SimpleMemoryCache(namespace="models", timeout=None)

    async def get(self, key: str) -> Snapshot | None:
        value = await self._cache.get(key)
        return value if isinstance(value, Snapshot) else None

    async def set(self, key: str, snapshot: Snapshot, ttl: int) -> None:
        await self._cache.set(key, snapshot, ttl=ttl)

    async def failure(self, key: str) -> Failure | None:
        value = await self._cache.get(f"{key}:failed")
        return value if isinstance(value, Failure) else None

    async def set_failure(self, key: str, failure: Failure, ttl: float) -> None:
        await self._cache.set(f"{key}:failed", failure, ttl=ttl)

    async def acquire(self, key: str, ttl: float) -> str | None:
        return "local"

    async def release(self, key: str, token: str) -> None:
        return None

    async def locked(self, key: str) -> bool:
        return False

    async def ping(self) -> None:
        return None  # this process's own memory

    async def close(self) -> None:
        await self._cache.close()


_UNAVAILABLE = (RedisError, OSError, TimeoutError)
T = TypeVar("T")


async def _nothing() -> None:
    return None


# Compare-and-delete: release the lock only if still ours (it may have expired, been retaken).
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end"
# A replaced body is kept this long, for a worker that read the old pointer just before.
_GRACE_MS = 60_000


class RedisListCache:
    """Redis through aiocache, shared by every worker. A warm hit is one small GET; while
    Redis is unreachable the worker falls back to its own memory (see `_guard`).

    Each entry is two keys: a pointer `<key>` holding the snapshot's version, and the body
    `<key>:body:<version>` holding the encoded snapshot (~1.4 MB for OpenRouter, raw objects
    included). A process keeps the snapshots it decoded, by version, so a hit reads the
    pointer, finds that version decoded already and returns it; only a new version is fetched
    and decoded, once.

    >>> cache = RedisListCache("redis://127.0.0.1:6379/0", namespace="ams")
    >>> cache.build_key("openrouter:...")
    'ams:lists:v1:openrouter:...'
    """

    def __init__(self, url: str, *, namespace: str, decoded: int = 32) -> None:
        parts = urlsplit(url)
        self._redis = RedisCache(
            serializer=NullSerializer(encoding=None),  # bytes in, bytes out
            namespace=f"{namespace}:lists:v{FORMAT}",
            endpoint=parts.hostname or "127.0.0.1",
            port=parts.port or 6379,
            db=int(parts.path.strip("/") or 0),
            password=parts.password,
            timeout=2,  # each operation; a slow Redis counts as down
            create_connection_timeout=1,
        )
        self._decoded: OrderedDict[str, Snapshot] = OrderedDict()
        self._decoded_size = decoded
        self._local = MemoryListCache()
        self._down = False

    def build_key(self, key: str) -> str:
        return str(self._redis.build_key(key))

    async def get(self, key: str) -> Snapshot | None:
        return await self._guard(self._redis_get(key), lambda: self._local.get(key))

    async def set(self, key: str, snapshot: Snapshot, ttl: int) -> None:
        # a local copy too: the last list survives a Redis outage in this worker
        await self._local.set(key, snapshot, ttl)
        await self._guard(self._redis_set(key, snapshot, ttl), _nothing)

    async def failure(self, key: str) -> Failure | None:
        return await self._guard(self._redis_failure(key), lambda: self._local.failure(key))

    async def set_failure(self, key: str, failure: Failure, ttl: float) -> None:
        await self._local.set_failure(key, failure, ttl)
        await self._guard(self._redis_set_failure(key, failure, ttl), _nothing)

    async def acquire(self, key: str, ttl: float) -> str | None:
        # without Redis a worker fetches on its own (its SingleFlight still merges its requests)
        return await self._guard(
            self._redis_acquire(key, ttl), lambda: self._local.acquire(key, ttl)
        )

    async def release(self, key: str, token: str) -> None:
        await self._guard(self._redis_release(key, token), _nothing)

    async def locked(self, key: str) -> bool:
        return await self._guard(self._redis_locked(key), lambda: self._local.locked(key))

    async def _guard(self, operation: Awaitable[T], fallback: Callable[[], Awaitable[T]]) -> T:
        """Redis unreachable or slow: this worker carries on with its own memory, as if
        `CACHE_URL` were `memory://`, and says so once (and once when Redis is back)."""
        try:
            result = await operation
        except _UNAVAILABLE as exc:
            if not self._down:
                log.warning(
                    "Redis unavailable (%s); caching in this worker only", type(exc).__name__
                )
            self._down = True
            return await fallback()
        if self._down:
            log.warning("Redis is back; sharing the list cache again")
            self._down = False
        return result

    async def _redis_get(self, key: str) -> Snapshot | None:
        pointer = await self._redis.get(key)
        if pointer is None:
            return None
        version = pointer.decode()
        snapshot = self._decoded.get(version)
        if snapshot is not None:
            self._decoded.move_to_end(version)
            return snapshot
        body = await self._redis.get(f"{key}:body:{version}")
        if body is None:
            return None  # replaced and expired between the two reads: a miss
        try:
            snapshot = decode_snapshot(body)
        except CodecError:
            log.warning("unreadable cache entry %s; treating it as a miss", key, exc_info=True)
            return None
        self._remember(snapshot)
        return snapshot

    async def _redis_set(self, key: str, snapshot: Snapshot, ttl: int) -> None:
        # the body first, so a pointer never names a body that is not there yet
        millis = ttl * 1000
        body_key = f"{key}:body:{snapshot.version}"
        await self._redis.raw("set", self.build_key(body_key), encode_snapshot(snapshot), px=millis)
        old = await self._redis.raw(
            "set", self.build_key(key), snapshot.version.encode(), px=millis, get=True
        )
        if old is not None and old.decode() != snapshot.version:
            await self._redis.raw(
                "pexpire", self.build_key(f"{key}:body:{old.decode()}"), _GRACE_MS
            )
        self._remember(snapshot)

    async def _redis_failure(self, key: str) -> Failure | None:
        value = await self._redis.get(f"{key}:failed")
        if value is None:
            return None
        data = orjson.loads(value)
        return Failure(detail=str(data["detail"]), status=data.get("status"))

    async def _redis_set_failure(self, key: str, failure: Failure, ttl: float) -> None:
        value = orjson.dumps({"detail": failure.detail, "status": failure.status})
        await self._redis.raw("set", self.build_key(f"{key}:failed"), value, px=int(ttl * 1000))

    async def _redis_acquire(self, key: str, ttl: float) -> str | None:
        token = uuid.uuid4().hex
        lock = self.build_key(f"{key}:lock")
        taken = await self._redis.raw("set", lock, token.encode(), nx=True, px=int(ttl * 1000))
        return token if taken else None

    async def _redis_release(self, key: str, token: str) -> None:
        await self._redis.raw("eval", _RELEASE, 1, self.build_key(f"{key}:lock"), token.encode())

    async def _redis_locked(self, key: str) -> bool:
        return bool(await self._redis.raw("exists", self.build_key(f"{key}:lock")))

    backend = "redis"

    async def ping(self) -> None:
        """Redis itself, not the fallback to this worker's memory that `_guard` gives."""
        await self._redis.client.ping()

    async def close(self) -> None:
        # not `self._redis.close()`: aiocache 0.12.3 calls redis-py's deprecated `close()`
        await self._redis.client.aclose()
        await self._local.close()

    def _remember(self, snapshot: Snapshot) -> None:
        self._decoded[snapshot.version] = snapshot
        self._decoded.move_to_end(snapshot.version)
        while len(self._decoded) > self._decoded_size:
            self._decoded.popitem(last=False)


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


def open_list_cache(url: str, namespace: str = "ams") -> ListCache:
    """The cache named by `CACHE_URL`: `memory://` (default) or `redis://host:port/db`."""
    if url.startswith("memory://"):
        return MemoryListCache()
    if url.startswith("redis://"):
        return RedisListCache(url, namespace=namespace)
    scheme = url.split("://")[0]
    raise ConfigError(f"unsupported CACHE_URL scheme {scheme!r}; use memory:// or redis://")
