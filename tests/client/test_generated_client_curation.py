"""The generated client drives curation, slots, routing, probes and export/import against the
LIVE server (groq models only, so the other client tests' openrouter models are untouched)."""

from __future__ import annotations

import yaml
from ai_model_sync_client import (
    AiModelSyncClient,
    Capability,
    ConfigFormat,
    GraphQLClientGraphQLMultiError,
    SkipReason,
    SlotModelInput,
    UnlistedFiguresInput,
)

from tests.replay import ReplayServer, base_url
from tests.service import coded

FIRST, SECOND = "qwen/qwen3-32b", "moonshotai/kimi-k2-instruct"


async def test_name_fill_a_slot_probe_and_route(
    client: AiModelSyncClient, replay_server: ReplayServer
) -> None:
    for model_id in (FIRST, SECOND):
        saved = await client.save_model("groq", model_id, is_active=True)
        assert saved.save_model.model.unlisted is False
    private = await client.save_model(
        "groq",
        "acme/private-ft",
        capabilities=[Capability.CHAT],
        unlisted=True,
        figures=UnlistedFiguresInput(name="Acme FT", context_window=8192),
    )
    assert private.save_model.model.unlisted and private.save_model.model.name == "Acme FT"
    named = await client.curate_model("groq", SECOND, display_name="Backup", tags=["eu"])
    assert named.curate_model.display_name == "Backup" and named.curate_model.tags == ["eu"]

    slot = await client.set_slot(
        "client-chat",
        [SlotModelInput(provider="groq", model_id=m) for m in (FIRST, SECOND)],
        capability=Capability.CHAT,
    )
    assert [m.model_id for m in slot.set_slot.models] == [FIRST, SECOND]
    assert "client-chat" in {s.name for s in (await client.slots()).slots}

    probe = await client.test_model("groq", FIRST)
    assert probe.test_model.ok and probe.test_model.model.last_probe is not None
    history = await client.probe_history("groq", FIRST)
    assert [p.ok for p in history.probe_history] == [True]
    try:
        await client.test_model("groq", FIRST)
        raise AssertionError("a second probe at once must be refused")
    except GraphQLClientGraphQLMultiError as exc:
        assert coded(exc.errors[0].extensions or {}) == {"code": "RATE_LIMITED", **_retry(exc)}

    await client.set_models_active("groq", [FIRST], active=False)
    route = (await client.route("client-chat")).route
    assert route.model is not None and route.model.display_name == "Backup"
    assert [(s.model.model_id, s.reason) for s in route.skipped] == [(FIRST, SkipReason.INACTIVE)]

    groq = base_url(replay_server.url, "groq")  # never the real default URL
    checked = (await client.test_provider("groq", base_url=groq, api_key="gsk_other")).test_provider
    assert checked.ok is True and checked.models > 10 and checked.error is None

    exported = (await client.export_configuration(format=ConfigFormat.YAML)).export_configuration
    assert "client-chat" in exported and "gsk_" not in exported
    plan = await client.import_configuration(exported, dry_run=True)
    assert plan.import_configuration.applied is False and plan.import_configuration.changes == []
    document = yaml.safe_load(exported)
    document["slots"] = [s for s in document["slots"] if s["name"] != "client-chat"]
    done = await client.import_configuration(yaml.safe_dump(document))
    assert [(c.action, c.key) for c in done.import_configuration.changes] == [
        ("remove", "client-chat")
    ]
    assert (await client.delete_slot("client-chat")).delete_slot.deleted is False


def _retry(exc: GraphQLClientGraphQLMultiError) -> dict[str, object]:
    extensions = exc.errors[0].extensions or {}
    return {"retryAfter": extensions.get("retryAfter")}
