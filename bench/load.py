"""The bench's load case (issue 16): 200 clients asking for a 20-model page at once, for
`seconds`, against SQLite with one worker and PostgreSQL + Redis with one and two workers:
throughput and the latency's median, p99 and maximum. The client runs on the same CPUs.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import aiohttp

from tests.backends import REDIS_URL, fresh_postgres_database, fresh_redis_namespace

CLIENTS = 200
PAGE_20 = """
query Page($provider: String!) {
  availableModels(provider: $provider, first: 20) {
    totalCount pageInfo { endCursor hasNextPage }
    models { modelId name capabilities inputPrice outputPrice contextWindow savedInDb
      isActiveInDb dbId }
  }
}
"""
SETUPS = (("sqlite", 1), ("postgres+redis", 1), ("postgres+redis", 2))


@asynccontextmanager
async def backends(kind: str, sqlite_url: str) -> AsyncIterator[dict[str, str]]:
    """The environment of a server on `kind`: a fresh PostgreSQL database and Redis namespace,
    removed afterwards, or the bench's SQLite file."""
    if kind == "sqlite":
        yield {"DATABASE_URL": sqlite_url, "CACHE_URL": "memory://"}
        return
    async with AsyncExitStack() as stack:
        database = await stack.enter_async_context(fresh_postgres_database())
        namespace = await stack.enter_async_context(fresh_redis_namespace())
        yield {"DATABASE_URL": database, "CACHE_URL": REDIS_URL, "CACHE_NAMESPACE": namespace}


async def hammer(url: str, token: str, provider: str, seconds: float) -> dict[str, Any]:
    """`CLIENTS` concurrent clients, each on its own connection, looping for `seconds`."""
    body = {"query": PAGE_20, "variables": {"provider": provider}}
    headers = {"Authorization": f"Bearer {token}"}
    latencies: list[float] = []
    errors = 0
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as http:
        deadline = time.perf_counter() + seconds

        async def client() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                async with http.post(f"{url}/graphql", json=body, headers=headers) as resp:
                    await resp.read()
                    errors += resp.status != 200
                latencies.append(time.perf_counter() - start)

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(CLIENTS)))
        elapsed = time.perf_counter() - started
    ordered = sorted(latencies)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))] * 1000

    return {
        "clients": CLIENTS,
        "seconds": round(elapsed, 2),
        "requests": len(ordered),
        "errors": errors,
        "rps": len(ordered) / elapsed,
        "p50_ms": at(0.5),
        "p99_ms": at(0.99),
        "max_ms": ordered[-1] * 1000,
    }
