"""A fetched list that would replace a good one with far less is not believed: the good list is
kept, served stale with the reason, and no drift alarm comes of it (see catalog/suspicion.py).
On the suite's database and cache (PostgreSQL and Redis in CI)."""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from catalog import suspicion
from providers import ModelRecord
from settings import ProviderOverride, Settings
from tests.replay import ReplayServer, base_url, fixture_path, models_route
from tests.service import Service, running_service

CAPTURE = fixture_path("openrouter", "models-all-output-modalities-2026-08.json")
LIST = (
    'query($c: Boolean!) { availableModels(provider: "openrouter", useCache: $c) '
    "{ totalCount stale error } }"
)
DRIFT = (
    '{ modelChanges(provider: "openrouter", useCache: false) '
    "{ total missing activeMissing stale warnings } }"
)
SAVE = (
    'mutation($m: String!) { saveModel(provider: "openrouter", modelId: $m, isActive: true) '
    "{ created } }"
)
SYNC = 'mutation { syncSavedModels(provider: "openrouter", useCache: false) { updated } }'


class Upstream:
    """OpenRouter's list for this test alone, replaced at will."""

    def __init__(self, replay: ReplayServer, prefix: str) -> None:
        self.replay = replay
        self.route = models_route("openrouter", prefix)
        self.payload: dict[str, Any] = json.loads(CAPTURE.read_bytes())

    def lists(self, models: list[dict[str, Any]]) -> None:
        self.replay.serve(self.route, {**self.payload, "data": models})


@pytest.fixture
async def setup(
    settings: Settings, replay: ReplayServer
) -> AsyncIterator[tuple[Service, Upstream]]:
    prefix = f"implausible-{uuid.uuid4().hex[:8]}"
    override = ProviderOverride(base_url=base_url(replay.url, "openrouter", prefix))
    upstream = Upstream(replay, prefix)
    upstream.lists(upstream.payload["data"])
    pointed = dataclasses.replace(
        settings, providers={**settings.providers, "openrouter": override}, failure_retry=1
    )
    async with running_service(pointed) as service:
        yield service, upstream


async def listing(service: Service, *, cache: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = (await service.gql(LIST, {"c": cache}))["availableModels"]
    return data


async def test_an_empty_answer_keeps_the_good_list_stale_with_the_reason(
    setup: tuple[Service, Upstream],
) -> None:
    service, upstream = setup
    assert await listing(service) == {"totalCount": 549, "stale": False, "error": None}
    upstream.lists([])  # 200 {"data": []}
    kept = await listing(service)
    assert kept["totalCount"] == 549 and kept["stale"] is True
    assert (
        "answered with no models where 549 were listed; the last good list is kept"
        in (kept["error"])
    )
    upstream.lists(upstream.payload["data"])  # the upstream recovers: believed again
    assert await listing(service) == {"totalCount": 549, "stale": False, "error": None}


async def test_a_collapse_is_refused_but_churn_is_taken(setup: tuple[Service, Upstream]) -> None:
    service, upstream = setup
    models = upstream.payload["data"]
    await listing(service)
    upstream.lists(models[:200])  # 349 of 549 vanished at once
    kept = await listing(service)
    assert (kept["totalCount"], kept["stale"]) == (549, True)
    assert "only 200 of the 549 it listed before" in kept["error"]
    upstream.lists(models[:400])  # 149 retired: a change, not a breakage
    assert await listing(service) == {"totalCount": 400, "stale": False, "error": None}


async def test_no_drift_alarm_and_nothing_synced_from_an_implausible_list(
    setup: tuple[Service, Upstream],
) -> None:
    service, upstream = setup
    for model_id in ("openai/gpt-4o", "anthropic/claude-sonnet-4"):
        await service.gql(SAVE, {"m": model_id})
    upstream.lists([])
    report = (await service.gql(DRIFT))["modelChanges"]
    assert (report["total"], report["missing"], report["activeMissing"]) == (2, 0, 0)
    assert report["stale"] is True and report["warnings"]
    error = await service.error(SYNC)
    assert error["extensions"]["code"] == "UPSTREAM_ERROR"
    assert "cannot save from a stale list" in error["message"]


async def test_without_a_good_list_an_empty_answer_is_taken(
    setup: tuple[Service, Upstream],
) -> None:
    """Nothing to protect: a provider that lists nothing (yet) is shown as it is."""
    service, upstream = setup
    upstream.lists([])
    assert await listing(service) == {"totalCount": 0, "stale": False, "error": None}


def test_the_rule() -> None:
    def models(ids: range | list[str]) -> list[Any]:
        return [ModelRecord(id=str(i), name=str(i)) for i in ids]

    big = models(range(100))
    assert suspicion.implausible(big, []) == "answered with no models where 100 were listed"
    assert suspicion.implausible(big, models(range(49))) is not None  # 51 of 100 gone
    assert suspicion.implausible(big, models(range(50))) is None  # half kept
    assert suspicion.implausible(big, models(range(100, 140))) is not None  # 40, all new
    assert suspicion.implausible(big, models(range(100, 300))) is None  # replaced, not shrunk
    assert suspicion.implausible(big, models(range(60, 200))) is None  # 40 kept, 100 new
    assert suspicion.implausible(models(range(19)), models(range(1))) is None  # small list
    assert suspicion.implausible(models(range(20)), models(range(9))) is not None
    assert suspicion.implausible([], []) is None
