"""The per-request loaders' memo (`schema.live.loaders.Once`): each key loaded once, by the
first caller itself, shared with every other (a concurrent one waits for it); an error is
raised to each; a cancelled load is loaded again by the next caller."""

from __future__ import annotations

import asyncio

import pytest

from schema.live.loaders import Once


async def test_each_key_is_loaded_once_and_shared() -> None:
    loads: list[str] = []
    release = asyncio.Event()

    async def load(key: str) -> str:
        loads.append(key)
        await release.wait()
        return key.upper()

    once: Once[str, str] = Once(load)
    waiting = [asyncio.create_task(once.load("a")) for _ in range(3)]
    await asyncio.sleep(0)  # each task has asked (a test of concurrency, not a wait for time)
    release.set()
    assert await asyncio.gather(*waiting) == ["A", "A", "A"]
    assert await once.load("a") == "A" and await once.load("b") == "B"
    assert loads == ["a", "b"]


async def test_an_error_is_raised_to_each_caller() -> None:
    calls = 0

    async def load(key: str) -> str:
        nonlocal calls
        calls += 1
        raise LookupError(key)

    once: Once[str, str] = Once(load)
    for _ in range(2):
        with pytest.raises(LookupError):
            await once.load("x")
    assert calls == 1


async def test_a_cancelled_load_is_loaded_again_by_the_next_caller() -> None:
    started = asyncio.Event()
    calls = 0

    async def load(key: str) -> str:
        nonlocal calls
        calls += 1
        if calls == 1:
            started.set()
            await asyncio.Event().wait()  # until cancelled
        return key

    once: Once[str, str] = Once(load)
    first = asyncio.create_task(once.load("k"))
    await started.wait()
    second = asyncio.create_task(once.load("k"))  # waits for the first
    await asyncio.sleep(0)
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    with pytest.raises(asyncio.CancelledError):
        await second  # it waited on the cancelled load
    assert await once.load("k") == "k" and calls == 2
