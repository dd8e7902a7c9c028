"""Export and import of the saved configuration: round trip onto an empty database, the plan,
and bad files refused whole with the place named."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from settings import Settings
from storage.models import SavedModel, Slot
from tests.backends import fresh_postgres_database
from tests.service import Service, coded, running_service

EXPORT = "query Export($f: ConfigFormat!) { exportConfiguration(format: $f) }"
IMPORT = """
mutation Import($doc: String!, $dry: Boolean!) {
  importConfiguration(document: $doc, dryRun: $dry) { applied changes { action entity key fields } }
}
"""


@asynccontextmanager
async def empty_database(tmp_path: Path) -> AsyncIterator[str]:
    """Another database of the test's backend, empty."""
    if os.environ.get("TEST_DATABASE", "sqlite") != "postgres":
        yield f"sqlite://{tmp_path / 'other.sqlite3'}"
        return
    async with fresh_postgres_database() as url:
        yield url


async def _configure(service: Service) -> None:
    for model_id in ("openai/gpt-4o", "openai/gpt-4o-mini"):
        await service.gql(
            f'mutation {{ saveModel(provider: "openrouter", modelId: "{model_id}", '
            "isActive: true) { created } }"
        )
    await service.gql(
        'mutation { saveModel(provider: "openrouter", modelId: "acme/ft", unlisted: true, '
        'capabilities: [CHAT], figures: {inputPrice: "0.5", contextWindow: 4096}) { created } }'
    )
    await service.gql(
        'mutation { curateModel(provider: "openrouter", modelId: "openai/gpt-4o", '
        'displayName: "Main", notes: "n", tags: ["x", "y"]) { modelId } }'
    )
    await service.gql(
        'mutation { setSlot(name: "chat", models: [{provider: "openrouter", modelId: '
        '"openai/gpt-4o"}, {provider: "openrouter", modelId: "acme/ft"}]) { name } }'
    )


async def _export(service: Service, fmt: str = "YAML") -> str:
    text: str = (await service.gql(EXPORT, {"f": fmt}))["exportConfiguration"]
    return text


async def _import(service: Service, doc: str, *, dry: bool = False) -> dict[str, Any]:
    result: dict[str, Any] = (await service.gql(IMPORT, {"doc": doc, "dry": dry}))[
        "importConfiguration"
    ]
    return result


async def test_export_then_import_on_an_empty_database_gives_the_same_file(
    service: Service, settings: Settings, tmp_path: Path
) -> None:
    await _configure(service)
    exported = await _export(service)
    document = yaml.safe_load(exported)
    assert "apiKey" not in exported and "gsk_" not in exported
    assert [m["modelId"] for m in document["models"]] == [
        "acme/ft",
        "openai/gpt-4o",
        "openai/gpt-4o-mini",
    ]
    assert document["models"][0]["unlisted"] is True
    assert document["models"][0]["inputPrice"] == "0.5"
    as_json = await _export(service, "JSON")
    assert json.loads(as_json) == document
    async with (
        empty_database(tmp_path) as url,
        running_service(replace(settings, database_url=url)) as other,
    ):
        plan = await _import(other, exported, dry=True)
        assert plan["applied"] is False
        assert {(c["action"], c["entity"]) for c in plan["changes"]} == {
            ("create", "provider"),
            ("create", "model"),
            ("create", "slot"),
        }
        assert await SavedModel.all().count() == 0  # a dry run writes nothing
        applied = await _import(other, as_json)  # JSON in, YAML out: the same content
        assert applied["applied"] is True and len(applied["changes"]) == 5
        assert await _export(other) == exported
        again = await _import(other, exported)
        assert again == {"applied": False, "changes": []}


async def test_an_import_plans_changes_and_removals(service: Service) -> None:
    await _configure(service)
    document = yaml.safe_load(await _export(service))
    document["models"] = [m for m in document["models"] if m["modelId"] != "openai/gpt-4o-mini"]
    document["models"][1]["displayName"] = "Renamed"
    document["slots"] = []
    plan = await _import(service, yaml.safe_dump(document))
    assert plan["changes"] == [
        {
            "action": "remove",
            "entity": "model",
            "key": "openrouter/openai/gpt-4o-mini",
            "fields": [],
        },
        {
            "action": "change",
            "entity": "model",
            "key": "openrouter/openai/gpt-4o",
            "fields": ["displayName"],
        },
        {"action": "remove", "entity": "slot", "key": "chat", "fields": []},
    ]
    assert await SavedModel.all().count() == 2 and await Slot.all().count() == 0


async def test_a_bad_file_is_refused_whole_naming_the_place(service: Service) -> None:
    await _configure(service)
    document = yaml.safe_load(await _export(service))
    before = await _export(service)
    cases: list[tuple[str, str]] = [
        ("version: 1\nproviders: [", "document"),
        ("[1, 2]", "document"),
        (yaml.safe_dump({**document, "version": 2}), "version"),
    ]
    bad_kind = json.loads(json.dumps(document))
    bad_kind["providers"][0]["kind"] = "nonsense"
    cases.append((json.dumps(bad_kind), "providers[0].kind"))
    twice = json.loads(json.dumps(document))
    twice["models"][2]["displayName"] = "Main"
    cases.append((json.dumps(twice), "models[2].displayName"))
    dangling = json.loads(json.dumps(document))
    dangling["slots"][0]["models"].append({"provider": "openrouter", "modelId": "gone"})
    cases.append((json.dumps(dangling), "slots[0].models[2]"))
    unknown = json.loads(json.dumps(document))
    unknown["models"][0]["provider"] = "groq"
    cases.append((json.dumps(unknown), "models[0].provider"))
    for text, field in cases:
        error = await service.error(IMPORT, {"doc": text, "dry": False})
        assert coded(error["extensions"]) == {"code": "BAD_USER_INPUT", "field": field}, text[:80]
    assert await _export(service) == before  # nothing half-written


FIELDS = '{ __type(name: "SavedModel") { fields { name type { kind ofType { kind } } } } }'
NOT_CONFIGURATION = {"dbId", "provider", "modelId", "createdAt", "updatedAt", "lastProbe"}
"""What `savedModels` shows that is no part of a saved configuration: the row's ids, its times
and its probes (history, not configuration)."""


async def test_an_export_holds_every_figure_saved_models_shows(service: Service) -> None:
    """A figure `savedModels` shows but an export leaves out would be lost by a round trip:
    the cache prices the OpenRouter list gives gpt-4o must come back from the file."""
    await _configure(service)
    fields = (await service.gql(FIELDS))["__type"]["fields"]
    shown = {field["name"] for field in fields} - NOT_CONFIGURATION
    selection = " ".join(sorted(shown | {"modelId"}))
    saved = await service.gql(f'{{ savedModels(provider: "openrouter") {{ {selection} }} }}')
    listed = next(m for m in saved["savedModels"] if m["modelId"] == "openai/gpt-4o")
    exported = yaml.safe_load(await _export(service))
    model = next(m for m in exported["models"] if m["modelId"] == "openai/gpt-4o")
    assert shown <= set(model), f"left out of the export: {sorted(shown - set(model))}"
    assert listed["cacheReadPrice"] is not None
    assert model["cacheReadPrice"] == listed["cacheReadPrice"]
