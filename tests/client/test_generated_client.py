"""The generated typed client (clients/python) against the LIVE server.

A real uvicorn process on a free port, a real SQLite file, the replay upstream: the client
drives every operation of `examples/*.graphql` over HTTP, exactly as an application would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from ai_model_sync_client import (
    AddProviderInput,
    AiModelSyncClient,
    Capability,
    DriftField,
    DriftStatus,
    GraphQLClientGraphQLMultiError,
    GraphQLClientHttpError,
    ModelFilter,
    ModelSort,
    ModelSortField,
    SortDirection,
    UpdateProviderInput,
)

from tests.backends import TEST_SECRET_KEY, free_port
from tests.replay import (
    LATEST,
    ReplayServer,
    base_url,
    fixture_path,
    models_route,
    serve_catalogue,
)
from tests.service import GROQ_KEY

ROOT = Path(__file__).resolve().parents[2]


LIVE_CAPTURE = "models-all-output-modalities-2026-08.json"


@dataclass(frozen=True)
class LiveServer:
    url: str
    admin_token: str
    reader_token: str
    replay: ReplayServer
    openrouter_route: str
    """OpenRouter's list for this server alone: a test may change what it lists."""
    openai_base_url: str
    """The replayed OpenAI API (its latest capture), for OpenAI-compatible instances."""
    openai_route: str
    """Where that list is served: `replay.hits(openai_route)` counts its fetches."""

    def serve(self, changes: dict[str, dict[str, Any] | None] | None = None) -> None:
        """List the 2026-08 capture, with `{model_id: {field: value}}` replaced (None: drop)."""
        payload = json.loads(fixture_path("openrouter", LIVE_CAPTURE).read_bytes())
        changes = changes or {}
        payload["data"] = [
            {**model, **(changes.get(model["id"]) or {})}
            for model in payload["data"]
            if model["id"] not in changes or changes[model["id"]] is not None
        ]
        self.replay.serve(self.openrouter_route, payload)


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture(scope="module")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, replay_server: ReplayServer
) -> Iterator[LiveServer]:
    bases = serve_catalogue(replay_server)
    prefix = f"live-{uuid.uuid4().hex[:10]}"
    bases["openrouter"] = base_url(replay_server.url, "openrouter", prefix)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite://{tmp_path_factory.mktemp('live') / 'live.sqlite3'}",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "HTTP_TOTAL_TIMEOUT": "5",
        "LOG_LEVEL": "WARNING",
        "AI_PROVIDER_GROQ_API_KEY": GROQ_KEY,
        "SECRET_KEYS": TEST_SECRET_KEY,  # provider instances' API keys are stored encrypted
        **{f"AI_PROVIDER_{slug.upper()}_BASE_URL": url for slug, url in bases.items()},
    }
    admin = _cli(env, "token", "create", "admin")
    reader = _cli(env, "token", "create", "dashboard", "--permission", "ai.read")
    log = tmp_path_factory.mktemp("live-log") / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "server.py")], env=env, stdout=output, stderr=output
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the server did not start:\n{log.read_text()}")
            time.sleep(0.1)
        served = LiveServer(
            f"{url}/graphql",
            admin,
            reader,
            replay_server,
            models_route("openrouter", prefix),
            bases["openai"],
            models_route("openai"),
        )
        served.serve()
        yield served
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
async def client(live_server: LiveServer) -> AsyncIterator[AiModelSyncClient]:
    headers = {"Authorization": f"Bearer {live_server.admin_token}"}
    async with AiModelSyncClient(url=live_server.url, headers=headers) as client:
        await client.clear_models("openrouter", keep_active=False)
        yield client


async def test_available_models_pages_with_typed_results(client: AiModelSyncClient) -> None:
    spec = ModelFilter(capabilities=[Capability.CHAT], min_context_window=100_000)
    order = ModelSort(field=ModelSortField.INPUT_PRICE, direction=SortDirection.ASC)
    first = await client.available_models("openrouter", filter_=spec, sort=order, first=25)
    listing = first.available_models
    assert listing.provider == "openrouter" and listing.stale is False
    assert len(listing.models) == 25 and listing.total_count > 25
    assert listing.page_info.has_next_page and listing.page_info.end_cursor
    prices = [m.input_price for m in listing.models if m.input_price is not None]
    assert all(isinstance(p, Decimal) for p in prices) and prices == sorted(prices)
    assert all(Capability.CHAT in m.capabilities for m in listing.models)
    assert all((m.context_window or 0) >= 100_000 for m in listing.models)
    second = await client.available_models(
        "openrouter", filter_=spec, sort=order, first=25, after=listing.page_info.end_cursor
    )
    page_two = second.available_models
    assert page_two.page_info.has_previous_page
    assert not {m.model_id for m in listing.models} & {m.model_id for m in page_two.models}


async def test_search_free_and_price_bounds(client: AiModelSyncClient) -> None:
    found = await client.available_models("openrouter", search="gpt-4o mini")
    assert "openai/gpt-4o-mini" in [m.model_id for m in found.available_models.models]
    cheap = await client.available_models(
        "openrouter", filter_=ModelFilter(max_input_price=Decimal("0.1"), free_only=False)
    )
    assert all(
        m.input_price is not None and m.input_price <= Decimal("0.1")
        for m in cheap.available_models.models
    )
    free = await client.available_models("openrouter", filter_=ModelFilter(free_only=True))
    assert free.available_models.total_count > 0
    assert {m.input_price for m in free.available_models.models} == {Decimal(0)}


async def test_save_sync_list_and_clear(client: AiModelSyncClient, live_server: LiveServer) -> None:
    saved = await client.save_model("openrouter", "openai/gpt-4o", is_active=True)
    assert saved.save_model.created is True
    model = saved.save_model.model
    assert model.is_active and model.input_price == Decimal("2.5") and model.db_id

    synced = await client.bulk_sync("openrouter", capability=Capability.EMBEDDING, limit=3)
    assert synced.bulk_sync.created == 3 and len(synced.bulk_sync.model_ids) == 3

    active = await client.available_models("openrouter", filter_=ModelFilter(active=True))
    assert [m.model_id for m in active.available_models.models] == ["openai/gpt-4o"]
    assert active.available_models.models[0].db_id == model.db_id

    reader_headers = {"Authorization": f"Bearer {live_server.reader_token}"}
    async with AiModelSyncClient(url=live_server.url, headers=reader_headers) as reader:
        rows = await reader.saved_models(provider="openrouter")
        assert len(rows.saved_models) == 4
        only_active = await reader.saved_models(provider="openrouter", active=True)
        assert [r.model_id for r in only_active.saved_models] == ["openai/gpt-4o"]
        routed = await reader.active_model(Capability.CHAT)
        assert routed.active_model is not None
        assert routed.active_model.model_id == "openai/gpt-4o"
        assert (await reader.active_model(Capability.EMBEDDING)).active_model is None
        with pytest.raises(GraphQLClientGraphQLMultiError) as forbidden:
            await reader.clear_models("openrouter")
        assert forbidden.value.errors[0].extensions == {"code": "FORBIDDEN"}

    cleared = await client.clear_models("openrouter")
    assert cleared.clear_models.deleted == 3
    left = await client.saved_models(provider="openrouter")
    assert [r.model_id for r in left.saved_models] == ["openai/gpt-4o"]


async def test_errors_arrive_with_their_codes(client: AiModelSyncClient) -> None:
    with pytest.raises(GraphQLClientGraphQLMultiError) as unknown:
        await client.available_models("nope")
    assert unknown.value.errors[0].extensions == {"code": "NOT_FOUND"}
    with pytest.raises(GraphQLClientGraphQLMultiError) as too_big:
        await client.available_models("openrouter", first=501)
    assert too_big.value.errors[0].extensions == {"code": "BAD_USER_INPUT"}


async def test_graphql_response_json_over_the_wire(live_server: LiveServer) -> None:
    """The client asking for the modern media type: a request error is an HTTP 400."""
    headers = {
        "Authorization": f"Bearer {live_server.admin_token}",
        "Accept": "application/graphql-response+json",
    }
    async with AiModelSyncClient(url=live_server.url, headers=headers) as modern:
        ok = await modern.saved_models(provider="groq")
        assert ok.saved_models == []
        response = await modern.execute("{ nope }")
        assert isinstance(response, httpx.Response) and response.status_code == 400
        assert response.headers["content-type"].startswith("application/graphql-response+json")
        with pytest.raises(GraphQLClientHttpError):
            modern.get_data(response)


async def test_drift_report_sync_and_activation(
    client: AiModelSyncClient, live_server: LiveServer
) -> None:
    """modelChanges, syncSavedModels and setModelsActive after the upstream changed."""
    for model_id in ("openai/gpt-4o", "openai/gpt-4o-mini"):
        await client.save_model("openrouter", model_id, is_active=True)
    unchanged = await client.model_changes("openrouter")
    assert unchanged.model_changes.total == 2 and unchanged.model_changes.unchanged == 2
    try:
        live_server.serve(
            {
                "openai/gpt-4o": {"pricing": {"prompt": "0.000002", "completion": "0.000008"}},
                "openai/gpt-4o-mini": None,  # no longer listed
            }
        )
        report = (await client.model_changes("openrouter", use_cache=False)).model_changes
        assert (report.changed, report.missing, report.active_missing) == (1, 1, 1)
        by_id = {m.model_id: m for m in report.models}
        assert by_id["openai/gpt-4o-mini"].status is DriftStatus.MISSING
        assert by_id["openai/gpt-4o-mini"].active_missing
        gpt4o = by_id["openai/gpt-4o"]
        assert gpt4o.status is DriftStatus.CHANGED
        price = next(c for c in gpt4o.changes if c.field is DriftField.INPUT_PRICE)
        assert (price.old, price.new) == ("2.5", "2")

        synced = (await client.sync_saved_models("openrouter")).sync_saved_models
        assert synced.updated_model_ids == ["openai/gpt-4o"]
        assert synced.missing_model_ids == ["openai/gpt-4o-mini"]
        saved = await client.saved_models(provider="openrouter")
        prices = {m.model_id: m.input_price for m in saved.saved_models}
        assert prices == {"openai/gpt-4o": Decimal(2), "openai/gpt-4o-mini": Decimal("0.15")}

        off = await client.set_models_active("openrouter", ["openai/gpt-4o-mini"], False)
        assert off.set_models_active.changed == 1 and off.set_models_active.active is False
        after = (await client.model_changes("openrouter")).model_changes
        assert after.active_missing == 0 and after.missing == 1
    finally:
        live_server.serve()
        await client.available_models("openrouter", use_cache=False, first=0)


GATEWAY_KEY = "sk-live-gateway-0123456789abwxyz"


def _openai_capture_ids() -> set[str]:
    payload = json.loads(fixture_path("openai", LATEST["openai"]).read_bytes())
    return {model["id"] for model in payload["data"]}


@pytest.fixture
async def recording_client(
    live_server: LiveServer,
) -> AsyncIterator[tuple[AiModelSyncClient, list[str]]]:
    """An admin client that also keeps every response body it receives, as text."""
    bodies: list[str] = []

    async def keep(response: httpx.Response) -> None:
        await response.aread()
        bodies.append(response.text)

    headers = {"Authorization": f"Bearer {live_server.admin_token}"}
    async with AiModelSyncClient(url=live_server.url, headers=headers) as client:
        assert isinstance(client.http_client, httpx.AsyncClient)  # the client's own default
        client.http_client.event_hooks["response"].append(keep)
        yield client, bodies


async def _add_gateway(client: AiModelSyncClient, live_server: LiveServer, slug: str) -> None:
    """A second OpenAI-compatible instance on the replayed OpenAI API, with an API key."""
    added = await client.add_provider(
        AddProviderInput(
            slug=slug,
            kind="openai_compatible",
            display_name="Gateway",
            base_url=live_server.openai_base_url,
            api_key=GATEWAY_KEY,
            ttl=600,
        )
    )
    instance = added.add_provider
    assert (instance.slug, instance.kind, instance.base_url) == (
        slug,
        "openai_compatible",
        live_server.openai_base_url,
    )
    assert instance.has_api_key and instance.api_key_last_4 == "wxyz"
    assert instance.is_active and instance.ttl == 600 and instance.id


async def test_providers_lists_kinds_to_readers_and_only_admins_add(
    live_server: LiveServer,
) -> None:
    headers = {"Authorization": f"Bearer {live_server.reader_token}"}
    async with AiModelSyncClient(url=live_server.url, headers=headers) as reader:
        kinds = {kind.kind: kind for kind in (await reader.providers()).providers.kinds}
        assert {"openrouter", "groq", "openai", "openai_compatible"} <= set(kinds)
        assert kinds["groq"].needs_key is True
        assert kinds["openai"].default_base_url == "https://api.openai.com/v1"
        assert all(kind.docs_url.startswith("https://") for kind in kinds.values())
        with pytest.raises(GraphQLClientGraphQLMultiError) as forbidden:
            await reader.add_provider(AddProviderInput(slug="gw-reader", kind="openai_compatible"))
        assert forbidden.value.errors[0].extensions == {"code": "FORBIDDEN"}
        instances = (await reader.providers()).providers.instances
        assert "gw-reader" not in [instance.slug for instance in instances]


async def test_add_a_gateway_list_its_models_and_change_it(
    recording_client: tuple[AiModelSyncClient, list[str]], live_server: LiveServer
) -> None:
    """addProvider, providers, availableModels on the new slug, updateProvider."""
    client, bodies = recording_client
    await _add_gateway(client, live_server, "gw-live")
    listed = {i.slug: i for i in (await client.providers()).providers.instances}
    gateway = listed["gw-live"]
    assert gateway.has_api_key and gateway.api_key_last_4 == "wxyz" and gateway.is_active
    assert gateway.display_name == "Gateway" and gateway.ttl == 600

    models = (await client.available_models("gw-live")).available_models
    assert models.provider == "gw-live" and models.stale is False and models.error is None
    assert {m.model_id for m in models.models} == _openai_capture_ids()
    assert models.total_count == len(_openai_capture_ids())
    sent = live_server.replay.requests(live_server.openai_route)[-1]
    assert sent.headers["Authorization"] == f"Bearer {GATEWAY_KEY}"  # the instance's own key

    changed = await client.update_provider(
        "gw-live", UpdateProviderInput(display_name="Team gateway", ttl=3600)
    )
    updated = changed.update_provider
    assert (updated.display_name, updated.ttl) == ("Team gateway", 3600)
    # fields left out keep their value: the key, the base URL, the active flag
    assert updated.has_api_key and updated.api_key_last_4 == "wxyz"
    assert updated.base_url == live_server.openai_base_url and updated.is_active
    relisted = {i.slug: i for i in (await client.providers()).providers.instances}
    assert (relisted["gw-live"].display_name, relisted["gw-live"].ttl) == ("Team gateway", 3600)

    assert bodies and not [body for body in bodies if GATEWAY_KEY in body]


async def test_refresh_models_fetches_again_and_deactivation_stops_listing(
    recording_client: tuple[AiModelSyncClient, list[str]], live_server: LiveServer
) -> None:
    """refreshModels, deactivateProvider, and updateProvider(isActive: true) reactivating."""
    client, bodies = recording_client
    replay, route = live_server.replay, live_server.openai_route
    await _add_gateway(client, live_server, "gw-refresh")
    first = (await client.available_models("gw-refresh")).available_models
    fetched = replay.hits(route)
    cached = (await client.available_models("gw-refresh")).available_models
    assert replay.hits(route) == fetched and cached.fetched_at == first.fetched_at

    refreshed = (await client.refresh_models("gw-refresh")).refresh_models
    assert replay.hits(route) == fetched + 1  # fetched now, whatever the cache held
    assert refreshed.provider == "gw-refresh" and refreshed.count == len(_openai_capture_ids())
    assert refreshed.stale is False and refreshed.error is None
    assert refreshed.fetched_at > first.fetched_at
    after = (await client.available_models("gw-refresh")).available_models
    assert after.fetched_at == refreshed.fetched_at and replay.hits(route) == fetched + 1

    off = (await client.deactivate_provider("gw-refresh")).deactivate_provider
    assert (off.slug, off.is_active, off.display_name) == ("gw-refresh", False, "Gateway")
    listed = {i.slug: i for i in (await client.providers()).providers.instances}
    assert listed["gw-refresh"].is_active is False
    with pytest.raises(GraphQLClientGraphQLMultiError) as deactivated:
        await client.available_models("gw-refresh")
    assert deactivated.value.errors[0].extensions == {"code": "BAD_USER_INPUT"}
    assert "deactivated" in deactivated.value.errors[0].message
    with pytest.raises(GraphQLClientGraphQLMultiError) as not_refreshed:
        await client.refresh_models("gw-refresh")
    assert not_refreshed.value.errors[0].extensions == {"code": "BAD_USER_INPUT"}
    assert replay.hits(route) == fetched + 1  # a deactivated instance is not fetched

    on = await client.update_provider("gw-refresh", UpdateProviderInput(is_active=True))
    assert on.update_provider.is_active and on.update_provider.api_key_last_4 == "wxyz"
    again = (await client.available_models("gw-refresh", first=0)).available_models
    assert again.stale is False and again.total_count == len(_openai_capture_ids())

    assert bodies and not [body for body in bodies if GATEWAY_KEY in body]
