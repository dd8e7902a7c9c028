"""saveModel, bulkSync, clearModels: what an admin does, checked as an admin would."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from storage.models import SavedModel
from tests.replay import ReplayServer
from tests.service import Service, SQLLog

SAVE = """
mutation Save($p: String!, $m: String!, $caps: [Capability!], $active: Boolean) {
  saveModel(provider: $p, modelId: $m, capabilities: $caps, isActive: $active) {
    created
    model {
      dbId provider modelId name capabilities capabilitiesOverridden
      inputPrice outputPrice contextWindow maxOutputTokens isActive
    }
  }
}
"""
SYNC = """
mutation Sync($p: String!, $cap: Capability, $limit: Int = 50, $first: Boolean = false) {
  bulkSync(provider: $p, capability: $cap, limit: $limit, activateFirst: $first) {
    provider created updated modelIds
  }
}
"""
CLEAR = """
mutation Clear($p: String!, $keep: Boolean = true) {
  clearModels(provider: $p, keepActive: $keep) { provider deleted }
}
"""
SAVED = """
query Saved($p: String, $cap: Capability, $active: Boolean) {
  savedModels(provider: $p, capability: $cap, active: $active) { modelId isActive capabilities }
}
"""
ROUTE = "/openrouter/api/v1/models"


async def _save(service: Service, model_id: str, **variables: Any) -> dict[str, Any]:
    data = await service.gql(SAVE, {"p": "openrouter", "m": model_id, **variables})
    result: dict[str, Any] = data["saveModel"]
    return result


async def test_save_model_reads_fresh_and_stores_exact_figures(
    service: Service, replay: ReplayServer
) -> None:
    await service.gql('{ availableModels(provider: "openrouter") { count } }')
    saved = await _save(service, "openai/gpt-4o")
    assert replay.hits(ROUTE) == 2  # saveModel never trusts the cache
    assert saved["created"] is True
    model = saved["model"]
    assert model["provider"] == "openrouter" and model["name"] == "OpenAI: GPT-4o"
    assert (Decimal(model["inputPrice"]), Decimal(model["outputPrice"])) == (
        Decimal("2.5"),
        Decimal("10"),
    )
    assert model["contextWindow"] == 128000
    assert model["isActive"] is False  # new models arrive inactive unless asked
    assert model["capabilitiesOverridden"] is False
    row = await SavedModel.get(id=int(model["dbId"]))
    assert row.upstream["id"] == "openai/gpt-4o"
    assert row.sources["input_price"] == "pricing.prompt"


async def test_saving_again_updates_and_keeps_the_active_flag(service: Service) -> None:
    first = await _save(service, "openai/gpt-4o", active=True)
    again = await _save(service, "openai/gpt-4o")
    assert again["created"] is False
    assert again["model"]["dbId"] == first["model"]["dbId"]
    assert again["model"]["isActive"] is True  # isActive omitted: flag untouched
    off = await _save(service, "openai/gpt-4o", active=False)
    assert off["model"]["isActive"] is False
    assert await SavedModel.all().count() == 1


async def test_given_capabilities_override_detection(service: Service) -> None:
    saved = await _save(service, "openai/gpt-4o", caps=["CHAT"])
    assert saved["model"]["capabilities"] == ["CHAT"]
    assert saved["model"]["capabilitiesOverridden"] is True
    empty = await service.error(SAVE, {"p": "openrouter", "m": "openai/gpt-4o", "caps": []})
    assert empty["extensions"]["code"] == "BAD_USER_INPUT"


async def test_save_model_errors_write_nothing(service: Service, replay: ReplayServer) -> None:
    missing = await service.error(SAVE, {"p": "openrouter", "m": "openai/gpt-9"})
    assert missing["extensions"]["code"] == "NOT_FOUND"
    assert "openai/gpt-9" in missing["message"]
    unknown = await service.error(SAVE, {"p": "nope", "m": "x"})
    assert unknown["extensions"]["code"] == "NOT_FOUND"
    replay.fail(ROUTE, 500)
    down = await service.error(SAVE, {"p": "openrouter", "m": "openai/gpt-4o"})
    assert down["extensions"]["code"] == "UPSTREAM_ERROR"
    assert await SavedModel.all().count() == 0


async def test_save_model_refuses_a_stale_list(service: Service, replay: ReplayServer) -> None:
    await service.gql('{ availableModels(provider: "openrouter") { count } }')
    replay.fail(ROUTE, 503)
    error = await service.error(SAVE, {"p": "openrouter", "m": "openai/gpt-4o"})
    assert error["extensions"]["code"] == "UPSTREAM_ERROR"
    assert "stale" in error["message"]
    assert await SavedModel.all().count() == 0


async def test_bulk_sync_is_set_based_and_counts(service: Service, sql: SQLLog) -> None:
    await service.gql('{ availableModels(provider: "openrouter") { count } }')
    sql.clear()
    data = await service.gql(SYNC, {"p": "openrouter", "cap": "CHAT", "limit": 50})
    result = data["bulkSync"]
    assert (result["created"], result["updated"]) == (50, 0)
    assert len(result["modelIds"]) == len(set(result["modelIds"])) == 50
    inserts = [s for s in sql.writes() if s.startswith('INSERT INTO "ai_model"')]
    assert len(inserts) == 1, sql.writes()  # one statement for 50 rows
    # the provider row (locked: a concurrent clear waits), the existing ids, the insert, the
    # audit entry and its models (one statement for 50); the log's hourly pruning aside
    audit = [s for s in sql.audit() if not s.startswith("DELETE")]
    assert len(audit) == 2, audit
    assert len(sql.change()) <= 6, sql.statements
    saved = (await service.gql(SAVED, {"p": "openrouter"}))["savedModels"]
    assert len(saved) == 50 and not any(m["isActive"] for m in saved)
    assert all("CHAT" in m["capabilities"] for m in saved)


async def test_bulk_sync_again_updates_and_never_resets_active(service: Service) -> None:
    first = (await service.gql(SYNC, {"p": "openrouter", "limit": 10, "first": True}))["bulkSync"]
    active = (await service.gql(SAVED, {"active": True}))["savedModels"]
    assert [m["modelId"] for m in active] == [first["modelIds"][0]]
    await _save(service, first["modelIds"][3], active=True)
    again = (await service.gql(SYNC, {"p": "openrouter", "limit": 20}))["bulkSync"]
    assert (again["created"], again["updated"]) == (10, 10)
    still = {m["modelId"] for m in (await service.gql(SAVED, {"active": True}))["savedModels"]}
    assert still == {first["modelIds"][0], first["modelIds"][3]}


async def test_bulk_sync_rejects_bad_limits_and_writes_nothing(service: Service) -> None:
    for limit in (0, -1, 1001):
        error = await service.error(SYNC, {"p": "openrouter", "limit": limit})
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert "limit" in error["message"]
    assert await SavedModel.all().count() == 0


async def test_clear_models_keeps_active_unless_told(service: Service) -> None:
    await service.gql(SYNC, {"p": "openrouter", "limit": 8, "first": True})
    cleared = (await service.gql(CLEAR, {"p": "openrouter"}))["clearModels"]
    assert cleared == {"provider": "openrouter", "deleted": 7}
    left = (await service.gql(SAVED, {"p": "openrouter"}))["savedModels"]
    assert len(left) == 1 and left[0]["isActive"]
    everything = (await service.gql(CLEAR, {"p": "openrouter", "keep": False}))["clearModels"]
    assert everything["deleted"] == 1
    assert (await service.gql(CLEAR, {"p": "groq"}))["clearModels"]["deleted"] == 0
    unknown = await service.error(CLEAR, {"p": "nope"})
    assert unknown["extensions"]["code"] == "NOT_FOUND"


async def test_mutations_need_the_manage_permission(service: Service) -> None:
    for query, variables in (
        (SAVE, {"p": "openrouter", "m": "openai/gpt-4o"}),
        (SYNC, {"p": "openrouter"}),
        (CLEAR, {"p": "openrouter"}),
    ):
        forbidden = await service.error(query, variables, token=service.reader_token)
        assert forbidden["extensions"]["code"] == "FORBIDDEN"
        anonymous = await service.error(query, variables, token=None)
        assert anonymous["extensions"]["code"] == "UNAUTHENTICATED"
    assert await SavedModel.all().count() == 0


SET_ACTIVE = """
mutation On($p: String!, $ids: [String!]!, $on: Boolean!) {
  setModelsActive(provider: $p, modelIds: $ids, active: $on) { changed active }
}
"""


async def test_set_models_active_in_bulk(service: Service, sql: SQLLog) -> None:
    ids = (await service.gql(SYNC, {"p": "openrouter", "limit": 6}))["bulkSync"]["modelIds"]
    sql.clear()
    done = await service.gql(SET_ACTIVE, {"p": "openrouter", "ids": ids[:4], "on": True})
    assert done["setModelsActive"] == {"changed": 4, "active": True}
    assert len([s for s in sql.writes() if s.startswith("UPDATE")]) == 1
    active = {m["modelId"] for m in (await service.gql(SAVED, {"active": True}))["savedModels"]}
    assert active == set(ids[:4])
    error = await service.error(
        SET_ACTIVE, {"p": "openrouter", "ids": [ids[4], "not/saved"], "on": True}
    )
    assert error["extensions"]["code"] == "NOT_FOUND" and "not/saved" in error["message"]
    still = {m["modelId"] for m in (await service.gql(SAVED, {"active": True}))["savedModels"]}
    assert still == set(ids[:4])  # nothing changed


ACTIVE = """
query Route($cap: Capability!, $p: String) {
  activeModel(capability: $cap, provider: $p) { modelId provider isActive }
}
"""


async def test_active_model_is_what_generation_routes_to(service: Service) -> None:
    none = await service.gql(ACTIVE, {"cap": "EMBEDDING"}, token=service.reader_token)
    assert none == {"activeModel": None}
    await _save(service, "openai/gpt-4o", active=True)
    await _save(service, "openai/text-embedding-3-small")  # saved, but not switched on
    assert (await service.gql(ACTIVE, {"cap": "EMBEDDING"}))["activeModel"] is None
    await _save(service, "openai/text-embedding-3-small", active=True)
    routed = await service.gql(ACTIVE, {"cap": "EMBEDDING"}, token=service.reader_token)
    assert routed["activeModel"] == {
        "modelId": "openai/text-embedding-3-small",
        "provider": "openrouter",
        "isActive": True,
    }
    chat = await service.gql(ACTIVE, {"cap": "CHAT", "p": "openrouter"})
    assert chat["activeModel"]["modelId"] == "openai/gpt-4o"
    assert (await service.gql(ACTIVE, {"cap": "CHAT", "p": "groq"}))["activeModel"] is None
