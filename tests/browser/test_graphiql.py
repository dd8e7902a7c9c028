"""GraphiQL from the service's own files: no other host, the console's token, the explorer."""

from __future__ import annotations

from playwright.async_api import expect

from tests.browser.conftest import Browser
from tests.browser.server import LiveConsole
from tests.browser.test_console import go, sign_in


async def test_graphiql_runs_offline_with_the_console_s_token(
    browser: Browser, console: LiveConsole
) -> None:
    page = await browser.page()
    await sign_in(page, console, console.admin_token)
    await go(page, "GraphiQL")  # same tab: the token set at sign-in comes along
    await expect(page.get_by_role("status").filter(has_text="token set")).to_contain_text(
        console.admin_token[-4:]
    )
    run = page.get_by_role("button", name="Execute query (Ctrl-Enter)")
    await expect(run).to_be_visible()
    await run.click()
    response = page.locator(".graphiql-response")
    await expect(response).to_contain_text('"totalCount"')
    await expect(response).to_contain_text('"fetchedAt"')
    await browser.shot(page, "graphiql-result")
    await page.get_by_role("button", name="Show GraphiQL Explorer").click()
    await expect(page.get_by_text("Explorer", exact=False).first).to_be_visible()
    await browser.shot(page, "graphiql-explorer")
    # GraphiQL keeps tabs, queries and headers in this tab's sessionStorage only
    assert await page.evaluate("localStorage.length") == 0


async def test_graphiql_token_field_sets_and_forgets_the_token(
    browser: Browser, console: LiveConsole
) -> None:
    page = await browser.page()
    await page.goto(f"{console.url}/graphql")
    state = page.get_by_role("status").filter(has_text="token")
    await expect(state).to_contain_text("no token")
    await page.get_by_label("Bearer token").fill(f"Bearer {console.admin_token}")
    await page.get_by_role("button", name="Use token").click()
    await expect(state).to_contain_text(f"token set (…{console.admin_token[-4:]})")
    assert await page.get_by_label("Bearer token").input_value() == ""  # not left on screen
    stored = await page.evaluate("sessionStorage.getItem('ams.token')")
    assert stored == console.admin_token
    await page.get_by_role("button", name="Forget").click()
    await expect(state).to_contain_text("no token")
