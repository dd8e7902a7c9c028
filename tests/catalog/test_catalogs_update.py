"""`ai-model-sync catalogs [update]`: freshness shown, newer data fetched and used, bad data
refused with nothing replaced. The "internet" is a server on 127.0.0.1 serving **constructed**
catalog data (the shapes of genai-prices' `data.json` and models.dev's `api.json`, a handful of
invented prices so a test can tell them from the installed ones)."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from catalog.catalogs import Catalogs
from catalog.catalogs.update import CatalogUpdateError, update
from providers import ModelRecord

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
GENAI_IDS = ("openai", "anthropic", "groq", "google", "mistral", "together")
MODELS_DEV_IDS = ("openai", "anthropic", "groq", "google", "mistral", "togetherai")


def constructed_prices() -> list[dict[str, Any]]:
    """genai-prices' provider array: one model per provider, o3 at an invented 1/4."""
    return [
        {
            "id": provider,
            "name": provider.title(),
            "api_pattern": f"https://api\\.{provider}\\.example",
            "models": [
                {
                    "id": "o3" if provider == "openai" else f"{provider}-model",
                    "match": {"equals": "o3" if provider == "openai" else f"{provider}-model"},
                    "prices": {"input_mtok": 1, "output_mtok": 4},
                }
            ],
        }
        for provider in GENAI_IDS
    ]


def constructed_models_dev() -> dict[str, Any]:
    return {
        provider: {"id": provider, "models": {"o3": {"limit": {"context": 7, "output": 3}}}}
        for provider in MODELS_DEV_IDS
    }


class Internet:
    """What the fake internet serves, by path."""

    def __init__(self) -> None:
        self.bodies: dict[str, Any] = {
            "/prices.json": constructed_prices(),
            "/api.json": constructed_models_dev(),
        }
        self.base = ""

    async def handle(self, request: web.Request) -> web.Response:
        body = self.bodies.get(request.path)
        if body is None:
            return web.Response(status=404)
        return web.Response(body=json.dumps(body).encode(), content_type="application/json")


@pytest.fixture
async def internet() -> AsyncIterator[Internet]:
    served = Internet()
    app = web.Application()
    app.router.add_get("/{tail:.*}", served.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    served.base = f"http://127.0.0.1:{port}"
    yield served
    await runner.cleanup()


async def run_update(internet: Internet, directory: Path) -> list[str]:
    async with aiohttp.ClientSession() as http:
        return await update(
            http,
            directory,
            prices_url=f"{internet.base}/prices.json",
            metadata_url=f"{internet.base}/api.json",
            now=NOW,
        )


async def test_an_update_is_used_by_the_next_load(internet: Internet, tmp_path: Path) -> None:
    written = await run_update(internet, tmp_path / "catalogs")
    assert len(written) == 2
    catalogs = Catalogs(tmp_path / "catalogs")
    prices, metadata = await catalogs.ready()
    assert prices.version == "0.2.3+data.2026-12-01" and prices.data_date == "2026-12-01"
    assert metadata.version == "2026-12-01" and metadata.upstream.endswith("/api.json")
    (o3,) = await catalogs.enrich("openai", [ModelRecord(id="o3", name="o3")], NOW)
    assert (o3.input_price, o3.output_price) == (Decimal(1), Decimal(4))
    assert o3.sources["input_price"] == "catalog:genai-prices@0.2.3+data.2026-12-01"
    assert (o3.context_window, o3.max_output_tokens) == (7, 3)


@pytest.mark.parametrize(
    ("path", "body", "reason"),
    [
        ("/prices.json", {"not": "a list"}, "provider array"),
        ("/prices.json", [{"id": "openai"}], "not genai-prices data"),
        ("/prices.json", constructed_prices()[:1], "no models for"),
        ("/api.json", [], "api.json object"),
        ("/api.json", {"openai": {"models": {"o3": {}}}}, "no models for anthropic"),
        ("/api.json", None, "HTTP 404"),
    ],
)
async def test_bad_data_replaces_nothing(
    internet: Internet, tmp_path: Path, path: str, body: Any, reason: str
) -> None:
    await run_update(internet, tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    if body is None:
        del internet.bodies[path]
    else:
        internet.bodies[path] = body
    with pytest.raises(CatalogUpdateError, match=reason):
        await run_update(internet, tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


async def test_an_unreachable_catalog_is_an_error(tmp_path: Path) -> None:
    async with aiohttp.ClientSession() as http:
        with pytest.raises(CatalogUpdateError, match=r"127\.0\.0\.1:9"):
            await update(
                http, tmp_path, prices_url="http://127.0.0.1:9/x", metadata_url="http://127.0.0.1:9/y",
                now=NOW,
            )  # fmt: skip
    assert not any(tmp_path.iterdir())


async def cli(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "cli", *args, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(child.communicate(), 60)
    return child.returncode or 0, out.decode(), err.decode()


async def test_the_cli_shows_and_updates(
    internet: Internet, tmp_path: Path, database_url: str
) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MIGRATE_ON_START": "true",
        "CATALOG_DIR": str(tmp_path / "catalogs"),
        "GENAI_PRICES_URL": f"{internet.base}/prices.json",
        "MODELS_DEV_URL": f"{internet.base}/api.json",
    }
    status, out, _ = await cli("catalogs", env=env)
    assert status == 0
    assert "genai-prices 0.2.3 (installed package" in out
    assert "models.dev 2026-07-02 (shipped copy" in out
    status, out, err = await cli("catalogs", "update", env=env)
    assert status == 0, err
    assert "genai-prices: 6 providers" in err
    assert "genai-prices 0.2.3+data." in out and "catalogs/genai-prices.json" in out
    internet.bodies["/api.json"] = {}
    status, out, err = await cli("catalogs", "update", env=env)
    assert status == 1 and "error: " in err and "no models for" in err
    status, out, _ = await cli("audit", "--json", env=env)
    assert status == 0
    entries = [json.loads(line) for line in out.splitlines()]  # the failed update: no entry
    assert [(e["operation"], e["via"]) for e in entries] == [("updateCatalogs", "cli")]
    changed = {c["field"]: (c["before"], c["after"]) for c in entries[0]["changes"]}
    assert changed["genai-prices.version"][0] == "0.2.3"
    assert changed["genai-prices.version"][1].startswith("0.2.3+data.")
    assert "models.dev.origin" in changed
    assert entries[0]["details"]["prices_url"] == f"{internet.base}/prices.json"
