"""`bulkSync`: the best N saved in one transaction, a fixed number of statements for any N."""

from __future__ import annotations

from typing import Any

from tests.service import Service, SQLLog

SYNC = """
mutation Sync($limit: Int!, $activateFirst: Boolean = false) {
  bulkSync(provider: "openrouter", limit: $limit, activateFirst: $activateFirst) {
    created updated modelIds
  }
}
"""
FIGURES = """
modelId name description capabilities inputPrice outputPrice contextWindow maxOutputTokens
"""
SAVED = f'{{ savedModels(provider: "openrouter") {{ {FIGURES} isActive capabilitiesOverridden '
SAVED += "createdAt updatedAt } }"
LIVE = f'{{ availableModels(provider: "openrouter") {{ models {{ {FIGURES} }} }} }}'


async def _saved(service: Service) -> dict[str, dict[str, Any]]:
    data = await service.gql(SAVED)
    return {row["modelId"]: row for row in data["savedModels"]}


async def test_saves_the_live_figures_in_three_statements(service: Service, sql: SQLLog) -> None:
    first = (await service.gql(SYNC, {"limit": 500}))["bulkSync"]
    assert (first["created"], first["updated"], len(first["modelIds"])) == (500, 0, 500)
    live = {m["modelId"]: m for m in (await service.gql(LIVE))["availableModels"]["models"]}
    saved = await _saved(service)
    assert set(saved) == set(first["modelIds"])
    for model_id, row in saved.items():
        figures = {key: value for key, value in row.items() if key in live[model_id]}
        assert figures == live[model_id], model_id
        assert row["isActive"] is False

    sql.clear()
    again = (await service.gql(SYNC, {"limit": 500}))["bulkSync"]
    assert (again["created"], again["updated"]) == (0, 500)
    # the provider's state; its row locked (a concurrent clear waits) with what is saved, in
    # one statement; then one INSERT .. ON CONFLICT for every row
    assert len(sql.change()) == 3, [s[:80] for s in sql.statements]
    assert len(sql.writes()) == 1 and "ON CONFLICT" in sql.writes()[0]
    resaved = await _saved(service)
    for model_id, row in resaved.items():
        assert row["createdAt"] == saved[model_id]["createdAt"]
        assert row["updatedAt"] >= saved[model_id]["updatedAt"]


async def test_existing_models_keep_their_flag_and_chosen_capabilities(service: Service) -> None:
    save = """mutation { saveModel(provider: "openrouter", modelId: "openai/gpt-4o",
      capabilities: [CHAT], isActive: true) { created } }"""
    await service.gql(save)
    synced = (await service.gql(SYNC, {"limit": 549, "activateFirst": True}))["bulkSync"]
    assert "openai/gpt-4o" in synced["modelIds"]
    assert (synced["created"], synced["updated"]) == (548, 1)
    saved = await _saved(service)
    gpt4o = saved["openai/gpt-4o"]
    assert gpt4o["isActive"] is True
    assert gpt4o["capabilities"] == ["CHAT"] and gpt4o["capabilitiesOverridden"] is True
    first = synced["modelIds"][0]
    active = {model_id for model_id, row in saved.items() if row["isActive"]}
    assert active == {"openai/gpt-4o", first}


async def test_a_re_sync_of_the_same_list_rewrites_no_model(service: Service) -> None:
    """Every figure as saved already: each model counts as updated, none is written (its
    `updatedAt` stays); a model an admin switched on keeps its flag all the same."""
    first = (await service.gql(SYNC, {"limit": 50, "activateFirst": True}))["bulkSync"]
    saved = await _saved(service)
    again = (await service.gql(SYNC, {"limit": 50}))["bulkSync"]
    assert (again["created"], again["updated"], again["modelIds"]) == (0, 50, first["modelIds"])
    assert await _saved(service) == saved
    assert saved[first["modelIds"][0]]["isActive"] is True
