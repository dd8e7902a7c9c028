"""The watching pages in chromium: register a webhook (its secret shown once), send a signed
test event to a real receiver, then the upstream moves on, one refresh later the change feed
and the sync log show it and the receiver gets a signed `model.missing`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from aiohttp import web
from playwright.async_api import expect

from tests.backends import free_port
from tests.browser.conftest import Browser
from tests.browser.server import LiveConsole, live_console
from tests.browser.test_console import go, said, sign_in
from tests.clock import ManualClock
from tests.replay import ReplayServer
from tests.watching.conftest import Receiver

SONNET_37 = "anthropic/claude-3.7-sonnet"
SAVE = (
    f'mutation {{ saveModel(provider: "openrouter", modelId: "{SONNET_37}", isActive: true) '
    "{ created } }"
)


@pytest.fixture
def console(
    chromium: str,
    database_url: str,
    cache_url: tuple[str, str],
    replay: ReplayServer,
    tmp_path: Path,
) -> Iterator[LiveConsole]:
    """This module's console (the `browser` fixture's too): 2025-05's list, a quick poll."""
    extra = {"WEBHOOK_ALLOW_PRIVATE": "true", "REFRESH_POLL": "0.3"}  # the receiver is local
    with live_console(
        replay, database_url, cache_url, tmp_path, capture="models-2025-05.json", extra=extra
    ) as served:
        yield served


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


async def test_register_a_webhook_test_it_and_see_a_refresh_s_changes(
    browser: Browser, console: LiveConsole, receiver: Receiver
) -> None:
    console.gql(SAVE)  # saved (and active) from the 2025-05 list
    page = await browser.page()
    await sign_in(page, console, console.admin_token)
    await go(page, "Webhooks")
    await page.get_by_label("URL").fill(receiver.url)
    await page.get_by_label("Description").fill("on-call pager")
    await page.get_by_role("button", name="Register endpoint").click()
    secret = page.get_by_test_id("webhook-secret")
    await expect(secret).to_contain_text("whsec_")
    receiver.secret = (await secret.inner_text()).strip()
    await browser.shot(page, "registered")
    await page.get_by_role("button", name=f"Send a test event to {receiver.url}").click()
    await expect(said(page, "Test event delivered (HTTP 204)")).to_be_visible()
    deliveries = page.locator("table.deliveries tbody tr")
    await expect(deliveries.first.locator("td[data-label=Status]")).to_have_text("delivered")
    assert [m["type"] for m in receiver.received] == ["webhook.test"] and receiver.refused == 0

    console.era("models-2026-08.json")  # the upstream moves on; an admin refreshes
    console.gql('mutation { refreshModels(provider: "openrouter") { count } }')
    await go(page, "Changes")
    await page.get_by_label("Saved models only").check()  # 300 changes; the app's first
    gone = page.locator("table.feed tr").filter(has_text=SONNET_37)
    await expect(gone.locator("td[data-label=Change]")).to_have_text("removed")
    await expect(gone.locator("td[data-label=Model]")).to_contain_text("active")
    latest = page.locator("table.runs tbody tr").first
    await expect(latest.locator("td[data-label=Trigger]")).to_have_text("manual")
    await expect(latest.locator("td[data-label=Removed]")).to_have_text("231")
    await browser.shot(page, "change-feed")

    (missing,) = await receiver.until("model.missing", 15)  # sent within a scheduler poll
    assert missing["data"]["modelId"] == SONNET_37 and missing["data"]["active"] is True
    await go(page, "Webhooks")
    await expect(page.locator("table.deliveries tbody tr")).to_have_count(2)
    await browser.shot(page, "delivery-log")
