"""The bench's cases of a result-cache miss (issue 16): what a request costs when its result
was never stored, or a write has just made it out of date, and where a cold list's time goes.

- `uncached`: the full list (every field but `raw`: 549 models x 17 fields and `sources`)
  with nothing reusable but the cached upstream list (`POST /bench/forget` before each
  request, untimed), against a bare route serving the same bytes, by turns;
- `after_write`: a 50-model page, and the full list, right after one model is switched on
  or off (the write untimed);
- `cold_parts`: a cold list's parts: the upstream's answer (100 ms late), decoding, parsing,
  building the snapshot (and its Redis encoding), measured in this process on the same
  capture; then executing a just-fetched list over HTTP (after `refreshModels`, untimed).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import aiohttp
import orjson

from catalog.codec import encode_snapshot
from catalog.snapshot import Snapshot
from providers import discover
from tests.replay import ReplayServer

if TYPE_CHECKING:
    from bench.run import Client

FIELDS = """modelId name description capabilities inputPrice outputPrice contextWindow
      maxOutputTokens createdAt expiresAt ownedBy inputModalities outputModalities
      sources { field origin } savedInDb isActiveInDb dbId"""
UNCACHED = f"""
query Uncached($provider: String!) {{
  availableModels(provider: $provider) {{
    provider count fetchedAt stale error
    models {{ {FIELDS} }}
  }}
}}
"""
PAGE = f"""
query Page($provider: String!, $first: Int!) {{
  availableModels(provider: $provider, first: $first) {{
    totalCount pageInfo {{ endCursor hasNextPage }}
    models {{ {FIELDS} raw }}
  }}
}}
"""
SWITCH = """
mutation Switch($provider: String!, $modelIds: [String!]!, $active: Boolean!) {
  setModelsActive(provider: $provider, modelIds: $modelIds, active: $active) { changed }
}
"""
PARTS = ("fetch", "decode", "parse", "enrich", "execute")
REFRESH = "mutation Refresh($provider: String!) { refreshModels(provider: $provider) { count } }"


async def _time(call: Callable[[], Awaitable[object]]) -> float:
    start = time.perf_counter()
    await call()
    return time.perf_counter() - start


async def uncached(client: Client, provider: str, n: int) -> dict[str, Any]:
    from bench.run import summary

    variables = {"provider": provider}
    body = await client.post_graphql(UNCACHED, variables)
    await client.put("/bench/floor", body)
    if await client.post_graphql(UNCACHED, variables, path="/bench/floor") != body:
        raise RuntimeError("the floor does not serve the uncached list's bytes")
    graphql, floor = [], []
    for _ in range(n):
        await client.post("/bench/forget")
        graphql.append(await _time(lambda: client.post_graphql(UNCACHED, variables)))
        floor.append(await _time(lambda: client.post_graphql(UNCACHED, variables, "/bench/floor")))
    if await client.post_graphql(UNCACHED, variables) != body:
        raise RuntimeError("the uncached list changed between requests")
    timed, bare = summary(graphql), summary(floor)
    ratio = timed["median_ms"] / bare["median_ms"]
    return {"graphql": timed, "floor": bare, "bytes": len(body), "ratio": ratio}


async def after_write(client: Client, provider: str, model_id: str, n: int) -> dict[str, Any]:
    from bench.run import LIST, summary

    out: dict[str, Any] = {}
    for label, query, variables in (
        ("page_50", PAGE, {"provider": provider, "first": 50}),
        ("full_list", LIST, {"provider": provider}),
    ):
        samples = []
        for i in range(n):
            switch = {"provider": provider, "modelIds": [model_id], "active": i % 2 == 0}
            await client.gql(SWITCH, switch)
            samples.append(await _time(lambda q=query, v=variables: client.post_graphql(q, v)))  # type: ignore[misc]
        out[label] = summary(samples)
    return out


async def cold_parts(
    client: Client, replay: ReplayServer, route: str, provider: str, delay: float, n: int
) -> dict[str, Any]:
    from bench.run import LIST, summary

    spec = discover().get("openrouter")
    assert spec is not None
    url = f"{replay.url}{route}?output_modalities=all"
    parts: dict[str, list[float]] = {k: [] for k in PARTS[:-1]}
    replay.delay(route, delay)
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(n):
                start = time.perf_counter()
                async with http.get(url) as response:
                    body = await response.read()
                parts["fetch"].append(time.perf_counter() - start)
                start = time.perf_counter()
                payload = orjson.loads(body)
                parts["decode"].append(time.perf_counter() - start)
                start = time.perf_counter()
                models = spec.parse_models(payload)
                parts["parse"].append(time.perf_counter() - start)
                start = time.perf_counter()
                encode_snapshot(Snapshot.fetched_now(provider, models, 600, time.time))
                parts["enrich"].append(time.perf_counter() - start)
    finally:
        replay.delay(route, 0)
    out: dict[str, Any] = {name: summary(samples) for name, samples in parts.items()}
    execute = []
    for _ in range(n):
        await client.gql(REFRESH, {"provider": provider})
        execute.append(await _time(lambda: client.post_graphql(LIST, {"provider": provider})))
    out["execute"] = summary(execute)
    out["upstream_delay_ms"] = delay * 1000
    return out
