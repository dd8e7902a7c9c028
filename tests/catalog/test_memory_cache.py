"""The per-process list cache (`catalog.cache.memory`): a value is kept until its TTL's timer
fires, a new value replaces the old one and its timer, and closing leaves it usable. The
timers are the event loop's; the tests read them rather than wait for them."""

from __future__ import annotations

import asyncio

from catalog.cache.base import Failure
from catalog.cache.memory import MemoryListCache
from catalog.snapshot import Snapshot
from tests.clock import ManualClock


def _snapshot() -> Snapshot:
    return Snapshot("p", (), fetched_at=1.0, fresh_until=2.0)


async def test_a_value_lives_until_its_timer_fires() -> None:
    cache = MemoryListCache(ManualClock())
    first, second = _snapshot(), _snapshot()
    await cache.set("k", first, ttl=3600)
    timer = cache._expiries["k"]
    loop = asyncio.get_running_loop()
    assert await cache.get("k") is first and 3590 < timer.when() - loop.time() <= 3600
    await cache.set("k", second, ttl=60)  # replaced: the old timer cancelled, a new one set
    assert timer.cancelled() and await cache.get("k") is second
    cache._drop("k")  # what the timer does when it fires
    assert await cache.get("k") is None and "k" not in cache._expiries


async def test_no_ttl_keeps_it_and_a_failure_lasts_its_time() -> None:
    clock = ManualClock()
    cache = MemoryListCache(clock)
    await cache.set("kept", _snapshot(), ttl=0)
    assert "kept" not in cache._expiries and await cache.get("kept") is not None
    await cache.set_failure("k", Failure("down", 503), ttl=30)
    assert await cache.failure("k") == Failure("down", 503)
    clock.advance(31)
    assert await cache.failure("k") is None  # past its time, whether or not the timer fired
    await cache.close()
    assert await cache.get("kept") is not None  # closing holds nothing open
