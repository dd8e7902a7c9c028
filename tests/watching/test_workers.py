"""Two real uvicorn workers on one database: the upstream moves from OpenRouter's 2025-05 list
to its 2026-08 one, and one scheduled refresh later exactly one signed POST says the active
saved model vanished: one refresh (the lease), one delivery (the claim).

It waits for real time: the shortest TTL a provider may have (10 s) must pass in both
processes, whose clock a test cannot move. Then it waits until each worker has ticked five
more times (`ams_scheduler_ticks_total` on its `/metrics`): nothing more may have come."""

from __future__ import annotations

import asyncio
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.live import cli, environment, live_server
from tests.replay import ReplayServer, serve_era
from tests.watching.conftest import AUGUST, MAY, REGISTER, Receiver

SONNET_37 = "anthropic/claude-3.7-sonnet"
METRICS_TOKEN = "workers-metrics-token-0123456789"
SAVE = (
    f'mutation {{ saveModel(provider: "openrouter", modelId: "{SONNET_37}", isActive: true) '
    "{ created } }"
)


async def test_two_workers_one_refresh_one_delivery(
    database_url: str, replay: ReplayServer, receiver: Receiver, tmp_path: Path
) -> None:
    prefix = f"workers-{uuid.uuid4().hex[:8]}"
    env = environment(
        DATABASE_URL=database_url,
        MIGRATE_ON_START="true",  # the token's CLI run migrates first
        SECRET_KEYS="pRS1JPwdU1dr8XhQwC0N2GmXrYEhAHSgjZTrByvPLC0=",
        AI_PROVIDER_OPENROUTER_BASE_URL=serve_era(replay, "openrouter", MAY, prefix),
        AI_PROVIDER_OPENROUTER_TTL="10",
        REFRESH_POLL="0.2",
        REFRESH_JITTER="0",
        WEBHOOK_ALLOW_PRIVATE="true",
        METRICS="TOKEN",
        METRICS_TOKEN=METRICS_TOKEN,
    )
    token = cli(env, "token", "create", "admin").stdout.strip()
    with ExitStack() as stack:
        urls = [stack.enter_context(live_server(env, tmp_path / f"w{n}.log")).url for n in (1, 2)]
        async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as http:
            hook = {"input": {"url": receiver.url, "events": ["model.missing"]}}
            added = await http.post(
                f"{urls[1]}/graphql", json={"query": REGISTER, "variables": hook}
            )
            receiver.secret = added.json()["data"]["registerWebhook"]["secret"]
            saved = await http.post(f"{urls[0]}/graphql", json={"query": SAVE})
            assert saved.json()["data"]["saveModel"]["created"] is True
        serve_era(replay, "openrouter", AUGUST, prefix)
        await receiver.until("model.missing", 30)
        await _ticked(urls, 5, deadline=time.monotonic() + 30)  # nothing more may come
        log = cli(env, "sync-log", "openrouter").stdout.splitlines()
    (message,) = receiver.received
    assert message["type"] == "model.missing" and message["data"]["modelId"] == SONNET_37
    assert message["data"]["active"] is True and receiver.refused == 0
    scheduled = [line for line in log if "\tscheduled\t" in line]
    assert len(scheduled) == 1 and "-231" in scheduled[0], log


async def _ticks(http: httpx.AsyncClient, url: str) -> float:
    text = (await http.get(f"{url}/metrics")).raise_for_status().text
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "ams_scheduler_ticks_total":
                return sample.value
    return 0.0


async def _ticked(urls: list[str], more: int, *, deadline: float) -> None:
    """Until each worker has completed `more` ticks after now (each sends what is due)."""
    headers = {"Authorization": f"Bearer {METRICS_TOKEN}"}
    async with httpx.AsyncClient(headers=headers) as http:
        targets = [await _ticks(http, url) + more for url in urls]
        while True:
            ticks = [await _ticks(http, url) for url in urls]
            if all(n >= target for n, target in zip(ticks, targets, strict=True)):
                return
            assert time.monotonic() < deadline, f"ticks {ticks}, not yet {targets}"
            await asyncio.sleep(0.05)  # a look at the count, not a wait for time to pass
