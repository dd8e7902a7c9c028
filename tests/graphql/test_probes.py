"""testModel and testProvider against the replay upstream's generation endpoints (constructed
answers), with its failing and slow modes; routing steered by the last probe."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from starlette.datastructures import Secret

from settings import ProviderOverride, Settings
from storage.models import ProbeResult
from tests.clock import ManualClock
from tests.replay import ReplayServer
from tests.replay.generation import generation_route
from tests.service import GROQ_KEY, Service, coded, running_service

SAVE = """
mutation Save($p: String!, $m: String!) {
  saveModel(provider: $p, modelId: $m, isActive: true) { model { modelId } }
}
"""
TEST = """
mutation Test($p: String!, $m: String!) {
  testModel(provider: $p, modelId: $m) {
    ok status latencyMs error
    model { modelId lastProbe { ok status latencyMs error p50Ms p95Ms } }
  }
}
"""
TEST_PROVIDER = """
mutation TestProvider($kind: String!, $url: String, $key: String) {
  testProvider(kind: $kind, baseUrl: $url, apiKey: $key) { ok status latencyMs models error }
}
"""
CHAT = generation_route("groq", "/chat/completions")
MODEL = "qwen/qwen3-32b"


async def _probe(service: Service, provider: str = "groq", model: str = MODEL) -> dict[str, Any]:
    data = await service.gql(TEST, {"p": provider, "m": model})
    result: dict[str, Any] = data["testModel"]
    return result


async def test_a_probe_sends_one_smallest_request_and_records_it(
    settings: Settings, replay: ReplayServer
) -> None:
    clock = ManualClock(1_800_000_000)
    async with running_service(settings, clock=clock) as service:
        await service.gql(SAVE, {"p": "groq", "m": MODEL})
        probe = await _probe(service)
        assert probe["ok"] is True and probe["status"] == 200 and probe["error"] is None
        (sent,) = replay.requests(CHAT)
        body = json.loads(sent.body)
        assert body["model"] == MODEL and body["max_tokens"] == 1
        assert sent.headers["Authorization"] == f"Bearer {GROQ_KEY}"
        last = probe["model"]["lastProbe"]
        assert last["ok"] is True and last["p50Ms"] == last["p95Ms"] == last["latencyMs"]

        # again at once: refused, nothing sent
        again = await service.error(TEST, {"p": "groq", "m": MODEL})
        assert again["extensions"]["code"] == "RATE_LIMITED"
        assert 0 < again["extensions"]["retryAfter"] <= settings.probe_interval
        assert replay.hits(CHAT) == 1

        # a failing upstream: recorded, the error without the key
        clock.advance(settings.probe_interval)
        replay.fail(CHAT, 401, body=f'{{"error": "bad key {GROQ_KEY}"}}'.encode(), times=1)
        failed = await _probe(service)
        assert failed["ok"] is False and failed["status"] == 401
        assert GROQ_KEY not in failed["error"] and "[key]" in failed["error"]
        assert failed["model"]["lastProbe"]["ok"] is False
        history = await service.gql(
            f'{{ probeHistory(provider: "groq", modelId: "{MODEL}") {{ ok status }} }}'
        )
        assert history["probeHistory"] == [
            {"ok": False, "status": 401},
            {"ok": True, "status": 200},
        ]
        assert await ProbeResult.all().count() == 2


async def test_a_slow_upstream_times_out_and_routing_skips_a_failed_probe(
    settings: Settings, replay: ReplayServer
) -> None:
    clock = ManualClock(1_800_000_000)
    async with running_service(replace(settings, probe_timeout=0.5), clock=clock) as service:
        for model in (MODEL, "groq/compound"):
            await service.gql(SAVE, {"p": "groq", "m": model})
        await service.gql(
            'mutation { setSlot(name: "chat", allowMismatch: true, models: ['
            f'{{provider: "groq", modelId: "{MODEL}"}}, '
            '{provider: "groq", modelId: "groq/compound"}]) { name } }'
        )
        replay.hang(CHAT, times=1)
        slow = await _probe(service)
        assert slow["ok"] is False and slow["status"] is None and "0.5 s" in slow["error"]
        route = await service.gql(
            '{ route(slot: "chat") { model { modelId } skipped { model { modelId } reason } } }'
        )
        assert route["route"]["model"]["modelId"] == "groq/compound"
        assert route["route"]["skipped"] == [
            {"model": {"modelId": MODEL}, "reason": "PROBE_FAILED"}
        ]
        clock.advance(settings.probe_interval)
        assert (await _probe(service))["ok"] is True  # fixed: routed to again
        route = await service.gql('{ route(slot: "chat") { model { modelId } } }')
        assert route["route"]["model"]["modelId"] == MODEL


async def test_each_generation_style_gets_its_smallest_request(
    settings: Settings, replay: ReplayServer
) -> None:
    keyed = {
        **settings.providers,
        "anthropic": replace(settings.providers["anthropic"], api_key=Secret("sk-ant-test")),
        "gemini": replace(settings.providers["gemini"], api_key=Secret("gm-test")),
    }
    async with running_service(replace(settings, providers=keyed)) as service:
        await service.gql(SAVE, {"p": "anthropic", "m": "claude-3-7-sonnet-20250219"})
        await service.gql(SAVE, {"p": "gemini", "m": "gemini-2.5-flash"})
        assert (await _probe(service, "anthropic", "claude-3-7-sonnet-20250219"))["ok"]
        assert (await _probe(service, "gemini", "gemini-2.5-flash"))["ok"]
    (message,) = replay.requests(generation_route("anthropic", "/messages"))
    assert json.loads(message.body)["max_tokens"] == 1
    assert message.headers["x-api-key"] == "sk-ant-test"
    route = generation_route("gemini", "/models/gemini-2.5-flash:generateContent")
    (content,) = replay.requests(route)
    assert json.loads(content.body)["generationConfig"]["maxOutputTokens"] == 1


async def test_no_key_unknown_model_and_test_provider(
    service: Service, settings: Settings, replay: ReplayServer
) -> None:
    unknown = await service.error(TEST, {"p": "groq", "m": "nope"})
    assert coded(unknown["extensions"]) == {"code": "NOT_FOUND", "field": "modelId"}
    ok = await service.gql(
        TEST_PROVIDER, {"kind": "groq", "url": settings.providers["groq"].base_url, "key": "k"}
    )
    assert ok["testProvider"]["ok"] is True and ok["testProvider"]["models"] > 10
    no_key = await service.error(TEST_PROVIDER, {"kind": "openai"})
    assert no_key["extensions"]["code"] == "BAD_USER_INPUT"
    replay.fail("/groq/openai/v1/models", 401, times=1)
    denied = await service.gql(
        TEST_PROVIDER, {"kind": "groq", "url": settings.providers["groq"].base_url, "key": "bad"}
    )
    assert denied["testProvider"]["ok"] is False and denied["testProvider"]["status"] == 401
    assert "rejected" in denied["testProvider"]["error"]
    kind = await service.error(TEST_PROVIDER, {"kind": "nope"})
    assert coded(kind["extensions"]) == {"code": "BAD_USER_INPUT", "field": "kind"}


async def test_a_provider_without_a_key_is_not_probed(
    settings: Settings, replay: ReplayServer
) -> None:
    base = settings.providers["openai"].base_url
    with_key = {
        **settings.providers,
        "openai": ProviderOverride(base_url=base, api_key=Secret("sk-t")),
    }
    async with running_service(replace(settings, providers=with_key)) as service:
        await service.gql(SAVE, {"p": "openai", "m": "gpt-4o-mini"})
    async with running_service(settings) as service:  # the key is gone from the settings
        error = await service.error(TEST, {"p": "openai", "m": "gpt-4o-mini"})
    assert coded(error["extensions"]) == {"code": "BAD_USER_INPUT", "field": "provider"}
    assert replay.hits(generation_route("openai", "/chat/completions")) == 0
