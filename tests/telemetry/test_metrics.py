"""`/metrics` in one process: the series count what happened, behind `METRICS_TOKEN`."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator

import pytest
from starlette.datastructures import Secret

from settings import Settings, SettingsError
from tests.replay import ReplayServer
from tests.service import GROQ_KEY, Service, running_service
from tests.telemetry.scrape import label_values, value

METRICS_TOKEN = "scrape-token-0123456789abcdef"
LIST = '{ availableModels(provider: "openrouter") { count } }'
ROUTE = "/openrouter/api/v1/models"


@pytest.fixture
async def metered(settings: Settings, replay: ReplayServer) -> AsyncIterator[Service]:
    wanted = dataclasses.replace(settings, metrics="TOKEN", metrics_token=Secret(METRICS_TOKEN))
    async with running_service(wanted) as service:
        yield service


async def scrape(service: Service) -> str:
    response = await service.http.get(
        "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


async def test_the_endpoint_needs_the_metrics_token(metered: Service) -> None:
    assert (await metered.http.get("/metrics")).status_code == 401
    wrong = {"Authorization": f"Bearer {metered.manager_token}"}  # an API token is not it
    assert (await metered.http.get("/metrics", headers=wrong)).status_code == 401


async def test_off_means_no_endpoint(service: Service) -> None:
    assert (await service.http.get("/metrics")).status_code == 404


async def test_requests_caches_and_upstream_fetches_are_counted(
    metered: Service, replay: ReplayServer
) -> None:
    replay.delay(ROUTE, 0.2)
    await asyncio.gather(*(metered.gql(LIST) for _ in range(3)))  # one fetch, two waits
    await metered.gql(LIST)  # list cache hit, result cache hit
    await metered.post(LIST, token=None)  # refused: 401
    replay.fail("/groq/openai/v1/models", 503)
    await metered.post('{ availableModels(provider: "groq") { count } }')
    text = await scrape(metered)
    ok = {"operation": "availableModels", "outcome": "ok"}
    assert value(text, "ams_graphql_requests_total", **ok) == 4
    assert value(text, "ams_graphql_requests_total", outcome="UNAUTHENTICATED") == 1
    assert value(text, "ams_graphql_requests_total", outcome="UPSTREAM_ERROR") == 1
    assert (
        value(text, "ams_graphql_request_duration_seconds_count", operation="availableModels") == 5
    )
    assert value(text, "ams_upstream_fetches_total", provider="openrouter", outcome="ok") == 1
    assert value(text, "ams_upstream_fetches_total", provider="groq", outcome="http_503") == 1
    assert value(text, "ams_upstream_fetch_duration_seconds_count", provider="openrouter") == 1
    assert value(text, "ams_single_flight_waits_total", scope="process") == 2
    assert value(text, "ams_list_cache_lookups_total", result="hit") >= 1
    assert value(text, "ams_result_cache_lookups_total", result="hit") >= 1
    assert value(text, "ams_list_fetched_timestamp_seconds", provider="openrouter") > 0
    assert "ams_db_connections_in_use" in text
    # no key nor token in any label, nor anywhere in the text
    for secret in (GROQ_KEY, METRICS_TOKEN, metered.manager_token, metered.reader_token):
        assert secret not in text
    assert not any("/" in label and "http" in label for label in label_values(text))


async def test_changes_are_counted_by_operation(metered: Service) -> None:
    await metered.gql('mutation { bulkSync(provider: "openrouter", limit: 2) { created } }')
    text = await scrape(metered)
    assert value(text, "ams_audit_entries_total", operation="bulkSync") == 1
    assert value(text, "ams_graphql_requests_total", operation="bulkSync", outcome="ok") == 1


def test_token_mode_needs_a_token_and_never_echoes_one() -> None:
    with pytest.raises(SettingsError) as missing:
        Settings.from_env({"METRICS": "token"})
    assert missing.value.problems == ["METRICS=TOKEN: METRICS_TOKEN must be set too"]
    with pytest.raises(SettingsError) as short:
        Settings.from_env({"METRICS": "token", "METRICS_TOKEN": "tiny-secret"})
    assert "tiny-secret" not in str(short.value) and "METRICS_TOKEN=(hidden)" in str(short.value)
    ok = Settings.from_env({"METRICS": "token", "METRICS_TOKEN": METRICS_TOKEN})
    assert METRICS_TOKEN not in repr(ok)
