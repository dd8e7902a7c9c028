"""What a misbehaving upstream does to a request: bounded in size, in retries and in time."""

from __future__ import annotations

import dataclasses
import time
from email.utils import formatdate

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer

from errors import ProviderPayloadError
from providers import Endpoint, FetchOptions, fetch_models, openai_compatible
from settings import ProviderOverride, Settings
from tests.backends import free_port
from tests.replay import ReplayServer
from tests.service import Service, coded, running_service

LIST = '{ availableModels(provider: "openrouter") { count } }'
ROUTE = "/openrouter/api/v1/models"


async def test_a_list_over_the_size_cap_is_refused(
    settings: Settings, replay: ReplayServer
) -> None:
    async with running_service(dataclasses.replace(settings, http_max_bytes=100_000)) as service:
        error = await service.error(LIST)
    assert error["extensions"]["code"] == "UPSTREAM_ERROR"
    assert "larger than 100000 bytes" in error["message"]


async def test_the_size_cap_holds_without_a_content_length() -> None:
    """A chunked answer declares no size: the cap is enforced while reading."""

    async def endless(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        await response.write(b'{"data": [' + b'{"id": "m"},' * 20_000)
        return response

    app = web.Application()
    app.router.add_get("/v1/models", endless)
    async with TestServer(app) as server, aiohttp.ClientSession() as http:
        endpoint = Endpoint("gw", openai_compatible.SPEC, str(server.make_url("/v1")))
        try:
            await fetch_models(http, endpoint, FetchOptions(max_bytes=50_000))
        except ProviderPayloadError as exc:
            assert "larger than 50000 bytes" in str(exc)
        else:
            raise AssertionError("a 240 kB answer passed a 50 kB cap")


async def test_retry_after_as_an_http_date_is_honoured(
    settings: Settings, replay: ReplayServer
) -> None:
    async with running_service(dataclasses.replace(settings, http_total_timeout=6)) as service:
        # the date is written once the service is up: its start-up is not part of the wait;
        # an HTTP date says whole seconds, so the retry is due at one, read on the replay's clock
        retry_at = int(time.time()) + 3
        due = time.monotonic() + (retry_at - time.time())
        replay.fail(ROUTE, 503, times=1, retry_after=formatdate(retry_at, usegmt=True))
        data = await service.gql(LIST)
    assert data["availableModels"]["count"] == 549
    first, second = replay.requests(ROUTE)
    assert first.time < due - 0.1, "the first request came after the date: nothing was tested"
    assert due - 0.05 <= second.time <= due + 1.5  # not before the date, and not long after it


async def test_a_retry_after_beyond_the_deadline_ends_at_the_deadline(
    service: Service, replay: ReplayServer
) -> None:
    replay.fail(ROUTE, 429, retry_after="120")
    started = time.perf_counter()
    error = await service.error(LIST)
    assert time.perf_counter() - started < 3.0  # the 2 s total timeout, not 120 s
    assert error["extensions"]["code"] == "UPSTREAM_ERROR"
    assert "no complete answer within 2 s" in error["message"]


async def test_retries_are_bounded(service: Service, replay: ReplayServer) -> None:
    replay.fail(ROUTE, 503)
    error = await service.error(LIST)
    assert coded(error["extensions"]) == {
        "code": "UPSTREAM_ERROR",
        "provider": "openrouter",
        "upstreamStatus": 503,
    }
    assert replay.hits(ROUTE) == 2  # the request and HTTP_RETRIES=1 retry


async def test_a_hung_upstream_never_holds_a_request_past_the_total_timeout(
    service: Service, replay: ReplayServer
) -> None:
    replay.hang(ROUTE)
    started = time.perf_counter()
    error = await service.error(LIST)
    elapsed = time.perf_counter() - started
    assert 2.0 <= elapsed < 2.8, elapsed
    assert error["extensions"]["code"] == "UPSTREAM_ERROR"


async def test_connection_refused_is_an_upstream_error_at_once(settings: Settings) -> None:
    port = free_port()
    providers = {
        **settings.providers,
        "openrouter": ProviderOverride(base_url=f"http://127.0.0.1:{port}/api/v1"),
    }
    async with running_service(dataclasses.replace(settings, providers=providers)) as service:
        started = time.perf_counter()
        error = await service.error(LIST)
    assert time.perf_counter() - started < 1.0
    assert error["extensions"]["code"] == "UPSTREAM_ERROR"
    assert "connection failed" in error["message"]
