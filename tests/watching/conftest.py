"""Watching tests: a provider instance on its own replay route (switched between OpenRouter's
2025-05 and 2026-08 captures), a real local receiver that verifies every signature, and the
service on a `ManualClock`."""

from __future__ import annotations

import asyncio
import dataclasses
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp import web
from standardwebhooks import Webhook

from settings import Settings
from tests.backends import free_port
from tests.clock import ManualClock
from tests.replay import ReplayServer, serve_era
from tests.service import Service, running_service

MAY, AUGUST = "models-2025-05.json", "models-2026-08.json"
SLUG = "watched"
TOLERANCE = 300  # seconds: Standard Webhooks' (and the library's) timestamp tolerance
ADD = """mutation($input: AddProviderInput!) { addProvider(input: $input) { slug } }"""
SAVE = """mutation($p: String!, $m: String!) {
  saveModel(provider: $p, modelId: $m, isActive: true) { model { modelId } } }"""
REGISTER = """mutation($input: RegisterWebhookInput!) {
  registerWebhook(input: $input) { secret endpoint { id url events isActive } } }"""


@dataclass
class Receiver:
    """A webhook receiver on 127.0.0.1: verifies each POST with the endpoint's secret (as a
    customer's would, with `standardwebhooks`), answers with the next of `answers` (then 204);
    "hang" never answers."""

    port: int
    clock: ManualClock
    secret: str = ""
    answers: list[int | str] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)
    attempts: int = 0
    refused: int = 0
    arrived: asyncio.Condition = field(default_factory=asyncio.Condition, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.text()
        self.attempts += 1
        if not self.verified(body, dict(request.headers)):
            self.refused += 1
            return web.Response(status=400)
        answer = self.answers.pop(0) if self.answers else 204
        if answer == "hang":
            await asyncio.Event().wait()
        if isinstance(answer, int) and answer < 300:
            self.received.append({"id": request.headers["webhook-id"], **(await request.json())})
            async with self.arrived:
                self.arrived.notify_all()
        return web.Response(status=int(answer))

    def verified(self, body: str, headers: dict[str, str]) -> bool:
        """`Webhook.verify` checks the timestamp against the real time; a test that moved its
        clock ahead checks it against that clock instead, and the signature the same way."""
        try:
            sent = float(headers["webhook-timestamp"])
            if abs(sent - time.time()) <= TOLERANCE:
                Webhook(self.secret).verify(body, headers)
                return True
            assert abs(sent - self.clock()) <= TOLERANCE
            at = datetime.fromtimestamp(sent, tz=UTC)
            expected = Webhook(self.secret).sign(headers["webhook-id"], at, body)
            return expected in headers["webhook-signature"].split(" ")
        except Exception:
            return False

    def of_type(self, event_type: str) -> list[dict[str, Any]]:
        return [message for message in self.received if message["type"] == event_type]

    async def until(self, event_type: str, seconds: float) -> list[dict[str, Any]]:
        """The messages of `event_type` once one has come (woken by each delivery, not by
        looking again); `TimeoutError` when none comes within `seconds`."""
        async with asyncio.timeout(seconds), self.arrived:
            await self.arrived.wait_for(lambda: self.of_type(event_type))
        return self.of_type(event_type)


@pytest.fixture
async def receiver(clock: ManualClock) -> AsyncIterator[Receiver]:
    found = Receiver(free_port(), clock)
    app = web.Application()
    app.router.add_post("/hooks", found.handle)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", found.port).start()
    try:
        yield found
    finally:
        await runner.cleanup()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def prefix() -> str:
    return f"watch-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def watched_settings(settings: Settings) -> Settings:
    return dataclasses.replace(
        settings,
        refresh=True,
        refresh_jitter=0.0,
        webhook_allow_private=True,  # the receiver is on loopback
        webhook_timeout=0.5,
        webhook_retry_base=30.0,
        webhook_max_attempts=3,
    )


@pytest.fixture
async def watching(
    watched_settings: Settings, replay: ReplayServer, clock: ManualClock, prefix: str
) -> AsyncIterator[Service]:
    """The service with an OpenRouter instance `watched` listing the 2025-05 capture."""
    base = serve_era(replay, "openrouter", MAY, prefix)
    async with running_service(watched_settings, clock=clock) as service:
        instance = {
            "slug": SLUG,
            "kind": "openrouter",
            "displayName": "Watched",
            "baseUrl": base,
            "ttl": 600,
        }
        await service.gql(ADD, {"input": instance})
        yield service


async def register(service: Service, receiver: Receiver, **values: Any) -> dict[str, Any]:
    data = await service.gql(REGISTER, {"input": {"url": receiver.url, **values}})
    registered: dict[str, Any] = data["registerWebhook"]
    receiver.secret = registered["secret"]
    return registered
