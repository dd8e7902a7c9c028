"""The audit log page, in chromium, against the live service: the entries the admin's
changes wrote, filtered and paged."""

from __future__ import annotations

from playwright.async_api import expect

from tests.browser.conftest import Browser
from tests.browser.server import LiveConsole
from tests.browser.test_console import go, sign_in

MODEL = "openai/gpt-4o"


async def test_filter_and_page_the_audit_log(browser: Browser, console: LiveConsole) -> None:
    console.gql('mutation { bulkSync(provider: "openrouter", limit: 3) { created } }')
    console.gql(
        'mutation { saveModel(provider: "openrouter", modelId: "openai/gpt-4o", isActive: true)'
        " { created } }"
    )
    for _ in range(24):  # 28 entries with the seed's two `token create`: a page and 3
        console.gql('mutation { refreshModels(provider: "openrouter") { count } }')
    page = await browser.page()
    await sign_in(page, console, console.admin_token)
    await go(page, "Audit log")
    await expect(page.get_by_role("heading", name="Audit log", level=1)).to_be_visible()
    rows = page.locator("table.audit tbody tr")
    await expect(rows).to_have_count(25)
    await expect(rows.first).to_contain_text("refreshModels")
    await expect(rows.first).to_contain_text("admin")
    await browser.shot(page, "audit-log")
    await page.get_by_role("button", name="Older").click()
    await expect(rows).to_have_count(3)
    await expect(rows.first).to_contain_text("bulkSync")
    await expect(rows.last).to_contain_text("createToken")
    await expect(rows.last).to_contain_text("cli:")  # the seed ran the CLI
    await expect(page.get_by_role("button", name="Older")).to_be_disabled()
    await page.get_by_role("button", name="Newer").click()
    await expect(rows).to_have_count(25)

    await page.get_by_label("Model id").fill(MODEL)
    await page.get_by_role("button", name="Apply filters").click()
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text("saveModel")
    await expect(rows.first).to_contain_text("is_active: — → true")
    await browser.shot(page, "audit-log-filtered")
    await page.get_by_label("Model id").fill("")
    await page.get_by_label("Operation").fill("nothingLikeThis")
    await page.get_by_role("button", name="Apply filters").click()
    await expect(page.get_by_text("No entry matches.")).to_be_visible()
