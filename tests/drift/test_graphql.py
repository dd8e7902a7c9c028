"""`modelChanges` and `syncSavedModels` as an admin uses them from GraphiQL.

Models are saved through `saveModel` while the provider lists its 2025-05 capture; then the
provider "moves on" to its 2026-08 list and the admin looks at the drift and applies it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.drift._data import (
    ACTIVE,
    GEMINI_PREVIEW,
    GROK_3_BETA,
    HAIKU_3,
    LIVE_CAPTURE,
    NEMO,
    O3,
    SONNET_37,
)
from tests.drift.conftest import Upstream
from tests.replay import ReplayServer
from tests.service import Service, SQLLog

SAVE = """
mutation Save($modelId: String!, $isActive: Boolean, $capabilities: [Capability!]) {
  saveModel(provider: "openrouter", modelId: $modelId, isActive: $isActive,
            capabilities: $capabilities) { created }
}
"""
CHANGES = """
query Changes($provider: String! = "openrouter", $days: Int! = 30, $useCache: Boolean! = true) {
  modelChanges(provider: $provider, retireWithinDays: $days, useCache: $useCache) {
    provider fetchedAt stale error retireWithinDays
    total unchanged changed missing activeMissing retiring warnings
    models {
      modelId dbId name isActive status activeMissing retiresAt retiring
      changes { field old new overridden }
    }
  }
}
"""
SYNC = """
mutation Sync($useCache: Boolean! = true) {
  syncSavedModels(provider: "openrouter", useCache: $useCache) {
    provider updated unchanged missing activeMissing updatedModelIds missingModelIds
  }
}
"""
SAVED = """
{ savedModels(provider: "openrouter") {
    dbId modelId name capabilities capabilitiesOverridden inputPrice outputPrice
    contextWindow maxOutputTokens isActive updatedAt } }
"""


async def save_may_models(service: Service) -> None:
    """Six models saved while OpenRouter listed its 2025-05 capture."""
    for model_id in (O3, SONNET_37, GROK_3_BETA, HAIKU_3, GEMINI_PREVIEW, NEMO):
        variables: dict[str, Any] = {"modelId": model_id, "isActive": model_id in ACTIVE}
        if model_id == GEMINI_PREVIEW:
            variables["capabilities"] = ["CHAT", "VISION"]
        await service.gql(SAVE, variables)


async def saved_models(service: Service) -> dict[str, dict[str, Any]]:
    rows = (await service.gql(SAVED))["savedModels"]
    return {row["modelId"]: row for row in rows}


def changes_of(model: dict[str, Any]) -> dict[str, tuple[Any, Any, bool]]:
    return {c["field"]: (c["old"], c["new"], c["overridden"]) for c in model["changes"]}


async def test_report_of_real_drift(service: Service, upstream: Upstream) -> None:
    await save_may_models(service)
    upstream.serve(LIVE_CAPTURE)
    report = (await service.gql(CHANGES, {"useCache": False}))["modelChanges"]

    assert {k: report[k] for k in ("total", "unchanged", "changed", "missing")} == {
        "total": 6,
        "unchanged": 1,
        "changed": 3,
        "missing": 2,
    }
    assert report["activeMissing"] == 1 and report["stale"] is False
    assert report["warnings"] == [
        "ACTIVE model 'anthropic/claude-3.7-sonnet' is no longer offered by openrouter: "
        "requests to it will fail"
    ]
    models = {m["modelId"]: m for m in report["models"]}
    assert [m["modelId"] for m in report["models"]][:2] == [SONNET_37, GROK_3_BETA]

    sonnet = models[SONNET_37]
    assert (sonnet["status"], sonnet["isActive"], sonnet["activeMissing"]) == (
        "MISSING",
        True,
        True,
    )
    assert models[GROK_3_BETA]["activeMissing"] is False

    o3 = models[O3]
    assert o3["status"] == "CHANGED" and o3["isActive"] is True
    o3_changes = changes_of(o3)
    assert o3_changes["INPUT_PRICE"] == ("10", "2", False)
    assert o3_changes["OUTPUT_PRICE"] == ("40", "8", False)
    assert o3_changes["CAPABILITIES"] == (
        ["CHAT", "CONTENT", "TOOLS", "VISION"],
        ["CHAT", "CONTENT", "REASONING", "TOOLS", "VISION"],
        False,
    )
    assert set(o3_changes) == {
        "INPUT_PRICE",
        "OUTPUT_PRICE",
        "CACHE_READ_PRICE",
        "CAPABILITIES",
        "DESCRIPTION",
    }

    nemo = changes_of(models[NEMO])
    assert nemo["INPUT_PRICE"][:2] == ("0.02", "0.019")
    assert nemo["OUTPUT_PRICE"][:2] == ("0.07", "0.03")
    assert nemo["MAX_OUTPUT_TOKENS"][:2] == (131072, 16384)

    gemini = changes_of(models[GEMINI_PREVIEW])
    assert gemini["CAPABILITIES"] == (
        ["CHAT", "VISION"],
        ["AUDIO", "CHAT", "CONTENT", "REASONING", "TOOLS", "VISION"],
        True,
    )
    assert gemini["NAME"][:2] == (
        "Google: Gemini 2.5 Pro Preview",
        "Google: Gemini 2.5 Pro Preview 06-05",
    )
    assert models[HAIKU_3]["status"] == "UNCHANGED" and models[HAIKU_3]["changes"] == []
    saved = await saved_models(service)
    assert {m["dbId"] for m in report["models"]} == {row["dbId"] for row in saved.values()}


async def test_report_reads_the_database_once_and_writes_nothing(
    service: Service, upstream: Upstream, sql: SQLLog
) -> None:
    await save_may_models(service)
    upstream.serve(LIVE_CAPTURE)
    await service.gql(CHANGES, {"useCache": False})
    sql.clear()
    report = (await service.gql(CHANGES))["modelChanges"]  # the cached 2026-08 list
    assert report["changed"] == 3
    assert len(sql.statements) == 1, sql.statements
    assert sql.writes() == []


async def test_sync_applies_figures_in_one_statement_keeping_flags_and_overrides(
    service: Service, upstream: Upstream, sql: SQLLog
) -> None:
    await save_may_models(service)
    before = await saved_models(service)
    upstream.serve(LIVE_CAPTURE)
    await service.gql(CHANGES, {"useCache": False})

    sql.clear()
    result = (await service.gql(SYNC))["syncSavedModels"]
    assert result == {
        "provider": "openrouter",
        "updated": 3,
        "unchanged": 1,
        "missing": 2,
        "activeMissing": 1,
        "updatedModelIds": [GEMINI_PREVIEW, NEMO, O3],
        "missingModelIds": [SONNET_37, GROK_3_BETA],
    }
    # provider + saved state, the saved rows in the transaction, then one INSERT .. ON CONFLICT
    writes = sql.writes()
    assert len(writes) == 1 and writes[0].startswith("INSERT"), writes
    assert "ON CONFLICT" in writes[0].upper()
    assert len(sql.change()) == 3, sql.statements

    after = await saved_models(service)
    o3 = after[O3]
    assert (o3["inputPrice"], o3["outputPrice"], o3["isActive"]) == ("2", "8", True)
    assert "REASONING" in o3["capabilities"]
    nemo = after[NEMO]
    assert (nemo["inputPrice"], nemo["outputPrice"], nemo["maxOutputTokens"]) == (
        "0.019",
        "0.03",
        16384,
    )
    assert nemo["isActive"] is True
    gemini = after[GEMINI_PREVIEW]
    assert gemini["name"] == "Google: Gemini 2.5 Pro Preview 06-05"
    assert gemini["maxOutputTokens"] == 65536
    assert gemini["capabilities"] == ["CHAT", "VISION"] and gemini["capabilitiesOverridden"]
    assert gemini["isActive"] is False
    # missing models are left exactly as they were, active flag included
    assert after[SONNET_37] == before[SONNET_37]
    assert after[SONNET_37]["isActive"] is True
    assert after[GROK_3_BETA] == before[GROK_3_BETA]
    assert after[HAIKU_3] == before[HAIKU_3]  # nothing to apply: not rewritten
    assert set(after) == set(before)

    report = (await service.gql(CHANGES))["modelChanges"]
    assert (report["changed"], report["unchanged"], report["missing"]) == (0, 4, 2)
    gemini_left = next(m for m in report["models"] if m["modelId"] == GEMINI_PREVIEW)
    assert [(c["field"], c["overridden"]) for c in gemini_left["changes"]] == [
        ("CAPABILITIES", True)
    ]

    sql.clear()
    again = (await service.gql(SYNC))["syncSavedModels"]
    assert (again["updated"], again["unchanged"]) == (0, 4)
    assert sql.writes() == []


async def test_a_stale_list_refuses_the_sync_and_writes_nothing(
    service: Service, upstream: Upstream, replay: ReplayServer, sql: SQLLog
) -> None:
    await save_may_models(service)
    upstream.serve(LIVE_CAPTURE)
    await service.gql(CHANGES, {"useCache": False})  # the 2026-08 list is cached
    replay.fail(upstream.route, 503)

    stale = (await service.gql(CHANGES, {"useCache": False}))["modelChanges"]
    assert stale["stale"] is True and "HTTP 503" in stale["error"]
    assert stale["changed"] == 3  # still reported, from the last good list, marked stale
    assert "stale copy" in stale["warnings"][-1]

    before = await saved_models(service)
    sql.clear()
    error = await service.error(SYNC, {"useCache": False})
    assert error["extensions"]["code"] == "UPSTREAM_ERROR"
    assert error["extensions"]["provider"] == "openrouter"
    assert "stale list" in error["message"]
    # the failed fetch enters the sync log; no saved model is written
    assert [write for write in sql.writes() if "ai_sync_run" not in write] == []
    after = await saved_models(service)
    assert after == before
    assert (after[O3]["inputPrice"], after[O3]["outputPrice"]) == ("10", "40")


async def test_announced_retirement_is_warned(service: Service, upstream: Upstream) -> None:
    upstream.serve(LIVE_CAPTURE)
    await service.gql(SAVE, {"modelId": O3, "isActive": True})
    soon = (datetime.now(UTC) + timedelta(days=10)).date().isoformat()
    # a modified copy of the capture: OpenRouter announces o3's removal in ten days
    upstream.serve_modified(LIVE_CAPTURE, {O3: {"expiration_date": soon}})

    report = (await service.gql(CHANGES, {"useCache": False}))["modelChanges"]
    o3 = report["models"][0]
    assert (o3["status"], o3["retiring"], o3["retiresAt"][:10]) == ("UNCHANGED", True, soon)
    assert report["retiring"] == 1 and report["activeMissing"] == 0
    assert report["warnings"] == [f"active model 'openai/o3' retires on {soon} (openrouter)"]

    week = (await service.gql(CHANGES, {"days": 7}))["modelChanges"]
    assert week["retiring"] == 0 and week["models"][0]["retiresAt"][:10] == soon
    assert week["warnings"] == []


async def test_nothing_saved_is_an_empty_report(service: Service, sql: SQLLog) -> None:
    report = (await service.gql(CHANGES))["modelChanges"]
    assert (report["total"], report["activeMissing"], report["models"]) == (0, 0, [])
    result = (await service.gql(SYNC))["syncSavedModels"]
    assert (result["updated"], result["missing"]) == (0, 0)
    assert sql.writes() == []  # not even a provider row


async def test_errors_have_codes(service: Service) -> None:
    unknown = await service.error(CHANGES, {"provider": "nope"})
    assert unknown["extensions"]["code"] == "NOT_FOUND"
    for days in (-1, 2_000_000_000):
        window = await service.error(CHANGES, {"days": days})
        assert window["extensions"]["code"] == "BAD_USER_INPUT"
        assert window["message"] == f"the retirement window must be 0 to 3650 days, not {days}"
    sync_unknown = await service.error('mutation { syncSavedModels(provider: "nope") { updated } }')
    assert sync_unknown["extensions"]["code"] == "NOT_FOUND"


async def test_needs_the_manage_permission(service: Service) -> None:
    reader = await service.error(CHANGES, token=service.reader_token)
    assert reader["extensions"]["code"] == "FORBIDDEN"
    sync = await service.error(SYNC, token=service.reader_token)
    assert sync["extensions"]["code"] == "FORBIDDEN"
    anonymous = await service.error(CHANGES, token=None)
    assert anonymous["extensions"]["code"] == "UNAUTHENTICATED"
