"""Display names, notes and tags; unlisted models; slots and routing: as an admin checks them."""

from __future__ import annotations

from typing import Any

from storage.models import SavedModel, Slot
from tests.replay import ReplayServer
from tests.service import Service, coded

SAVE = """
mutation Save($p: String!, $m: String!, $caps: [Capability!], $active: Boolean,
              $unlisted: Boolean! = false, $figures: UnlistedFiguresInput) {
  saveModel(provider: $p, modelId: $m, capabilities: $caps, isActive: $active,
            unlisted: $unlisted, figures: $figures) {
    created model { dbId modelId name displayName unlisted capabilities contextWindow isActive }
  }
}
"""
CURATE = """
mutation Curate($p: String!, $m: String!, $name: String, $notes: String, $tags: [String!]) {
  curateModel(provider: $p, modelId: $m, displayName: $name, notes: $notes, tags: $tags) {
    modelId displayName notes tags
  }
}
"""
SET_SLOT = """
mutation SetSlot($name: String!, $models: [SlotModelInput!]!, $cap: Capability,
                 $mismatch: Boolean! = false) {
  setSlot(name: $name, models: $models, capability: $cap, allowMismatch: $mismatch) {
    name capability models { modelId displayName }
  }
}
"""
ROUTE = """
query Route($slot: String!) {
  route(slot: $slot) {
    slot model { modelId displayName } skipped { model { modelId } reason detail } notes
  }
}
"""
ACTIVE = """
query Active($cap: Capability!) { activeModel(capability: $cap) { modelId displayName } }
"""
OR = "openrouter"
FIRST, SECOND, THIRD = "openai/gpt-4o", "openai/gpt-4o-mini", "mistralai/mistral-small-2603"


async def _save(service: Service, model_id: str, **variables: Any) -> dict[str, Any]:
    data = await service.gql(SAVE, {"p": OR, "m": model_id, **variables})
    result: dict[str, Any] = data["saveModel"]["model"]
    return result


def _models(*ids: str) -> list[dict[str, str]]:
    return [{"provider": OR, "modelId": model_id} for model_id in ids]


async def test_a_display_name_is_unique_per_provider_and_survives_syncs(
    service: Service,
) -> None:
    await _save(service, FIRST)
    await _save(service, SECOND)
    named = await service.gql(
        CURATE, {"p": OR, "m": FIRST, "name": " Fast chat ", "notes": "EU", "tags": ["a", "a"]}
    )
    assert named["curateModel"] == {
        "modelId": FIRST,
        "displayName": "Fast chat",
        "notes": "EU",
        "tags": ["a"],
    }
    taken = await service.error(CURATE, {"p": OR, "m": SECOND, "name": "Fast chat"})
    assert taken["extensions"]["code"] == "CONFLICT"
    assert taken["extensions"]["field"] == "displayName"
    # a resave and both syncs leave what the admin gave
    await _save(service, FIRST)
    await service.gql('mutation { bulkSync(provider: "openrouter", limit: 3) { created } }')
    await service.gql('mutation { syncSavedModels(provider: "openrouter") { provider } }')
    saved = await service.gql('{ savedModels(provider: "openrouter") { modelId displayName } }')
    names = {model["modelId"]: model["displayName"] for model in saved["savedModels"]}
    assert names[FIRST] == "Fast chat" and names[SECOND] is None
    drift = await service.gql(
        '{ modelChanges(provider: "openrouter") { models { modelId displayName } } }'
    )
    shown = {m["modelId"]: m["displayName"] for m in drift["modelChanges"]["models"]}
    assert shown[FIRST] == "Fast chat"
    listed = await service.gql(
        '{ availableModels(provider: "openrouter", search: "gpt-4o", first: 100) '
        "{ models { modelId displayName } } }"
    )
    live = {m["modelId"]: m["displayName"] for m in listed["availableModels"]["models"]}
    assert live[FIRST] == "Fast chat" and live[SECOND] is None  # the live list shows it too
    # only the arguments given change; null clears
    cleared = await service.gql(CURATE, {"p": OR, "m": FIRST, "name": None})
    assert cleared["curateModel"]["displayName"] is None
    assert cleared["curateModel"]["notes"] == "EU"
    relisted = await service.gql(
        '{ availableModels(provider: "openrouter", search: "gpt-4o", first: 100) '
        "{ models { modelId displayName } } }"
    )  # a cached result is not served once the name changed (it is in the fingerprint)
    assert all(m["displayName"] is None for m in relisted["availableModels"]["models"])


async def test_curating_bad_input_is_typed_and_writes_nothing(service: Service) -> None:
    await _save(service, FIRST)
    unknown = await service.error(CURATE, {"p": OR, "m": "nope", "name": "x"})
    assert coded(unknown["extensions"]) == {"code": "NOT_FOUND", "field": "modelId"}
    bad_tag = await service.error(CURATE, {"p": OR, "m": FIRST, "tags": ["ok", "x" * 40]})
    assert coded(bad_tag["extensions"]) == {"code": "BAD_USER_INPUT", "field": "tags[1]"}
    long = await service.error(CURATE, {"p": OR, "m": FIRST, "name": "n" * 200})
    assert long["extensions"]["field"] == "displayName"
    row = await SavedModel.get(model_id=FIRST)
    assert row.display_name is None and row.tags is None


async def test_an_unlisted_model_needs_the_flag_and_is_never_missing(
    service: Service, replay: ReplayServer
) -> None:
    refused = await service.error(SAVE, {"p": OR, "m": "acme/fine-tune-7", "caps": ["CHAT"]})
    assert coded(refused["extensions"]) == {"code": "NOT_FOUND", "field": "modelId"}
    no_caps = await service.error(SAVE, {"p": OR, "m": "acme/fine-tune-7", "unlisted": True})
    assert no_caps["extensions"]["field"] == "capabilities"
    assert await SavedModel.all().count() == 0
    model = await _save(
        service,
        "acme/fine-tune-7",
        caps=["CHAT"],
        unlisted=True,
        active=True,
        figures={"name": "Acme 7", "contextWindow": 8192},
    )
    assert model["unlisted"] is True and model["name"] == "Acme 7"
    assert model["capabilities"] == ["CHAT"] and model["contextWindow"] == 8192
    listed = await _save(service, FIRST, unlisted=True)  # a listed one is saved from the list
    assert listed["unlisted"] is False and listed["name"] == "OpenAI: GPT-4o"
    report = await service.gql(
        '{ modelChanges(provider: "openrouter") { missing activeMissing unlisted '
        "models { modelId status unlisted } } }"
    )
    changes = report["modelChanges"]
    assert (changes["missing"], changes["activeMissing"], changes["unlisted"]) == (0, 0, 1)
    status = {m["modelId"]: (m["status"], m["unlisted"]) for m in changes["models"]}
    assert status["acme/fine-tune-7"] == ("UNLISTED", True)


async def test_a_slot_routes_to_the_first_usable_model_with_reasons(service: Service) -> None:
    for model_id in (FIRST, SECOND, THIRD):
        await _save(service, model_id, active=True)
    await service.gql(CURATE, {"p": OR, "m": SECOND, "name": "Backup chat"})
    slot = await service.gql(SET_SLOT, {"name": "chat", "models": _models(FIRST, SECOND, THIRD)})
    assert slot["setSlot"]["capability"] == "chat"  # named after a capability: checked for it
    assert [m["modelId"] for m in slot["setSlot"]["models"]] == [FIRST, SECOND, THIRD]
    route = (await service.gql(ROUTE, {"slot": "chat"}))["route"]
    assert route["model"]["modelId"] == FIRST and route["skipped"] == []

    await service.gql(
        f'mutation {{ setModelsActive(provider: "openrouter", modelIds: ["{FIRST}"], '
        "active: false) { changed } }"
    )
    route = (await service.gql(ROUTE, {"slot": "chat"}))["route"]
    assert route["model"] == {"modelId": SECOND, "displayName": "Backup chat"}
    assert route["skipped"] == [{"model": {"modelId": FIRST}, "reason": "INACTIVE", "detail": ""}]
    # activeModel(CHAT) is the chat slot's route now
    active = await service.gql(ACTIVE, {"cap": "CHAT"})
    assert active["activeModel"]["modelId"] == SECOND

    # deleting a model takes it out of its slots: the next one moves up
    await service.gql('mutation { clearModels(provider: "openrouter") { deleted } }')
    slots = await service.gql("{ slots { name models { modelId } } }")
    assert slots["slots"] == [{"name": "chat", "models": [{"modelId": SECOND}, {"modelId": THIRD}]}]


async def test_setting_a_slot_is_validated_and_all_or_nothing(service: Service) -> None:
    await _save(service, FIRST)
    await service.gql(SET_SLOT, {"name": "title", "models": _models(FIRST)})
    missing = await service.error(SET_SLOT, {"name": "title", "models": _models(FIRST, "x/y")})
    assert coded(missing["extensions"]) == {"code": "NOT_FOUND", "field": "models[1]"}
    twice = await service.error(SET_SLOT, {"name": "title", "models": _models(FIRST, FIRST)})
    assert twice["extensions"]["field"] == "models[1]"
    wrong = await service.error(SET_SLOT, {"name": "embedding", "models": _models(FIRST)})
    assert coded(wrong["extensions"]) == {"code": "BAD_USER_INPUT", "field": "models[0]"}
    assert "allowMismatch" in wrong["message"]
    bad_name = await service.error(SET_SLOT, {"name": "Chat Slot!", "models": []})
    assert bad_name["extensions"]["field"] == "slot"
    assert await Slot.all().count() == 1  # only "title", unchanged
    forced = await service.gql(
        SET_SLOT, {"name": "embedding", "models": _models(FIRST), "mismatch": True}
    )
    assert forced["setSlot"]["models"] == [{"modelId": FIRST, "displayName": None}]
    unknown = await service.error(ROUTE, {"slot": "nope"})
    assert coded(unknown["extensions"]) == {"code": "NOT_FOUND", "field": "slot"}
    deleted = await service.gql('mutation { deleteSlot(name: "title") { deleted } }')
    assert deleted["deleteSlot"]["deleted"] is True
    assert await SavedModel.all().count() == 1
