"""The audit log through the API, on the test's real database: a committed change has its
entry, a change that fails half-way (the database refusing a row mid-bulk) leaves none, and
every mutation of the schema writes one."""

from __future__ import annotations

import dataclasses
from typing import Any

from tortoise import connections

from schema import build_schema
from settings import Settings
from storage import database
from storage.models import AuditEntry, SavedModel
from tests.service import Service, running_service

LOG = """
query Log($actor: String, $provider: String, $model: String, $op: String, $first: Int! = 50,
          $after: String, $since: DateTime) {
  auditLog(actor: $actor, provider: $provider, modelId: $model, operation: $op, first: $first,
           after: $after, since: $since) {
    entries { id at actor via requestId operation provider modelIds details
              changes { modelId field before after } }
    endCursor
  }
}
"""
SAVE = """mutation($m: String!, $on: Boolean) {
  saveModel(provider: "openrouter", modelId: $m, isActive: $on) { created } }"""
SYNC = """mutation($limit: Int!) {
  bulkSync(provider: "openrouter", limit: $limit) { modelIds } }"""
MODEL = "openai/gpt-4o"


async def _log(service: Service, **variables: Any) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = (await service.gql(LOG, variables))["auditLog"]["entries"]
    return entries


async def test_a_committed_change_has_its_entry(service: Service) -> None:
    response = await service.post(SAVE, {"m": MODEL, "on": True})
    assert response.status_code == 200 and "errors" not in response.json()
    await service.gql(SAVE, {"m": MODEL, "on": False})
    latest, first = await _log(service)
    assert (first["actor"], first["via"], first["operation"]) == ("admin", "graphql", "saveModel")
    assert first["provider"] == "openrouter" and first["modelIds"] == [MODEL]
    assert first["requestId"] == response.headers["x-request-id"]
    assert first["details"] == {"created": True}
    fields = {change["field"]: change for change in first["changes"]}
    assert fields["is_active"] == {"modelId": MODEL, "field": "is_active", "before": None,
                                   "after": "true"}  # fmt: skip
    assert fields["name"]["before"] is None and fields["name"]["after"]
    # saved again: only what changed, before and after
    assert latest["changes"] == [
        {"modelId": MODEL, "field": "is_active", "before": "true", "after": "false"}
    ]


async def test_a_bulk_sync_is_one_entry_with_its_models(service: Service) -> None:
    ids = (await service.gql(SYNC, {"limit": 40}))["bulkSync"]["modelIds"]
    (entry,) = await _log(service)
    assert entry["operation"] == "bulkSync" and entry["modelIds"] == ids
    assert entry["details"]["created"] == 40 and entry["changes"] == []


async def _refuse_inserts(table: str, when: str) -> None:
    """A trigger that makes the database itself refuse a row: a failure half-way through."""
    connection = connections.get("default")
    if database.dialect() == "postgres":
        await connection.execute_script(
            "CREATE FUNCTION forced_failure() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'forced failure'; END $$ LANGUAGE plpgsql; "
            f"CREATE TRIGGER forced BEFORE INSERT ON {table} FOR EACH ROW WHEN ({when}) "
            "EXECUTE FUNCTION forced_failure();"
        )
    else:
        await connection.execute_script(
            f"CREATE TRIGGER forced BEFORE INSERT ON {table} WHEN {when} "
            "BEGIN SELECT RAISE(ABORT, 'forced failure'); END;"
        )


async def test_a_bulk_sync_failing_mid_way_leaves_no_entry_and_no_model(service: Service) -> None:
    await service.gql(SAVE, {"m": MODEL})
    chosen = (await service.gql(SYNC, {"limit": 30}))["bulkSync"]["modelIds"]
    await service.gql(
        'mutation { clearModels(provider: "openrouter", keepActive: false) { deleted } }'
    )
    entries_before = await AuditEntry.all().count()
    await _refuse_inserts("ai_model", f"NEW.model_id = '{chosen[20]}'")  # the 21st of 30
    error = await service.error(SYNC, {"limit": 30})
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert await SavedModel.all().count() == 0  # none of the 20 before it either
    assert await AuditEntry.all().count() == entries_before
    assert [e["operation"] for e in await _log(service, op="bulkSync")] == ["bulkSync"]


async def test_a_change_whose_entry_cannot_be_written_does_not_happen(service: Service) -> None:
    await _refuse_inserts("ai_audit_entry", "NEW.operation = 'saveModel'")
    error = await service.error(SAVE, {"m": MODEL})
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert await SavedModel.all().count() == 0


async def test_filters_and_pages(service: Service) -> None:
    await service.gql(SYNC, {"limit": 3})
    await service.gql(SAVE, {"m": MODEL, "on": True})
    await service.gql('mutation { refreshModels(provider: "groq") { count } }')
    assert [e["operation"] for e in await _log(service)] == [
        "refreshModels", "saveModel", "bulkSync"
    ]  # fmt: skip
    assert [e["operation"] for e in await _log(service, model=MODEL)] == ["saveModel"]
    assert [e["operation"] for e in await _log(service, provider="groq")] == ["refreshModels"]
    assert await _log(service, actor="reader") == []
    assert len(await _log(service, actor="admin", op="bulkSync")) == 1
    assert await _log(service, since="2999-01-01T00:00:00Z") == []
    page = (await service.gql(LOG, {"first": 2}))["auditLog"]
    rest = (await service.gql(LOG, {"first": 2, "after": page["endCursor"]}))["auditLog"]
    assert [e["operation"] for e in page["entries"]] == ["refreshModels", "saveModel"]
    assert [e["operation"] for e in rest["entries"]] == ["bulkSync"] and rest["endCursor"] is None
    bad = await service.error(LOG, {"after": "bm9wZQ"})
    assert bad["extensions"]["code"] == "BAD_USER_INPUT" and "after" in bad["message"]


async def test_a_read_token_may_not_read_the_log(service: Service) -> None:
    error = await service.error(LOG, token=service.reader_token)
    assert error["extensions"]["code"] == "FORBIDDEN"


ADD = """mutation($input: AddProviderInput!) { addProvider(input: $input) { slug } }"""
UPDATE = """mutation($input: UpdateProviderInput!) {
  updateProvider(slug: "gw-eu", input: $input) { slug } }"""


async def test_a_key_is_logged_as_set_changed_removed_never_itself(service: Service) -> None:
    keys = ["sk-first-0123456789abcdef", "sk-second-0123456789abcdef"]
    new = {"slug": "gw-eu", "kind": "openai_compatible", "apiKey": keys[0]}
    await service.gql(ADD, {"input": {**new, "baseUrl": "https://gw.example/v1"}})
    await service.gql(UPDATE, {"input": {"apiKey": keys[1], "ttl": 120}})
    await service.gql(UPDATE, {"input": {"apiKey": None}})
    removed, changed, added = await _log(service, provider="gw-eu")
    key = [(c["before"], c["after"]) for e in (added, changed, removed) for c in e["changes"]
           if c["field"] == "api_key"]  # fmt: skip
    assert key == [(None, "set"), ("set", "changed"), ("set", "removed")]
    assert {"field": "ttl", "before": None, "after": "120", "modelId": None} in changed["changes"]
    text = str(await AuditEntry.all().values())
    assert not any(part in text for part in (*keys, "sk-"))


CALLS: dict[str, tuple[str, dict[str, Any]]] = {
    "saveModel": (SAVE, {"m": MODEL, "on": True}),
    "bulkSync": (SYNC, {"limit": 3}),
    "setModelsActive": (
        'mutation { setModelsActive(provider: "openrouter", modelIds: ["openai/gpt-4o"], '
        "active: false) { changed } }",
        {},
    ),
    "refreshModels": ('mutation { refreshModels(provider: "openrouter") { count } }', {}),
    "syncSavedModels": ('mutation { syncSavedModels(provider: "openrouter") { updated } }', {}),
    "curateModel": (
        'mutation { curateModel(provider: "openrouter", modelId: "openai/gpt-4o", '
        'displayName: "Main chat") { displayName } }',
        {},
    ),
    "setSlot": (
        'mutation { setSlot(name: "chat", models: [{provider: "openrouter", '
        'modelId: "openai/gpt-4o"}]) { name } }',
        {},
    ),
    "deleteSlot": ('mutation { deleteSlot(name: "chat") { deleted } }', {}),
    "testModel": (
        'mutation { testModel(provider: "openrouter", modelId: "openai/gpt-4o") { ok } }',
        {},
    ),
    "testProvider": (
        'mutation($url: String) { testProvider(kind: "openrouter", baseUrl: $url, '
        'apiKey: "sk-or-try") { ok } }',
        {"url": None},  # the replay upstream's URL, filled in by the test
    ),
    "importConfiguration": (
        "mutation($doc: String!) { importConfiguration(document: $doc) { applied } }",
        {"doc": '{"version": 1, "providers": [], "models": [], "slots": []}'},
    ),
    "clearModels": ('mutation { clearModels(provider: "openrouter") { deleted } }', {}),
    "addProvider": (ADD, {"input": {"slug": "gw-eu", "kind": "ollama"}}),
    "updateProvider": (UPDATE, {"input": {"ttl": 300}}),
    "deactivateProvider": ('mutation { deactivateProvider(slug: "gw-eu") { slug } }', {}),
    "registerWebhook": (
        'mutation { registerWebhook(input: {url: "http://127.0.0.1:9/hook"}) { secret } }',
        {},
    ),
    "updateWebhook": (
        'mutation { updateWebhook(id: "1", input: {description: "ops"}) { id } }',
        {},
    ),
    "sendTestWebhook": ('mutation { sendTestWebhook(id: "1") { id } }', {}),
    "removeWebhook": ('mutation { removeWebhook(id: "1") }', {}),
}
"""A successful call of every mutation. A new mutation (issues 12 and 13 add some) fails the
test below until it is listed here and writes its entry."""


async def test_every_mutation_writes_an_entry(settings: Settings) -> None:
    mutation = build_schema()._schema.mutation_type
    assert mutation is not None
    assert sorted(mutation.fields) == sorted(CALLS), "list each mutation's call in CALLS"
    private = dataclasses.replace(settings, webhook_allow_private=True)  # a local receiver
    url = settings.providers["openrouter"].base_url
    calls = {**CALLS, "testProvider": (CALLS["testProvider"][0], {"url": url})}
    async with running_service(private) as service:
        await _call_each(service, calls)


async def _call_each(service: Service, calls: dict[str, tuple[str, dict[str, Any]]]) -> None:
    for name, (query, variables) in calls.items():
        await service.gql(query, variables)
        entries = await _log(service, first=1)
        assert entries and entries[0]["operation"] == name, f"{name} wrote no audit entry"
        assert entries[0]["actor"] == "admin"


async def test_an_unlisted_save_and_a_slot_are_logged_with_what_changed(service: Service) -> None:
    await service.gql(
        'mutation { saveModel(provider: "openrouter", modelId: "acme/private-ft", unlisted: true, '
        'capabilities: [CHAT], figures: {name: "Private"}) { created } }'
    )
    (saved,) = await _log(service, model="acme/private-ft")
    assert saved["operation"] == "saveModel" and saved["details"]["unlisted"] is True
    assert {"modelId": "acme/private-ft", "field": "name", "before": None, "after": "Private"} in (
        saved["changes"]
    )
    await service.gql(
        'mutation { setSlot(name: "chat", models: [{provider: "openrouter", '
        'modelId: "acme/private-ft"}]) { name } }'
    )
    (slot,) = await _log(service, op="setSlot")
    assert slot["modelIds"] == ["acme/private-ft"] and slot["details"] == {"slot": "chat"}
    assert {"modelId": None, "field": "models", "before": None,
            "after": "openrouter/acme/private-ft"} in slot["changes"]  # fmt: skip
