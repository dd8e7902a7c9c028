"""The replay server itself, exercised over real TCP from sync (httpx) and async (aiohttp) code:
routes, faults, observation, lifecycle."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import httpx
import pytest

from tests.replay import (
    GARBAGE,
    LATEST,
    ReplayServer,
    fixture_path,
    models_route,
    models_url,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def fresh() -> Iterator[ReplayServer]:
    """A private server, for tests that stop it or need an empty route table."""
    with ReplayServer() as server:
        yield server


# -- routing -----------------------------------------------------------------------------------


def test_most_specific_query_match_wins(fresh: ReplayServer) -> None:
    fresh.serve("/m", {"page": "default"})
    fresh.serve("/m", {"page": "a"}, query={"a": "1"})
    fresh.serve("/m", {"page": "ab"}, query={"a": "1", "b": "2"})
    fresh.serve("/m", {"page": "a-again"}, query={"a": "1"})  # replaces the earlier "a"
    with httpx.Client(base_url=fresh.url) as client:
        assert client.get("/m").json() == {"page": "default"}
        assert client.get("/m?a=1").json() == {"page": "a-again"}
        assert client.get("/m?b=2&a=1&c=3").json() == {"page": "ab"}
        assert client.get("/m?a=2").json() == {"page": "default"}


def test_serve_bytes_status_and_headers(fresh: ReplayServer) -> None:
    fresh.serve("/raw", b"plain", status=203, headers={"content-type": "text/plain", "X-A": "1"})
    response = httpx.get(fresh.url + "/raw")
    assert (response.status_code, response.content) == (203, b"plain")
    assert response.headers["content-type"] == "text/plain"
    assert response.headers["x-a"] == "1"
    with pytest.raises(TypeError):
        fresh.serve("/s", "a str is ambiguous")


def test_unknown_path_is_404_and_other_methods_405(fresh: ReplayServer) -> None:
    fresh.serve("/m", [])
    with httpx.Client(base_url=fresh.url) as client:
        assert client.get("/nope").status_code == 404
        assert client.post("/m").status_code == 405
    assert fresh.hits("/nope") == 1
    assert fresh.hits("/m") == 1


# -- misbehaviour ------------------------------------------------------------------------------


async def test_fail_times_with_retry_after_then_recovers(replay: ReplayServer) -> None:
    path = models_route("groq")
    replay.fail(path, 429, times=2, retry_after="3")
    async with aiohttp.ClientSession(replay.url) as session:
        for _ in range(2):
            async with session.get(path) as response:
                assert response.status == 429
                assert response.headers["Retry-After"] == "3"
                assert (await response.json())["error"]["code"] == 429
        async with session.get(path) as response:
            assert response.status == 200
            assert "Retry-After" not in response.headers
            assert await response.read() == fixture_path("groq", LATEST["groq"]).read_bytes()
    assert replay.hits(path) == 3


def test_faults_queue_in_order_and_always_sticks(fresh: ReplayServer) -> None:
    fresh.serve("/m", {"ok": True})
    fresh.fail("/m", 429, times=1, body=b"slow down")
    fresh.fail("/m", 503, times=1)
    with httpx.Client(base_url=fresh.url) as client:
        first = client.get("/m")
        assert (first.status_code, first.content) == (429, b"slow down")
        assert client.get("/m").status_code == 503
        assert client.get("/m").status_code == 200
        fresh.fail("/m", 500)
        assert [client.get("/m").status_code for _ in range(3)] == [500, 500, 500]
        fresh.garbage("/m")  # replaces the sticky failure
        assert client.get("/m").content == GARBAGE
        fresh.reset()
        assert client.get("/m").json() == {"ok": True}
        fresh.reset(routes=True)
        assert client.get("/m").status_code == 404
    with pytest.raises(ValueError):
        fresh.fail("/m", 500, times=0)


async def test_hang_outlasts_the_client_timeout(replay: ReplayServer) -> None:
    path = models_route("openai")
    replay.hang(path)
    timeout = aiohttp.ClientTimeout(total=0.3)
    async with aiohttp.ClientSession(replay.url, timeout=timeout) as session:
        with pytest.raises(asyncio.TimeoutError):
            async with session.get(path):
                pass
    assert replay.hits(path) == 1


async def test_stop_returns_promptly_while_a_request_hangs(fresh: ReplayServer) -> None:
    fresh.serve("/m", [])
    fresh.hang("/m")
    async with aiohttp.ClientSession(fresh.url) as session:
        pending = asyncio.create_task(session.get("/m"))
        while fresh.hits("/m") == 0:
            await asyncio.sleep(0.01)
        started = time.monotonic()
        await asyncio.to_thread(fresh.stop)
        assert time.monotonic() - started < 1.0
        with pytest.raises(aiohttp.ClientError):
            await pending


def test_hang_times_then_answers(fresh: ReplayServer) -> None:
    fresh.serve("/m", {"ok": True})
    fresh.hang("/m", times=1)
    with httpx.Client(base_url=fresh.url) as client:
        with pytest.raises(httpx.ReadTimeout):
            client.get("/m", timeout=0.2)
        assert client.get("/m").json() == {"ok": True}


async def test_delay_postpones_the_answer(replay: ReplayServer) -> None:
    path = models_route("anthropic")
    replay.delay(path, 0.3)
    async with aiohttp.ClientSession(replay.url) as session:
        started = time.monotonic()
        async with session.get(path) as response:
            assert response.status == 200
        assert time.monotonic() - started >= 0.3


def test_garbage_is_200_with_non_json(replay: ReplayServer) -> None:
    path = models_route("mistral")
    replay.garbage(path)
    response = httpx.get(replay.url + path)
    assert (response.status_code, response.content) == (200, GARBAGE)
    assert response.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_truncate_serves_the_first_half(replay: ReplayServer) -> None:
    path = models_route("ollama")
    replay.truncate(path)
    full = fixture_path("ollama", LATEST["ollama"]).read_bytes()
    response = httpx.get(replay.url + path)
    assert response.status_code == 200
    assert response.content == full[: len(full) // 2]
    with pytest.raises(json.JSONDecodeError):
        response.json()


# -- observation -------------------------------------------------------------------------------


def test_requests_record_query_and_headers(replay: ReplayServer) -> None:
    path = models_route("anthropic")
    headers = {"x-api-key": "sk-ant-test", "anthropic-version": "2023-06-01"}
    httpx.get(replay.url + path, params={"limit": "1000"}, headers=headers)
    httpx.get(replay.url + path, headers={"Authorization": "Bearer sk-other"})
    first, second = replay.requests(path)
    assert first.method == "GET" and first.path == path
    assert first.query == {"limit": "1000"}
    assert first.headers["X-Api-Key"] == "sk-ant-test"  # case-insensitive
    assert second.headers["authorization"] == "Bearer sk-other"
    assert first.time <= second.time
    assert replay.hits(path) == 2


def test_reset_clears_the_request_log_and_the_faults(replay: ReplayServer) -> None:
    """What the `replay` fixture does after each test, shown on its own state, not on
    whatever an earlier test happened to leave."""
    httpx.get(replay.url + models_route("anthropic"))
    replay.fail(models_route("mistral"), 503)
    assert replay.hits(models_route("anthropic")) == 1
    assert httpx.get(models_url(replay.url, "mistral")).status_code == 503
    replay.reset()
    assert replay.hits(models_route("anthropic")) == 0
    assert httpx.get(models_url(replay.url, "mistral")).status_code == 200


# -- lifecycle ---------------------------------------------------------------------------------


def test_url_requires_start_and_port_clash_is_reported(fresh: ReplayServer) -> None:
    with pytest.raises(RuntimeError):
        _ = ReplayServer().url
    port = int(fresh.url.rsplit(":", 1)[1])
    with pytest.raises(OSError):
        ReplayServer(port).start()
    fresh.stop()
    fresh.stop()  # idempotent


def test_a_child_process_can_use_the_server(replay: ReplayServer) -> None:
    code = "import sys, urllib.request as u; sys.stdout.buffer.write(u.urlopen(sys.argv[1]).read())"
    url = models_url(replay.url, "anthropic")
    done = subprocess.run([sys.executable, "-c", code, url], capture_output=True, check=True)
    assert done.stdout == fixture_path("anthropic", LATEST["anthropic"]).read_bytes()


def test_replay_counts_only_the_requests_of_the_test_that_takes_it(
    replay_server: ReplayServer, request: pytest.FixtureRequest
) -> None:
    """What an earlier test left in the session server's log (tests/audit/test_retention.py's
    five fetches, through `settings` alone) is not counted by the next one: before this,
    tests/test_workers.py counted 6 upstream calls after them, not 1."""
    route = "/openrouter/api/v1/models"
    assert httpx.get(f"{replay_server.url}{route}").status_code == 200  # an earlier test's
    assert replay_server.hits(route) >= 1
    replay: ReplayServer = request.getfixturevalue("replay")
    assert replay.hits(route) == 0
