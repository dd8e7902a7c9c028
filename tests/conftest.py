"""Shared fixtures. Tests never reach a real provider: they talk to the local replay server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.replay import ReplayServer, serve_catalogue


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
