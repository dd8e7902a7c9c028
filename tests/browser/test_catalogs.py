"""Catalog prices in the console, in chromium: Groq lists no price, the catalogs fill them, each
marked as the catalog's; a request's estimated cost as a sortable column; the catalogs page."""

from __future__ import annotations

from playwright.async_api import expect

from tests.browser.conftest import Browser
from tests.browser.server import LiveConsole
from tests.browser.test_console import go, sign_in


async def test_catalog_prices_costs_and_the_catalogs_page(
    browser: Browser, console: LiveConsole
) -> None:
    page = await browser.page()
    await sign_in(page, console, console.admin_token)
    await page.goto(f"{console.url}/admin/models/groq?tin=1000000&tout=0&sort=ESTIMATED_COST")
    await expect(page.get_by_text("20 models", exact=True)).to_be_visible()
    table = page.locator("table.models")
    llama = table.locator("tr", has=page.locator("code", has_text="llama-3.1-8b-instant"))
    await expect(llama.locator(".source.catalog").first).to_have_text("catalog")
    await expect(llama.locator(".source.catalog").first).to_have_attribute(
        "title", "from catalog:genai-prices@0.2.3"
    )
    await expect(page.get_by_role("columnheader", name="Cost of 1M in + 0 out")).to_have_attribute(
        "aria-sort", "ascending"
    )
    costs = await table.locator("td.cost").all_inner_texts()
    known = [float(c.removeprefix("$")) for c in costs if c != "—"]
    assert len(known) >= 13 and known == sorted(known)
    assert costs[len(known) :] == ["—"] * (len(costs) - len(known))  # unknown prices last
    await browser.shot(page, "catalog-prices")
    await go(page, "Catalogs")
    await expect(page.get_by_role("heading", name="Price catalogs", level=1)).to_be_visible()
    genai = page.locator("table.catalogs tr", has_text="genai-prices")
    await expect(genai).to_contain_text("0.2.3")
    await expect(genai).to_contain_text("installed package")
    await expect(page.locator("table.catalogs tr", has_text="models.dev")).to_contain_text(
        "2026-07-02"
    )
    await browser.shot(page, "catalogs")
