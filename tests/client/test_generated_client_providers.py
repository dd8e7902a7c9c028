"""The generated client's provider operations against the LIVE server: kinds, instances,
their keys (never shown), refreshes and deactivation."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest
from ai_model_sync_client import (
    AddProviderInput,
    AiModelSyncClient,
    GraphQLClientGraphQLMultiError,
    UpdateProviderInput,
)

from tests.client._live import LiveServer
from tests.replay import (
    LATEST,
    fixture_path,
)
from tests.service import coded

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
        assert coded(forbidden.value.errors[0].extensions or {}) == {"code": "FORBIDDEN"}
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
    assert coded(deactivated.value.errors[0].extensions or {}) == {"code": "BAD_USER_INPUT"}
    assert "deactivated" in deactivated.value.errors[0].message
    with pytest.raises(GraphQLClientGraphQLMultiError) as not_refreshed:
        await client.refresh_models("gw-refresh")
    assert coded(not_refreshed.value.errors[0].extensions or {}) == {"code": "BAD_USER_INPUT"}
    assert replay.hits(route) == fetched + 1  # a deactivated instance is not fetched

    on = await client.update_provider("gw-refresh", UpdateProviderInput(is_active=True))
    assert on.update_provider.is_active and on.update_provider.api_key_last_4 == "wxyz"
    again = (await client.available_models("gw-refresh", first=0)).available_models
    assert again.stale is False and again.total_count == len(_openai_capture_ids())

    assert bodies and not [body for body in bodies if GATEWAY_KEY in body]


async def test_viewer_tells_a_reader_from_an_admin(
    client: AiModelSyncClient, live_server: LiveServer
) -> None:
    admin = (await client.viewer()).viewer
    assert admin.name == "admin" and admin.can_manage and admin.permissions == ["ai.manage"]
    headers = {"Authorization": f"Bearer {live_server.reader_token}"}
    async with AiModelSyncClient(url=live_server.url, headers=headers) as reader:
        dashboard = (await reader.viewer()).viewer
    assert dashboard.name == "dashboard" and not dashboard.can_manage
