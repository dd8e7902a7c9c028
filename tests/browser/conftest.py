"""The console in a real browser: Debian's chromium driven by Playwright, against a real
uvicorn server (a subprocess) on the replay upstream and the suite's database and cache.

Every request to another host is blocked and fails the test, as does any console error or
uncaught page error. Screenshots of each step go to `artifacts/browser/<test>/` (git-ignored).
Without chromium (or Playwright) the tests skip with one line, unless `REQUIRE_BROWSER=1`
(CI), which makes that a failure.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.server import LiveConsole, live_console
from tests.replay import ReplayServer

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, ConsoleMessage, Page, Route

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "browser"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL = re.compile(r"^(http://127\.0\.0\.1:\d+/|about:|data:|blob:)")


def _unavailable(reason: str) -> None:
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, but REQUIRE_BROWSER=1", pytrace=False)
    pytest.skip(f"{reason}: browser tests skipped (apt-get install -y chromium)")


@pytest.fixture(scope="session")
def chromium() -> str:
    executable = shutil.which("chromium")
    if executable is None:
        _unavailable("no chromium on PATH")
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e '.[test]')")
    assert executable is not None
    return executable


_REFUSED = re.compile(r"Failed to load resource: the server responded with a status of (\d+)")


@dataclass
class Watch:
    """What a page did that a test must fail on."""

    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    refusals: set[int] = field(default_factory=set)

    def expect_refusal(self, status: int) -> None:
        """The test makes the API refuse a request with `status` (a wrong token: 401). The
        browser logs every 4xx response as a console error; only that one is expected."""
        self.refusals.add(status)

    def attach(self, page: Page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))

    def _console(self, message: ConsoleMessage) -> None:
        refused = _REFUSED.match(message.text)
        if refused and int(refused.group(1)) in self.refusals:
            return
        if message.type == "error":
            self.errors.append(f"console error: {message.text} ({message.location})")

    async def route(self, route: Route) -> None:
        url = route.request.url
        if LOCAL.match(url):
            await route.continue_()
        else:
            self.blocked.append(url)
            await route.abort("blockedbyclient")


@dataclass
class Browser:
    """A fresh chromium profile with every non-local request blocked."""

    context: BrowserContext
    watch: Watch
    shots: Path
    _count: int = 0

    async def page(self, width: int = 1280, height: int = 900) -> Page:
        page = await self.context.new_page()
        await page.set_viewport_size({"width": width, "height": height})
        self.watch.attach(page)
        return page

    async def shot(self, page: Page, name: str) -> None:
        self._count += 1
        await page.screenshot(path=self.shots / f"{self._count:02d}-{name}.png", full_page=True)


@pytest.fixture
async def browser(
    chromium: str, console: LiveConsole, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[Browser]:
    """On the test's `console` (a module may override that fixture): the server starts before
    the browser and stops after it, so no page's last request meets a stopped server."""
    from playwright.async_api import async_playwright, expect

    # a shared 2-CPU machine running several suites can take seconds to show a page: waiting
    # longer than Playwright's 5 s default costs nothing when the page is quick
    expect.set_options(timeout=20_000)

    shots = ARTIFACTS / request.node.name
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)
    watch = Watch()
    async with async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            tmp_path / "profile",  # a fresh user-data dir for each test
            executable_path=chromium,
            args=CHROMIUM_FLAGS,
            headless=True,
            service_workers="block",
        )
        await context.route("**/*", watch.route)
        try:
            yield Browser(context, watch, shots)
        finally:
            await context.close()
    assert not watch.blocked, f"requests to other hosts: {watch.blocked}"
    assert not watch.errors, "\n".join(watch.errors)


@pytest.fixture
def console(
    chromium: str,
    database_url: str,
    cache_url: tuple[str, str],
    replay: ReplayServer,
    tmp_path: Path,
) -> Iterator[LiveConsole]:
    """The service on a real uvicorn, its own OpenRouter route on the replay server."""
    with live_console(replay, database_url, cache_url, tmp_path) as served:
        yield served


def pytest_collection_modifyitems(items: list[Any]) -> None:
    """Browser tests are slow: they run last, so the fast suite reports first."""
    items.sort(key=lambda item: "tests/browser/" in str(item.fspath))
