"""Shared fixtures. Tests never reach a real provider: they talk to the local replay server."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from starlette.datastructures import Secret
from starlette.types import Receive, Scope, Send

from server import build_app
from settings import ProviderOverride, Settings
from storage import queries
from tests.replay import ReplayServer, serve_catalogue
from tests.service import GROQ_KEY, Service, SQLLog


@pytest.fixture(scope="session")
def replay_server() -> Iterator[ReplayServer]:
    """One replay server for the session, serving every capture (see tests/replay/catalogue.py)."""
    with ReplayServer() as server:
        serve_catalogue(server)
        yield server


@pytest.fixture
def replay(replay_server: ReplayServer) -> Iterator[ReplayServer]:
    """The session server, with faults, delays and counters cleared after each test."""
    yield replay_server
    replay_server.reset()


# --- the service, driven over HTTP through its ASGI app ----------------------------------------


@pytest.fixture
def settings(tmp_path: Path, replay_server: ReplayServer) -> Settings:
    """A real SQLite file per test; every provider pointed at the replay server."""
    bases = serve_catalogue(replay_server)
    overrides = {slug: ProviderOverride(base_url=url) for slug, url in bases.items()}
    overrides["groq"] = ProviderOverride(base_url=bases["groq"], api_key=Secret(GROQ_KEY))
    return Settings(
        database_url=f"sqlite://{tmp_path / 'test.sqlite3'}",
        http_total_timeout=2.0,
        http_retries=1,
        providers=overrides,
    )


@pytest.fixture
async def service(settings: Settings, replay: ReplayServer) -> AsyncIterator[Service]:
    app = build_app(settings)
    async with app.router.lifespan_context(app) as lifespan_state:
        state = dict(lifespan_state or {})

        async def with_state(scope: Scope, receive: Receive, send: Send) -> None:
            # what a server's ASGI lifespan support does: hand the lifespan state to requests
            await app({**scope, "state": dict(state)}, receive, send)

        transport = httpx.ASGITransport(app=with_state)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            manager = await queries.create_token("admin", ["ai.manage"])
            reader = await queries.create_token("reader", ["ai.read"])
            yield Service(http, state["services"], manager, reader)


@pytest.fixture
def sql() -> Iterator[SQLLog]:
    """Every SQL statement Tortoise sends while the test runs."""
    log = SQLLog()
    logger = logging.getLogger("tortoise.db_client")
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(log)
    try:
        yield log
    finally:
        logger.removeHandler(log)
        logger.setLevel(previous)
