"""The curation page in chromium: name a model, fill a `chat` slot with two models, probe the
first (its upstream failing), and see the route go to the second."""

from __future__ import annotations

from playwright.async_api import expect

from tests.browser.conftest import Browser
from tests.browser.server import LiveConsole
from tests.browser.test_console import go, said, sign_in
from tests.replay.generation import OPENAI_CHAT, generation_route

FIRST, SECOND = "openai/gpt-4o", "openai/gpt-4o-mini"
SAVE = 'mutation { saveModel(provider: "openrouter", modelId: "%s", isActive: true) { created } }'


async def test_name_slot_probe_and_route(browser: Browser, console: LiveConsole) -> None:
    for model_id in (FIRST, SECOND):
        console.gql(SAVE % model_id)
    chat = generation_route("openrouter", "/chat/completions", console.prefix)
    console.replay.serve(chat, OPENAI_CHAT, method="POST")
    console.replay.fail(chat, 500, times=1)  # the first probe's upstream fails
    page = await browser.page()
    await sign_in(page, console, console.admin_token)
    await go(page, "Curation")
    await expect(page.get_by_role("heading", name="Curation", level=1)).to_be_visible()

    await page.get_by_label(f"Display name of {SECOND}", exact=True).fill("Backup chat")
    await page.get_by_role("button", name=f"Save names of {SECOND}", exact=True).click()
    await expect(said(page, f"Saved the names of {SECOND}.")).to_be_visible()

    await page.get_by_role("button", name=f"Add {SECOND} to the slot", exact=True).click()
    await page.get_by_role("button", name=f"Add {FIRST} to the slot", exact=True).click()
    await page.get_by_role(
        "button", name=f"Move openrouter/{FIRST} up", exact=True
    ).click()  # order by hand
    await page.get_by_role("button", name="Save slot").click()
    route = page.get_by_role("region", name="Route")
    await expect(route).to_contain_text(f"go to openrouter/{FIRST}")

    await page.get_by_role("button", name=f"Probe {FIRST}", exact=True).click()
    await expect(said(page, f"Probe of {FIRST} failed")).to_be_visible()
    await page.get_by_role("button", name="Show route").click()
    await expect(route).to_contain_text(f"go to openrouter/{SECOND} (Backup chat)")
    await expect(route).to_contain_text(f"Skipped {FIRST}: probe failed")
    await browser.shot(page, "curation-route")

    slots = console.gql("{ slots { name models { modelId } } }")["slots"]
    assert slots == [{"name": "chat", "models": [{"modelId": FIRST}, {"modelId": SECOND}]}]
    assert console.replay.hits(chat) == 1  # one probe, one request; nothing on a list
