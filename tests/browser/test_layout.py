"""The console at a desktop width and on a phone: nothing overflows sideways, tables become
cards on a narrow screen, every control stays reachable."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.browser.conftest import Browser
from tests.browser.server import LiveConsole
from tests.browser.test_console import go, sign_in

OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)], ids=["1280px", "390px"])
async def test_pages_fit_the_screen(
    browser: Browser, console: LiveConsole, width: int, height: int
) -> None:
    page = await browser.page(width, height)
    await sign_in(page, console, console.admin_token)
    rows = page.locator("table.models tbody tr")
    await expect(rows).to_have_count(50)
    assert await page.evaluate(OVERFLOW) <= 0
    shape = await rows.first.evaluate("(row) => getComputedStyle(row).display")
    assert shape == ("block" if width < 700 else "table-row")  # a card on a phone
    await expect(page.get_by_role("button", name="Sync the 20 best")).to_be_visible()
    await browser.shot(page, f"models-{width}px")
    for name in ("Saved models", "Drift", "Changes", "Webhooks", "Providers"):
        await go(page, name)
        await expect(page.locator("main h1")).to_have_text(name)
        await page.wait_for_load_state("networkidle")
        assert await page.evaluate(OVERFLOW) <= 0, name
        await browser.shot(page, f"{name.lower().replace(' ', '-')}-{width}px")
