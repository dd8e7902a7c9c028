"""Shared fixtures. Tests never reach a real provider: they talk to the local replay server.

By default each test gets a SQLite file and the memory cache; `TEST_DATABASE=postgres` gives it
a fresh PostgreSQL database on 127.0.0.1:5432 and `TEST_CACHE=redis` a fresh key namespace on
the Redis at 127.0.0.1:6379 (both removed after the test), which is how CI runs it the second
time: only the tests marked `backends`, which this file derives from the fixtures a test uses
(the others run the same code on either setting, so the first run has them).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from starlette.datastructures import Secret

from settings import ProviderOverride, Settings
from tests.backends import (
    REDIS_URL,
    TEST_SECRET_KEY,
    fresh_postgres_database,
    fresh_redis_namespace,
    redis_is_up,
)
from tests.replay import ReplayServer, serve_catalogue
from tests.replay.generation import serve_generation
from tests.service import GROQ_KEY, Service, SQLLog, running_service

GEMINI_PROBED = ("gemini-2.5-flash",)
"""The Gemini models whose generation endpoints the replay serves (probes)."""

BACKEND_FIXTURES = frozenset({"database_url", "cache_url", "redis_namespace"})
"""What `TEST_DATABASE` and `TEST_CACHE` change: a test using any of them, directly or through
another fixture (`settings`, `service`, `console`...), is marked `backends`."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if BACKEND_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.backends)


@pytest.fixture(scope="session")
def replay_server() -> Iterator[ReplayServer]:
    """One replay server for the session, serving every capture (see tests/replay/catalogue.py)."""
    with ReplayServer() as server:
        serve_catalogue(server)
        serve_generation(server, GEMINI_PROBED)
        yield server


@pytest.fixture
def replay(replay_server: ReplayServer) -> Iterator[ReplayServer]:
    """The session server, with faults, delays and counters cleared before and after each
    test: a test that counts requests counts its own only, whatever ran before it in the
    process (a test that takes `settings` or `service` alone reaches the session server
    without this fixture, and leaves its requests in the log)."""
    replay_server.reset()
    yield replay_server
    replay_server.reset()


# --- the service, driven over HTTP through its ASGI app ----------------------------------------


@pytest.fixture
async def database_url(tmp_path: Path) -> AsyncIterator[str]:
    """A database of its own for each test: a SQLite file, or with `TEST_DATABASE=postgres` a
    PostgreSQL database created here and dropped after the test."""
    if os.environ.get("TEST_DATABASE", "sqlite") != "postgres":
        yield f"sqlite://{tmp_path / 'test.sqlite3'}"
        return
    async with fresh_postgres_database() as url:
        yield url


@pytest.fixture
async def cache_url() -> AsyncIterator[tuple[str, str]]:
    """(CACHE_URL, CACHE_NAMESPACE): memory, or with `TEST_CACHE=redis` the local Redis under a
    namespace of the test's own, whose keys are deleted after it."""
    if os.environ.get("TEST_CACHE", "memory") != "redis":
        yield "memory://", "ams"
        return
    async with fresh_redis_namespace() as namespace:
        yield REDIS_URL, namespace


@pytest.fixture
async def redis_namespace() -> AsyncIterator[str]:
    """For tests of Redis itself: a fresh namespace on the local Redis. Skipped when Redis is
    not running, except under `TEST_CACHE=redis` (CI), where that is a failure."""
    if os.environ.get("TEST_CACHE") != "redis" and not await redis_is_up():
        pytest.skip("no Redis on 127.0.0.1:6379 (CI runs these with TEST_CACHE=redis)")
    async with fresh_redis_namespace() as namespace:
        yield namespace


@pytest.fixture
def settings(
    database_url: str, cache_url: tuple[str, str], replay_server: ReplayServer
) -> Settings:
    """Every provider pointed at the replay server; the database and cache of this test."""
    bases = serve_catalogue(replay_server)
    overrides = {slug: ProviderOverride(base_url=url) for slug, url in bases.items()}
    overrides["groq"] = ProviderOverride(base_url=bases["groq"], api_key=Secret(GROQ_KEY))
    return Settings(
        database_url=database_url,
        cache_url=cache_url[0],
        cache_namespace=cache_url[1],
        migrate_on_start=True,
        secret_keys=(Secret(TEST_SECRET_KEY),),
        http_total_timeout=2.0,
        http_retries=1,
        refresh=False,  # tests drive `Scheduler.tick` themselves, with their clock
        refresh_poll=3600.0,  # and the loop's first tick never comes during a test
        providers=overrides,
    )


@pytest.fixture
async def service(settings: Settings, replay: ReplayServer) -> AsyncIterator[Service]:
    async with running_service(settings) as running:
        yield running


@pytest.fixture
def sql() -> Iterator[SQLLog]:
    """Every SQL statement Tortoise sends while the test runs."""
    log = SQLLog()
    log.start()
    try:
        yield log
    finally:
        log.stop()
