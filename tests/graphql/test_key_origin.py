"""A provider key goes only to the origin its base URL names: a redirect or a next-page link to
another host is refused before anything is sent there. A second real server stands in for that
other host and records whatever reaches it."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator

import pytest
from starlette.datastructures import Secret

from settings import ProviderOverride, Settings
from tests.replay import ReplayServer, base_url, fixture_path, models_route
from tests.service import running_service

KEY = "sk-test-origin-bound-0123456789"
# provider -> (the header its key travels in, a model list it accepts)
KINDS = {
    "anthropic": ("x-api-key", fixture_path("anthropic", "models-2025-05.json")),
    "gemini": ("x-goog-api-key", fixture_path("gemini", "models-2026-03.json")),
    "groq": ("authorization", fixture_path("groq", "models-2026-03.json")),
}


@pytest.fixture
def foreign() -> Iterator[ReplayServer]:
    """The other host: it would answer anything, and records every request it receives."""
    with ReplayServer() as server:
        for provider in (*KINDS, "huggingface"):
            server.serve(models_route(provider), {"data": [], "models": []})
        yield server


@pytest.fixture
def prefix() -> str:
    return f"origin-{uuid.uuid4().hex[:8]}"


def pointed(settings: Settings, replay: ReplayServer, prefix: str, provider: str) -> Settings:
    """`settings` with `provider` at `<replay>/<prefix>/...` and a key."""
    override = ProviderOverride(
        base_url=base_url(replay.url, provider, f"{prefix}-{provider}"), api_key=Secret(KEY)
    )
    return dataclasses.replace(settings, providers={**settings.providers, provider: override})


def list_of(provider: str) -> str:
    return f'{{ availableModels(provider: "{provider}") {{ count }} }}'


@pytest.mark.parametrize("provider", KINDS)
@pytest.mark.parametrize("status", [302, 307])
async def test_a_redirect_to_another_host_is_refused_and_gets_nothing(
    settings: Settings,
    replay: ReplayServer,
    foreign: ReplayServer,
    prefix: str,
    provider: str,
    status: int,
) -> None:
    route = models_route(provider, f"{prefix}-{provider}")
    target = f"{foreign.url}{models_route(provider)}"
    replay.serve(route, b"", status=status, headers={"Location": target})
    async with running_service(pointed(settings, replay, prefix, provider)) as service:
        error = await service.error(list_of(provider))
    assert error["extensions"]["code"] == "UPSTREAM_ERROR"
    assert f"a redirect pointed to {foreign.url}, not to {replay.url}" in error["message"]
    assert foreign.hits(models_route(provider)) == 0  # not even a request without the key
    assert KEY not in error["message"]
    [asked] = replay.requests(route)
    assert KEY in asked.headers[KINDS[provider][0]]  # it did go, with its key, where configured


@pytest.mark.parametrize("provider", KINDS)
async def test_a_redirect_within_the_origin_is_followed_with_the_key(
    settings: Settings, replay: ReplayServer, prefix: str, provider: str
) -> None:
    route = models_route(provider, f"{prefix}-{provider}")
    moved = f"/{prefix}-moved{models_route(provider)}"
    replay.serve(route, b"", status=301, headers={"Location": moved})  # relative, same origin
    replay.serve(moved, KINDS[provider][1])
    async with running_service(pointed(settings, replay, prefix, provider)) as service:
        data = await service.gql(list_of(provider))
    assert data["availableModels"]["count"] > 0
    [asked] = replay.requests(moved)
    assert KEY in asked.headers[KINDS[provider][0]]


async def test_a_next_page_link_to_another_host_is_refused(
    settings: Settings, replay: ReplayServer, foreign: ReplayServer, prefix: str
) -> None:
    route = models_route("huggingface", f"{prefix}-huggingface")
    page = fixture_path("huggingface", "models-constructed.json")
    link = f'<{foreign.url}{models_route("huggingface")}?cursor=2>; rel="next"'
    replay.serve(route, page, headers={"Link": link})
    async with running_service(pointed(settings, replay, prefix, "huggingface")) as service:
        error = await service.error(list_of("huggingface"))
    assert error["extensions"]["code"] == "UPSTREAM_ERROR"
    assert f"a next-page link pointed to {foreign.url}" in error["message"]
    assert foreign.hits(models_route("huggingface")) == 0


async def test_a_relative_next_page_link_is_read_from_the_configured_host(
    settings: Settings, replay: ReplayServer, prefix: str
) -> None:
    """Resolved against the page it came with (the configured host), not huggingface.co."""
    route = models_route("huggingface", f"{prefix}-huggingface")
    first = fixture_path("huggingface", "models-constructed.json")
    second = fixture_path("huggingface", "models-constructed-page2.json")
    replay.serve(route, first, headers={"Link": f'<{route}?cursor=2>; rel="next"'})
    replay.serve(route, second, query={"cursor": "2"})
    async with running_service(pointed(settings, replay, prefix, "huggingface")) as service:
        data = await service.gql(list_of("huggingface"))
    assert data["availableModels"]["count"] > 0
    pages = [r for r in replay.requests(route) if r.query.get("cursor") == "2"]
    assert pages and all(KEY in r.headers["authorization"] for r in pages)


async def test_a_base_url_query_string_is_sent_but_not_shown_to_readers(
    settings: Settings, replay: ReplayServer, prefix: str
) -> None:
    route = models_route("openai", f"{prefix}-gateway")
    replay.serve(route, fixture_path("openai", "models-2025-05.json"))
    gateway = base_url(replay.url, "openai", f"{prefix}-gateway") + "?api_key=secret-in-url"
    add = (
        'mutation($u: String!) { addProvider(input: {slug: "gw", kind: "openai_compatible",'
        " baseUrl: $u}) { slug } }"
    )
    instances = "{ providers { instances { slug baseUrl } } }"
    async with running_service(settings) as service:
        await service.gql(add, {"u": gateway})
        data = await service.gql(list_of("gw"))
        assert data["availableModels"]["count"] > 0
        [asked] = replay.requests(route)
        assert asked.query == {"api_key": "secret-in-url"}  # the base URL's query is kept
        read = await service.gql(instances, token=service.reader_token)
        managed = await service.gql(instances)
    [reader_view] = read["providers"]["instances"]
    assert reader_view["baseUrl"] == base_url(replay.url, "openai", f"{prefix}-gateway")
    assert "secret-in-url" not in str(read)
    assert managed["providers"]["instances"][0]["baseUrl"] == gateway  # the admin's own setting
