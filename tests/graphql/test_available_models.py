"""`availableModels`: the live list, annotated from the database in one query, never written."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal

from providers import Capability, ModelRecord
from tests.replay import ReplayServer, fixture_path
from tests.service import GROQ_KEY, Service, SQLLog

LIST = """
query List($provider: String!, $capability: Capability, $useCache: Boolean = true) {
  availableModels(provider: $provider, capability: $capability, useCache: $useCache) {
    provider count fetchedAt stale error
    models {
      modelId name description capabilities inputPrice outputPrice contextWindow
      maxOutputTokens createdAt ownedBy inputModalities outputModalities
      sources { field origin } savedInDb isActiveInDb dbId
    }
  }
}
"""
SAVE = """
mutation Save($provider: String!, $modelId: String!, $isActive: Boolean) {
  saveModel(provider: $provider, modelId: $modelId, isActive: $isActive) {
    created model { dbId isActive }
  }
}
"""
OPENROUTER_ROUTE = "/openrouter/api/v1/models"


def _capture_ids(name: str) -> set[str]:
    payload = json.loads(fixture_path("openrouter", name).read_bytes())
    return {model["id"] for model in payload["data"]}


async def test_lists_every_model_of_the_capture(service: Service) -> None:
    data = await service.gql(LIST, {"provider": "openrouter"})
    listing = data["availableModels"]
    ids = {model["modelId"] for model in listing["models"]}
    assert ids == _capture_ids("models-all-output-modalities-2026-08.json")
    assert listing["count"] == len(ids) == 549
    assert listing["stale"] is False and listing["error"] is None
    gpt4o = next(m for m in listing["models"] if m["modelId"] == "openai/gpt-4o")
    assert Decimal(gpt4o["inputPrice"]) == Decimal("2.5")
    assert Decimal(gpt4o["outputPrice"]) == Decimal("10")
    assert {"CHAT", "VISION"} <= set(gpt4o["capabilities"])
    assert gpt4o["savedInDb"] is False and gpt4o["dbId"] is None


async def test_a_source_names_its_figure_as_the_record_does(service: Service) -> None:
    """`FigureSource.field` is a record field's snake_case name or `capability.<name>` (and
    OpenRouter's `pricing` note), not the GraphQL field's camelCase name."""
    data = await service.gql(LIST, {"provider": "openrouter"})
    named = {s["field"] for m in data["availableModels"]["models"] for s in m["sources"]}
    assert {"input_price", "context_window", "capability.chat"} <= named
    record = {item.name for item in dataclasses.fields(ModelRecord)}
    capabilities = {f"capability.{capability.value}" for capability in Capability}
    assert named <= record | capabilities | {"pricing"}


async def test_capability_filter_uses_provider_metadata(service: Service) -> None:
    data = await service.gql(LIST, {"provider": "openrouter", "capability": "EMBEDDING"})
    models = data["availableModels"]["models"]
    payload = json.loads(
        fixture_path("openrouter", "models-all-output-modalities-2026-08.json").read_bytes()
    )
    expected = {
        m["id"]
        for m in payload["data"]
        if "embeddings" in m["architecture"].get("output_modalities", [])
    }
    assert {m["modelId"] for m in models} == expected
    assert data["availableModels"]["count"] == len(expected) > 0


async def test_saved_state_is_one_query_and_listing_writes_nothing(
    service: Service, sql: SQLLog
) -> None:
    await service.gql(
        SAVE, {"provider": "openrouter", "modelId": "openai/gpt-4o", "isActive": True}
    )
    await service.gql(SAVE, {"provider": "openrouter", "modelId": "anthropic/claude-sonnet-4"})
    sql.clear()
    data = await service.gql(LIST, {"provider": "openrouter"})
    assert len(sql.statements) == 1, sql.statements
    assert sql.writes() == []
    by_id = {m["modelId"]: m for m in data["availableModels"]["models"]}
    assert by_id["openai/gpt-4o"]["savedInDb"] and by_id["openai/gpt-4o"]["isActiveInDb"]
    assert by_id["anthropic/claude-sonnet-4"]["savedInDb"]
    assert not by_id["anthropic/claude-sonnet-4"]["isActiveInDb"]
    saved = [m for m in by_id.values() if m["savedInDb"]]
    assert len(saved) == 2 and all(m["dbId"] for m in saved)


async def test_listing_a_fresh_database_creates_no_rows(service: Service, sql: SQLLog) -> None:
    await service.gql(LIST, {"provider": "openrouter"})
    assert sql.writes() == []
    saved = await service.gql("{ savedModels { modelId } }")
    assert saved["savedModels"] == []


async def test_list_is_cached_and_use_cache_false_refetches(
    service: Service, replay: ReplayServer
) -> None:
    first = await service.gql(LIST, {"provider": "openrouter"})
    second = await service.gql(LIST, {"provider": "openrouter"})
    assert replay.hits(OPENROUTER_ROUTE) == 1
    assert first == second
    fresh = await service.gql(LIST, {"provider": "openrouter", "useCache": False})
    assert replay.hits(OPENROUTER_ROUTE) == 2
    assert fresh["availableModels"]["fetchedAt"] > first["availableModels"]["fetchedAt"]


async def test_unchanged_list_is_served_without_re_execution(service: Service) -> None:
    results = service.services.results
    await service.gql(LIST, {"provider": "openrouter"})
    hits = results.hits
    again = await service.gql(LIST, {"provider": "openrouter"})
    assert results.hits == hits + 1
    # a write changes the fingerprint: the next list shows it
    await service.gql(SAVE, {"provider": "openrouter", "modelId": "openai/gpt-4o"})
    after = await service.gql(LIST, {"provider": "openrouter"})
    gpt4o = [m for m in after["availableModels"]["models"] if m["modelId"] == "openai/gpt-4o"]
    assert gpt4o[0]["savedInDb"] is True
    assert again != after


async def test_groq_sends_the_key_and_never_shows_it(
    service: Service, replay: ReplayServer
) -> None:
    data = await service.gql(LIST, {"provider": "groq"})
    assert data["availableModels"]["count"] == 20
    request = replay.requests("/groq/openai/v1/models")[-1]
    assert request.headers["Authorization"] == f"Bearer {GROQ_KEY}"
    replay.fail("/groq/openai/v1/models", 401)
    response = await service.post(LIST, {"provider": "groq", "useCache": False})
    assert GROQ_KEY not in response.text
    listing = response.json()["data"]["availableModels"]
    assert listing["stale"] is True and "401" in listing["error"]
    assert listing["count"] == 20


async def test_stale_list_is_served_when_the_upstream_fails(
    service: Service, replay: ReplayServer
) -> None:
    first = await service.gql(LIST, {"provider": "openrouter"})
    replay.fail(OPENROUTER_ROUTE, 503)
    data = await service.gql(LIST, {"provider": "openrouter", "useCache": False})
    listing = data["availableModels"]
    assert listing["stale"] is True
    assert "503" in listing["error"]
    assert listing["models"] == first["availableModels"]["models"]
    assert listing["fetchedAt"] == first["availableModels"]["fetchedAt"]


async def test_a_slow_provider_delays_no_other(service: Service, replay: ReplayServer) -> None:
    """Two providers in one query are asked at once, not one after the other."""
    replay.delay(OPENROUTER_ROUTE, 0.5)
    data = await service.gql(
        """{ a: availableModels(provider: "openrouter") { count }
             b: availableModels(provider: "groq") { count } }"""
    )
    assert (data["a"]["count"], data["b"]["count"]) == (549, 20)
    slow = replay.requests(OPENROUTER_ROUTE)[-1].time
    other = replay.requests("/groq/openai/v1/models")[-1].time
    assert abs(other - slow) < 0.4  # groq was asked while openrouter was still answering
