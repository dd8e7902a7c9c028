"""Two real uvicorn worker processes on one Redis and one database: a burst of cold requests
spread over both makes exactly one upstream call, and they serve the very same list."""

from __future__ import annotations

import asyncio
from contextlib import ExitStack
from pathlib import Path

import httpx

from tests.backends import REDIS_URL
from tests.live import cli, environment, live_server
from tests.replay import ReplayServer, base_url

ROUTE = "/openrouter/api/v1/models"
LIST = '{ availableModels(provider: "openrouter") { count fetchedAt stale } }'


def _environment(database_url: str, namespace: str, replay: ReplayServer) -> dict[str, str]:
    return environment(
        DATABASE_URL=database_url,
        CACHE_URL=REDIS_URL,
        CACHE_NAMESPACE=namespace,
        MIGRATE_ON_START="false",
        AI_PROVIDER_OPENROUTER_BASE_URL=base_url(replay.url, "openrouter"),
    )


async def test_two_workers_make_one_upstream_call_for_a_cold_burst(
    database_url: str, redis_namespace: str, replay: ReplayServer, tmp_path: Path
) -> None:
    env = _environment(database_url, redis_namespace, replay)
    cli(env, "migrate")  # once, before the rollout, as the README's recipe says
    token = cli(env, "token", "create", "admin").stdout.strip()
    with ExitStack() as stack:
        urls = [
            stack.enter_context(live_server(env, tmp_path / f"worker{n}.log")).url for n in (1, 2)
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
