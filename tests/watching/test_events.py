"""Which events a refresh raises (`catalog.watch.events`) and the list diff under them
(`catalog.listdiff`), on the real OpenRouter captures; retirement thresholds end to end."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from catalog.listdiff import ChangeKind, diff, diff_seen, seen_form
from catalog.snapshot import Snapshot
from catalog.watch.events import EventType, after_fetch, failing
from providers import openrouter
from storage.records import SavedState
from tests.clock import ManualClock
from tests.replay import ReplayServer, fixture_path, models_route
from tests.service import Service
from tests.watching.conftest import AUGUST, MAY, SAVE, SLUG, Receiver, register

O3, SONNET_37, MINI = "openai/o3", "anthropic/claude-3.7-sonnet", "openai/gpt-4o-mini"
NOW = datetime(2026, 8, 19, tzinfo=UTC)


def snapshot(capture: str) -> Snapshot:
    models = openrouter.parse_models(json.loads(fixture_path("openrouter", capture).read_bytes()))
    return Snapshot.fetched_now("openrouter", models, 600, lambda: NOW.timestamp())


def test_the_diff_of_two_eras_counts_material_changes_only() -> None:
    may, august = snapshot(MAY), snapshot(AUGUST)
    changes = diff(may.models, august.models)
    assert changes.count(ChangeKind.REMOVED) == 231
    assert changes.count(ChangeKind.ADDED) == len(august.models) - (len(may.models) - 231)
    by_id = {entry.model_id: entry for entry in changes.entries}
    assert by_id[MINI].kind is ChangeKind.COSMETIC
    assert [f.field for f in by_id[MINI].fields] == ["description"]
    assert by_id[O3].kind is ChangeKind.CHANGED
    assert diff(may.models, may.models).entries == ()


def test_the_kept_list_diffs_as_the_list_itself() -> None:
    """Between runs the last list is kept in the database (`seen_form`); diffing against it must
    find what diffing against the list itself finds, on every compared figure (the cache prices
    of o3, a successor a provider names), or a refresh reports changes that are not there."""
    may, august = snapshot(MAY), snapshot(AUGUST)
    named = [replace(m, replacement_model_id="x/next") if m.id == O3 else m for m in may.models]
    direct = diff(named, august.models)
    kept, _ = diff_seen(seen_form(named), august.models)
    assert [(e.model_id, e.kind, [f.field for f in e.fields]) for e in kept.entries] == [
        (e.model_id, e.kind, [f.field for f in e.fields]) for e in direct.entries
    ]
    o3 = {e.model_id: e for e in kept.entries}[O3]
    assert {"cache_read_price", "replacement_model_id"} <= {f.field for f in o3.fields}
    assert diff_seen(seen_form(august.models), august.models)[0].entries == ()


def test_events_name_saved_models_once_each() -> None:
    may, august = snapshot(MAY), snapshot(AUGUST)
    saved = {O3: SavedState(1, True), SONNET_37: SavedState(2, True), MINI: SavedState(3, False)}
    events = after_fetch(
        "openrouter", may.by_id, august, diff(may.models, august.models), saved, NOW
    )
    kinds = sorted((e.type.value, e.payload.get("modelId")) for e in events)
    assert kinds == [
        ("model.changed", O3),
        ("model.missing", SONNET_37),
        ("models.added", None),
    ]
    again = after_fetch(
        "openrouter", may.by_id, august, diff(may.models, august.models), saved, NOW
    )
    assert {e.key for e in again} == {e.key for e in events}  # another worker: the same keys
    baseline = after_fetch("openrouter", None, august, diff((), ()), saved, NOW)
    assert baseline == []  # nothing to compare with: no diff events


def test_refresh_failing_fires_at_the_threshold() -> None:
    assert failing("groq", 2, 7, 3, "HTTP 503") is None
    event = failing("groq", 3, 7, 3, "HTTP 503")
    assert event is not None and event.type is EventType.REFRESH_FAILING
    assert event.key == failing("groq", 5, 7, 3, "HTTP 503").key  # type: ignore[union-attr]


async def test_retirement_is_posted_at_90_60_and_30_days_once_each(
    watching: Service, replay: ReplayServer, receiver: Receiver, clock: ManualClock, prefix: str
) -> None:
    await register(watching, receiver)
    payload = json.loads(fixture_path("openrouter", MAY).read_bytes())
    retires = datetime.fromtimestamp(clock(), tz=UTC) + timedelta(days=100)
    for model in payload["data"]:
        if model["id"] == O3:
            model["expiration_date"] = retires.date().isoformat()
    route = models_route("openrouter", prefix)
    replay.serve(route, payload, query={"output_modalities": "all"})
    await watching.gql(SAVE, {"p": SLUG, "m": O3})
    scheduler = watching.services.scheduler
    thresholds = []
    for _ in range(12):  # 12 refreshes, 10 days apart: 100 days down to -20
        clock.advance(10 * 86400)
        await scheduler.tick()
        thresholds = [m["data"]["withinDays"] for m in receiver.of_type("model.retiring")]
    assert thresholds == [90, 60, 30]
    assert receiver.of_type("model.retiring")[0]["data"]["retiresAt"].startswith(
        retires.date().isoformat()
    )
