"""The generated client's watching operations against the LIVE server: the sync log, the
change feed, webhook endpoints, a signed test delivery to a real receiver, the delivery log."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from ai_model_sync_client import AiModelSyncClient, RegisterWebhookInput, UpdateWebhookInput
from aiohttp import web

from tests.backends import free_port
from tests.clock import ManualClock
from tests.watching.conftest import Receiver


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    found = Receiver(free_port(), ManualClock())
    app = web.Application()
    app.router.add_post("/hooks", found.handle)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", found.port).start()
    try:
        yield found
    finally:
        await runner.cleanup()


async def test_refreshes_enter_the_sync_log_and_the_feed(client: AiModelSyncClient) -> None:
    await client.refresh_models("openrouter")
    await client.refresh_models("openrouter")
    runs = (await client.sync_runs(provider="openrouter", first=2)).sync_runs
    assert [run.trigger for run in runs.runs] == ["manual", "manual"]
    latest = runs.runs[0]
    assert latest.outcome == "ok" and latest.models and latest.models > 100
    assert (latest.added, latest.removed, latest.changed) == (0, 0, 0)  # the same list again
    newest = (await client.sync_runs(provider="openrouter", first=1)).sync_runs
    assert newest.has_more and newest.end_cursor == latest.id
    older = await client.sync_runs(provider="openrouter", first=1, after=newest.end_cursor)
    assert [run.id for run in older.sync_runs.runs] == [runs.runs[1].id]
    feed = (await client.catalog_changes(provider="openrouter", first=5)).catalog_changes
    assert all(change.kind in {"added", "removed", "changed"} for change in feed.changes)


async def test_webhook_endpoints_test_delivery_and_log(
    client: AiModelSyncClient, receiver: Receiver
) -> None:
    registered = await client.register_webhook(
        RegisterWebhookInput(url=receiver.url, events=["model.missing"], description="pager")
    )
    receiver.secret = registered.register_webhook.secret
    endpoint = registered.register_webhook.endpoint
    assert endpoint.events == ["model.missing"] and endpoint.is_active

    sent = (await client.send_test_webhook(endpoint.id)).send_test_webhook
    assert (sent.status, sent.response_status, sent.event_type) == (
        "delivered",
        204,
        "webhook.test",
    )
    assert [message["id"] for message in receiver.received] == [sent.message_id]
    assert receiver.refused == 0  # verified with `standardwebhooks` against the real time

    log = (await client.webhook_deliveries(endpoint_id=endpoint.id)).webhook_deliveries
    assert [d.message_id for d in log.deliveries] == [sent.message_id]
    listed = (await client.webhook_endpoints()).webhook_endpoints
    assert endpoint.id in [e.id for e in listed]
    paused = await client.update_webhook(endpoint.id, UpdateWebhookInput(is_active=False))
    assert paused.update_webhook.is_active is False
    assert (await client.remove_webhook(endpoint.id)).remove_webhook is True
    assert endpoint.id not in [e.id for e in (await client.webhook_endpoints()).webhook_endpoints]
