"""What the console costs in the browser, measured, never asserted against a target here: the
figures go to `artifacts/browser/timings.json`, which `python -m bench.console` prints and
checks (`--check`) against issue 15's targets."""

from __future__ import annotations

import json
import os
import platform
import statistics
from datetime import UTC, datetime
from typing import Any

from playwright.async_api import Page, expect

from tests.browser.conftest import ARTIFACTS, Browser
from tests.browser.server import LiveConsole
from tests.browser.test_console import sign_in

RUNS = 5
TIMINGS = ARTIFACTS / "timings.json"
# set before the console's own code runs: a tab signed in already (its token and who it is, as
# sign-in keeps them), and the moment the first model row appears
INSTRUMENT = """
sessionStorage.setItem("ams.token", %s);
sessionStorage.setItem("ams.viewer", %s);
new MutationObserver((changes, observer) => {
  if (document.querySelector("table.models tbody tr")) {
    window.__amsFirstRow = performance.now();
    observer.disconnect();
  }
}).observe(document, {subtree: true, childList: true});
"""

# "Per page: All", timed inside the page from the change of the select: until the first rows
# are in the DOM and laid out (a forced layout: what the next frame paints), and all 549
ALL_ROWS = """() => new Promise((resolve) => {
  const start = performance.now();
  const times = {};
  const laidOut = () => { void document.body.offsetHeight; return performance.now() - start; };
  const observer = new MutationObserver(() => {
    const rows = document.querySelectorAll("table.models tbody tr").length;
    if (rows > 50 && times.first === undefined) times.first = laidOut();
    if (rows !== 549) return;
    observer.disconnect();
    times.all = laidOut();
    resolve(times);
  });
  observer.observe(document.querySelector("main"), {subtree: true, childList: true});
  const size = document.getElementById("size");
  size.value = "all";
  size.dispatchEvent(new Event("change", {bubbles: true}));
})"""


async def first_paint(page: Page) -> dict[str, float]:
    # the DOM may be complete before the first frame is painted
    await page.wait_for_function("performance.getEntriesByName('first-contentful-paint').length")
    paint: dict[str, float] = await page.evaluate(
        """() => Object.fromEntries(performance.getEntriesByType("paint")
              .map((entry) => [entry.name, entry.startTime]))"""
    )
    return paint


async def open_console(browser: Browser, console: LiveConsole, *, cold: bool) -> dict[str, float]:
    page = await browser.page()
    if cold:
        cdp = await browser.context.new_cdp_session(page)
        await cdp.send("Network.clearBrowserCache")
    viewer = {"name": "admin", "permissions": ["ai.manage"], "canManage": True}
    tab = (json.dumps(console.admin_token), json.dumps(json.dumps(viewer)))
    await page.add_init_script(INSTRUMENT % tab)
    await page.goto(f"{console.url}/admin/models/openrouter")
    await expect(page.locator("table.models tbody tr")).to_have_count(50)
    paint = await first_paint(page)
    navigation = await page.evaluate(
        "(() => { const n = performance.getEntriesByType('navigation')[0];"
        " return {ttfb: n.responseStart, domContentLoaded: n.domContentLoadedEventEnd}; })()"
    )
    first_row = await page.evaluate("window.__amsFirstRow")
    await page.close()
    return {
        "first_contentful_paint_ms": paint["first-contentful-paint"],
        "time_to_first_byte_ms": navigation["ttfb"],
        "dom_content_loaded_ms": navigation["domContentLoaded"],
        "first_model_row_ms": first_row,
    }


async def floor(browser: Browser, console: LiveConsole) -> dict[str, float]:
    """The same browser's first paint of a plain text file from the same server: what any page
    costs here before its own code (headless chromium, software compositing)."""
    page = await browser.page()
    await page.goto(f"{console.url}/static/shared/NOTICE.txt")
    await expect(page.locator("body")).to_contain_text("MIT")
    paint = await first_paint(page)
    await page.close()
    return {"first_contentful_paint_ms": paint["first-contentful-paint"]}


async def render_all(browser: Browser, console: LiveConsole) -> dict[str, float]:
    page = await browser.page()
    await sign_in(page, console, console.admin_token)
    rows = page.locator("table.models tbody tr")
    await expect(rows).to_have_count(50)
    await page.evaluate("performance.clearMeasures('ams:models-render')")
    timing: dict[str, float] = await page.evaluate(ALL_ROWS)
    await expect(rows).to_have_count(549)
    measure: dict[str, Any] = await page.evaluate(
        """() => { const m = performance.getEntriesByName("ams:models-render").at(-1);
                   return {duration: m.duration, rows: m.detail.rows}; }"""
    )
    assert measure["rows"] == 549
    await page.close()
    return {
        "render_549_ms": measure["duration"],
        "select_all_to_first_rows_laid_out_ms": timing["first"],
        "select_all_to_549_rows_laid_out_ms": timing["all"],
    }


def medians(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: round(statistics.median(run[key] for run in runs), 1) for key in runs[0]}


async def test_measure_first_paint_and_a_549_model_list(
    browser: Browser, console: LiveConsole
) -> None:
    await open_console(browser, console, cold=True)  # warms the server: imports, the cached list
    cold = [await open_console(browser, console, cold=True) for _ in range(RUNS)]
    warm = [await open_console(browser, console, cold=False) for _ in range(RUNS)]
    big = [await render_all(browser, console) for _ in range(RUNS)]
    plain = [await floor(browser, console) for _ in range(RUNS)]
    figures = {
        "measured": datetime.now(UTC).isoformat(timespec="seconds"),
        "runs": RUNS,
        "machine": {
            "cpus": os.cpu_count(),
            "processor": platform.processor() or platform.machine(),
            "load_average": [round(load, 2) for load in os.getloadavg()],
        },
        "browser": browser.context.browser.version if browser.context.browser else "chromium",
        "console_cold_browser_cache": medians(cold),
        "console_warm_browser_cache": medians(warm),
        "models_549": medians(big),
        "plain_text_file": medians(plain),
    }
    TIMINGS.write_text(json.dumps(figures, indent=2) + "\n")
    assert all(run["first_contentful_paint_ms"] > 0 for run in cold + warm)
