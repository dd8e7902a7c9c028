"""Concurrent writes over real HTTP requests, on the test's database (SQLite or PostgreSQL).

"Consistent" for `bulkSync` racing `clearModels` means: afterwards the saved models are
exactly those of one of the two serial orders (sync then clear: the synced inactive models
are gone; clear then sync: every synced model is there), never a mix of the two; active models
are never deleted; `deleted` counts what that order deletes; no model is saved twice.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from tests.service import Service

SAVE = """
mutation($id: String!) {
  saveModel(provider: "openrouter", modelId: $id) { created model { dbId modelId } }
}
"""
SYNC = """
mutation($limit: Int!) { bulkSync(provider: "openrouter", limit: $limit) { modelIds } }
"""
CLEAR = 'mutation { clearModels(provider: "openrouter", keepActive: true) { deleted } }'
SAVED = '{ savedModels(provider: "openrouter") { dbId modelId isActive } }'
ACTIVE = "openai/gpt-4o"


async def test_simultaneous_saves_of_one_model_end_with_one_row(service: Service) -> None:
    results = await asyncio.gather(
        *(service.gql(SAVE, {"id": "openai/gpt-4o-mini"}) for _ in range(8))
    )
    payloads = [result["saveModel"] for result in results]
    assert [payload["created"] for payload in payloads].count(True) == 1
    assert len({payload["model"]["dbId"] for payload in payloads}) == 1
    saved = (await service.gql(SAVED))["savedModels"]
    assert [model["modelId"] for model in saved] == ["openai/gpt-4o-mini"]


async def _saved(service: Service) -> dict[str, bool]:
    rows = (await service.gql(SAVED))["savedModels"]
    assert len(rows) == len({row["modelId"] for row in rows}), "a model saved twice"
    return {row["modelId"]: row["isActive"] for row in rows}


async def _after(delay: float, operation: Awaitable[dict[str, Any]]) -> dict[str, Any]:
    await asyncio.sleep(delay)
    return await operation


async def test_bulk_sync_racing_clear_models_ends_in_a_serial_order(service: Service) -> None:
    await service.gql(
        'mutation { saveModel(provider: "openrouter", modelId: "openai/gpt-4o", isActive: true)'
        " { created } }"
    )
    # The clear starts 0-14 ms after the sync, so it lands before, inside and after the sync's
    # transaction; 20 models are saved before each round and the sync adds 40 more, the case
    # where a clear inside the transaction used to delete the 20 and keep the 40.
    for delay in [n / 1000 for n in range(0, 16, 2)]:
        await service.gql(SYNC, {"limit": 20})
        before = {model for model, active in (await _saved(service)).items() if not active}
        sync, clear = await asyncio.gather(
            service.gql(SYNC, {"limit": 60}), _after(delay, service.gql(CLEAR))
        )
        synced = set(sync["bulkSync"]["modelIds"])
        deleted = clear["clearModels"]["deleted"]
        after = await _saved(service)
        assert after.get(ACTIVE) is True, "an active model was deleted or deactivated"
        sync_then_clear, clear_then_sync = {ACTIVE}, synced | {ACTIVE}
        assert set(after) in (sync_then_clear, clear_then_sync), (delay, len(after))
        if set(after) == sync_then_clear:
            assert deleted == len((before | synced) - {ACTIVE})
        else:
            assert deleted == len(before)
