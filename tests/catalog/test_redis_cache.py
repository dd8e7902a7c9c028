"""`RedisListCache` on the real Redis: warm hits decode nothing, replaced bodies go away, and
the fetch lock is one worker's at a time."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from catalog.cache import Failure
from catalog.cache.redis import RedisListCache
from catalog.snapshot import Snapshot
from providers import discover
from tests.backends import REDIS_URL
from tests.clock import ManualClock

CAPTURE = Path(__file__).resolve().parents[1] / "fixtures/providers/openrouter"


def _openrouter() -> Snapshot:
    spec = discover().get("openrouter")
    assert spec is not None
    payload = json.loads((CAPTURE / "models-all-output-modalities-2026-08.json").read_bytes())
    return Snapshot.fetched_now("openrouter", spec.parse_models(payload), 600, time.time)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def caches(
    redis_namespace: str, clock: ManualClock
) -> AsyncIterator[tuple[RedisListCache, RedisListCache]]:
    """Two caches on one Redis namespace: what two workers have (and one clock)."""
    one = RedisListCache(REDIS_URL, namespace=redis_namespace, clock=clock)
    two = RedisListCache(REDIS_URL, namespace=redis_namespace, clock=clock)
    try:
        yield one, two
    finally:
        await one.close()
        await two.close()


async def test_a_warm_hit_decodes_nothing(caches: tuple[RedisListCache, RedisListCache]) -> None:
    one, two = caches
    snapshot = _openrouter()
    await one.set("k", snapshot, ttl=60)
    first = await two.get("k")  # the other worker reads and decodes the body once
    assert first == snapshot and first is not snapshot
    started = time.perf_counter()
    for _ in range(100):
        assert await two.get("k") is first  # then only the small pointer is read
    per_hit = (time.perf_counter() - started) / 100
    assert per_hit < 0.01, f"{per_hit * 1000:.2f} ms per warm hit"


async def test_a_replaced_body_expires_soon(
    caches: tuple[RedisListCache, RedisListCache],
) -> None:
    one, _ = caches
    old, new = _openrouter(), _openrouter()
    await one.set("k", old, ttl=3600)
    await one.set("k", new, ttl=3600)
    client = one._redis.client
    old_ttl = await client.pttl(one.build_key(f"k:body:{old.version}"))
    new_ttl = await client.pttl(one.build_key(f"k:body:{new.version}"))
    assert 0 < old_ttl <= 60_000 < new_ttl


async def test_the_fetch_lock_is_one_workers_at_a_time(
    caches: tuple[RedisListCache, RedisListCache],
) -> None:
    one, two = caches
    token = await one.acquire("k", ttl=5)
    assert token is not None and await two.locked("k")
    assert await two.acquire("k", ttl=5) is None
    await two.release("k", "not-the-owner")  # only the owner's token releases it
    assert await one.locked("k")
    await one.release("k", token)
    assert not await two.locked("k")
    assert await two.acquire("k", ttl=0.2) is not None


async def test_a_failure_note_is_shared_and_expires(
    caches: tuple[RedisListCache, RedisListCache], clock: ManualClock
) -> None:
    one, two = caches
    await one.set_failure("k", Failure("HTTP 503: down", 503), ttl=0.3)
    assert await two.failure("k") == Failure("HTTP 503: down", 503)
    clock.advance(0.35)
    assert await two.failure("k") is None


async def test_a_waiting_worker_is_woken_by_the_others_store_failure_and_release(
    caches: tuple[RedisListCache, RedisListCache],
) -> None:
    """No polling: each of the fetching worker's writes wakes the waiter at once, long before
    its 30 s timeout would."""
    one, two = caches
    token = await one.acquire("k", ttl=60)
    assert token is not None
    writes: list[Callable[[], Awaitable[None]]] = [
        lambda: one.set("k", _openrouter(), ttl=60),
        lambda: one.set_failure("k", Failure("down"), ttl=60),
        lambda: one.release("k", token),
    ]
    async with two.watch("k") as changed:
        for write in writes:
            waiting = asyncio.ensure_future(changed(30.0))
            done, _ = await asyncio.wait({waiting}, timeout=0.2)
            assert not done  # nothing changed yet: the waiter waits
            started = time.perf_counter()
            await write()
            await asyncio.wait_for(waiting, 5.0)
            assert time.perf_counter() - started < 5.0
