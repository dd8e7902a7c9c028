"""The console's and GraphiQL's pages: served from this service only, under a strict CSP."""

from __future__ import annotations

import dataclasses
import doctest
from html.parser import HTMLParser

import httpx
import pytest

import web
from settings import Settings
from tests.service import Service, running_service
from web.vendor import sri

HTML = {"accept": "text/html"}


class Document(HTMLParser):
    """The tags of a page, for checking what it loads and that nothing is inline."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.inline_script = False
        self._in_script = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_script = True

    def loads(self) -> list[tuple[str, str | None]]:
        """(url, integrity) of every script, stylesheet, preload and icon."""
        found = []
        for tag, attrs in self.tags:
            url = attrs.get("src") if tag == "script" else attrs.get("href")
            if tag in ("script", "link") and url:
                found.append((url, attrs.get("integrity")))
        return found


@pytest.fixture
def client(service: Service) -> httpx.AsyncClient:
    return service.http


async def check_page(client: httpx.AsyncClient, path: str, **kwargs: object) -> Document:
    response = await client.get(path, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe" not in csp and "http" not in csp and "data:" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    page = Document(response.text)
    assert not page.inline_script
    assert all("style" not in attrs for _, attrs in page.tags)  # no inline style either
    assert not any(tag == "style" for tag, _ in page.tags)
    for url, integrity in page.loads():
        assert url.startswith("/") and not url.startswith("//"), url  # this origin only
        asset = await client.get(url)
        assert asset.status_code == 200, url
        assert asset.headers["x-content-type-options"] == "nosniff"
        if url.endswith(".js"):
            assert asset.headers["content-type"].startswith("text/javascript")
        if integrity is not None:
            assert integrity == sri(asset.content), url
    return page


async def test_graphiql_is_served_from_this_service_with_integrity_hashes(
    client: httpx.AsyncClient,
) -> None:
    page = await check_page(client, "/graphql", headers=HTML)
    loads = dict(page.loads())
    vendored = [url for url in loads if url.startswith("/static/vendor/")]
    assert {url.split("/")[3].split("@")[0] for url in vendored} == {
        "react",
        "react-dom",
        "graphiql",
        "graphiql-plugin-explorer",
    }
    assert all(loads[url] for url in vendored)  # every vendored file carries its SRI hash
    assert "/static/graphiql/graphiql.js" in loads  # the bootstrap, as a file


async def test_the_console_page_preloads_its_modules_and_library(
    client: httpx.AsyncClient,
) -> None:
    page = await check_page(client, "/admin")
    preloads = [attrs["href"] for tag, attrs in page.tags if attrs.get("rel") == "modulepreload"]
    assert "/static/console/app.js" in preloads
    assert any(str(url).startswith("/static/vendor/lit-html@") for url in preloads)
    deep_link = await client.get("/admin/models/openrouter?search=gpt")
    assert deep_link.status_code == 200 and deep_link.text == (await client.get("/admin")).text


async def test_the_console_runs_with_trusted_types(client: httpx.AsyncClient) -> None:
    csp = (await client.get("/admin")).headers["content-security-policy"]
    assert "require-trusted-types-for 'script'" in csp and "trusted-types lit-html" in csp


async def test_vendored_files_are_cached_for_good_and_the_console_s_revalidated(
    client: httpx.AsyncClient,
) -> None:
    vendored = await client.get("/static/vendor/react@18.3.1/react.production.min.js")
    assert "immutable" in vendored.headers["cache-control"]
    own = await client.get("/static/console/app.js")
    assert own.headers["cache-control"] == "no-cache"
    etag = {"if-none-match": own.headers["etag"]}
    again = await client.get("/static/console/app.js", headers=etag)
    assert again.status_code == 304
    font = next(p for p in web.vendor.manifest().files if p.endswith(".woff2"))
    assert (await client.get(f"/static/vendor/{font}")).headers["content-type"] == "font/woff2"


async def test_no_directory_listing_and_no_path_escape(client: httpx.AsyncClient) -> None:
    assert (await client.get("/static/vendor/")).status_code == 404
    assert (await client.get("/static/console/../../vendor.json")).status_code == 404
    assert (await client.get("/static/console/%2e%2e/%2e%2e/pages.py")).status_code == 404


async def test_settings_switch_the_console_and_graphiql_off(settings: Settings) -> None:
    off = dataclasses.replace(settings, admin_console=False, graphiql=False)
    async with running_service(off) as running:
        http = running.http
        assert (await http.get("/admin")).status_code == 404
        assert (await http.get("/static/console/app.js")).status_code == 404
        assert (await http.get("/static/graphiql/graphiql.js")).status_code == 404
        assert (await http.get("/static/vendor/lit-html@3.3.3/lit-html.js")).status_code == 404
        ide = await http.get("/graphql", headers=HTML)
        assert not ide.headers["content-type"].startswith("text/html")


def test_setting_from_the_environment() -> None:
    assert Settings.from_env({}).admin_console is True
    assert Settings.from_env({"ADMIN_CONSOLE": "false"}).admin_console is False


def test_web_doctest() -> None:
    assert doctest.testmod(web).failed == 0
