"""Two real uvicorn worker processes on one Redis and one database: a burst of cold requests
spread over both makes exactly one upstream call, and they serve the very same list."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest

from tests.backends import REDIS_URL, free_port
from tests.processes import child_environment
from tests.replay import ReplayServer, base_url

ROOT = Path(__file__).resolve().parents[1]
ROUTE = "/openrouter/api/v1/models"
LIST = '{ availableModels(provider: "openrouter") { count fetchedAt stale } }'


def _environment(database_url: str, namespace: str, replay: ReplayServer) -> dict[str, str]:
    return child_environment(
        DATABASE_URL=database_url,
        CACHE_URL=REDIS_URL,
        CACHE_NAMESPACE=namespace,
        MIGRATE_ON_START="false",
        AI_PROVIDER_OPENROUTER_BASE_URL=base_url(replay.url, "openrouter"),
        LOG_LEVEL="WARNING",
    )


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@contextmanager
def _worker(env: dict[str, str], port: int, log: Path) -> Iterator[str]:
    """`ai-model-sync serve` on `port`, until the block ends; yields its URL once healthy."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "cli", "serve"],
            cwd=ROOT,
            env={**env, "HOST": "127.0.0.1", "PORT": str(port)},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_healthy(url, process, log)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"worker at {url} did not become healthy:\n{log.read_text()}")


async def test_two_workers_make_one_upstream_call_for_a_cold_burst(
    database_url: str, redis_namespace: str, replay: ReplayServer, tmp_path: Path
) -> None:
    env = _environment(database_url, redis_namespace, replay)
    _cli(env, "migrate")  # once, before the rollout, as the README's recipe says
    token = _cli(env, "token", "create", "admin").strip()
    with ExitStack() as stack:
        urls = [
            stack.enter_context(_worker(env, free_port(), tmp_path / f"worker{n}.log"))
            for n in (1, 2)
        ]
        replay.delay(ROUTE, 0.5)  # the burst arrives while the first fetch is under way
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(headers=headers, timeout=30) as http:
            responses = await asyncio.gather(
                *(http.post(f"{urls[n % 2]}/graphql", json={"query": LIST}) for n in range(24))
            )
    bodies = [response.json() for response in responses]
    assert all("errors" not in body for body in bodies), bodies[0]
    lists = [body["data"]["availableModels"] for body in bodies]
    assert replay.hits(ROUTE) == 1
    assert {listing["count"] for listing in lists} == {549}
    assert len({listing["fetchedAt"] for listing in lists}) == 1  # one fetch, shared by both
