"""The admin's flows through the console, in chromium, against the live service."""

from __future__ import annotations

import re

from playwright.async_api import Locator, Page, expect

from tests.browser.conftest import Browser
from tests.browser.server import LiveConsole
from tests.live import cli

WRITE_CONTROLS = re.compile(
    r"^(Save|Activate|Deactivate|Reactivate|Sync|Clear|Delete|Add|Edit|Apply|Refresh|Try the)",
)


async def sign_in(page: Page, console: LiveConsole, token: str) -> None:
    await page.goto(f"{console.url}/admin")
    await page.get_by_label("Token").fill(token)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()


async def go(page: Page, name: str) -> None:
    """Follow a link of the console's navigation."""
    nav = page.get_by_role("navigation", name="Console")
    await nav.get_by_role("link", name=name, exact=True).click()


def said(page: Page, text: str) -> Locator:
    """A status message the console announced (a toast, read out by screen readers)."""
    return page.get_by_role("status").filter(has_text=text)


async def test_sign_in_with_the_keyboard_and_sign_out(
    browser: Browser, console: LiveConsole
) -> None:
    browser.watch.expect_refusal(401)  # the wrong token typed first
    page = await browser.page()
    await page.goto(f"{console.url}/admin")
    await expect(page.get_by_role("heading", name="Sign in to the console")).to_be_visible()
    await browser.shot(page, "sign-in")
    await expect(page.get_by_label("Token")).to_be_focused()  # type at once
    await page.keyboard.type("ams_not-a-real-token")
    await page.keyboard.press("Enter")
    refused = page.get_by_role("alert")
    await expect(refused).to_contain_text("UNAUTHENTICATED")
    await expect(refused).to_contain_text("Bearer")
    await browser.shot(page, "refused")
    await page.get_by_label("Token").fill(console.admin_token)
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="Models", level=1)).to_be_visible()
    assert console.admin_token not in page.url
    stored = await page.evaluate("[sessionStorage.getItem('ams.token'), localStorage.length]")
    assert stored == [console.admin_token, 0]  # this tab's session only, never localStorage
    nav = page.get_by_role("navigation", name="Console")
    for name in ("Models", "Saved models", "Drift", "Providers", "GraphiQL"):
        await expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    await browser.shot(page, "signed-in")
    await page.reload()  # the session survives a reload of the tab
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_role("heading", name="Sign in to the console")).to_be_visible()
    assert await page.evaluate("sessionStorage.getItem('ams.token')") is None


async def test_a_revoked_token_signs_the_tab_out_with_the_api_s_reason(
    browser: Browser, console: LiveConsole
) -> None:
    browser.watch.expect_refusal(401)  # the revoked token's next request
    page = await browser.page()
    await sign_in(page, console, console.admin_token)
    await expect(page.get_by_text("549 models", exact=True)).to_be_visible()
    cli(console.env, "token", "revoke", "admin")
    await page.reload()  # shown at once from the tab's session, checked meanwhile
    await expect(page.get_by_role("heading", name="Sign in to the console")).to_be_visible()
    await expect(said(page, "The token was refused (UNAUTHENTICATED)")).to_be_visible()
    kept = await page.evaluate(
        "[sessionStorage.getItem('ams.token'), sessionStorage.getItem('ams.viewer')]"
    )
    assert kept == [None, None]
    await browser.shot(page, "revoked")


IMAGES = """query($f: ModelFilter) { availableModels(provider: "openrouter", filter: $f) {
  totalCount models { modelId } } }"""
SAVED = '{ savedModels(provider: "openrouter") { modelId isActive } }'


async def test_filter_to_image_models_then_save_and_activate_two(
    browser: Browser, console: LiveConsole
) -> None:
    expected = console.gql(IMAGES, {"f": {"capabilities": ["IMAGE"]}})["availableModels"]
    page = await browser.page()
    await sign_in(page, console, console.admin_token)
    await expect(page.get_by_text(re.compile(r"^549 models$"))).to_be_visible()
    await browser.shot(page, "live-list")
    await page.get_by_text("Filters", exact=True).click()
    await page.get_by_label("Image", exact=True).check()
    count = f"{expected['totalCount']} models"
    await expect(page.get_by_text(count, exact=True)).to_be_visible()
    assert "cap=IMAGE" in page.url  # the filter is in the URL: reload and back keep it
    rows = page.locator("table.models tbody tr")
    await expect(rows).to_have_count(min(expected["totalCount"], 50))
    assert await rows.locator("td[data-label=Capabilities]").all_inner_texts() == [
        text
        for text in await rows.locator("td[data-label=Capabilities]").all_inner_texts()
        if "Image" in text
    ]
    await browser.shot(page, "image-models")
    first, second = (model["modelId"] for model in expected["models"][:2])
    await page.get_by_label(f"Select {first}", exact=True).check()
    await page.get_by_label(f"Select {second}", exact=True).focus()
    await page.keyboard.press("Space")  # the keyboard works as well as the mouse
    await expect(page.get_by_text("2 models selected")).to_be_visible()
    await browser.shot(page, "two-selected")
    await page.get_by_role("button", name="Activate selected", exact=True).click()
    await expect(said(page, "Activated 2 models")).to_be_visible()
    for model_id in (first, second):
        row = rows.filter(has=page.get_by_label(f"Select {model_id}", exact=True))
        await expect(row.locator("td[data-label=Here]")).to_have_text("active")
    await browser.shot(page, "two-active")
    saved = console.gql(SAVED)["savedModels"]
    assert sorted((m["modelId"], m["isActive"]) for m in saved) == sorted(
        [(first, True), (second, True)]
    )
    await go(page, "Saved models")
    await expect(page.get_by_text("2 saved models")).to_be_visible()
    for model_id in (first, second):
        await expect(page.get_by_text(model_id, exact=True).first).to_be_visible()
    await browser.shot(page, "saved-page")


async def test_bulk_sync_twenty_then_clear_the_inactive_ones(
    browser: Browser, console: LiveConsole
) -> None:
    page = await browser.page()
    await sign_in(page, console, console.admin_token)
    await page.get_by_label("How many").fill("20")
    await page.get_by_label("With capability").select_option("CHAT")
    await page.get_by_label("Activate the best if new").check()
    await browser.shot(page, "bulk-sync-form")
    await page.get_by_role("button", name="Sync the 20 best").click()
    await expect(said(page, "Synced 20 models: 20 new")).to_be_visible()
    await expect(page.get_by_role("button", name="Clear inactive (19)")).to_be_enabled()
    await expect(page.get_by_role("button", name="Clear all (20)")).to_be_enabled()
    await browser.shot(page, "synced")
    await page.get_by_role("button", name="Clear inactive (19)").click()
    dialog = page.get_by_role("dialog")
    await expect(dialog).to_contain_text("Delete 19 inactive saved models?")
    await expect(dialog).to_contain_text("Active models stay.")
    await browser.shot(page, "confirm-clear")
    await page.keyboard.press("Escape")  # cancelling deletes nothing
    await expect(dialog).to_be_hidden()
    assert len(console.gql(SAVED)["savedModels"]) == 20
    await page.get_by_role("button", name="Clear inactive (19)").click()
    await dialog.get_by_role("button", name="Delete 19 inactive").click()
    await expect(said(page, "Deleted 19 saved models")).to_be_visible()
    await expect(page.get_by_role("button", name="Clear all (1)")).to_be_enabled()
    await expect(page.get_by_role("button", name="Clear inactive (0)")).to_be_disabled()
    saved = console.gql(SAVED)["savedModels"]
    assert len(saved) == 1 and saved[0]["isActive"]
    await browser.shot(page, "cleared")


DRIFT_MODELS = ("openai/o3", "anthropic/claude-3.7-sonnet")


async def test_drift_after_the_upstream_moves_on_then_apply_in_one_click(
    browser: Browser, console: LiveConsole
) -> None:
    console.era("models-2025-05.json")  # what OpenRouter listed when the models were saved
    page = await browser.page()
    await sign_in(page, console, console.admin_token)
    search = page.get_by_label("Search")
    for model_id in DRIFT_MODELS:
        await search.fill(model_id)
        await page.get_by_role("button", name=f"Activate {model_id}", exact=True).click()
        row = page.locator("tr").filter(has=page.get_by_label(f"Select {model_id}", exact=True))
        await expect(row.locator("td[data-label=Here]")).to_have_text("active")
    await browser.shot(page, "saved-in-may-2025")
    console.era("models-2026-08.json")  # time passes upstream
    await go(page, "Drift")
    await page.get_by_role("button", name="Check the provider now").click()
    o3 = page.locator("tr").filter(has_text="openai/o3")
    await expect(o3.locator("td[data-label=Status]")).to_have_text("changed")
    changes = o3.locator("td[data-label='What changed']")
    for figure, old, new in (("Input $/1M", "$10", "$2"), ("Output $/1M", "$40", "$8")):
        shown = changes.locator("li").filter(has_text=figure)
        await expect(shown.locator("del")).to_have_text(old)  # saved
        await expect(shown.locator("ins")).to_have_text(new)  # live
    claude = page.locator("tr").filter(has_text="anthropic/claude-3.7-sonnet")
    await expect(claude.locator("td[data-label=Status]")).to_have_text("active · missing")
    await expect(page.get_by_role("alert").filter(has_text="claude-3.7-sonnet")).to_be_visible()
    await browser.shot(page, "drift-report")
    await page.get_by_role("button", name=re.compile(r"^Apply changes to 1 model")).click()
    await expect(said(page, "Updated 1 model; 1 missing")).to_be_visible()
    await expect(o3.locator("td[data-label=Status]")).to_have_text("unchanged")
    await expect(page.get_by_role("button", name="Nothing to apply")).to_be_disabled()
    await browser.shot(page, "drift-applied")
    saved = console.gql('{ savedModels(provider: "openrouter") { modelId inputPrice } }')
    prices = {m["modelId"]: m["inputPrice"] for m in saved["savedModels"]}
    assert prices["openai/o3"] == "2"
    # the model that is gone: the app must stop routing to it
    await claude.get_by_role("button", name="Deactivate anthropic/claude-3.7-sonnet").click()
    await expect(claude.locator("td[data-label=Status]")).to_have_text("missing")
    await expect(page.get_by_role("alert").filter(has_text="claude-3.7-sonnet")).to_have_count(0)
    await browser.shot(page, "missing-deactivated")


ADD_GATEWAY = "Add a provider instance"


async def test_add_a_gateway_browse_it_then_deactivate_it(
    browser: Browser, console: LiveConsole
) -> None:
    page = await browser.page()
    await sign_in(page, console, console.admin_token)
    await go(page, "Providers")
    form = page.locator("form").filter(has=page.get_by_role("button", name="Add provider"))
    await form.get_by_label("Kind").select_option("openai_compatible")
    await form.get_by_label("Slug").fill("gateway-eu")
    await form.get_by_label("Display name").fill("EU gateway")
    await form.get_by_label("Base URL").fill(console.env["AI_PROVIDER_OPENAI_BASE_URL"])
    await form.get_by_label("API key").fill("sk-test-key-wxyz")
    await browser.shot(page, "add-gateway")
    await form.get_by_role("button", name="Add provider").click()
    row = page.locator("tr").filter(has_text="gateway-eu")
    await expect(row.locator("td[data-label='API key']")).to_have_text("•••• wxyz")
    assert "sk-test-key" not in await page.content()  # the key is never shown again
    await browser.shot(page, "gateway-added")
    await row.get_by_role("link", name="Browse models").click()
    await expect(page.get_by_label("Provider")).to_have_value("gateway-eu")
    await expect(page.get_by_text("82 models", exact=True)).to_be_visible()
    await go(page, "Providers")
    await row.get_by_role("button", name="Deactivate gateway-eu").click()
    dialog = page.get_by_role("dialog")
    await expect(dialog).to_contain_text("its saved models stay")
    await dialog.get_by_role("button", name="Deactivate").click()
    await expect(row.locator("td[data-label=Status]")).to_have_text("deactivated")
    await expect(row.get_by_role("link", name="Browse models")).to_have_count(0)
    await browser.shot(page, "gateway-deactivated")
    instances = console.gql("{ providers { instances { slug isActive } } }")["providers"]
    assert instances["instances"] == [{"slug": "gateway-eu", "isActive": False}]
    await go(page, "Models")
    options = await page.get_by_label("Provider").locator("option").all_inner_texts()
    assert not any("gateway-eu" in option for option in options)


async def test_a_read_only_token_sees_no_write_control(
    browser: Browser, console: LiveConsole
) -> None:
    console.gql('mutation { bulkSync(provider: "openrouter", limit: 3) { created } }')
    page = await browser.page()
    await sign_in(page, console, console.reader_token)
    await expect(page.get_by_text("read-only", exact=True)).to_be_visible()
    await expect(page.get_by_role("heading", name="Saved models", level=1)).to_be_visible()
    nav = page.get_by_role("navigation", name="Console")
    links = await nav.get_by_role("link").all_inner_texts()
    assert links == [
        "Saved models",
        "Changes",
        "Providers",
        "Catalogs",
        "GraphiQL",
    ]  # what it may read
    await expect(page.get_by_text("3 saved models")).to_be_visible()  # it reads what is saved
    for path in ("/saved", "/providers"):
        await page.goto(f"{console.url}/admin{path}")
        await expect(page.locator("main h1")).to_be_visible()
        await page.wait_for_load_state("networkidle")
        buttons = await page.locator("main").get_by_role("button").all_inner_texts()
        assert not [b for b in buttons if WRITE_CONTROLS.match(b.strip())], (path, buttons)
        assert await page.locator("main input[type=checkbox]").count() == 0
        assert await page.locator("main input[type=password]").count() == 0
        await browser.shot(page, f"read-only{path.replace('/', '-')}")
    await page.goto(f"{console.url}/admin/models/openrouter")
    await expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    await browser.shot(page, "read-only-models")


async def test_a_failing_provider_shows_its_stale_list_and_the_upstream_error(
    browser: Browser, console: LiveConsole
) -> None:
    page = await browser.page()
    await sign_in(page, console, console.admin_token)
    await expect(page.get_by_text("549 models", exact=True)).to_be_visible()
    console.replay.fail(console.openrouter_route, 503)
    await page.get_by_role("button", name="Refresh from provider").click()
    banner = page.get_by_role("alert").filter(has_text="last good list")
    await expect(banner).to_contain_text("503")
    await expect(page.get_by_text("549 models", exact=True)).to_be_visible()  # still served
    await browser.shot(page, "stale")
    console.replay.reset()
    console.era("models-all-output-modalities-2026-08.json")
    await banner.get_by_role("button", name="Try the provider again").click()
    await expect(banner).to_be_hidden()
    await expect(said(page, "Fetched 549 models")).to_be_visible()
    await browser.shot(page, "recovered")
