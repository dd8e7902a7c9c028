"""The list cache in Redis, shared by every worker of a deployment.

A warm hit stays a dictionary lookup here too, through a pointer: see `RedisListCache`. While
Redis is unreachable a worker carries on with its own memory and says so once.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TypeVar
from urllib.parse import urlsplit

import orjson
from aiocache import RedisCache
from aiocache.serializers import NullSerializer
from redis.exceptions import RedisError

from catalog.cache.base import Failure, Wait
from catalog.cache.memory import MemoryListCache
from catalog.clock import Clock
from catalog.codec import FORMAT, CodecError, decode_snapshot, encode_snapshot
from catalog.snapshot import Snapshot

log = logging.getLogger(__name__)

_UNAVAILABLE = (RedisError, OSError, TimeoutError)
T = TypeVar("T")


async def _nothing() -> None:
    return None


# Compare-and-delete: release the lock only if still ours (it may have expired, been retaken).
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end"
# A replaced body is kept this long, for a worker that read the old pointer just before.
_GRACE_MS = 60_000
_TIMEOUT = 2.0  # seconds for each operation: a slower Redis counts as down


class RedisListCache:
    """Redis through aiocache, shared by every worker. A warm hit is one small GET; while
    Redis is unreachable the worker falls back to its own memory (see `_guard`).

    Each entry is two keys: a pointer `<key>` holding the snapshot's version, and the body
    `<key>:body:<version>` holding the encoded snapshot (~1.4 MB for OpenRouter, raw objects
    included). A process keeps the snapshots it decoded, by version, so a hit reads the
    pointer, finds that version decoded already and returns it; only a new version is fetched
    and decoded, once.

    >>> cache = RedisListCache("redis://127.0.0.1:6379/0", namespace="ams", clock=lambda: 0.0)
    >>> cache.build_key("openrouter:...")
    'ams:lists:v2:openrouter:...'
    """

    def __init__(self, url: str, *, namespace: str, clock: Clock, decoded: int = 32) -> None:
        parts = urlsplit(url)
        self._redis = RedisCache(
            serializer=NullSerializer(encoding=None),  # bytes in, bytes out
            namespace=f"{namespace}:lists:v{FORMAT}",
            endpoint=parts.hostname or "127.0.0.1",
            port=parts.port or 6379,
            db=int(parts.path.strip("/") or 0),
            password=parts.password,
            timeout=_TIMEOUT,  # each operation; a slow Redis counts as down
            create_connection_timeout=1,
        )
        self._decoded: OrderedDict[str, Snapshot] = OrderedDict()
        self._decoded_size = decoded
        self._clock = clock
        self._local = MemoryListCache(clock)
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
        # every request reads the pointer: straight from the client, under `asyncio.timeout`
        # (aiocache's own timeout is an `asyncio.wait_for`, a task per call, and its hooks)
        async with asyncio.timeout(_TIMEOUT):
            pointer = await self._redis.client.get(self.build_key(key))
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
        await self._notify(key)

    async def _redis_failure(self, key: str) -> Failure | None:
        value = await self._redis.get(f"{key}:failed")
        if value is None:
            return None
        data = orjson.loads(value)
        if float(data.get("until", 0)) <= self._clock():
            return None  # passed by this cache's clock, whatever Redis still holds
        return Failure(detail=str(data["detail"]), status=data.get("status"))

    async def _redis_set_failure(self, key: str, failure: Failure, ttl: float) -> None:
        until = self._clock() + ttl
        value = orjson.dumps({"detail": failure.detail, "status": failure.status, "until": until})
        await self._redis.raw("set", self.build_key(f"{key}:failed"), value, px=int(ttl * 1000))
        await self._notify(key)

    async def _redis_acquire(self, key: str, ttl: float) -> str | None:
        token = uuid.uuid4().hex
        lock = self.build_key(f"{key}:lock")
        taken = await self._redis.raw("set", lock, token.encode(), nx=True, px=int(ttl * 1000))
        return token if taken else None

    async def _redis_release(self, key: str, token: str) -> None:
        await self._redis.raw("eval", _RELEASE, 1, self.build_key(f"{key}:lock"), token.encode())
        await self._notify(key)

    @asynccontextmanager
    async def watch(self, key: str) -> AsyncIterator[Wait]:
        """Subscribed to the key's change notices (published by `set`, `set_failure` and
        `release`) before the caller looks, so no notice falls between its look and its wait;
        while Redis is unreachable, a wait is a sleep."""
        pubsub = self._redis.client.pubsub()
        try:
            await pubsub.subscribe(self.build_key(f"{key}:changed"))
        except _UNAVAILABLE:
            await pubsub.aclose()
            yield asyncio.sleep
            return

        loop = asyncio.get_running_loop()

        async def wait(timeout: float) -> None:
            end = loop.time() + timeout
            try:  # a subscription's confirmation is no notice: wait on
                while (left := end - loop.time()) > 0:
                    if await pubsub.get_message(ignore_subscribe_messages=True, timeout=left):
                        return
            except _UNAVAILABLE:
                await asyncio.sleep(max(0.0, end - loop.time()))

        try:
            yield wait
        finally:
            await pubsub.aclose()

    async def _notify(self, key: str) -> None:
        await self._redis.raw("publish", self.build_key(f"{key}:changed"), b"1")

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
