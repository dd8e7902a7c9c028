"""The list cache as an admin meets it: one upstream call for a burst, a refresh on demand,
and a dead upstream that no longer makes every page wait."""

from __future__ import annotations

import asyncio
import dataclasses
import time

import pytest
import redis.asyncio as redis

from settings import ProviderOverride, Settings
from tests.backends import REDIS_URL, free_port
from tests.clock import ManualClock
from tests.replay import ReplayServer
from tests.service import GROQ_KEY, Service, running_service

LIST = """
query($p: String!, $useCache: Boolean = true) {
  availableModels(provider: $p, useCache: $useCache) { count fetchedAt stale error }
}
"""
REFRESH = (
    "mutation($p: String!) { refreshModels(provider: $p) { provider count fetchedAt stale error } }"
)
ROUTE = "/openrouter/api/v1/models"


def _with_ttl(settings: Settings, slug: str, ttl: int) -> Settings:
    """`settings` with one provider's list TTL changed."""
    providers = dict(settings.providers)
    providers[slug] = dataclasses.replace(providers.get(slug, ProviderOverride()), ttl=ttl)
    return dataclasses.replace(settings, providers=providers)


async def test_a_burst_of_cold_requests_makes_one_upstream_call(
    service: Service, replay: ReplayServer
) -> None:
    replay.delay(ROUTE, 0.3)  # every request arrives while the first fetch is under way
    responses = await asyncio.gather(*(service.gql(LIST, {"p": "openrouter"}) for _ in range(20)))
    assert replay.hits(ROUTE) == 1
    assert {r["availableModels"]["count"] for r in responses} == {549}
    assert len({r["availableModels"]["fetchedAt"] for r in responses}) == 1


async def test_refresh_models_fetches_now_and_every_reader_sees_it(
    service: Service, replay: ReplayServer
) -> None:
    before = (await service.gql(LIST, {"p": "openrouter"}))["availableModels"]
    refreshed = (await service.gql(REFRESH, {"p": "openrouter"}))["refreshModels"]
    assert replay.hits(ROUTE) == 2
    assert refreshed["count"] == 549 and refreshed["stale"] is False and refreshed["error"] is None
    assert refreshed["fetchedAt"] > before["fetchedAt"]
    after = (await service.gql(LIST, {"p": "openrouter"}))["availableModels"]
    assert after["fetchedAt"] == refreshed["fetchedAt"]
    assert replay.hits(ROUTE) == 2


async def test_refresh_needs_manage_and_reports_a_failure_as_stale(
    service: Service, replay: ReplayServer
) -> None:
    denied = await service.error(REFRESH, {"p": "openrouter"}, token=service.reader_token)
    assert denied["extensions"]["code"] == "FORBIDDEN"
    await service.gql(LIST, {"p": "openrouter"})
    replay.fail(ROUTE, 503)
    refreshed = (await service.gql(REFRESH, {"p": "openrouter"}))["refreshModels"]
    assert refreshed["stale"] is True and "503" in refreshed["error"]
    assert refreshed["count"] == 549


async def test_a_dead_upstream_is_left_alone_for_the_retry_interval(
    settings: Settings, replay: ReplayServer
) -> None:
    settings = dataclasses.replace(_with_ttl(settings, "openrouter", 1), failure_retry=1)
    clock = ManualClock()
    async with running_service(settings, clock=clock) as service:
        first = (await service.gql(LIST, {"p": "openrouter"}))["availableModels"]
        clock.advance(1.05)  # the list is now expired, still kept
        replay.fail(ROUTE, 503)
        stale = (await service.gql(LIST, {"p": "openrouter"}))["availableModels"]
        assert stale["stale"] is True and "HTTP 503" in stale["error"]
        asked = replay.hits(ROUTE)  # the first fetch, then the failed one and its retry
        assert asked == 3
        started = time.perf_counter()
        for _ in range(5):
            again = (await service.gql(LIST, {"p": "openrouter"}))["availableModels"]
            assert again["stale"] is True and again["fetchedAt"] == first["fetchedAt"]
            assert "not retried for 1 s" in again["error"]
        assert replay.hits(ROUTE) == asked, "the upstream was asked again within the interval"
        assert time.perf_counter() - started < 1.0
        clock.advance(1.05)  # the interval is over: the next request tries again
        replay.reset()
        recovered = (await service.gql(LIST, {"p": "openrouter"}))["availableModels"]
        assert recovered["stale"] is False and recovered["fetchedAt"] > first["fetchedAt"]
        assert replay.hits(ROUTE) == 1


async def test_without_a_stale_copy_a_hung_upstream_costs_one_timeout_not_one_per_request(
    settings: Settings, replay: ReplayServer
) -> None:
    settings = dataclasses.replace(settings, http_total_timeout=0.5)
    async with running_service(settings) as service:
        replay.hang(ROUTE)
        started = time.perf_counter()
        first = await service.error(LIST, {"p": "openrouter"})
        assert time.perf_counter() - started >= 0.5
        assert first["extensions"]["code"] == "UPSTREAM_ERROR"
        started = time.perf_counter()
        for _ in range(5):
            error = await service.error(LIST, {"p": "openrouter"})
            assert error["extensions"]["code"] == "UPSTREAM_ERROR"
            assert "no complete answer within 0.5 s (not retried for" in error["message"]
        assert time.perf_counter() - started < 0.5
        assert replay.hits(ROUTE) == 1
        # asking explicitly (useCache: false) always goes to the upstream
        await service.error(LIST, {"p": "openrouter", "useCache": False})
        assert replay.hits(ROUTE) == 2


async def test_redis_holds_no_api_key_and_workers_share_one_list(
    settings: Settings, redis_namespace: str, replay: ReplayServer
) -> None:
    settings = dataclasses.replace(settings, cache_url=REDIS_URL, cache_namespace=redis_namespace)
    async with running_service(settings) as one, running_service(settings) as two:
        listed = (await one.gql(LIST, {"p": "groq"}))["availableModels"]
        shared = (await two.gql(LIST, {"p": "groq"}))["availableModels"]
        assert shared == listed
        assert replay.hits("/groq/openai/v1/models") == 1
    client = redis.Redis.from_url(REDIS_URL)
    try:
        keys = [key async for key in client.scan_iter(match=f"{redis_namespace}:*")]
        assert keys
        for key in keys:
            assert GROQ_KEY.encode() not in key
            assert GROQ_KEY.encode() not in (await client.get(key) or b"")
    finally:
        await client.aclose()


async def test_a_failure_seen_by_one_worker_is_shared_with_the_one_waiting(
    settings: Settings, redis_namespace: str, replay: ReplayServer
) -> None:
    settings = dataclasses.replace(settings, cache_url=REDIS_URL, cache_namespace=redis_namespace)
    replay.delay(ROUTE, 0.3)
    replay.fail(ROUTE, 503)
    async with running_service(settings) as one, running_service(settings) as two:
        errors = await asyncio.gather(
            one.error(LIST, {"p": "openrouter"}), two.error(LIST, {"p": "openrouter"})
        )
    assert [error["extensions"]["code"] for error in errors] == ["UPSTREAM_ERROR"] * 2
    assert {error["extensions"]["upstreamStatus"] for error in errors} == {503}
    assert replay.hits(ROUTE) == 2  # one worker's request and its one retry; the other waited


async def test_workers_carry_on_when_redis_is_down(
    settings: Settings, replay: ReplayServer, caplog: pytest.LogCaptureFixture
) -> None:
    nobody = free_port()
    settings = dataclasses.replace(settings, cache_url=f"redis://127.0.0.1:{nobody}/0")
    async with running_service(settings) as service:
        first = (await service.gql(LIST, {"p": "openrouter"}))["availableModels"]
        again = (await service.gql(LIST, {"p": "openrouter"}))["availableModels"]
    assert first["count"] == again["count"] == 549 and not first["stale"]
    assert again["fetchedAt"] == first["fetchedAt"]
    assert replay.hits(ROUTE) == 1  # cached in the worker meanwhile
    warnings = [r.getMessage() for r in caplog.records if "Redis unavailable" in r.getMessage()]
    assert len(warnings) == 1  # said once, not once per request
