"""The benchmark's app cannot rot unnoticed: its routes answer what the GraphQL endpoint does.

The benchmark itself (`python -m bench`) is not run here; this drives its bench-only routes
in-process, once each, and checks the naive design shows exactly the GraphQL response.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import orjson
import pytest
from starlette.types import Receive, Scope, Send

from bench import hit
from bench.app import with_bench_routes
from bench.run import LIST, summary
from server import build_app
from settings import Settings
from storage import tokens
from tests.replay import ReplayServer


@pytest.fixture
async def bench_http(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = with_bench_routes(build_app(settings))
    async with app.router.lifespan_context(app) as state:

        async def with_state(scope: Scope, receive: Receive, send: Send) -> None:
            await app({**scope, "state": dict(state or {})}, receive, send)

        transport = httpx.ASGITransport(app=with_state)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            token = await tokens.create_token("bench", ["ai.manage"])
            http.headers["Authorization"] = f"Bearer {token}"
            yield http


async def test_bench_routes_serve_what_graphql_serves(bench_http: httpx.AsyncClient) -> None:
    save = 'mutation { saveModel(provider: "openrouter", modelId: "openai/gpt-4o") { created } }'
    assert (await bench_http.post("/graphql", json={"query": save})).status_code == 200
    graphql = await bench_http.post(
        "/graphql", json={"query": LIST, "variables": {"provider": "openrouter"}}
    )
    assert "errors" not in graphql.json()

    await bench_http.post("/bench/sql/start")
    naive = await bench_http.get("/bench/naive", params={"provider": "openrouter"})
    statements = (await bench_http.post("/bench/sql/stop")).json()["statements"]
    assert orjson.loads(naive.content) == orjson.loads(graphql.content)
    assert len(statements) == 1 + 549  # the catalog's state, then one query per model

    await bench_http.put("/bench/floor", content=graphql.content)
    assert (await bench_http.get("/bench/floor")).content == graphql.content
    request = {"query": LIST, "variables": {"provider": "openrouter"}}
    assert (await bench_http.post("/bench/floor", json=request)).content == graphql.content
    assert summary([0.001, 0.002, 0.003])["median_ms"] == pytest.approx(2.0)


async def test_forget_leaves_nothing_reusable_but_the_list(bench_http: httpx.AsyncClient) -> None:
    """The uncached case's reset: the same bytes again, built anew (no view kept)."""
    request = {"query": LIST, "variables": {"provider": "openrouter"}}
    first = await bench_http.post("/graphql", json=request)
    assert (await bench_http.post("/bench/forget")).json() == {"forgotten": True}
    again = await bench_http.post("/graphql", json=request)
    assert again.content == first.content


async def test_the_in_process_hit_measure_serves_hits(
    settings: Settings, replay: ReplayServer
) -> None:
    """`python -m bench.hit`'s loop, a few requests: the hit is one (a stored result)."""
    app = with_bench_routes(build_app(settings))
    async with app.router.lifespan_context(app) as state:
        token = await tokens.create_token("bench", ["ai.manage"])
        call = hit.caller(app, state or {}, token)
        body = await hit.warm(call)
        hits = state["services"].results.hits if state else 0
        figures = await hit.measure(call, body, requests=3, warmup=1)
        assert state and state["services"].results.hits == hits + 4
    assert figures["requests"] == 3 and figures["hit_us"] > 0 and figures["floor_us"] > 0
