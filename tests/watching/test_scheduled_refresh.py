"""The issue's scenario: models saved from OpenRouter's 2025-05 list, the upstream moves to its
2026-08 list, one scheduled refresh later the sync log, the feed and a signed POST say so."""

from __future__ import annotations

import dataclasses

import pytest

from catalog.watch.scheduler import Scheduler, Tick
from tests.clock import ManualClock
from tests.replay import ReplayServer, models_route, serve_era
from tests.service import Service
from tests.watching.conftest import AUGUST, SAVE, SLUG, Receiver, register

O3, SONNET_37, MINI = "openai/o3", "anthropic/claude-3.7-sonnet", "openai/gpt-4o-mini"
RUNS = """query($p: String) { syncRuns(provider: $p, first: 10) {
  hasMore runs { id trigger outcome models added removed changed cosmetic baseline error } } }"""
FEED = """query($p: String, $cosmetic: Boolean!, $first: Int!, $after: String) {
  catalogChanges(provider: $p, includeCosmetic: $cosmetic, first: $first, after: $after) {
    hasMore endCursor
    changes { modelId kind saved active changes { field old new material } } } }"""

SAVED_FEED = """query($p: String) { catalogChanges(provider: $p, savedOnly: true, first: 50) {
  changes { modelId kind } } }"""


async def save(service: Service, *model_ids: str) -> None:
    for model_id in model_ids:
        await service.gql(SAVE, {"p": SLUG, "m": model_id})


async def test_a_vanished_active_model_is_posted_within_one_refresh(
    watching: Service, replay: ReplayServer, receiver: Receiver, clock: ManualClock, prefix: str
) -> None:
    await register(watching, receiver)
    await save(watching, O3, SONNET_37, MINI)  # each save fetches the 2025-05 list afresh
    scheduler = watching.services.scheduler
    assert (await scheduler.tick()).refreshed == ()  # just fetched: not due

    serve_era(replay, "openrouter", AUGUST, prefix)  # the upstream moves on
    clock.advance(601)  # the instance's TTL
    tick = await scheduler.tick()
    assert tick.leader and tick.refreshed == (SLUG,) and tick.failed == ()

    runs = (await watching.gql(RUNS, {"p": SLUG}))["syncRuns"]["runs"]
    latest = runs[0]
    assert latest["trigger"] == "scheduled" and latest["outcome"] == "ok"
    assert (latest["removed"], latest["baseline"]) == (231, False)
    assert latest["added"] > 0 and latest["changed"] > 0 and latest["cosmetic"] > 0
    assert [run["trigger"] for run in runs[1:]] == ["request"] * 3  # the three saves' fetches

    missing = receiver.of_type("model.missing")
    assert [m["data"]["modelId"] for m in missing] == [SONNET_37]
    assert missing[0]["data"]["active"] is True and missing[0]["data"]["provider"] == SLUG
    changed = receiver.of_type("model.changed")
    assert [m["data"]["modelId"] for m in changed] == [O3]  # 10/40 -> 2/8; mini: text only
    prices = {c["field"]: (c["old"], c["new"]) for c in changed[0]["data"]["changes"]}
    assert prices == {"input_price": ("10", "2"), "output_price": ("40", "8")}
    assert receiver.refused == 0 and receiver.of_type("models.added") == []  # opt-in

    again = await scheduler.tick()  # nothing due, nothing sent twice
    assert again.refreshed == () and again.delivered == 0 and len(receiver.received) == 2


async def test_the_feed_lists_what_changed_saved_models_flagged(
    watching: Service, replay: ReplayServer, clock: ManualClock, prefix: str
) -> None:
    await save(watching, O3, SONNET_37, MINI)
    serve_era(replay, "openrouter", AUGUST, prefix)
    clock.advance(601)
    await watching.services.scheduler.tick()

    first = await watching.gql(FEED, {"p": SLUG, "cosmetic": False, "first": 500 // 5})
    page = first["catalogChanges"]
    assert page["hasMore"] and page["endCursor"]
    entries = page["changes"]
    rest = await watching.gql(
        FEED, {"p": SLUG, "cosmetic": False, "first": 200, "after": page["endCursor"]}
    )
    entries += rest["catalogChanges"]["changes"]
    by_id = {entry["modelId"]: entry for entry in entries}
    assert by_id[SONNET_37]["kind"] == "removed" and by_id[SONNET_37]["active"] is True
    assert by_id[O3]["kind"] == "changed" and by_id[O3]["saved"] is True
    assert MINI not in by_id  # only its description changed: cosmetic, not in the default feed
    assert {e["kind"] for e in entries} == {"added", "removed", "changed"}
    assert not any(e["saved"] for e in entries if e["modelId"] not in (O3, SONNET_37))

    mine = await watching.gql(SAVED_FEED, {"p": SLUG})
    assert {(e["modelId"], e["kind"]) for e in mine["catalogChanges"]["changes"]} == {
        (SONNET_37, "removed"),
        (O3, "changed"),
    }

    cosmetic = await watching.gql(FEED, {"p": SLUG, "cosmetic": True, "first": 200})
    kinds = {e["modelId"]: e for e in cosmetic["catalogChanges"]["changes"]}
    while MINI not in kinds and cosmetic["catalogChanges"]["hasMore"]:
        after = cosmetic["catalogChanges"]["endCursor"]
        cosmetic = await watching.gql(
            FEED, {"p": SLUG, "cosmetic": True, "first": 200, "after": after}
        )
        kinds.update({e["modelId"]: e for e in cosmetic["catalogChanges"]["changes"]})
    assert kinds[MINI]["kind"] == "cosmetic"
    assert [(c["field"], c["material"]) for c in kinds[MINI]["changes"]] == [("description", False)]


async def test_one_scheduler_refreshes_at_a_time(
    watching: Service, replay: ReplayServer, clock: ManualClock, prefix: str
) -> None:
    await save(watching, O3)
    first = watching.services.scheduler
    other = Scheduler(first.catalog, first.deliverer, refresh=True)  # another worker
    clock.advance(601)
    assert (await first.tick()).refreshed == (SLUG,)
    clock.advance(601)
    blocked = await other.tick()
    assert not blocked.leader and blocked.refreshed == ()
    lease = watching.services.catalog.settings.refresh_timeout + 3 * 3600
    clock.advance(lease + 1)  # the first worker is gone: its lease runs out
    taken = await other.tick()
    assert taken.leader and taken.refreshed == (SLUG,)


async def test_a_failing_upstream_backs_off_then_fires_refresh_failing_once(
    watching: Service, replay: ReplayServer, receiver: Receiver, clock: ManualClock, prefix: str
) -> None:
    await register(watching, receiver)
    await save(watching, O3)
    route = models_route("openrouter", prefix)
    replay.fail(route, 503)
    scheduler = watching.services.scheduler
    failures = 0
    for _ in range(4):
        clock.advance(601)
        tick = await scheduler.tick()
        failures += len(tick.failed)
        # after a failure the next try waits FAILURE_RETRY (30 s), not a whole TTL
        clock.advance(29)
        assert (await scheduler.tick()).refreshed == ()
    assert failures == 4
    runs = (await watching.gql(RUNS, {"p": SLUG}))["syncRuns"]["runs"]
    assert [r["outcome"] for r in runs[:4]] == ["failed"] * 4 and "HTTP 503" in runs[0]["error"]
    failing = receiver.of_type("refresh.failing")
    assert len(failing) == 1 and failing[0]["data"]["failures"] == 3
    counted = [
        (sample.labels["outcome"], sample.value)
        for metric in scheduler.catalog.metrics.registry.collect()
        if metric.name == "ams_scheduled_refreshes"
        for sample in metric.samples
        if sample.name.endswith("_total") and sample.labels["provider"] == SLUG
    ]
    assert sum(value for outcome, value in counted if outcome != "ok") == 4, counted


async def test_refresh_off_refreshes_nothing(watching: Service, clock: ManualClock) -> None:
    await save(watching, O3)
    service = watching.services
    off = Scheduler(service.catalog, service.scheduler.deliverer, refresh=False)
    clock.advance(601)
    assert await off.tick() == dataclasses.replace(await off.tick(), leader=False, refreshed=())


async def test_each_tick_is_counted_leader_or_not(watching: Service) -> None:
    """`ams_scheduler_ticks_total`: what shows a worker's loop is alive (and what
    `tests/watching/test_workers.py` waits on in real workers)."""
    service = watching.services
    registry = service.catalog.metrics.registry
    before = registry.get_sample_value("ams_scheduler_ticks_total") or 0.0
    await service.scheduler.tick()
    await Scheduler(service.catalog, service.scheduler.deliverer, refresh=False).tick()
    assert registry.get_sample_value("ams_scheduler_ticks_total") == before + 2


async def test_the_log_is_kept_for_its_retention(
    watching: Service, replay: ReplayServer, clock: ManualClock, prefix: str
) -> None:
    await save(watching, O3)
    serve_era(replay, "openrouter", AUGUST, prefix)
    clock.advance(601)
    await watching.services.scheduler.tick()
    assert len((await watching.gql(RUNS, {"p": SLUG}))["syncRuns"]["runs"]) == 2
    clock.advance(89 * 86400)  # SYNC_LOG_RETENTION is 90 days: this tick's run stays
    await watching.services.scheduler.tick()
    clock.advance(2 * 86400)
    await watching.services.scheduler.tick()
    runs = (await watching.gql(RUNS, {"p": SLUG}))["syncRuns"]["runs"]
    assert len(runs) == 2 and all(run["trigger"] == "scheduled" for run in runs)
    feed = await watching.gql(FEED, {"p": SLUG, "cosmetic": True, "first": 10})
    assert feed["catalogChanges"]["changes"] == []  # the old run's changes went with it


class Stop(Exception):
    """Ends the loop under test after its ticks."""


async def test_the_loop_ticks_each_poll_and_survives_a_failing_tick(
    watching: Service, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    await save(watching, O3)
    service = watching.services
    waits: list[float] = []
    ticks = 0
    loop = Scheduler(service.catalog, service.scheduler.deliverer, refresh=True)

    async def failing_tick() -> Tick:
        nonlocal ticks
        ticks += 1
        if ticks == 1:
            raise RuntimeError("the database went away")
        return await Scheduler.tick(loop)

    async def sleep(seconds: float) -> None:  # the injected wait: time moves, nothing sleeps
        waits.append(seconds)
        if len(waits) > 2:
            raise Stop
        clock.advance(601)

    loop.tick = failing_tick  # type: ignore[method-assign]
    with pytest.raises(Stop):
        await loop.run(sleep)
    assert waits == [3600.0] * 3 and ticks == 2  # REFRESH_POLL, as the tests set it
    assert "scheduler tick failed" in caplog.text
    runs = (await watching.gql(RUNS, {"p": SLUG}))["syncRuns"]["runs"]
    assert [run["trigger"] for run in runs] == ["scheduled", "request"]
